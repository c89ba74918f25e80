"""Each rater's score of a card: what the supervisor, the reviewer or the peers gave, on the card's scale.

A report figure beside the total (the total is the engine's rules 1–6, not this): over the indicators
a rater rates, the rater's scores weighted as the card weighs them (an indicator's weight within its
section × the section's weight), ``ROUND(…, 2)``; a peer rater's score of an indicator is the mean of
its peers' (``ROUND(Σ / n, 2)``). Blank until every one of those indicators has the rater's score.
"""

from __future__ import annotations

from ..core.rounding import ROUND_SCORE, excel_round
from ..spec.model import Indicator, Spec
from ..spec.raters import slot_of
from .engine import CardResult, weighted_total

__all__ = ["role_scores"]


def _weight(spec: Spec, ind: Indicator) -> float:
    return ind.weight * (spec.section_of(ind.section).weight if spec.sections else 1.0)


def role_scores(spec: Spec, result: CardResult) -> dict[str, float | None]:
    """Each of the template's raters (``spec``: as the template names them) → their score of the card, from a
    result scored with the template or with its peers expanded (:func:`~xl_kpi.spec.raters.with_peers`)."""
    out: dict[str, float | None] = {}
    for rater in spec.raters:
        rated = [ind for ind in spec.indicators if rater.id in ind.raters]
        if not rated:
            continue
        scores: list[float | None] = []
        for ind in rated:
            given = result.rater_scores.get(ind.id, {})
            if rater.by_peers:
                slots = [v for k, v in given.items() if (slot_of(spec, k) or ("", 0))[0] == rater.id] or [given.get(rater.id)]
                scores.append(None if any(v is None for v in slots) else excel_round(sum(slots) / len(slots), ROUND_SCORE))  # type: ignore[arg-type]
            else:
                scores.append(given.get(rater.id))
        out[rater.id] = weighted_total(scores, [_weight(spec, ind) for ind in rated])
    return out
