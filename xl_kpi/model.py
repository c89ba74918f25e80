"""The scorecard as typed, immutable data: what a validated YAML spec becomes."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from dataclasses import asdict, dataclass, field
from typing import Literal, TypeAlias

Direction: TypeAlias = Literal["higher", "lower"]
Kind: TypeAlias = Literal["result", "process"]

__all__ = [
    "Bands",
    "Linear",
    "Deduction",
    "Level",
    "Rating",
    "Scoring",
    "Indicator",
    "Grade",
    "Spec",
    "Direction",
    "Kind",
]


@dataclass(frozen=True)
class Bands:
    """Step scoring: the first threshold the actual reaches gives its score."""

    thresholds: tuple[float, ...]
    scores: tuple[float, ...]
    otherwise: float = 0.0
    method: Literal["bands"] = "bands"


@dataclass(frozen=True)
class Linear:
    """Proportional scoring: 100 × actual / target (or its inverse), clamped."""

    floor: float = 0.0
    cap: float = 100.0
    method: Literal["linear"] = "linear"


@dataclass(frozen=True)
class Deduction:
    """Start from ``start`` and lose ``per_unit`` per counted case, not below ``floor``."""

    per_unit: float
    start: float = 100.0
    floor: float = 0.0
    method: Literal["deduction"] = "deduction"


@dataclass(frozen=True)
class Level:
    """One level of a behaviourally anchored rating scale."""

    label: str
    score: float
    description: str = ""


@dataclass(frozen=True)
class Rating:
    """The input is a level label (case-insensitive); each level has a score."""

    levels: tuple[Level, ...]
    method: Literal["rating"] = "rating"

    def score_of(self, label: str) -> float | None:
        key = label.strip().casefold()
        for level in self.levels:
            if level.label.casefold() == key:
                return level.score
        return None


Scoring: TypeAlias = Bands | Linear | Deduction | Rating


@dataclass(frozen=True)
class Indicator:
    """One KPI row: what is measured, its target and weight, and how it is scored."""

    id: str
    name: str
    weight: float  # a fraction: 0.4 means 40%
    scoring: Scoring
    definition: str = ""
    unit: str = ""
    target: float | str | None = None
    direction: Direction = "higher"
    kind: Kind = "result"
    source: str = ""
    range: tuple[float, float] | None = None

    @property
    def is_percent(self) -> bool:
        return self.unit.strip() == "%"

    @property
    def is_rating(self) -> bool:
        return isinstance(self.scoring, Rating)


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
    def hash(self) -> str:
        """SHA-256 of the canonical JSON: a workbook carries it to detect changed rules."""
        blob = json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()
