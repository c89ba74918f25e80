"""Statistics for the summary: department figures, grade distribution, indicator health.

Indicator health follows the seed's pilot-run checklist: is the target reasonable (too many
people at the top band: too easy; too many at the bottom: too hard) and can the data be
had (many missing actuals)?
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import Bands, Deduction, Indicator, Linear, Rating, Spec
from .reader import PersonRecord

__all__ = ["IndicatorHealth", "indicator_health", "grade_distribution", "department_stats", "TOO_EASY", "TOO_HARD", "DATA_GAP"]

TOO_EASY = 0.5  # half the people at the top band: the target motivates nobody
TOO_HARD = 0.3  # 30% scoring the minimum: the target is out of reach
DATA_GAP = 0.2  # 20% missing: the figure is hard to obtain


def top_score(ind: Indicator) -> float:
    sc = ind.scoring
    if isinstance(sc, Bands):
        return sc.scores[0]
    if isinstance(sc, Linear):
        return sc.cap
    if isinstance(sc, Deduction):
        return sc.start
    assert isinstance(sc, Rating)
    return max(lv.score for lv in sc.levels)


def bottom_score(ind: Indicator) -> float:
    sc = ind.scoring
    if isinstance(sc, Bands):
        return sc.otherwise
    if isinstance(sc, (Linear, Deduction)):
        return sc.floor
    assert isinstance(sc, Rating)
    return min(lv.score for lv in sc.levels)


@dataclass(frozen=True)
class IndicatorHealth:
    template: str
    indicator: Indicator
    people: int
    scored: int
    at_top: float
    at_bottom: float
    missing: float
    mean: float | None

    @property
    def flags(self) -> list[str]:
        out = []
        if self.scored and self.at_top >= TOO_EASY:
            out.append("too-easy")
        if self.scored and self.at_bottom >= TOO_HARD:
            out.append("too-hard")
        if self.people and self.missing >= DATA_GAP:
            out.append("data-gap")
        return out


def indicator_health(records: list[PersonRecord], specs: dict[str, Spec]) -> list[IndicatorHealth]:
    out = []
    for spec_id in sorted({r.template for r in records}):
        spec = specs[spec_id]
        mine = [r for r in records if r.template == spec_id]
        for ind in spec.indicators:
            scores = [r.scores[ind.id] for r in mine if r.scores.get(ind.id) is not None]
            n = len(mine)
            out.append(IndicatorHealth(
                template=spec_id, indicator=ind, people=n, scored=len(scores),
                at_top=sum(s >= top_score(ind) for s in scores) / len(scores) if scores else 0.0,
                at_bottom=sum(s <= bottom_score(ind) for s in scores) / len(scores) if scores else 0.0,
                missing=(n - len(scores)) / n if n else 0.0,
                mean=round(sum(scores) / len(scores), 2) if scores else None))
    return out


def grade_distribution(records: list[PersonRecord], specs: dict[str, Spec]) -> list[tuple[str, int]]:
    """Count per grade label, best grades first, in the order the specs list them."""
    labels: list[str] = []
    for spec_id in sorted({r.template for r in records}):
        for g in specs[spec_id].grades:
            if g.label not in labels:
                labels.append(g.label)
    counts = Counter(r.grade for r in records if r.grade)
    return [(label, counts.get(label, 0)) for label in labels]


def department_stats(records: list[PersonRecord], expected: dict[str, int] | None = None) -> list[dict[str, object]]:
    """Per department: expected headcount (roster), returned, scored, mean, min, max."""
    out = []
    departments = sorted({r.department for r in records} | set(expected or {}))
    for dept in departments:
        mine = [r for r in records if r.department == dept]
        totals = [r.total for r in mine if r.total is not None]
        out.append({"department": dept, "expected": (expected or {}).get(dept, len(mine)), "returned": len(mine),
                    "scored": len(totals), "mean": round(sum(totals) / len(totals), 2) if totals else None,
                    "min": min(totals) if totals else None, "max": max(totals) if totals else None,
                    "grades": Counter(r.grade for r in mine if r.grade)})
    return out
