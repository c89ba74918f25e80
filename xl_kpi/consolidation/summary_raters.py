"""What summary.xlsx shows of raters: each rater's score and who rated on the Scores sheet, what a person is
still waiting for, and the raters to chase (待催评分 / Raters to chase)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..spec.raters import ROLE_NAMES
from .chase import MissingRater
from .merge_view import rated_by
from .reader import PersonRecord

__all__ = ["rater_headers", "rater_cells", "write_chase", "awaiting_text"]


def _role(role: str, lang: str) -> str:
    return ROLE_NAMES[role]("en" if lang == "en" else "zh") if role in ROLE_NAMES else role


def rater_headers(rating: Sequence[str], names: Mapping[str, str], lang: str) -> list[str]:
    """Per rater: their score and who rated; then what is still awaited (when any template has raters)."""
    if not rating:
        return []
    out = []
    for rid in rating:
        name = names.get(rid, rid)
        out += [f"{name}得分", f"{name}评分人"] if lang == "zh" else [f"{name} score", f"{name}: rated by"]
    return out + (["待评分"] if lang == "zh" else ["Awaiting"])


def awaiting_text(text: str, lang: str) -> str:
    """The merge's ``role:who; …`` in words: 直接上级 李经理;互评同事 刘洋 (E03)."""
    parts = []
    for item in filter(None, (t.strip() for t in text.split(";"))):
        role, _, who = item.partition(":")
        parts.append(f"{_role(role, lang)} {who}".strip())
    return (";" if lang == "zh" else "; ").join(parts)


def rater_cells(record: PersonRecord, rating: Sequence[str], lang: str) -> list[Any]:
    if not rating:
        return []
    out: list[Any] = []
    for rid in rating:
        out += [record.role_scores.get(rid), rated_by(record, rid) or None]
    return out + [awaiting_text(record.awaiting, lang) or None]


def write_chase(book: Any, missing: Sequence[MissingRater]) -> None:
    """The raters to chase, each with the people waiting for their ratings."""
    lang = book.lang
    header = (["角色", "评分人编号", "评分人", "评分表", "待评人数", "待评人员"] if lang == "zh"
              else ["Role", "Rater ID", "Rater", "Rating workbook", "Waiting", "People waiting"])
    rows = [[_role(m.role, lang), m.rater_id, m.rater_name, m.file, len(m.people), "、".join(f"{eid} {name}" for eid, name in m.people)]
            for m in missing]
    book.table(book.sheet("chase"), header, rows, [10, 12, 12, 30, 9, 60], wrap=(5,))
