"""Deduction scoring: start from ``start`` and lose ``per_unit`` per counted case, not below
``floor`` (e.g. 100 − 20 per valid complaint). The input is a count of cases: never negative."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..core.rounding import ROUND_SCORE, excel_round, excel_round_array
from ..core.text import Text
from .base import Cells, Checker, FloatArray, Method, Param, Params, Subject

__all__ = ["Deduction", "DeductionMethod"]


@dataclass(frozen=True)
class Deduction(Params):
    """Start from ``start`` and lose ``per_unit`` per counted case, not below ``floor``."""

    per_unit: float
    start: float = 100.0
    floor: float = 0.0
    method: str = "deduction"


class DeductionMethod(Method):
    name = "deduction"
    params_class = Deduction
    yaml_keys = ("method", "start", "per_unit", "floor")

    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Deduction | None:
        per_unit = chk.number(raw.get("per_unit"), f"{loc}.per_unit", Text("每单位扣分 per_unit", "per_unit"))
        start = chk.score_value(raw.get("start", 100), f"{loc}.start")
        floor = chk.score_value(raw.get("floor", 0), f"{loc}.floor")
        if per_unit is not None and per_unit <= 0:
            chk.error("per-unit", f"{loc}.per_unit")
            return None
        if per_unit is None or start is None or floor is None:
            return None
        if floor >= start:
            chk.error("cap-floor", f"{loc}.floor", upper=Text("起始分", "start"), upper_value=start,
                      lower=Text("最低分", "floor"), lower_value=floor)
        return Deduction(per_unit=per_unit, start=start, floor=floor)

    def from_canonical(self, data: dict[str, Any]) -> Deduction:
        return Deduction(per_unit=float(data["per_unit"]), start=float(data["start"]), floor=float(data["floor"]))

    def score(self, subject: Subject, actual: Any) -> float:
        sc = subject.scoring
        return excel_round(max(sc.floor, sc.start - sc.per_unit * actual), ROUND_SCORE)

    def score_array(self, subject: Subject, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        sc = subject.scoring
        out = excel_round_array(np.maximum(sc.floor, sc.start - sc.per_unit * x), ROUND_SCORE)
        out[np.isnan(x)] = np.nan
        return out

    def top(self, subject: Subject) -> float:
        return float(subject.scoring.start)

    def bottom(self, subject: Subject) -> float:
        return float(subject.scoring.floor)

    def input_range(self, subject: Subject) -> tuple[float, float] | None:
        return (0.0, float("inf"))  # a count of cases: −3 complaints would score above the start

    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        sc = subject.scoring
        return [Param(word("start"), sc.start, False), Param(word("per_unit"), sc.per_unit, False),
                Param(word("floor"), sc.floor, False)]

    def formula(self, subject: Subject, cells: Cells, mode: str = "native") -> str:
        x, start, per_unit, floor = cells.actual, cells.value(0), cells.value(1), cells.value(2)
        return f'=IF(ISNUMBER({x}),ROUND(MAX({floor},{start}-{per_unit}*{x}),{ROUND_SCORE}),"")'

    def describe(self, subject: Subject, lang: str) -> str:
        sc = subject.scoring
        unit = subject.unit or ("单位" if lang == "zh" else "unit")
        if lang == "zh":
            return f"起始{sc.start:g}分,每1{unit}扣{sc.per_unit:g}分,最低{sc.floor:g}分"
        return f"start at {sc.start:g}, minus {sc.per_unit:g} per {unit}, not below {sc.floor:g}"

    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        return rng.choice([0, 0, 0, 1, 1, 2])

    def probes(self, subject: Subject) -> list[Any]:
        return [0, 1, 2.5, 10]

    def samples(self) -> list[dict[str, Any]]:
        return [{"id": "deduction", "name": "有效投诉", "unit": "次", "target": 0, "direction": "lower",
                 "scoring": {"method": "deduction", "start": 100, "per_unit": 0.5, "floor": 20},
                 "halfway": [1.01, 3.33, 0.99, 200]}]


METHOD = DeductionMethod()
