"""An employee's return issued with separate rating workbooks gives only the employee's own inputs.

The other raters' cells (their ratings, the adjustment counts, the veto marks, the supervisor's
comment) are still on the employee's sheet, locked and showing "awaiting supervisor"; whatever is
typed there is not the employee's to give. Each such cell filled is ignored and reported
(``input-not-issued``, naming the cell and whose it is) and read as blank; the raters' own workbooks
give those inputs when the parts are merged (:mod:`.merge`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text
from ..scoring.engine import CardInputs
from ..sheet.rating_layout import AWAITING
from ..spec.model import Spec
from ..spec.raters import ROLE_NAMES
from .identity import fmt

__all__ = ["others_keys", "blanked", "not_issued"]

_AWAITED = frozenset(text for words in AWAITING.values() for text in words)


def others_keys(spec: Spec) -> frozenset[str]:
    """The inputs of a card that other raters fill in their own workbooks: their ratings, the counts and marks."""
    keys = {f"rating:{i.id}:{r}" for i in spec.indicators for r in i.raters if not spec.rater(r).by_employee}
    keys |= {f"adj:{item.id}" for item in (spec.adjustments.items if spec.adjustments else ())}
    return frozenset(keys | {f"veto:{v.id}" for v in spec.veto})


def blanked(typed: CardInputs, keys: frozenset[str]) -> CardInputs:
    """The inputs with ``keys`` left blank (as the card is read: they are not this file's to give)."""
    ratings = {i: {r: (None if f"rating:{i}:{r}" in keys else v) for r, v in given.items()} for i, given in typed.ratings.items()}
    counts = {k: v for k, v in typed.adjustments.items() if f"adj:{k}" not in keys}
    marks = {k: v for k, v in typed.veto.items() if f"veto:{k}" not in keys}
    return CardInputs(typed.actuals, ratings, counts, marks, typed.bonus_base, typed.unreadable)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and (not value.strip() or value.strip() in _AWAITED))


def not_issued(spec: Spec, typed: CardInputs, keys: frozenset[str], comment: Any, comment_cell: str,
               input_cell: Callable[[str], dict[str, str]], where: dict[str, str]) -> tuple[list[str], list[Finding]]:
    """Another rater's cells filled in the employee's own workbook: their cells, and a finding for each."""
    found: list[str] = []
    out: list[Finding] = []
    for key in sorted(keys):
        kind, _, rest = key.partition(":")
        what: str | Text
        role: str = "supervisor"  # counts and marks are the supervisor's
        if kind == "rating":
            iid, _, rater = rest.partition(":")
            value, name, role = (typed.ratings.get(iid) or {}).get(rater), spec.indicator(iid).name, spec.rater(rater).role
            what = Text(f"{name}({spec.rater(rater).name})", f"{name} ({spec.rater(rater).name})")
        else:
            item = next((i for i in (spec.adjustments.items if spec.adjustments else ()) if i.id == rest), None) if kind == "adj" else None
            value = (typed.adjustments if kind == "adj" else typed.veto).get(rest)
            what = item.name if item is not None else next((v.name for v in spec.veto if v.id == rest), rest)
        if _filled(value):
            cell = input_cell(key)["cell"]
            found.append(cell)
            out.append(finding("input-not-issued", **where, cell=cell, what=what, value=fmt(value), role=ROLE_NAMES[role]))
    if _filled(comment):
        found.append(comment_cell)
        out.append(finding("input-not-issued", **where, cell=comment_cell, what=Text("上级评语", "the supervisor's comment"),
                           value=fmt(comment)[:40], role=ROLE_NAMES["supervisor"]))
    return found, out
