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
    def canonical_json(self) -> str:
        """The canonical spec as JSON (what a workbook's metadata stores)."""
        return json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True)

    @cached_property
    def hash(self) -> str:
        """SHA-256 of the canonical JSON: a workbook carries it to detect changed rules."""
        return hashlib.sha256(self.canonical_json.encode("utf-8")).hexdigest()


def spec_from_canonical(data: dict) -> Spec:
    """Rebuild a spec from :meth:`Spec.canonical` data (as stored in a workbook's metadata).

    Raises:
        KeyError, TypeError, ValueError: the data is not a canonical spec.
    """
    indicators = []
    for ind in data["indicators"]:
        sc = dict(ind["scoring"])
        method = sc.pop("method")
        scoring: Scoring
        if method == "bands":
            scoring = Bands(thresholds=tuple(map(float, sc["thresholds"])), scores=tuple(map(float, sc["scores"])),
                            otherwise=float(sc["otherwise"]))
        elif method == "linear":
            scoring = Linear(floor=float(sc["floor"]), cap=float(sc["cap"]))
        elif method == "deduction":
            scoring = Deduction(per_unit=float(sc["per_unit"]), start=float(sc["start"]), floor=float(sc["floor"]))
        elif method == "rating":
            scoring = Rating(levels=tuple(Level(str(lv["label"]), float(lv["score"]), str(lv.get("description", "")))
                                          for lv in sc["levels"]))
        else:
            raise ValueError(f"unknown method {method!r}")
        rng = ind.get("range")
        indicators.append(Indicator(
            id=str(ind["id"]), name=str(ind["name"]), weight=float(ind["weight"]), scoring=scoring,
            definition=str(ind.get("definition", "")), unit=str(ind.get("unit", "")), target=ind.get("target"),
            direction=ind.get("direction", "higher"), kind=ind.get("kind", "result"), source=str(ind.get("source", "")),
            range=tuple(rng) if rng else None))  # type: ignore[arg-type]
    grades = tuple(Grade(str(g["label"]), float(g["min"]), str(g.get("application", ""))) for g in data["grades"])
    return Spec(id=str(data["id"]), title=str(data["title"]), indicators=tuple(indicators), grades=grades,
                language=data.get("language", "zh"), period=str(data.get("period", "")),
                position=str(data.get("position", "")), responsibilities=str(data.get("responsibilities", "")),
                version=str(data.get("version", "1")))
