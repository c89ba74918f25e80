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

Direction: TypeAlias = Literal["higher", "lower"]
Kind: TypeAlias = Literal["result", "process"]

__all__ = ["Indicator", "Grade", "Spec", "Person", "Direction", "Kind", "COUNT_UNITS", "PERCENT_MAX"]

COUNT_UNITS = frozenset({"个", "次", "件", "人", "篇", "家", "项", "单", "例", "起", "位", "名",
                         "customers", "cases", "count", "items", "people", "times", "articles"})
PERCENT_MAX = 10.0  # 1000%: the largest percentage a sheet accepts unless the spec gives a range


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
    def is_count(self) -> bool:
        """Counted in whole units (个, 次, 人, …)."""
        return self.unit in COUNT_UNITS

    @property
    def is_additive(self) -> bool:
        """Counts and amounts that add up over people and time (not rates, ratings or lower-is-better)."""
        return (self.method.amount_target and not self.is_percent and self.direction == "higher"
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
    """A grade label, the lowest total that earns it, and how the result is applied."""

    label: str
    min: float
    application: str = ""


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
    source_path: str = field(default="", compare=False)

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def canonical(self) -> dict[str, object]:
        """The spec as plain data, without where it was loaded from (what the hash covers)."""
        data = asdict(self)
        data.pop("source_path")
        return data

    @cached_property
    def canonical_json(self) -> str:
        """The canonical spec as JSON (what a workbook's metadata stores)."""
        return json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True)

    @cached_property
    def hash(self) -> str:
        """SHA-256 of the canonical JSON: a workbook carries it to detect changed rules."""
        return hashlib.sha256(self.canonical_json.encode("utf-8")).hexdigest()

    def with_targets(self, targets: dict[str, float] | None) -> Spec:
        """The spec with one person's own targets (``{indicator_id: target}``) in place of its own."""
        if not targets:
            return self
        indicators = tuple(dataclasses.replace(ind, target=float(targets[ind.id])) if ind.id in targets else ind
                           for ind in self.indicators)
        return dataclasses.replace(self, indicators=indicators)


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
