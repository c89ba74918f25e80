"""The scoring engine: the single source of truth for scores, totals and grades.

Sheet formulas (:mod:`xl_kpi.sheet.formulas`) and the xlwings UDFs translate these rules; tests
hold all three to the same number. Each method's own rule comes from the registry
(:mod:`xl_kpi.methods`). No Excel library is imported here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.errors import InvalidActual
from ..core.rounding import ROUND_SCORE, excel_round
from ..spec.model import Grade, Indicator, Spec

__all__ = ["CardResult", "grade_for", "is_blank", "score_card", "score_indicator", "sheet_result", "weighted_total"]


def is_blank(value: Any) -> bool:
    """Blank as a spreadsheet means it: None, NaN, or text with nothing but spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def score_indicator(ind: Indicator, actual: Any) -> float | None:
    """Score one actual; ``None`` (a blank score) for a blank actual.

    Raises:
        InvalidActual: the value cannot be scored (text for a number, an unknown level).
    """
    if is_blank(actual):
        return None
    method = ind.method
    if method.label_input:
        score = method.score(ind, str(actual))
        if score is None:
            raise InvalidActual("invalid-actual", indicator=ind.name, value=repr(actual))
        return score
    if isinstance(actual, bool) or not isinstance(actual, (int, float)) or not math.isfinite(actual):
        raise InvalidActual("invalid-actual", indicator=ind.name, value=repr(actual))
    return method.score(ind, float(actual))


def weighted_total(scores: Sequence[float | None], weights: Sequence[float]) -> float | None:
    """``ROUND(Σ score × weight / Σ weight, 2)``; ``None`` until every score is present."""
    if any(s is None for s in scores) or not scores:
        return None
    acc = 0.0
    wsum = 0.0
    for s, w in zip(scores, weights):
        acc += s * w  # type: ignore[operator]
        wsum += w
    return excel_round(acc / wsum, ROUND_SCORE)


def grade_for(total: float | None, grades: Sequence[Grade]) -> Grade | None:
    """The first grade (highest ``min`` first) whose ``min`` the total reaches."""
    if total is None:
        return None
    for g in grades:
        if total >= g.min:
            return g
    return None


@dataclass(frozen=True)
class CardResult:
    """One person's result: a score per indicator (None = blank), total and grade."""

    scores: dict[str, float | None]
    total: float | None
    grade: Grade | None

    def as_dict(self) -> dict[str, Any]:
        return {"scores": dict(self.scores), "total": self.total, "grade": self.grade.label if self.grade else None}


def score_card(spec: Spec, actuals: Mapping[str, Any]) -> CardResult:
    """Score a whole scorecard from ``{indicator_id: actual}`` (missing ids are blank)."""
    scores = {ind.id: score_indicator(ind, actuals.get(ind.id)) for ind in spec.indicators}
    total = weighted_total(list(scores.values()), [ind.weight for ind in spec.indicators])
    return CardResult(scores=scores, total=total, grade=grade_for(total, spec.grades))


def sheet_result(spec: Spec, actuals: Mapping[str, Any]) -> CardResult:
    """What a sheet's formulas show: like :func:`score_card`, but text in a number cell is a blank score."""
    scores: dict[str, float | None] = {}
    for ind in spec.indicators:
        try:
            scores[ind.id] = score_indicator(ind, actuals.get(ind.id))
        except InvalidActual:
            scores[ind.id] = None
    total = weighted_total(list(scores.values()), [ind.weight for ind in spec.indicators])
    return CardResult(scores=scores, total=total, grade=grade_for(total, spec.grades))
