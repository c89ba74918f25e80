"""How the reports show who rated a person: each of the template's raters by the people behind it."""

from __future__ import annotations

from .reader import PersonRecord

__all__ = ["rated_by"]


def rated_by(record: PersonRecord, rater_id: str) -> str:
    """Who gave a template rater's ratings of the person (``李经理``; peers ``王芳 (E02); 刘洋 (E03)``, in HR's order)."""
    labels = []
    for part in record.rated_by:
        inputs = part.get("inputs") or {}
        if any(key.startswith("rating:") and key.split(":")[2] == rater_id for key in inputs):
            name, rid = str(part.get("name") or ""), str(part.get("id") or "")
            labels.append(rid if name in ("", rid) else f"{name} ({rid})")
    return "; ".join(dict.fromkeys(labels))
