"""The scoring engine: the single source of truth for scores, totals, grades, coefficients and pay.

Sheet formulas (:mod:`xl_kpi.sheet.formulas`) and the xlwings UDFs translate these rules; tests
hold all three to the same number. Each method's own rule comes from the registry
(:mod:`xl_kpi.methods`). No Excel library is imported here.

The rules, in order (``docs/spec.md``):
1. a rated indicator's score is ``ROUND(Σ rater weight × score / Σ rater weight, 2)``, blank
   until every one of its raters has rated;
2. a section's score is ``ROUND(Σ weight × score / Σ weight, 2)`` over its indicators (a card of
   points: ``ROUND(Σ score, 2)``, the points its indicators earned);
3. the weighted score is ``ROUND(Σ section weight × section score / Σ section weight, 2)``
   (a spec without sections: rule 2 over every indicator — today's total; a card of points whose
   sections carry no weight: ``ROUND(Σ section score, 2)``);
4. each adjustment item gives ``count × points`` clamped to ``[−max, max]``, their sum is
   clamped to the block's ``[min, max]``;
5. the total is ``ROUND(MAX(0, weighted + adjustment), 2)``, and 0 when any veto is marked; blank
   while a count or a veto mark cannot be read (:mod:`.inputs` reads them) and no veto is marked;
6. grade from the total; coefficient from the grade; pay ``ROUND(bonus base × coefficient, 2)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidActual
from ..core.rounding import ROUND_SCORE, excel_round
from ..spec.model import VETO_MARKS, Grade, Indicator, Spec

__all__ = ["CardInputs", "CardResult", "grade_for", "is_blank", "score_card", "score_indicator", "sheet_result",
           "weighted_total", "points_total", "rated_score", "adjustment_total", "is_vetoed", "is_veto_mark", "count_of", "contribution",
           "clamp_adjustment", "final_total", "pay_for"]

_MARKS = frozenset(m.casefold() for m in VETO_MARKS)


def is_blank(value: Any) -> bool:
    """Blank as a spreadsheet means it: None, NaN, or text with nothing but spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def score_indicator(ind: Indicator, actual: Any) -> float | None:
    """Score one actual (or one rater's input); ``None`` (a blank score) for a blank.

    Raises:
        InvalidActual: the value cannot be scored (text for a number, an unknown level).
    """
    if ind.counts_events:
        return _events_score(ind, actual)
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


def _events_score(ind: Indicator, actual: Any) -> float | None:
    """An indicator counting several kinds of event: blank until every count is given; each a whole number ≥ 0."""
    if is_blank(actual):
        return None
    if not isinstance(actual, Mapping):
        raise InvalidActual("invalid-actual", indicator=ind.name, value=repr(actual))
    counts: dict[str, float] = {}
    for event in ind.events:
        value = actual.get(event.id)
        if is_blank(value):
            return None
        try:
            counts[event.id] = count_of(value)
        except ValueError:
            raise InvalidActual("invalid-actual", indicator=f"{ind.name} · {event.name}", value=repr(value)) from None
    return ind.method.score(ind, counts)


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


def points_total(scores: Sequence[float | None]) -> float | None:
    """``ROUND(Σ score, 2)``: what a card of points (or its section) earned; ``None`` until every score is present."""
    if any(s is None for s in scores) or not scores:
        return None
    acc = 0.0
    for s in scores:
        acc += s  # type: ignore[operator]
    return excel_round(acc, ROUND_SCORE)


def rated_score(scores: Sequence[float | None], weights: Sequence[float]) -> float | None:
    """A rated indicator's score from its raters' scores (rule 1): the same weighted mean."""
    return weighted_total(scores, weights)


def count_of(value: Any) -> float:
    """An adjustment count: blank is 0; otherwise a whole number ≥ 0.

    Raises:
        ValueError: not a whole number ≥ 0.
    """
    if is_blank(value):
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 \
            or float(value) != math.floor(value):
        raise ValueError(value)
    return float(value)


def _sheet_count(value: Any) -> float:
    """A count as the sheet's formula reads it: a number as it is, anything else 0."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) else 0.0


def contribution(count: float, points: float, cap: float) -> float:
    """Rule 4, one item: ``count × points`` clamped to [−cap, cap]."""
    return max(-cap, min(cap, count * points))


def clamp_adjustment(contributions: Sequence[float], low: float, high: float) -> float:
    """Rule 4, the block: the items' sum (in their order) clamped to [low, high]."""
    acc = 0.0
    for c in contributions:
        acc += c
    return max(low, min(high, acc))


def final_total(weighted: float | None, adjustment: float | None, vetoed: bool) -> float | None:
    """Rule 5: 0 when vetoed; else ``ROUND(MAX(0, weighted + adjustment), 2)`` (the weighted score
    itself when the card has no adjustments: ``adjustment`` None); blank while ``weighted`` is."""
    if vetoed:
        return 0.0
    if weighted is None or adjustment is None:
        return weighted
    return excel_round(max(0.0, weighted + adjustment), ROUND_SCORE)


def adjustment_total(spec: Spec, counts: Mapping[str, Any], strict: bool = True) -> tuple[float, dict[str, float]]:
    """The clamped adjustment (rule 4) and each item's clamped contribution. ``strict=False``
    reads the counts as the sheet's formula does (a number as it is, anything else 0).

    Raises:
        InvalidActual: (strict) a count that is not a whole number ≥ 0.
    """
    if spec.adjustments is None:
        return 0.0, {}
    items: dict[str, float] = {}
    for item in spec.adjustments.items:
        try:
            count = count_of(counts.get(item.id)) if strict else _sheet_count(counts.get(item.id))
        except ValueError:
            raise InvalidActual("invalid-actual", indicator=item.name, value=repr(counts.get(item.id))) from None
        items[item.id] = contribution(count, item.points, item.max)
    return clamp_adjustment(list(items.values()), spec.adjustments.min, spec.adjustments.max), items


def is_veto_mark(value: Any) -> bool:
    """是 / Y / Yes / ✓ (any case, spaces ignored) marks a veto item; anything else does not."""
    return isinstance(value, str) and value.strip().casefold() in _MARKS


def is_vetoed(spec: Spec, marks: Mapping[str, Any]) -> tuple[str, ...]:
    """The veto items marked (their ids, in the spec's order)."""
    return tuple(item.id for item in spec.veto if is_veto_mark(marks.get(item.id)))


def grade_for(total: float | None, grades: Sequence[Grade]) -> Grade | None:
    """The first grade (highest ``min`` first) whose ``min`` the total reaches."""
    if total is None:
        return None
    for g in grades:
        if total >= g.min:
            return g
    return None


def pay_for(bonus_base: float | None, coefficient: float | None) -> float | None:
    """Rule 6, pay: ``ROUND(bonus base × coefficient, 2)``; None without either (a calibrated or appealed grade
    is paid by the same rule)."""
    if coefficient is None or bonus_base is None:
        return None
    return excel_round(bonus_base * coefficient, ROUND_SCORE)


@dataclass(frozen=True)
class CardInputs:
    """Everything a person's card is scored from: actuals, each rater's inputs for the rated
    indicators, adjustment counts, veto marks and the bonus base (from the roster)."""

    actuals: Mapping[str, Any] = field(default_factory=dict)  # indicator id → actual
    ratings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # indicator id → {rater id → input}
    adjustments: Mapping[str, Any] = field(default_factory=dict)  # item id → count
    veto: Mapping[str, Any] = field(default_factory=dict)  # item id → mark
    bonus_base: float | None = None
    unreadable: frozenset[str] = frozenset()  # "adj:<item>" / "veto:<item>" typed so that it cannot be read: the total stays blank

    @classmethod
    def of(cls, spec: Spec, values: CardInputs | Mapping[str, Any], bonus_base: float | None = None) -> CardInputs:
        """From a plain mapping: ``{indicator: actual}``, ``{rated indicator: {rater: input}}``,
        and ``"adj:<item>"`` / ``"veto:<item>"`` keys — the long table's spelling."""
        if isinstance(values, CardInputs):
            return values if bonus_base is None else CardInputs(values.actuals, values.ratings, values.adjustments,
                                                                values.veto, bonus_base, values.unreadable)
        actuals, ratings, adjustments, veto = {}, {}, {}, {}
        for key, value in values.items():
            if key.startswith("adj:"):
                adjustments[key[4:]] = value
            elif key.startswith("veto:"):
                veto[key[5:]] = value
            elif isinstance(value, Mapping) and not _counts_events(spec, key):
                ratings[key] = value
            else:
                actuals[key] = value
        return cls(actuals, ratings, adjustments, veto, bonus_base)


def _counts_events(spec: Spec, key: str) -> bool:
    """The indicator ``key`` counts several kinds of event: its mapping is its counts, not raters' inputs."""
    return any(ind.id == key and ind.counts_events for ind in spec.indicators)


@dataclass(frozen=True)
class CardResult:
    """One person's result. ``scores`` per indicator (None = blank); the parts that a spec with
    sections, raters, adjustments, veto or coefficients adds are empty or None otherwise."""

    scores: dict[str, float | None]
    total: float | None
    grade: Grade | None
    rater_scores: dict[str, dict[str, float | None]] = field(default_factory=dict)  # rated indicator → rater → score
    sections: dict[str, float | None] = field(default_factory=dict)
    weighted: float | None = None  # before adjustments and veto
    adjustment: float | None = 0.0  # None when a count could not be read
    adjustment_items: dict[str, float] = field(default_factory=dict)
    vetoed: tuple[str, ...] = ()
    coefficient: float | None = None
    pay: float | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"scores": dict(self.scores), "total": self.total, "grade": self.grade.label if self.grade else None}
        if self.sections:
            out["sections"] = dict(self.sections)
            out["weighted"] = self.weighted
        if self.adjustment_items:
            out["adjustment"] = self.adjustment
        if self.vetoed:
            out["vetoed"] = list(self.vetoed)
        if self.coefficient is not None:
            out["coefficient"] = self.coefficient
        if self.pay is not None:
            out["pay"] = self.pay
        return out


def _combine(spec: Spec, scores: dict[str, float | None], inputs: CardInputs,
             rater_scores: dict[str, dict[str, float | None]], strict: bool = True) -> CardResult:
    """Rules 2–6 from the indicators' scores."""
    def group(inds: Sequence[Indicator]) -> float | None:
        if spec.by_points:
            return points_total([scores[i.id] for i in inds])
        return weighted_total([scores[i.id] for i in inds], [i.weight for i in inds])

    if spec.sections:
        sections = {s.id: group(spec.in_section(s.id)) for s in spec.sections}
        weighted = (points_total([sections[s.id] for s in spec.sections]) if spec.summed else
                    weighted_total([sections[s.id] for s in spec.sections], [s.weight for s in spec.sections]))
    else:
        sections = {}
        weighted = group(spec.indicators)
    adjustment: float | None
    adjustment, items = adjustment_total(spec, inputs.adjustments, strict)
    vetoed = is_vetoed(spec, inputs.veto)
    total = final_total(weighted, adjustment if spec.adjustments else None, bool(vetoed))
    if inputs.unreadable and any(key.startswith("adj:") for key in inputs.unreadable):
        adjustment = None  # a count that cannot be read: the adjustment, and so the total, are unknown
    if inputs.unreadable and not vetoed:
        total = None  # a count or a veto mark that cannot be read: never a total from a guess
    grade = grade_for(total, spec.grades)
    coefficient = grade.coefficient if grade else None
    pay = pay_for(inputs.bonus_base, coefficient)
    return CardResult(scores, total, grade, rater_scores, sections, weighted, adjustment, items, vetoed, coefficient, pay)


def _rater_weights(spec: Spec, ind: Indicator) -> list[float]:
    return [spec.rater(r).weight for r in ind.raters]


def score_card(spec: Spec, actuals: CardInputs | Mapping[str, Any], bonus_base: float | None = None) -> CardResult:
    """Score a whole scorecard. ``actuals`` is :class:`CardInputs` or a mapping (see
    :meth:`CardInputs.of`); missing values are blank.

    Raises:
        InvalidActual: a value that cannot be scored.
    """
    inputs = CardInputs.of(spec, actuals, bonus_base)
    scores: dict[str, float | None] = {}
    rater_scores: dict[str, dict[str, float | None]] = {}
    for ind in spec.indicators:
        if ind.rated:
            given = inputs.ratings.get(ind.id) or {}
            rater_scores[ind.id] = {r: score_indicator(ind, given.get(r)) for r in ind.raters}
            scores[ind.id] = rated_score(list(rater_scores[ind.id].values()), _rater_weights(spec, ind))
        else:
            scores[ind.id] = score_indicator(ind, inputs.actuals.get(ind.id))
    return _combine(spec, scores, inputs, rater_scores)


def sheet_result(spec: Spec, actuals: CardInputs | Mapping[str, Any], bonus_base: float | None = None) -> CardResult:
    """What a sheet's formulas show: like :func:`score_card`, but what a formula cannot use (text in a
    number cell, an unknown level, a bad count) counts as blank instead of raising."""
    inputs = CardInputs.of(spec, actuals, bonus_base)

    def safe(ind: Indicator, value: Any) -> float | None:
        try:
            return score_indicator(ind, value)
        except InvalidActual:
            return None

    scores: dict[str, float | None] = {}
    rater_scores: dict[str, dict[str, float | None]] = {}
    for ind in spec.indicators:
        if ind.rated:
            given = inputs.ratings.get(ind.id) or {}
            rater_scores[ind.id] = {r: safe(ind, given.get(r)) for r in ind.raters}
            scores[ind.id] = rated_score(list(rater_scores[ind.id].values()), _rater_weights(spec, ind))
        else:
            scores[ind.id] = safe(ind, inputs.actuals.get(ind.id))
    return _combine(spec, scores, inputs, rater_scores, strict=False)
