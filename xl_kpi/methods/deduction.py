"""Deduction scoring: start from ``start`` and lose ``per_unit`` per counted case, not below
``floor`` (e.g. 100 − 20 per valid complaint). The input is a count of cases: never negative."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.rounding import ROUND_SCORE, excel_round, excel_round_array
from ..core.text import Text
from .base import Cells, Checker, FloatArray, Method, Param, Params, Subject
from .grammar import NUM, Context, Reading, Unreadable, find_points, normalize, number_text, unit_pattern

if TYPE_CHECKING:
    import numpy.typing as npt

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
        import numpy as np

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
        start, per_unit, floor = number_text(sc.start), number_text(sc.per_unit), number_text(sc.floor)
        if lang == "zh":
            return f"起始{start}分,每1{unit}扣{per_unit}分,最低{floor}分"
        return f"start at {start}, minus {per_unit} per {unit}, not below {floor}"

    read_order = 30

    def read(self, text: str, ctx: Context) -> Reading | None:
        """``每发生1次扣20分,扣完为止``, ``出现1次扣5分,最低0分``, ``每次扣5分,最多扣30分`` and the
        sentence :meth:`describe` prints."""
        s = normalize(text)
        units = unit_pattern(ctx.unit) + "|单位|人次"
        zh = re.search(rf"(?:每|出现|发生|有)\s*[^\d;,每]{{0,4}}?\s*(?P<k>{NUM})?\s*(?P<u>{units}|[次起例件宗])\s*[^\d;,]{{0,12}}?"
                       rf"(?:扣|减)(?:除)?\s*(?P<p>\d+(?:\.\d+)?)\s*分", s)
        en = re.search(rf"(?:minus|-|deduct|lose)\s*(?P<p>\d+(?:\.\d+)?)\s*(?:pts?|points?)?\s*(?:per|for each|each)\s*(?P<k>{NUM})?\s*"
                       rf"(?P<u>[a-z]+|{units})", s, re.I)
        m = zh or en
        if not m or re.search(r"每(?:低|少|差)|目标|target", s, re.I):
            return None
        count = float(m["k"]) if m["k"] else 1.0
        if count <= 0:
            raise Unreadable(Text("每几次扣分应大于 0", "the count per deduction must be above 0"), EXAMPLE)
        reading = Reading(scoring={"method": "deduction", "per_unit": float(m["p"]) / count})
        unit = m["u"] if m["u"] not in ("单位", "unit", "units") else ""
        if unit and not ctx.unit:
            reading.unit = unit
        start = find_points(r"(?:起始|满分|基础分|基准分|start at|starts at|from)\s*(?P<n>\d+(?:\.\d+)?)", s)
        floor = find_points(r"(?:最低|保底|not below|floor)\s*(?P<n>\d+(?:\.\d+)?)", s)
        most = find_points(r"(?:最多扣|最高扣|扣分上限|at most|up to)\s*(?P<n>\d+(?:\.\d+)?)", s)
        base = start if start is not None else 100.0
        reading.scoring["start"] = base
        if floor is None and most is not None:
            floor = base - most
        reading.scoring["floor"] = floor if floor is not None else 0.0
        if ctx.direction is None:
            reading.direction = "lower"
            reading.notes.append(Text("扣分项:次数越少越好", "deductions: fewer is better"))
        return reading

    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        return rng.choice([0, 0, 0, 1, 1, 2])

    def probes(self, subject: Subject) -> list[Any]:
        return [0, 1, 2.5, 10]

    def samples(self) -> list[dict[str, Any]]:
        return [{"id": "deduction", "name": "有效投诉", "unit": "次", "target": 0, "direction": "lower",
                 "scoring": {"method": "deduction", "start": 100, "per_unit": 0.5, "floor": 20},
                 "halfway": [1.01, 3.33, 0.99, 200]}]


EXAMPLE = "每发生1次扣20分,扣完为止"

METHOD = DeductionMethod()
