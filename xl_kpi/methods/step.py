"""Step scoring (增减计分): ``start`` at the target, plus ``above`` points per ``step`` better than
the target and minus ``below`` per ``step`` worse, clamped to [floor, cap] — the standards
``每低于目标1%扣2分`` and ``每超1%加1分,封顶110分``.

A step is in the actual's units (0.01 is one percentage point of a rate), or with ``relative``
a fraction of the target (0.01 is 1% of the target). The number of steps is compared after
``ROUND(…, 9)``, so 93% against 95% is exactly two steps in Excel and here.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from ..core.rounding import ROUND_ACTUAL, ROUND_SCORE, excel_round, excel_round_array
from ..core.text import Text
from .bands import _around_target
from .base import Cells, Checker, FloatArray, Method, Param, Params, Subject, format_value
from .grammar import NUM, Context, Reading, Unreadable, normalize, number_text, unit_pattern, unread, value_text

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["Step", "StepMethod"]


@dataclass(frozen=True)
class Step(Params):
    """``start`` at the target; ``above`` per step better, ``below`` per step worse; within [floor, cap]."""

    step: float
    above: float = 0.0
    below: float = 0.0
    start: float = 100.0
    floor: float = 0.0
    cap: float = 100.0
    relative: bool = False  # a step is a fraction of the target, not an amount of the actual's unit
    cutoff: float | None = None  # an actual worse than this scores 0 (低于80%不得分), whatever the steps give
    method: str = "step"


class StepMethod(Method):
    name = "step"
    words: ClassVar[tuple[str, ...]] = ("增减", "增减计分")
    labels: ClassVar[dict[str, tuple[str, str]]] = {"step": ("每档幅度", "step"), "above": ("每档加分", "per step above"),
                                                   "below": ("每档扣分", "per step below"), "cutoff": ("不得分线", "0 pts beyond")}
    params_class = Step
    amount_target = True
    yaml_keys: ClassVar[tuple[str, ...]] = ("method", "step", "above", "below", "start", "floor", "cap", "relative", "cutoff")

    def parse(self, chk: Checker, raw: dict[str, Any], loc: str, direction: str) -> Step | None:
        step = chk.number(raw.get("step"), f"{loc}.step", Text("每档幅度 step", "step"))
        above = chk.number(raw.get("above", 0), f"{loc}.above", Text("每档加分 above", "above"))
        below = chk.number(raw.get("below", 0), f"{loc}.below", Text("每档扣分 below", "below"))
        start = chk.score_value(raw.get("start", 100), f"{loc}.start")
        floor = chk.score_value(raw.get("floor", 0), f"{loc}.floor")
        cap = chk.score_value(raw.get("cap", start if start is not None else 100), f"{loc}.cap")
        relative = raw.get("relative", False)
        cutoff = None if raw.get("cutoff") is None else chk.number(raw.get("cutoff"), f"{loc}.cutoff", Text("不得分线 cutoff", "cutoff"))
        if raw.get("cutoff") is not None and cutoff is None:
            return None
        if not isinstance(relative, bool):
            chk.error("wrong-type", f"{loc}.relative", name="relative", expected=Text("true 或 false", "true or false"),
                      example="relative: true")
            return None
        if None in (step, above, below, start, floor, cap):
            return None
        assert step is not None and above is not None and below is not None
        assert start is not None and floor is not None and cap is not None
        if step <= 0:
            chk.error("step-size", f"{loc}.step")
            return None
        if above < 0 or below < 0 or above == below == 0:
            chk.error("step-points", f"{loc}.above")
            return None
        if not floor <= start <= cap or floor == cap:
            chk.error("step-bounds", f"{loc}.start", floor=floor, start=start, cap=cap)
            return None
        return Step(step=step, above=above, below=below, start=start, floor=floor, cap=cap, relative=relative, cutoff=cutoff)

    def check_target(self, chk: Checker, params: Params, target: Any, direction: str, where: str) -> None:
        if getattr(params, "relative", False) and target == 0:
            chk.error("target-zero", where)
        cutoff = getattr(params, "cutoff", None)
        if cutoff is not None and isinstance(target, (int, float)) and (cutoff > target if direction == "higher" else cutoff < target):
            chk.error("step-cutoff", where, cutoff=cutoff, target=target)

    def from_canonical(self, data: dict[str, Any]) -> Step:
        return Step(step=float(data["step"]), above=float(data["above"]), below=float(data["below"]), start=float(data["start"]),
                    floor=float(data["floor"]), cap=float(data["cap"]), relative=bool(data.get("relative", False)),
                    cutoff=None if data.get("cutoff") is None else float(data["cutoff"]))

    # --- the engine -------------------------------------------------------------------------------
    def score(self, subject: Subject, actual: Any) -> float:
        sc = subject.scoring
        target = float(subject.target)  # type: ignore[arg-type]
        gap = actual - target if subject.direction == "higher" else target - actual
        if sc.relative:
            gap = gap / target
        if sc.cutoff is not None and _beyond(excel_round(actual, ROUND_ACTUAL), sc.cutoff, subject.direction):
            return 0.0
        steps = excel_round(gap / sc.step, ROUND_ACTUAL)
        rate = sc.above if steps >= 0 else sc.below
        return excel_round(min(sc.cap, max(sc.floor, sc.start + rate * steps)), ROUND_SCORE)

    def score_array(self, subject: Subject, x: FloatArray, raw: npt.NDArray[Any]) -> FloatArray:
        import numpy as np

        sc = subject.scoring
        target = float(subject.target)  # type: ignore[arg-type]
        gap = x - target if subject.direction == "higher" else target - x
        if sc.relative:
            gap = gap / target
        steps = excel_round_array(gap / sc.step, ROUND_ACTUAL)
        rate = np.where(steps >= 0, sc.above, sc.below)
        out = excel_round_array(np.minimum(sc.cap, np.maximum(sc.floor, sc.start + rate * steps)), ROUND_SCORE)
        if sc.cutoff is not None:
            a = excel_round_array(x, ROUND_ACTUAL)
            out[(a < sc.cutoff) if subject.direction == "higher" else (a > sc.cutoff)] = 0.0
        out[np.isnan(x)] = np.nan
        return out

    def top(self, subject: Subject) -> float:
        return float(subject.scoring.cap)

    def bottom(self, subject: Subject) -> float:
        return 0.0 if subject.scoring.cutoff is not None else float(subject.scoring.floor)

    # --- the sheet ----------------------------------------------------------------------------------
    def params(self, subject: Subject, word: Any = str) -> list[Param]:
        sc = subject.scoring
        return [Param(word("start"), sc.start, False), Param(word("step"), sc.step, False), Param(word("above"), sc.above, False),
                Param(word("below"), sc.below, False), Param(word("floor"), sc.floor, False), Param(word("cap"), sc.cap, False),
                *([Param(word("cutoff"), sc.cutoff, False)] if sc.cutoff is not None else [])]

    def formula(self, subject: Subject, cells: Cells, mode: str = "native") -> str:
        x, t = cells.actual, cells.target
        start, step, above, below, floor, cap = (cells.value(p) for p in range(6))
        gap = f"({x}-{t})" if subject.direction == "higher" else f"({t}-{x})"
        if subject.scoring.relative:
            gap = f"{gap}/{t}"
        steps = f"ROUND({gap}/{step},{ROUND_ACTUAL})"
        rule = f"ROUND(MIN({cap},MAX({floor},{start}+IF({steps}>=0,{above},{below})*{steps})),{ROUND_SCORE})"
        if subject.scoring.cutoff is not None:  # worse than the cutoff: 0
            rule = f"IF(ROUND({x},{ROUND_ACTUAL}){'<' if subject.direction == 'higher' else '>'}{cells.value(6)},0,{rule})"
        return f'=IF(ISNUMBER({x}),{rule},"")'

    def describe(self, subject: Subject, lang: str) -> str:
        sc = subject.scoring
        higher = subject.direction == "higher"
        size = _size(subject, lang)
        zh = lang == "zh"
        better = ("高于" if higher else "低于") if zh else ("above" if higher else "below")
        worse = ("低于" if higher else "高于") if zh else ("below" if higher else "above")
        start = number_text(sc.start)
        parts = [f"达到目标得{start}分" if zh else f"{start} pts at target"]
        if sc.above:
            parts.append(f"每{better}目标{size}加{number_text(sc.above)}分" if zh else
                         f"+{number_text(sc.above)} pts per {size} {better} target")
        if sc.below:
            parts.append(f"每{worse}目标{size}扣{number_text(sc.below)}分" if zh else
                         f"-{number_text(sc.below)} pts per {size} {worse} target")
        else:
            parts.append(f"{worse}目标不扣分" if zh else f"no deduction {worse} target")
        parts.append(f"最低{number_text(sc.floor)}分、最高{number_text(sc.cap)}分" if zh else
                     f"from {number_text(sc.floor)} to {number_text(sc.cap)}")
        if sc.cutoff is not None:
            cut = format_value(subject, sc.cutoff)
            parts.append((f"低于{cut}不得分" if higher else f"高于{cut}不得分") if zh else
                         f"{'below' if higher else 'above'} {cut}: 0 pts")
        return (";" if zh else "; ").join(parts)

    # --- reading what people write ----------------------------------------------------------------
    read_order = 20

    def rescaled(self, scoring: dict[str, Any], factor: float) -> dict[str, Any] | None:
        from .bands import _times

        return {**scoring, **{k: _times(scoring[k], factor) for k in ("above", "below", "start", "floor", "cap") if k in scoring}}

    def read(self, text: str, ctx: Context) -> Reading | None:
        """``每低于目标1%扣2分``, ``每超1%加1分,封顶110分``, ``完成100%得100分,每少1个扣10分`` and the
        sentence :meth:`describe` prints."""
        s = normalize(text)
        unit = unit_pattern(ctx.unit) + "|units?|单位"
        size = rf"(?P<rel>目标值?的|target'?s?\s*)?(?P<n>{NUM})\s*(?P<u>{unit})?(?P<rel2>\s*of\s*(?:the\s*)?target)?"
        up_words = r"超出|超过|超|高出|高于|高|多于|多|增加|增长|提高|提升|上升|延迟|延误|延长|超时|above|over|late"
        down_words = r"低于|低|少于|少|减少|降低|下降|缩短|提前|差|不足|below|under|short of|early"
        zh = re.compile(rf"每(?P<w>{up_words}|{down_words})\s*(?:目标值?|计划|预算值?)?\s*{size}\s*(?:,)?\s*(?P<v>加|增加|奖励|得|计|扣除?|减)\s*"
                        rf"{_ITEM}(?P<p>\d+(?:\.\d+)?)\s*分")
        # the word before 每: "超出目标每1小时扣2分", "超过规定时间每1天扣5分"
        zh_after = re.compile(rf"(?P<w>{up_words}|{down_words})\s*(?:目标值?|计划|预算值?|规定时间|时限)\s*(?:后)?\s*,?\s*每\s*{size}\s*(?:,)?\s*"
                              rf"(?P<v>加|增加|奖励|得|计|扣除?|减)\s*{_ITEM}(?P<p>\d+(?:\.\d+)?)\s*分")
        en = re.compile(rf"(?P<v>[+-])\s*(?P<p>\d+(?:\.\d+)?)\s*(?:pts?|points?)?\s*(?:per|for each|each)\s*{size}\s*"
                        rf"(?P<w>{up_words}|{down_words})\s*(?:the\s*)?target", re.I)
        found = [(m, m["v"] in ("加", "增加", "奖励", "得", "计", "+")) for m in [*zh.finditer(s), *zh_after.finditer(s), *en.finditer(s)]]
        if not found:
            return None
        reading = Reading(scoring={"method": "step"})
        up = re.compile(rf"^(?:{up_words})$", re.I)
        rates: dict[str, float] = {}
        sizes: set[tuple[str, str, bool]] = set()
        direction: str | None = None
        for m, adds in found:
            side_up = bool(up.match(m["w"]))
            said = ("higher" if side_up else "lower") if adds else ("higher" if not side_up else "lower")
            if direction and said != direction:
                raise Unreadable(Text("加分与扣分的方向相互矛盾", "the points added and taken point in opposite directions"), EXAMPLE)
            direction = said
            rates["above" if adds else "below"] = float(m["p"])
            sizes.add((m["n"], (m["u"] or "").lower(), bool(m["rel"] or m["rel2"])))
        if len(sizes) > 1:
            raise Unreadable(Text("加分与扣分的幅度单位不同", "the steps above and below the target differ"), EXAMPLE)
        number, step_unit, relative = sizes.pop()
        assert direction is not None
        if ctx.direction and ctx.direction != direction:
            raise Unreadable(Text("方向列与评分标准相反", "the direction column contradicts the standard"), EXAMPLE)
        reading.direction = direction
        value, reading.unit = _step_value(number, step_unit, relative, ctx, reading)
        reading.scoring["step"] = value
        if relative:
            reading.scoring["relative"] = True
        reading.scoring.update(rates)
        if "below" not in rates:
            if re.search(r"不扣分|no deduction", s, re.I):
                reading.scoring["below"] = 0.0
            else:
                reading.scoring["below"] = rates["above"]
                reading.notes.append(Text("没写低于目标时如何计分:按同样幅度扣分", "nothing said below the target: the same points per step are taken"))
        spans = [m.span() for m, _ in found]
        full = ctx.points if ctx.points is not None else 100.0
        start = _search(r"(?:达到|完成|达成)?(?:目标值?|(?P<t>\d+(?:\.\d+)?)\s*%)\S{0,3}?得\s*(?P<n>\d+(?:\.\d+)?)\s*分|"
                        r"(?P<n2>\d+(?:\.\d+)?)\s*pts? at target|(?:起始|基础分|基准分)\s*(?P<n3>\d+(?:\.\d+)?)|"
                        r"(?P<t3>\d+(?:\.\d+)?)\s*个?(?:小时|天|日|工作日|分钟|h|days?)\s*(?:内|以内)\s*完成\s*(?:得)?\s*(?P<n4>\d+(?:\.\d+)?)\s*分",
                        s, spans)
        said_full = _search(r"(?:达到|完成|达成)[^,;。\d]{0,12}?(?:目标值?的)?(?P<t>\d+(?:\.\d+)?\s*%?)?\s*(?:及以上|以上|\(含\)以上)?"
                            r"[^,;。\d]{0,6}?得满分|[^,;。\d]{0,20}?(?:目标值?|(?P<t2>\d+(?:\.\d+)?\s*%?))(?:及以上|以上|以内|及以下|以下)?得满分", s, spans)
        if start:
            reading.scoring["start"] = float(start["n"] or start["n2"] or start["n3"] or start["n4"])
            reading.full_said = reading.scoring["start"]
            if start["t"] is not None:
                reading.target = float(start["t"]) / 100 if ctx.unit in ("%", "") else float(start["t"])
            if start["t3"] is not None:
                reading.target = float(start["t3"])
        elif said_full:
            reading.scoring["start"] = full
            said = said_full["t"] or said_full["t2"]
            if said:
                said_value = Decimal(said.rstrip("% "))
                reading.target = float(said_value / 100) if said.strip().endswith("%") else float(said_value)
        elif ctx.points is not None:
            reading.scoring["start"] = full
        cutoff = _search(rf"(?:完成率|达成率|实际值?|结果)?\s*(?P<w>低于|不足|少于|未达到?|高于|超过|超出|多于|below|above)\s*(?P<c>{NUM})\s*(?P<u>{unit})?\s*"
                         r"(?:时|的)?\s*,?\s*(?:该项|此项|本项|该指标)?\s*(?:不得分|得0分|计0分|为0分|记0分|:\s*0\s*pts?)", s, spans)
        most = _search(r"(?:最多扣除?|最高扣除?|扣分上限为?(?:该指标|本项|该项)?(?:满分)?|扣分最多)\s*(?P<n>\d+(?:\.\d+)?)\s*分", s, spans)
        bonus = _search(r"最(?:高|多)加\s*(?P<n>\d+(?:\.\d+)?)\s*分", s, spans)
        cap = _search(r"(?:封顶|最高|(?<!扣分)上限|最多|不超过|capped at|up to|to)\s*(?:加至|加到|为)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?)?", s, spans)
        floor = _search(r"(?:最低|保底|下限|from)\s*(?:扣至|为|得)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?:分|pts?)?|(?P<zero>扣完为止)", s, spans)
        left = unread(s, spans, r"不扣分|no deduction|扣完为止")
        if left is not None:
            raise Unreadable(Text(f"读不懂“{left}”", f"cannot read '{left}'"), EXAMPLE)
        reading.assumed_full = reading.full_said is None
        base = float(reading.scoring.get("start", 100.0))
        if bonus:  # 最高加10分: at most 10 above the score at the target
            reading.scoring["cap"] = base + float(bonus["n"])
        elif cap:
            reading.scoring["cap"] = float(cap["n"])
            if reading.scoring["cap"] < base:
                raise Unreadable(Text(f"最高 {cap['n']} 分低于达到目标时的得分 {number_text(base)} 分",
                                      f"the cap {cap['n']} is below the score at the target, {number_text(base)}"), EXAMPLE)
        elif rates.get("above"):
            raise Unreadable(Text("加分没有封顶", "the points above the target have no cap"), "每超1%加1分,封顶110分")
        else:
            reading.scoring["cap"] = base
        reading.scoring["floor"] = float(floor["n"]) if floor and floor["n"] else 0.0
        if most:  # 最高扣除20分: at most 20 below the score at the target
            reading.scoring["floor"] = max(reading.scoring["floor"], base - float(most["n"]))
        if cutoff:
            reading.scoring["cutoff"] = _cutoff(cutoff, direction, reading, ctx)
        return reading

    # --- simulations and tests ----------------------------------------------------------------------
    def simulate(self, subject: Subject, rng: random.Random) -> Any:
        return _around_target(subject, rng)

    def probes(self, subject: Subject) -> list[Any]:
        sc = subject.scoring
        t = float(subject.target)  # type: ignore[arg-type]
        size = sc.step * (t if sc.relative else 1)
        values = [t, 0, t * 2]
        for k in (1, 2, 3, 5, 10, 50):
            values += [t + k * size, t - k * size, t + (k + 0.5) * size, t - (k - 0.25) * size]
        if sc.cutoff is not None:
            c = sc.cutoff
            values += [c, c + 1e-10, c - 1e-10, c - 1e-7, c + 1e-7]
        return values

    def samples(self) -> list[dict[str, Any]]:
        return [
            {"id": "step_rate", "name": "回款及时率", "unit": "%", "target": 0.95, "direction": "higher",
             "scoring": {"method": "step", "step": 0.01, "above": 1, "below": 2, "cap": 110, "floor": 0},
             "halfway": [0.9325, 0.96125, 0.5]},
            {"id": "step_cost", "name": "费用超支率", "unit": "%", "target": 0.05, "direction": "lower",
             "scoring": {"method": "step", "step": 0.005, "below": 5}},
            {"id": "step_relative", "name": "销售额", "unit": "万元", "target": 120, "direction": "higher",
             "scoring": {"method": "step", "step": 0.01, "relative": True, "above": 0.5, "below": 1.5, "cap": 105, "floor": 20},
             "halfway": [118.5, 121.3, 100.1]},
            {"id": "step_cutoff", "name": "计划完成率", "unit": "%", "target": 0.95, "direction": "higher",
             "scoring": {"method": "step", "step": 0.01, "below": 2, "cutoff": 0.8}},
            {"id": "step_cutoff_lower", "name": "处理时长", "unit": "小时", "target": 4, "direction": "lower",
             "scoring": {"method": "step", "step": 1, "below": 5, "floor": 10, "cutoff": 12}},
        ]


EXAMPLE = "完成目标得100分;每低于目标1%扣2分,最低0分"
# "扣除该指标2分", "加本项1分": the row's own points named between the verb and the number
_ITEM = r"(?:(?:该|本|此)(?:项|指标|项指标)\s*)?"


def _beyond(actual: float, cutoff: float, direction: str) -> bool:
    """The actual is worse than the cutoff: below it when higher is better, above it when lower is."""
    return actual < cutoff if direction == "higher" else actual > cutoff


def _cutoff(m: re.Match[str], direction: str, reading: Reading, ctx: Context) -> float:
    """``低于80%不得分`` as the cutoff in the indicator's units; refused when it speaks of the wrong side."""
    worse = "higher" if m["w"] in ("低于", "不足", "少于", "未达", "未达到", "below") else "lower"
    if worse != direction:
        raise Unreadable(Text(f"“{m.group(0)}”与加减分的方向相反", f"'{m.group(0)}' is on the better side of the target"), EXAMPLE)
    unit = (m["u"] or "").lower()
    if unit == "%" or (not unit and reading.unit == "%" and Decimal(m["c"]) > Decimal("1.5")):
        return float(Decimal(m["c"]) / 100)
    if ctx.unit == "%" or reading.unit == "%":
        raise Unreadable(Text(f"“{m.group(0)}”:请写百分数,如 低于80%不得分", f"'{m.group(0)}': write a percentage, e.g. below 80%: 0 pts"),
                         EXAMPLE)
    return float(Decimal(m["c"]))


def _search(pattern: str, text: str, spans: list[tuple[int, int]]) -> re.Match[str] | None:
    """The first match of ``pattern``, its span recorded as read."""
    m = re.search(pattern, text, re.I)
    if m is not None:
        spans.append(m.span())
    return m


def _size(subject: Subject, lang: str) -> str:
    """One step as the sentence states it: "1个百分点" of a rate, "目标的1%", "1个"."""
    sc = subject.scoring
    if sc.relative:
        return f"的{value_text(sc.step, True)}" if lang == "zh" else f"{value_text(sc.step, True)} of target"
    if subject.is_percent:
        n = value_text(sc.step, True)[:-1]
        return f"{n}个百分点" if lang == "zh" else f"{n} percentage point{'s' if n != '1' else ''}"
    unit = subject.unit or ("单位" if lang == "zh" else "units")
    return f"{number_text(sc.step)}{'' if lang == 'zh' or not unit.isascii() else ' '}{unit}"


def _step_value(number: str, unit: str, relative: bool, ctx: Context, reading: Reading) -> tuple[float, str | None]:
    """The step as the indicator's value, and the unit it implies; a bare "1%" is read by the unit."""
    from decimal import Decimal

    n = Decimal(number)
    if relative:
        return float(n / 100), None
    if unit == "%":
        if ctx.unit and ctx.unit != "%":  # "每低于目标1%" of an amount: 1% of the target
            reading.notes.append(Text(f"“{number}%”按目标值的 {number}% 计", f"'{number}%' read as {number}% of the target"))
            reading.scoring["relative"] = True
            return float(n / 100), None
        if not ctx.unit:
            reading.notes.append(Text(f"“{number}%”按百分点计(指标为百分比)", f"'{number}%' read as percentage points (a rate)"))
        return float(n / 100), "%"
    return float(n), (unit if unit not in ("unit", "units", "单位") else "") or None


METHOD = StepMethod()
