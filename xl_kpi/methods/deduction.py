"""Deduction scoring: start from ``start`` and lose ``per_unit`` per counted case, not below
``floor`` (e.g. 100 − 20 per valid complaint). The input is a count of cases: never negative."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..core.rounding import ROUND_SCORE, excel_round, excel_round_array
from ..core.text import Text
from .base import Cells, Checker, FloatArray, Method, Param, Params, Subject
from .grammar import NUM, Context, Reading, Unreadable, normalize, number_text, unit_pattern, unread

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
    words = ("扣分", "扣分制")
    labels: ClassVar[dict[str, tuple[str, str]]] = {"per_unit": ("每单位扣分", "per unit")}
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

    def rescaled(self, scoring: dict[str, Any], factor: float) -> dict[str, Any] | None:
        from .bands import _times

        return {**scoring, **{k: _times(scoring[k], factor) for k in ("per_unit", "start", "floor") if k in scoring}}

    def read(self, text: str, ctx: Context) -> Reading | None:
        """``每发生1次扣20分,扣完为止``, ``出现1次扣5分,最低0分``, ``每次扣5分,最多扣30分``,
        ``全年无事故得满分,每发生一次事故扣10分``, ``25 pts with no rework; minus 5 pts per rework, not below 0``
        and the sentence :meth:`describe` prints. Every clause that speaks of the score must be read."""
        s = normalize(text)
        # what is counted: never the score's own points (完成所有要求30分任一项没有满足扣10分 is not "10 per 30 分")
        units = "|".join(u for u in unit_pattern(ctx.unit).split("|") if u == ctx.unit or u not in ("分", "points", "pts")) + "|单位|人次"
        zh = re.compile(rf"(?:(?:每|出现|发生|有)\s*[^\d;,每]{{0,4}}?\s*(?P<k>{NUM})?|(?P<k2>{NUM}))\s*(?P<u>{units}|[次起例件宗处])\s*[^\d;,]{{0,12}}?,?\s*"
                        rf"(?:扣|减)(?:除)?\s*(?:(?:该|本|此)(?:项|指标|项指标)\s*)?(?P<p>\d+(?:\.\d+)?)\s*分")
        en = re.compile(rf"(?:minus|-|deduct|lose)\s*(?P<p>\d+(?:\.\d+)?)\s*(?:pts?|points?)?\s*(?:per|for each|each)\s*(?P<k>{NUM})?\s*"
                        rf"(?P<u>[a-z]+|{units})", re.I)
        found = list(zh.finditer(s)) or list(en.finditer(s))
        pair = _PAIR.fullmatch(s)
        if pair is not None:  # 不流失5分,流失0分: none happening gets the points, any takes them all
            return self._whole(s, pair, ctx, float(pair["n"]))
        whole = None if found else _ANY.search(s)  # "发生即不得分", "any lost-time incident: 0 pts": the first case takes it all
        if not (found or whole) or re.search(r"每(?:低|少|差)|目标|target", s, re.I):
            return None
        if whole is not None:
            return self._whole(s, whole, ctx)
        if len({(m["p"], m["u"]) for m in found}) > 1 or len(found) > 1:
            raise Unreadable(Text("一个单元格里有几种事件,各扣不同的分", "several kinds of events, each with its own points, in one cell"),
                             "每行写一种事件: 每发生1次扣5分,扣完为止")
        m = found[0]
        given = m["k"] or m.groupdict().get("k2")
        count = float(given) if given else 1.0
        if count <= 0:
            raise Unreadable(Text("每几次扣分应大于 0", "the count per deduction must be above 0"), EXAMPLE)
        unit = m["u"] if m["u"] not in ("单位", "unit", "units") else ""
        if ctx.unit == "%" and unit != "%":
            raise Unreadable(Text(f"目标是比率(%),评分标准却按“{unit or '次'}”计次扣分", f"the target is a rate (%) but the rule counts {unit or 'occasions'}"),
                             "按次数扣分时目标值写次数(如 0次);按比率评分时写 每低于目标1%扣2分")
        reading = Reading(scoring={"method": "deduction", "per_unit": float(m["p"]) / count})
        if unit and not ctx.unit:
            reading.unit = unit
        spans = [m.span()]
        start = _find(r"(?:起始|满分|基础分|基准分|start at|starts at|from)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?|points?)?", s, spans)
        if start is None:
            start = _find(r"(?:全年|当月|月度|本月|季度|考核期内)?(?:无|未发生|没有|不发生|零)[^;。\d]{0,20}?(?:得满分|得\s*(?P<n>\d+(?:\.\d+)?)\s*分)"
                          r"|(?P<n2>\d+(?:\.\d+)?)\s*(?:pts?|points?)\s*(?:with no|when no|if no|for no|when on time|with zero)[^,;]*", s, spans,
                          none_when_full=True)
        floor = _find(r"(?:最低|保底|not below|floor)\s*(?:扣至|得|为)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?|points?)?", s, spans)
        most = _find(r"(?:最多扣除?|最高扣除?|扣分上限为?|扣分最多|at most|up to)\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?|points?)?", s, spans)
        left = unread(s, spans, r"扣完为止|扣至零|为止|not below zero")
        if left is not None:
            raise Unreadable(Text(f"读不懂“{left}”", f"cannot read '{left}'"), EXAMPLE)
        full = ctx.points if ctx.points is not None else 100.0
        base = start if isinstance(start, float) else full
        reading.full_said = start if isinstance(start, float) else None
        reading.assumed_full = reading.full_said is None
        reading.scoring["start"] = base
        if floor is None and most is not None:
            floor = base - most
        reading.scoring["floor"] = floor if floor is not None else 0.0
        if ctx.direction is None:
            reading.direction = "lower"
            reading.notes.append(Text("扣分项:次数越少越好", "deductions: fewer is better"))
        if ctx.target is None:
            reading.implied_target = 0.0
            reading.implied_note = Text("目标值未填:按 0 次计(不发生)", "no target: 0 (none happens)")
        elif isinstance(ctx.target, float) and ctx.target > 0 and start is None:  # a start said (起始100分) counts from zero
            return _from_target(reading, ctx.target, unit or ctx.unit)
        return reading

    def _whole(self, s: str, m: re.Match[str], ctx: Context, said: float | None = None) -> Reading:
        """One case takes every point: a deduction of the full score per case."""
        spans = [m.span()]
        start = said if said is not None else _find(r"(?P<n>\d+(?:\.\d+)?)\s*(?:pts?|points?|分)\s*(?:with no|when no|if no|for no|with zero)[^,;]*|"
                      r"(?:无|未发生|没有|不发生)[^;。\d]{0,20}?(?:得满分|得\s*(?P<n2>\d+(?:\.\d+)?)\s*分)", s, spans)
        left = unread(s, spans, r"扣完为止")
        if left is not None:
            raise Unreadable(Text(f"读不懂“{left}”", f"cannot read '{left}'"), EXAMPLE)
        full = start if isinstance(start, float) else (ctx.points if ctx.points is not None else 100.0)
        reading = Reading(scoring={"method": "deduction", "per_unit": full, "start": full, "floor": 0.0},
                          full_said=start if isinstance(start, float) else None, direction=None if ctx.direction else "lower")
        reading.assumed_full = reading.full_said is None
        reading.notes.append(Text("发生一次即不得分", "one case takes every point"))
        if ctx.target is None:
            reading.implied_target = 0.0
            reading.implied_note = Text("目标值未填:按 0 次计(不发生)", "no target: 0 (none happens)")
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
_ANY = re.compile(r"(?:发生|出现|有|遗失|丢失|违反)\s*(?:1\s*[次起份项件例])?[^,;。\d]{0,12}?(?:即|则|就)?(?:该项|此项|本项)?"
                  r"(?:不得分|为0分|得0分|记0分|计0分)|\bany\b[^;,:]*?:\s*0\s*(?:pts?|points?)", re.I)


# the same words with and without 不/无/未: 不流失 5 分 流失 0 分
_PAIR = re.compile(r"(?:不|无|未|没有)(?P<e>[^\d\s,;。]{1,10}?)\s*(?:得|为)?\s*(?P<n>\d+(?:\.\d+)?)\s*分\s*[,;]?\s*(?:有|出现|发生)?(?P=e)\s*(?:得|为)?\s*0\s*分[。;]?")


def _from_target(reading: Reading, target: float, unit: str) -> Reading:
    """Deductions counted from a target above 0 (``≤2次`` with ``每发生1次扣5分``) when the rule does not say where it
    starts: the target scores the start and each case beyond it loses the points — a step rule on the count (said).
    A rule that states its start (``起始100分,每次扣10分``, ``无差错得满分``) counts from zero as it says."""
    sc = reading.scoring
    reading.scoring = {"method": "step", "step": 1.0, "above": 0.0, "below": sc["per_unit"], "start": sc["start"],
                       "floor": sc["floor"], "cap": sc["start"]}
    reading.direction = "lower"
    n = number_text(target)
    reading.notes.append(Text(f"从目标值 {n}{unit} 起扣分:不超过 {n}{unit} 不扣分", f"counted from the target, {n} {unit}: none is taken up to {n}"))
    return reading


def _find(pattern: str, text: str, spans: list[tuple[int, int]], none_when_full: bool = False) -> float | bool | None:
    """The number the first match of ``pattern`` gives (its group ``n`` or ``n2``), recording its span; True
    when it matched without a number (得满分), None when it did not match."""
    m = re.search(pattern, text, re.I)
    if m is None:
        return None
    spans.append(m.span())
    value = m.groupdict().get("n") or m.groupdict().get("n2")
    return float(value) if value else True

METHOD = DeductionMethod()
