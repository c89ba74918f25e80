"""The raters to chase: who was issued a rating workbook and has not returned it, with the people waiting.

:func:`missing_raters` is the rule, pure: from what HR issued (the register's rating workbooks of the
period) and the (person, role, rater) parts that came back, each rater still owing ratings and for whom.
Without the register, who was issued is unknown: the people the merge found waiting say it instead
(:func:`waiting_raters`). HR's one chase list, ``xl-kpi chase`` (:mod:`xl_kpi.followup.chase`), lists them
with everything else still owed; consolidation names how many on the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..sheet.register import Issued
from ..spec.raters import ROLE_NAMES

__all__ = ["MissingRater", "missing_raters", "waiting_raters", "awaiting_text"]


@dataclass(frozen=True)
class MissingRater:
    """A rater who owes ratings: their role, who they are, the workbook HR issued them, and the people waiting."""

    role: str
    rater_id: str
    rater_name: str
    file: str
    people: tuple[tuple[str, str], ...]  # (employee id, name), in the order issued


def missing_raters(issued: Iterable[Issued], returned: set[tuple[str, str, str]]) -> list[MissingRater]:
    """Each rating workbook issued (its rows: one per person it covers) whose ratings of some people did not
    come back; ``returned`` holds (employee id, role, rater id) of every part read. By role, then rater."""
    books: dict[str, list[Issued]] = {}
    for row in issued:
        if row.is_rating:
            books.setdefault(row.workbook_id, []).append(row)
    owed: dict[tuple[str, str], MissingRater] = {}
    for rows in books.values():
        first = rows[0]
        waiting = tuple((r.employee_id, r.name) for r in rows if (r.employee_id, r.role, r.rater_id) not in returned)
        if not waiting:
            continue
        key = (first.role, first.rater_id)
        before = owed.get(key)
        people = (before.people if before else ()) + tuple(p for p in waiting if not before or p not in before.people)
        owed[key] = MissingRater(first.role, first.rater_id, first.rater_name, first.file, people)
    order = {"supervisor": 0, "reviewer": 1, "peer": 2}
    return sorted(owed.values(), key=lambda m: (order.get(m.role, 9), m.rater_id))


def waiting_raters(awaiting: Iterable[tuple[str, str, str]]) -> list[MissingRater]:
    """Without the register: from the people waiting ((employee id, name, the merge's ``awaiting`` text)), each
    rater named there ("role:label") with their people; a rater nobody knows is "?"."""
    owed: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for eid, name, text in awaiting:
        for item in filter(None, (t.strip() for t in text.split(";"))):
            role, _, who = item.partition(":")
            owed.setdefault((role, who), []).append((eid, name))
    order = {"supervisor": 0, "reviewer": 1, "peer": 2}
    return [MissingRater(role, who, who, "", tuple(people)) for (role, who), people in sorted(owed.items(), key=lambda i: (order.get(i[0][0], 9), i[0][1]))]


def awaiting_text(text: str, lang: str) -> str:
    """The merge's ``role:who; …`` in words: 直接上级 李经理;互评同事 刘洋 (E03)."""
    parts = []
    for item in filter(None, (t.strip() for t in text.split(";"))):
        role, _, who = item.partition(":")
        parts.append(f"{ROLE_NAMES[role]('en' if lang == 'en' else 'zh') if role in ROLE_NAMES else role} {who}".strip())
    return (";" if lang == "zh" else "; ").join(parts)
