"""The scoring engine: the single source of truth for scores, totals and grades.

Sheet formulas (``xl_kpi.workbook.formulas``) and the xlwings UDFs translate these rules;
tests hold all three to the same number. No Excel library is imported here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InvalidActual, Text
from .model import Bands, Deduction, Grade, Indicator, Linear, Rating, Spec
from .rounding import excel_round

__all__ = [
    "CardResult",
    "band_score",
    "grade_for",
    "is_blank",
    "score_card",
    "score_indicator",
    "weighted_total",
]

ROUND_ACTUAL = 9  # actuals are compared after ROUND(actual, 9): 110% typed is exactly 1.1
ROUND_SCORE = 2


def is_blank(value: Any) -> bool:
    """Blank as a spreadsheet means it: None, NaN, or text with nothing but spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def band_score(actual: float, thresholds: Sequence[float], scores: Sequence[float], direction: str = "higher",
               otherwise: float = 0.0) -> float:
    """The first band the actual reaches: from the highest threshold down (higher is better)
    or from the lowest up (lower is better); ``otherwise`` when it reaches none."""
    a = excel_round(actual, ROUND_ACTUAL)
    if direction == "higher":
        for t, s in zip(thresholds, scores):
            if a >= t:
                return s
    else:
        for t, s in zip(thresholds, scores):
            if a <= t:
                return s
    return otherwise


def _number(ind: Indicator, actual: Any) -> float:
    if isinstance(actual, bool) or not isinstance(actual, (int, float)) or not math.isfinite(actual):
        raise InvalidActual(
            Text(f"指标 {ind.name}({ind.id})的实际值 {actual!r} 不是数字", f"actual {actual!r} for {ind.id} is not a number"),
            Text("填写数字,百分比如 105%", "enter a number; percentages like 105%"),
        )
    return float(actual)


def score_indicator(ind: Indicator, actual: Any) -> float | None:
    """Score one actual; ``None`` (a blank score) for a blank actual.

    Raises:
        InvalidActual: the value cannot be scored (text for a number, an unknown level).
    """
    if is_blank(actual):
        return None
    sc = ind.scoring
    if isinstance(sc, Rating):
        score = sc.score_of(str(actual))
        if score is None:
            levels = "/".join(level.label for level in sc.levels)
            raise InvalidActual(Text(f"指标 {ind.name} 的等级 {actual!r} 无效", f"{actual!r} is not a level of {ind.id}"),
                                Text(f"可选等级: {levels}", f"choose one of {levels}"))
        return score
    a = _number(ind, actual)
    if isinstance(sc, Bands):
        return band_score(a, sc.thresholds, sc.scores, ind.direction, sc.otherwise)
    if isinstance(sc, Linear):
        target = float(ind.target)  # type: ignore[arg-type]
        if ind.direction == "higher":
            raw = 100 * a / target
        elif a == 0:
            return sc.cap
        else:
            raw = 100 * target / a
        return excel_round(min(sc.cap, max(sc.floor, raw)), ROUND_SCORE)
    if isinstance(sc, Deduction):
        return excel_round(max(sc.floor, sc.start - sc.per_unit * a), ROUND_SCORE)
    raise TypeError(f"unknown scoring {sc!r}")


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
