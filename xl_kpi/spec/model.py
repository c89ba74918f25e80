"""The scorecard as typed, immutable data: what a validated spec becomes, and who it scores.

The model's own vocabulary lives here: a person on the roster, count units, whether an
indicator adds up over people and time, its top and bottom score and the actuals it accepts
(the last three from the indicator's scoring method in the registry).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Literal, TypeAlias

from ..methods import Method, Params, format_value, method_of
from ..methods.events import Event

Direction: TypeAlias = Literal["higher", "lower"]
Kind: TypeAlias = Literal["result", "process"]

__all__ = ["Indicator", "Grade", "Section", "Rater", "AdjustmentItem", "Adjustments", "VetoItem", "Spec", "Person",
           "Direction", "Kind", "COUNT_UNITS", "LEVEL_UNITS", "PERCENT_MAX", "VETO_MARKS", "LEGACY_VETO_MARKS"]

COUNT_UNITS = frozenset({"个", "次", "件", "人", "篇", "家", "项", "单", "例", "起", "位", "名",
                         "customers", "cases", "count", "items", "people", "times", "articles"})
PERCENT_MAX = 10.0  # 1000%: the largest percentage a sheet accepts unless the spec gives a range
LEVEL_UNITS = frozenset({"分", "分数", "星", "级", "分钟", "小时", "天", "秒", "points", "pts", "score", "stars", "level",
                         "minutes", "min", "hours", "days", "seconds"})  # a level or a duration: averages, never sums
VETO_MARKS = ("是", "有", "Y", "Yes", "√", "✓", "✔", "☑")  # what marks a veto item as applied (the drop-down offers 是 / Yes)
LEGACY_VETO_MARKS = ("是", "Y", "Yes", "✓")  # the marks the veto formula of format version 1 knows


@dataclass(frozen=True)
class Indicator:
    """One KPI row: what is measured, its target and weight, and how it is scored."""

    id: str
    name: str
    weight: float  # a fraction: 0.4 means 40%
    scoring: Params
    definition: str = ""
    unit: str = ""
    target: float | str | None = None
    direction: Direction = "higher"
    kind: Kind = "result"
    source: str = ""
    range: tuple[float, float] | None = None
    section: str = ""  # the section's id; "" when the spec has no sections
    raters: tuple[str, ...] = ()  # the raters who rate it (ids), in the spec's rater order; () = one actual
    points: float | None = None  # a card of points (分值制): the row's full points; its score is in them

    @property
    def rated(self) -> bool:
        """Each rater enters a value; the score is their weighted mean of the method's scores."""
        return bool(self.raters)

    @property
    def relative(self) -> bool:
        """Thresholds are multiples of the person's own target (``relative: true`` bands)."""
        return bool(getattr(self.scoring, "relative", False))

    @property
    def method(self) -> Method:
        """The scoring method (from the registry) that owns this indicator's rules."""
        return method_of(self.scoring)

    @property
    def is_percent(self) -> bool:
        return self.unit.strip() == "%"

    @property
    def takes_label(self) -> bool:
        """The actual is a level picked from a list, not a number."""
        return self.method.label_input

    @property
    def counts_events(self) -> bool:
        """Several kinds of event are counted, one count each (the actual is ``{event id: count}``)."""
        return bool(self.events)

    @property
    def events(self) -> tuple[Event, ...]:
        """The kinds of event it counts, in order (none unless :attr:`counts_events`)."""
        return tuple(getattr(self.scoring, "events", ()))

    @property
    def is_count(self) -> bool:
        """Counted in whole units (个, 次, 人, …)."""
        return self.unit in COUNT_UNITS

    @property
    def decimals(self) -> int:
        """The precision a planned part is given in: whole units for counts, hundredths (分, 0.01万元) for amounts."""
        return 0 if self.is_count else 2

    @property
    def is_level(self) -> bool:
        """A score, rating or duration (4.8分, 15 minutes): a level that averages, never sums."""
        return self.unit.strip().lower() in LEVEL_UNITS

    @property
    def is_additive(self) -> bool:
        """Counts and amounts that add up over people and time (not rates, levels or ratings); either
        direction: a department's cost cap is the sum of its people's caps."""
        return (self.method.amount_target and not self.is_percent and not self.is_level
                and isinstance(self.target, (int, float)))

    @property
    def top_score(self) -> float:
        return self.method.top(self)

    @property
    def bottom_score(self) -> float:
        return self.method.bottom(self)

    @property
    def input_range(self) -> tuple[float, float]:
        """The actuals this indicator accepts: the spec's ``range``, else what the method and unit allow."""
        if self.range:
            return self.range
        lo, hi = self.method.input_range(self) or (0.0, float("inf"))
        if self.is_percent:
            hi = min(hi, PERCENT_MAX)
        return lo, hi

    def show(self, value: float) -> str:
        """A value as the sheet shows it: 1.1 → "110%", 12 with unit 个 → "12个"."""
        return format_value(self, value)

    def describe(self, lang: str) -> str:
        """The scoring standard as a sentence, e.g. ``≥110%得100分;100%–110%得80分;…``."""
        return self.method.describe(self, lang)


@dataclass(frozen=True)
class Grade:
    """A grade label, the lowest total that earns it, how the result is applied, and its
    performance coefficient (绩效系数: pay = bonus base × coefficient)."""

    label: str
    min: float
    application: str = ""
    coefficient: float | None = None


@dataclass(frozen=True)
class Section:
    """A part of the scorecard with its own weight (业绩 70% / 能力 20% / 态度 10%)."""

    id: str
    name: str
    weight: float  # a fraction of the weighted score
    points: float | None = None  # a card of points whose sections carry no weight: the section's points (its score adds up)


@dataclass(frozen=True)
class Rater:
    """Who rates the judged (``rated``) indicators, and the weight of their rating (自评 30% / 上级 70%)."""

    id: str
    name: str
    weight: float
    role: Literal["self", "supervisor", "reviewer", "peer"] = "supervisor"  # whose input: the employee's, or a rater's

    @property
    def by_employee(self) -> bool:
        return self.role == "self"

    @property
    def by_peers(self) -> bool:
        """Rated by several peers (360): the role's score is the mean of theirs (:mod:`.raters`)."""
        return self.role == "peer"


@dataclass(frozen=True)
class AdjustmentItem:
    """An event worth points each time it happens (通报表扬 +2, 有效客户投诉 −3), at most ``max`` in all."""

    id: str
    name: str
    points: float  # per occurrence; negative for a penalty
    max: float  # the item's contribution is clamped to [−max, max]


@dataclass(frozen=True)
class Adjustments:
    """加减分项: the items and the bounds of their total."""

    items: tuple[AdjustmentItem, ...]
    min: float
    max: float


@dataclass(frozen=True)
class VetoItem:
    """一票否决: a condition (重大安全事故, 严重违纪, 数据造假) that sets the total to zero when marked."""

    id: str
    name: str


@dataclass(frozen=True)
class Spec:
    """A role's scorecard: indicators with weights totalling 100% and the grade scale."""

    id: str
    title: str
    indicators: tuple[Indicator, ...]
    grades: tuple[Grade, ...]  # highest ``min`` first
    language: Literal["zh", "en"] = "zh"
    period: str = ""
    position: str = ""
    responsibilities: str = ""
    version: str = "1"
    sections: tuple[Section, ...] = ()
    raters: tuple[Rater, ...] = ()
    adjustments: Adjustments | None = None
    veto: tuple[VetoItem, ...] = ()
    grade_scale: str = ""  # HR's name for its grade scale: specs naming the same scale count their grades together, by rank
    source_path: str = field(default="", compare=False)

    @property
    def by_points(self) -> bool:
        """A card of points (分值制): each indicator has its own full points and scores in them."""
        return bool(self.indicators) and all(ind.points is not None for ind in self.indicators)

    @property
    def summed(self) -> bool:
        """The weighted score adds the parts up (a card of points without section weights), rather than
        weighting them."""
        return self.by_points and (not self.sections or all(s.points is not None for s in self.sections))

    @property
    def full_marks(self) -> float:
        """What the card totals at full marks before adjustments: its points, or 100."""
        if self.summed:
            return sum(ind.points or 0.0 for ind in self.indicators)
        return 100.0

    @property
    def has_coefficients(self) -> bool:
        return any(g.coefficient is not None for g in self.grades)

    def section_of(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def in_section(self, section_id: str) -> tuple[Indicator, ...]:
        """The indicators of a section, in the spec's order."""
        return tuple(ind for ind in self.indicators if ind.section == section_id)

    @property
    def display_order(self) -> tuple[Indicator, ...]:
        """The indicators as the scorecard lists them: section by section, in the spec's order within each."""
        if not self.sections:
            return self.indicators
        return tuple(ind for section in self.sections for ind in self.in_section(section.id))

    def rater(self, rater_id: str) -> Rater:
        for rater in self.raters:
            if rater.id == rater_id:
                return rater
        raise KeyError(rater_id)

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def canonical(self) -> dict[str, object]:
        """The spec as plain data, without where it was loaded from (what the hash covers).

        Fields added after version 0.1 are left out while they hold their defaults, so a spec
        that does not use them keeps the hash it had — workbooks issued earlier still match.
        """
        data = asdict(self)
        data.pop("source_path")
        compact = _compact(data)
        assert isinstance(compact, dict)
        return compact

    @cached_property
    def canonical_json(self) -> str:
        """The canonical spec as JSON (what a workbook's metadata stores)."""
        return json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True)

    @cached_property
    def hash(self) -> str:
        """SHA-256 of the canonical JSON: a workbook carries it to detect changed rules."""
        return hashlib.sha256(self.canonical_json.encode("utf-8")).hexdigest()

    @cached_property
    def grade_ranks(self) -> dict[str, int]:
        """Each grade's label → its rank in the scale (1 = the best)."""
        ranks: dict[str, int] = {}
        for k, grade in enumerate(self.grades, start=1):
            ranks.setdefault(grade.label, k)
        return ranks

    def with_targets(self, targets: dict[str, float] | None) -> Spec:
        """The spec with one person's own targets (``{indicator_id: target}``) in place of its own."""
        if not targets:
            return self
        indicators = tuple(dataclasses.replace(ind, target=float(targets[ind.id])) if ind.id in targets else ind
                           for ind in self.indicators)
        return dataclasses.replace(self, indicators=indicators)


# Fields that joined the model after the first release: omitted from the canonical data at their default.
_LATER_DEFAULTS: dict[str, object] = {"sections": (), "raters": (), "adjustments": None, "veto": (), "coefficient": None,
                                      "section": "", "relative": False, "grade_scale": "", "points": None,
                                      "cutoff": None}


def _is_later_default(key: str, value: object) -> bool:
    if key not in _LATER_DEFAULTS:
        return False
    default = _LATER_DEFAULTS[key]
    if isinstance(default, tuple):
        return isinstance(value, (list, tuple)) and not value
    return value is default if default is None or isinstance(default, bool) else value == default


def _compact(value: object) -> object:
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if not _is_later_default(k, v)}
    if isinstance(value, (list, tuple)):
        return [_compact(v) for v in value]
    return value


@dataclass(frozen=True)
class Person:
    """One roster row: the person and the spec (template) that scores them."""

    employee_id: str
    name: str
    department: str
    position: str
    manager: str
    template: str
    period: str = ""
    bonus_base: float | None = None  # 绩效奖金基数: pay = base × the grade's coefficient
    reviewer_password: str = ""  # opens the supervisor's and reviewer's cells of this person's sheet
    reviewer: str = ""  # 复核人: the id (or name) of who reviews the supervisor's rating
    peers: tuple[str, ...] = ()  # 互评人: the ids (or names) of the peers who rate this person (360)
    manager_name: str = ""  # the manager's name when ``manager`` is their employee id on the roster

    @property
    def manager_shown(self) -> str:
        """The manager as the person's sheets name them: 王经理, also when the roster gives their id (M01)."""
        return self.manager_name or self.manager
