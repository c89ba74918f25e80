"""What ``xl-kpi import`` inferred, cell by cell, for people to check: every reading that adds or
changes meaning (a cap, a rescale, a direction, a target, a default grade scale, weights shared or
read as points) with the cell of the table it concerns. ``import`` prints them; a spec workbook
written from the import carries them on a sheet of their own (:func:`review_sheet`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core.text import Text
from .role import Role

__all__ = ["Inference", "readings", "review_rows"]

# notes that only say how a name became an id: nothing to check
_QUIET = re.compile(r"^(?:标识 |id )")


@dataclass(frozen=True)
class Inference:
    """One inference: where (``Sheet!G5``), about what (an indicator's name, or the grades…), and what was read."""

    cell: str
    subject: str | Text
    text: Text

    def said(self, lang: str) -> tuple[str, str]:
        """The subject and the reading in ``lang``."""
        def pick(text: Text) -> str:
            return text.zh if lang == "zh" else text.en

        return (self.subject if isinstance(self.subject, str) else pick(self.subject)), pick(self.text)


def _cell(role: Role, where: str) -> str:
    key = where
    while key:
        if key in role.places:
            return f"{role.sheet}!{role.places[key]}"
        key = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", key) if re.search(r"(\.[^.\[\]]+|\[\d+\])$", key) else ""
    return role.sheet


def _subject(role: Role, where: str) -> str | Text:
    m = re.match(r"indicators\[(\d+)\]", where)
    if m and int(m[1]) < len(role.data.get("indicators", [])):
        return str(role.data["indicators"][int(m[1])].get("name", ""))
    return {"grades": Text("等级", "grades"), "sections": Text("考核维度", "sections"), "raters": Text("评分人", "raters"),
            "adjustments": Text("加减分项", "bonus and penalty items"), "indicators": Text("指标表", "the indicator table"),
            "id": Text("规格标识", "spec id")}.get(where.split("[")[0].split(".")[0], where)


def readings(role: Role) -> list[Inference]:
    """Every inference of the role worth checking, in the table's order."""
    out: list[Inference] = []
    for where, texts in role.notes.items():
        for text in texts:
            if _QUIET.match(text.zh) or _QUIET.match(text.en):
                continue
            out.append(Inference(_cell(role, where), _subject(role, where), text))
    return out


def review_rows(items: list[Inference], lang: str) -> list[list[Any]]:
    """The review sheet's rows: cell, what it concerns, what was read (in the sheet's language)."""
    return [[r.cell, *r.said(lang)] for r in items]
