"""Statistics for the summary: department figures, grade distribution, indicator health.

Indicator health follows the seed's pilot-run checklist: is the target reasonable (too many
people at the top band: too easy; too many at the bottom: too hard) and can the data be
had (many missing actuals)? A flag needs at least ``min_people`` people behind it (one person
at the top is not "too easy"); the zh and en templates of one role (``sales_rep`` and
``sales_rep_en``) are pooled; tampered and invalid returns are left out of it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..spec.model import Indicator, Spec
from ..spec.scales import GradeScale, grade_scales, scale_key
from .record import PersonRecord

__all__ = ["IndicatorHealth", "Stats", "indicator_health", "grade_rank", "role_of", "TOO_EASY", "TOO_HARD",
           "DATA_GAP", "MIN_PEOPLE"]

MIN_PEOPLE = 5  # fewer people than this: no flag, too few to tell a target from a person
UNHEALTHY = ("tampered", "invalid", "superseded")  # returns whose figures say nothing about the indicator
UNGRADED = ("superseded",)  # graded under rules HR has since replaced: returned, but no score or grade in the figures
TOO_EASY = 0.5  # half the people at the top band: the target motivates nobody
TOO_HARD = 0.3  # 30% scoring the minimum: the target is out of reach
DATA_GAP = 0.2  # 20% missing: the figure is hard to obtain


@dataclass(frozen=True)
class IndicatorHealth:
    """One indicator of one role (its templates in every language pooled), over the usable returns."""

    template: str  # the role's templates, e.g. "sales_rep + sales_rep_en"
    indicator: Indicator
    people: int
    scored: int
    at_top: float
    at_bottom: float
    missing: float
    mean: float | None
    min_people: int = MIN_PEOPLE
    excluded: int = 0  # tampered or invalid returns left out

    @property
    def flags(self) -> list[str]:
        out = []
        if self.scored >= self.min_people and self.at_top >= TOO_EASY:
            out.append("too-easy")
        if self.scored >= self.min_people and self.at_bottom >= TOO_HARD:
            out.append("too-hard")
        if self.people >= self.min_people and self.missing >= DATA_GAP:
            out.append("data-gap")
        return out


def role_of(spec_id: str) -> str:
    """The role a template scores: its id without a language suffix (sales_rep_en → sales_rep)."""
    return re.sub(r"[_-](en|zh|cn|english|chinese)$", "", spec_id, flags=re.I)


@dataclass
class _Department:
    returned: int = 0
    scored: int = 0
    total: float = 0.0
    low: float | None = None
    high: float | None = None
    grades: Counter[tuple[str, int]] = field(default_factory=Counter)  # by (scale, rank): 1 = the scale's best grade


@dataclass(frozen=True)
class DepartmentFigures:
    """One department's row of the Departments sheet."""

    department: str
    expected: int
    returned: int
    scored: int
    mean: float | None
    min: float | None
    max: float | None
    grades: Counter[tuple[str, int]]  # by (scale, rank)


class Stats:
    """Department figures, grade counts and indicator health, gathered in one pass over the records."""

    def __init__(self, specs: dict[str, Spec], min_people: int = MIN_PEOPLE) -> None:
        self.specs = specs
        self.min_people = min_people
        self.usable: Counter[str] = Counter()  # template → returns counted in indicator health
        self.excluded: Counter[str] = Counter()  # template → tampered or invalid returns
        self.templates: dict[str, int] = {}  # template → people
        self.departments: dict[str, _Department] = {}
        self.grades: Counter[tuple[str, int]] = Counter()  # by (scale, rank): a grade counts only with its own scale's
        self.indicators: dict[tuple[str, str], list[float]] = {}  # (template, indicator) → [scored, top, bottom, sum]
        self._bounds: dict[str, list[tuple[str, float, float, list[float]]]] = {}  # template → each indicator's top, bottom

    def add(self, record: PersonRecord) -> None:
        self.templates[record.template] = self.templates.get(record.template, 0) + 1
        dept = self.departments.get(record.department)
        if dept is None:
            dept = self.departments[record.department] = _Department()
        dept.returned += 1
        if record.status in UNGRADED:  # its total and grade are the old card's: they would skew the mean and the distribution
            self.excluded[record.template] += 1
            return
        total = record.total
        if total is not None:
            dept.scored += 1
            dept.total += total
            dept.low = total if dept.low is None else min(dept.low, total)
            dept.high = total if dept.high is None else max(dept.high, total)
        spec = self.specs.get(record.template)
        rank = grade_rank(spec, record.grade)
        if rank:
            key = (scale_key(spec), rank)  # type: ignore[arg-type]  # a rank implies the spec
            dept.grades[key] += 1
            self.grades[key] += 1
        if record.status in UNHEALTHY:
            self.excluded[record.template] += 1
            return
        self.usable[record.template] += 1
        bounds = self._bounds.get(record.template)
        if bounds is None:
            bounds = self._bounds[record.template] = [(ind.id, ind.top_score, ind.bottom_score, [0, 0, 0, 0.0])
                                                      for ind in self.specs[record.template].indicators]
            for ind_id, _, _, acc in bounds:
                self.indicators[(record.template, ind_id)] = acc
        scores = record.scores
        for ind_id, top, bottom, acc in bounds:
            score = scores.get(ind_id)
            if score is not None:
                acc[0] += 1
                acc[1] += score >= top
                acc[2] += score <= bottom
                acc[3] += score

    def indicator_health(self) -> list[IndicatorHealth]:
        """Per role and indicator, the zh and en templates of a role pooled when their indicator agrees."""
        roles: dict[str, list[str]] = {}
        for spec_id in sorted(self.templates):
            roles.setdefault(role_of(spec_id), []).append(spec_id)
        out = []
        for members in roles.values():
            first = self.specs[members[0]]
            for ind in first.indicators:
                out.append(self._health(ind, [t for t in members if _same_rule(ind, self.specs[t])]))
            for t in members[1:]:  # an indicator only a translation has (or has with other rules) stands alone
                out += [self._health(ind, [t]) for ind in self.specs[t].indicators if not _same_rule(ind, first)]
        return out

    def _health(self, ind: Indicator, pooled: list[str]) -> IndicatorHealth:
        n, scored, top, bottom, total = sum(self.usable[t] for t in pooled), 0, 0, 0, 0.0
        for t in pooled:
            acc = self.indicators.get((t, ind.id), [0, 0, 0, 0.0])
            scored, top, bottom, total = scored + int(acc[0]), top + int(acc[1]), bottom + int(acc[2]), total + acc[3]
        return IndicatorHealth(
            template=" + ".join(pooled), indicator=ind, people=n, scored=scored,
            at_top=top / scored if scored else 0.0, at_bottom=bottom / scored if scored else 0.0,
            missing=(n - scored) / n if n else 0.0, mean=round(total / scored, 2) if scored else None,
            min_people=self.min_people, excluded=sum(self.excluded[t] for t in pooled))

    def scales(self, lang: str) -> list[GradeScale]:
        """The grade scales of the returned templates (by template id), a declared scale named in ``lang``."""
        return grade_scales([self.specs[t] for t in sorted(self.templates) if t in self.specs], lang)

    def grade_distribution(self, lang: str = "zh") -> list[tuple[GradeScale, str, int]]:
        """Count per grade of each scale, best first: (scale, label, people)."""
        return [(scale, label, self.grades.get((scale.key, k), 0)) for scale in self.scales(lang)
                for k, label in enumerate(scale.labels, start=1)]

    def department_stats(self, expected: dict[str, int] | None = None) -> list[DepartmentFigures]:
        """Per department: expected headcount (roster), returned, scored, mean, min, max, grades."""
        out = []
        for dept in sorted(set(self.departments) | set(expected or {})):
            d = self.departments.get(dept, _Department())
            out.append(DepartmentFigures(dept, (expected or {}).get(dept, d.returned), d.returned, d.scored,
                                         round(d.total / d.scored, 2) if d.scored else None, d.low, d.high, d.grades))
        return out


def grade_rank(spec: Spec | None, label: str | None) -> int:
    """A grade's rank in its scale (1 = the best), 0 when there is no grade or it is not the spec's."""
    if spec is None or not label:
        return 0
    return spec.grade_ranks.get(label, 0)


def _same_rule(ind: Indicator, spec: Spec) -> bool:
    """``spec`` has the indicator with the same id, weight and scoring (a translation of it)."""
    other = next((i for i in spec.indicators if i.id == ind.id), None)
    return other is not None and (other.weight, other.scoring, other.target, other.direction) == (ind.weight, ind.scoring, ind.target, ind.direction)


def _gathered(records: Iterable[PersonRecord], specs: dict[str, Spec], min_people: int = MIN_PEOPLE) -> Stats:
    stats = Stats(specs, min_people)
    for record in records:
        stats.add(record)
    return stats


def indicator_health(records: Iterable[PersonRecord], specs: dict[str, Spec], min_people: int = MIN_PEOPLE) -> list[IndicatorHealth]:
    """Indicator health of the records (see :class:`IndicatorHealth`)."""
    return _gathered(records, specs, min_people).indicator_health()
