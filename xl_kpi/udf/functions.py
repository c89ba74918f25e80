"""The scoring engine as Excel functions — one module for classic xlwings, xlwings Server and xlwings Lite.

KPISCORE, KPILINEAR, KPIDEDUCT, KPIEVENTS, KPISTEP, KPIRANK, KPIRATING (a score by each scoring method), WEIGHTED_TOTAL
(indicators, sections, raters), KPIADJUST, KPITOTAL (adjustments, veto), KPIGRADE, KPICOEF, KPIVALUE
(a typed value read as the engine reads it) and SMARTCHECK. Each is a thin adapter: it reads what
Excel hands over (:mod:`xl_kpi.udf.cells`) and calls the engine, the method registry or the SMART
checker — no rule is written here — and anything unusable gives a ``⚠ 中文 / English`` message in
the cell. Only the standard library and the scoring core are imported (no numpy, pandas or YAML),
so the module runs in Pyodide (xlwings Lite) with nothing else installed.

The decorators are xlwings' own, with options every host accepts: ``@func`` (``category`` is read
by classic xlwings only), ``@arg(ndim=1, doc=…)`` (the bilingual argument help Excel shows) and
``@ret``. xlwings picks the host when it is imported (``XLWINGS_ON_SERVER=true`` on xlwings Server
and in Lite; Windows for classic UDFs). Without xlwings (plain Python, Pyodide without it) the
functions are plain functions.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from ..advice.smart import CRITERIA, check_smart, summary_line
from ..methods import Linear, band_score
from ..scoring.engine import clamp_adjustment, contribution, final_total, grade_for, weighted_total
from ..scoring.normalize import normalise_actual, normalise_finding
from ..spec.model import Indicator
from . import rules
from .cells import MARK, CellError, as_message, flag, flat, flat_key, from_finding, is_blank, number, present
from .cells import count as read_count
from .cells import direction as read_direction
from .cells import mark as read_mark

_xw: Any
try:
    import xlwings as _xw
except ImportError:  # Pyodide without xlwings, plain Python: plain functions
    _xw = None

__all__ = ["KPISCORE", "KPILINEAR", "KPIDEDUCT", "KPIEVENTS", "KPISTEP", "KPIRANK", "KPIRATING", "WEIGHTED_TOTAL", "KPIADJUST",
           "KPITOTAL", "KPIGRADE", "KPICOEF", "KPIVALUE", "SMARTCHECK"]


def _plain(f: Any = None, **options: Any) -> Any:
    return f if f is not None else (lambda g: g)


func: Any = _xw.func if _xw is not None else _plain
arg: Any = _xw.arg if _xw is not None else (lambda *a, **k: _plain)
ret: Any = _xw.ret if _xw is not None else (lambda *a, **k: _plain)
CATEGORY = "xl-kpi"  # the function wizard's category (classic xlwings)


def _doc(zh: str, en: str) -> str:
    return f"{zh} / {en}"


ACTUAL = _doc("实际值:一个单元格,数字或文本(105%、１１ 也可)", "actual: one cell, a number or text such as 105%")
TARGET = _doc("目标值", "target")
DIRECTION = _doc("方向:higher/高(越高越好,默认)或 lower/低", "direction: higher/高 (default) or lower/低")
FLOOR = _doc("最低分(默认 0)", "floor: the lowest score (default 0)")
START = _doc("起始分(默认 100)", "start: the score at the start (default 100)")

@func(category=CATEGORY)
@arg("actual", doc=ACTUAL)
@arg("thresholds", ndim=1, doc=_doc("阈值:一行、一列或常量数组,顺序不限", "thresholds: a row, a column or an array constant, any order"))
@arg("scores", ndim=1, doc=_doc("各阈值的得分,与阈值一一对应", "scores: one per threshold"))
@arg("direction", doc=DIRECTION)
@arg("otherwise", doc=_doc("一档都未达到时的得分(默认 0)", "otherwise: the score when no band is reached (default 0)"))
def KPISCORE(actual: Any, thresholds: Any, scores: Any, direction: Any = "higher", otherwise: Any = 0) -> Any:
    """档位计分:达到的第一档的得分;实际值为空时为空 / Band score: the first band the actual reaches; blank for a blank actual."""
    try:
        # Fast paths inline (a float actual, flat lists): this runs once per cell per recalculation.
        a = actual if type(actual) is float and -math.inf < actual < math.inf else number(actual, "实际值", "actual")
        if a is None:
            return ""
        try:
            table = rules.TABLES.get((tuple(thresholds) if type(thresholds) is list else None,
                                 tuple(scores) if type(scores) is list else None, direction))
        except TypeError:  # a nested range is unhashable: validate it the general way
            table = None
        ts, ss, way = table if table is not None else rules.band_table(flat_key(thresholds), flat_key(scores), direction)
        other = otherwise if type(otherwise) in (int, float) else (number(otherwise, "其他得分", "otherwise") or 0.0)
    except CellError as exc:
        return str(exc)
    return band_score(a, ts, ss, way, other)


_RULES: dict[tuple[Any, ...], Indicator] = {}


def _rule(key: tuple[Any, ...], build: Callable[[], Indicator]) -> Indicator:
    """The indicator a function's rule arguments describe, kept by their cell values: every row of a
    sheet repeats the same rule, and only the first call reads and checks it."""
    try:
        found = _RULES.get(key)
    except TypeError:  # a nested range is unhashable: read it each time (rules.indicator still memoises)
        return build()
    if found is None:
        found = build()
        if len(_RULES) > 4096:
            _RULES.clear()
        _RULES[key] = found
    return found


def _method_score(ind: Indicator, actual: Any) -> Any:
    a = actual if type(actual) is float and -math.inf < actual < math.inf else number(actual, "实际值", "actual")
    return "" if a is None else rules.score(ind, a)


def _options(raw: dict[str, Any], given: tuple[tuple[str, Any, str], ...]) -> None:
    """Each optional argument (key, value, its Chinese name) put into the rule when not blank."""
    for key, value, zh in given:
        _given(raw, key, value, zh, key)


def _given(raw: dict[str, Any], key: str, value: Any, zh: str, en: str) -> None:
    """Put an optional argument into the rule when it is not blank (a blank keeps the method's default)."""
    found = number(value, zh, en)
    if found is not None:
        raw[key] = found


@func(category=CATEGORY)
@arg("actual", doc=ACTUAL)
@arg("target", doc=TARGET)
@arg("direction", doc=DIRECTION)
@arg("floor", doc=FLOOR)
@arg("cap", doc=_doc("最高分(默认 100)", "cap: the highest score (default 100)"))
@as_message
def KPILINEAR(actual: Any, target: Any, direction: Any = "higher", floor: Any = 0, cap: Any = 100) -> Any:
    """比例计分:实际/目标×100(越低越好时 目标/实际×100),限在最低与最高分之间 / Proportional score: 100 × actual / target (inverse when lower is better), within floor and cap."""
    def build() -> Indicator:
        raw: dict[str, Any] = {}
        _given(raw, "floor", floor, "最低分", "floor")
        _given(raw, "cap", cap, "最高分", "cap")
        return rules.indicator("linear", raw, present(target, "目标值", "target"), read_direction(direction))

    return _method_score(_rule(("linear", target, direction, floor, cap), build), actual)


@func(category=CATEGORY)
@arg("count", doc=_doc("发生次数(不小于 0)", "count: how many cases (0 or more)"))
@arg("per_unit", doc=_doc("每次扣分", "per_unit: points taken per case"))
@arg("start", doc=START)
@arg("floor", doc=FLOOR)
@as_message
def KPIDEDUCT(count: Any, per_unit: Any, start: Any = 100, floor: Any = 0) -> Any:
    """扣分制:起始分减去 次数×每次扣分,不低于最低分 / Deduction: start minus count × per_unit, not below floor."""
    def build() -> Indicator:
        raw: dict[str, Any] = {"per_unit": present(per_unit, "每次扣分", "per_unit")}
        _given(raw, "start", start, "起始分", "start")
        _given(raw, "floor", floor, "最低分", "floor")
        return rules.indicator("deduction", raw, None, "lower")

    return _method_score(_rule(("deduction", per_unit, start, floor), build), count)


@func(category=CATEGORY)
@arg("counts", ndim=1, doc=_doc("每种事件的次数(都填了才计分)", "counts: how many times each kind happened (scored once all are given)"))
@arg("points", ndim=1, doc=_doc("每种事件每次的分数(扣分为负、加分为正)", "points: per case of each kind (- taken, + added)"))
@arg("limits", ndim=1, doc=_doc("每种事件最多扣/加几分(空:不限)", "limits: the most each kind takes or adds (blank: none)"))
@arg("start", doc=START)
@arg("floor", doc=FLOOR)
@arg("cap", doc=_doc("最高分(默认:起始分加各加分项的上限)", "cap: the highest score (default: start plus the bonuses' limits)"))
@as_message
def KPIEVENTS(counts: Any, points: Any, limits: Any = None, start: Any = 100, floor: Any = 0, cap: Any = None) -> Any:
    """多事件计次:起始分加上每种事件 次数×每次分数,限在最低与最高分之间 / Several kinds of event: start plus each count × its points, within floor and cap."""
    c_list, p_list = flat(counts), flat(points)
    m_list = flat(limits) if limits is not None else [None] * len(p_list)
    if not len(c_list) == len(p_list) == len(m_list):
        raise CellError("次数、每次分数与上限数量不同", "counts, points and limits differ in length")

    def build() -> Indicator:
        events = [{"name": f"e{k + 1}", "points": present(p, "每次分数", "points"),
                   **({} if is_blank(m) else {"max": present(m, "上限", "limit")})} for k, (p, m) in enumerate(zip(p_list, m_list))]
        raw: dict[str, Any] = {"events": events}
        _options(raw, (("start", start, "起始分"), ("floor", floor, "最低分"), ("cap", cap, "最高分")))
        return rules.indicator("events", raw, None, "lower")

    ind = _rule(("events", flat_key(p_list), flat_key(m_list), start, floor, cap), build)
    if any(is_blank(c) for c in c_list):
        return ""
    return ind.method.score(ind, {e.id: read_count(c) for e, c in zip(ind.events, c_list)})


@func(category=CATEGORY)
@arg("actual", doc=ACTUAL)
@arg("target", doc=TARGET)
@arg("step_size", doc=_doc("每档幅度,如 0.01 即 1 个百分点", "step_size: one step, e.g. 0.01 for one percentage point"))
@arg("above", doc=_doc("优于目标每档加分(默认 0)", "above: points added per step better than target (default 0)"))
@arg("below", doc=_doc("差于目标每档扣分(默认 0)", "below: points taken per step worse than target (default 0)"))
@arg("start", doc=_doc("达到目标时的得分(默认 100)", "start: the score at target (default 100)"))
@arg("floor", doc=FLOOR)
@arg("cap", doc=_doc("最高分(默认等于起始分)", "cap: the highest score (default: start)"))
@arg("direction", doc=DIRECTION)
@arg("relative", doc=_doc("TRUE:幅度为目标的比例", "relative: TRUE when a step is a fraction of the target"))
@arg("cutoff", doc=_doc("不得分线:差于此值得 0 分(可空)", "cutoff: an actual worse than this scores 0 (optional)"))
@as_message
def KPISTEP(actual: Any, target: Any, step_size: Any, above: Any = 0, below: Any = 0, start: Any = 100, floor: Any = 0,
            cap: Any = None, direction: Any = "higher", relative: Any = False, cutoff: Any = None) -> Any:
    """增减计分:达到目标得起始分,每优于一档加分、每差一档扣分,限在最低与最高分之间 / Step score: start at target, plus or minus points per step, within floor and cap."""
    def build() -> Indicator:
        raw: dict[str, Any] = {"step": present(step_size, "每档幅度", "step_size")}
        _options(raw, (("above", above, "每档加分"), ("below", below, "每档扣分"), ("start", start, "起始分"),
                       ("floor", floor, "最低分"), ("cap", cap, "最高分"), ("cutoff", cutoff, "不得分线")))
        if flag(relative, "relative", "relative"):
            raw["relative"] = True
        return rules.indicator("step", raw, present(target, "目标值", "target"), read_direction(direction))

    return _method_score(_rule(("step", target, step_size, above, below, start, floor, cap, direction, relative, cutoff), build), actual)


@func(category=CATEGORY)
@arg("rank", doc=_doc("名次:1 为第一名", "rank: 1 is first place"))
@arg("target", doc=_doc("目标名次(得起始分)", "target: the rank that scores start"))
@arg("ahead", doc=_doc("每提前一名加分", "ahead: points added per place ahead"))
@arg("behind", doc=_doc("每退后一名扣分", "behind: points taken per place behind"))
@arg("start", doc=_doc("达到目标名次时的得分(默认 100)", "start: the score at the target rank (default 100)"))
@arg("floor", doc=FLOOR)
@arg("cap", doc=_doc("最高分(默认:有加分时 150,否则起始分)", "cap: the highest score (default 150 with a bonus, else start)"))
@as_message
def KPIRANK(rank: Any, target: Any, ahead: Any = 0, behind: Any = 0, start: Any = 100, floor: Any = 0, cap: Any = None) -> Any:
    """名次计分:达到目标名次得起始分,每提前一名加分、每退后一名扣分 / Rank score: start at the target rank, plus or minus points per place."""
    def build() -> Indicator:
        raw: dict[str, Any] = {}
        _options(raw, (("ahead", ahead, "每提前一名加分"), ("behind", behind, "每退后一名扣分"), ("start", start, "起始分"),
                       ("floor", floor, "最低分"), ("cap", cap, "最高分")))
        return rules.indicator("rank", raw, present(target, "目标名次", "target"), "lower")

    return _method_score(_rule(("rank", target, ahead, behind, start, floor, cap), build), rank)


@func(category=CATEGORY)
@arg("level", doc=_doc("评定的等级,如 A 或 优秀(不区分大小写)", "level: the level given, e.g. A (case does not matter)"))
@arg("labels", ndim=1, doc=_doc("各等级名称", "labels: the levels"))
@arg("scores", ndim=1, doc=_doc("各等级得分,与等级一一对应", "scores: one per level"))
@as_message
def KPIRATING(level: Any, labels: Any, scores: Any) -> Any:
    """等级评分:所评等级对应的得分;等级为空时为空 / Rating: the score of the level given; blank for a blank level."""
    def build() -> Indicator:
        names, values = flat(labels), flat(scores)
        if len(names) != len(values):
            raise CellError("等级与得分数量不同", "labels and scores differ in length")
        levels = [{"label": _label(n), "score": present(v, "得分", "score")} for n, v in zip(names, values) if not is_blank(n)]
        return rules.indicator("rating", {"levels": levels})

    ind = _rule(("rating", flat_key(labels), flat_key(scores)), build)
    return "" if is_blank(level) else rules.score(ind, _label(level))


def _label(value: Any) -> str:
    if isinstance(value, str) and value.startswith(MARK):
        raise CellError(value)
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


@func(category=CATEGORY)
@arg("scores", ndim=1, doc=_doc("各项得分(指标、维度或评分人)", "scores: of the indicators, sections or raters"))
@arg("weights", ndim=1, doc=_doc("权重:0.4、40 或 40%,合计 100%", "weights: 0.4, 40 or 40%, totalling 100%"))
@arg("partial", doc=_doc("TRUE:有空得分时按已有得分计算", "partial: TRUE to total the scores present"))
@as_message
def WEIGHTED_TOTAL(scores: Any, weights: Any, partial: Any = False) -> Any:
    """加权得分:ROUND(Σ得分×权重/Σ权重, 2),有空得分时为空 / Weighted score: ROUND(Σ score × weight / Σ weight, 2); blank while a score is."""
    s_list, w_list = flat(scores), flat(weights)
    if len(s_list) != len(w_list):
        raise CellError(f"得分({len(s_list)})与权重({len(w_list)})数量不同", f"{len(s_list)} scores but {len(w_list)} weights")
    ws = [w if type(w) is float and -math.inf < w < math.inf else number(w, "权重", "weight") for w in w_list]
    if any(w is None for w in ws):
        raise CellError("有权重为空", "a weight is blank")
    total_w = math.fsum(ws)  # type: ignore[arg-type]
    if abs(total_w - 100) <= 1e-6:
        ws = [w / 100 for w in ws]  # type: ignore[operator]
        total_w = 1.0
    if abs(total_w - 1) > 1e-9:
        raise CellError(f"权重合计为 {total_w * 100:g}%,应为 100%", f"weights total {total_w * 100:g}%, not 100%")
    ss = [s if type(s) is float and -math.inf < s < math.inf else number(s, "得分", "score") for s in s_list]
    if partial is not False and flag(partial, "partial", "partial"):
        present_pairs = [(s, w) for s, w in zip(ss, ws) if s is not None]
        if not present_pairs:
            return ""
        return weighted_total([s for s, _ in present_pairs], [w for _, w in present_pairs])  # type: ignore[misc]
    result = weighted_total(ss, ws)  # type: ignore[arg-type]
    return "" if result is None else result


@func(category=CATEGORY)
@arg("counts", ndim=1, doc=_doc("各加减分项的次数(空为 0)", "counts: times each item happened (blank is 0)"))
@arg("points", ndim=1, doc=_doc("各项每次的分值(加分为正、减分为负)", "points: per time (+ bonus, - penalty)"))
@arg("caps", ndim=1, doc=_doc("各项累计上限(绝对值)", "caps: each item's limit (absolute value)"))
@arg("low", doc=_doc("加减分合计下限,如 -10", "low: the lowest total, e.g. -10"))
@arg("high", doc=_doc("加减分合计上限,如 5", "high: the highest total, e.g. 5"))
@as_message
def KPIADJUST(counts: Any, points: Any, caps: Any, low: Any, high: Any) -> Any:
    """加减分:各项 次数×分值 限在 ±上限,合计限在 [下限, 上限] / Adjustment: each count × points within ±cap, the sum within [low, high]."""
    c_list, p_list, m_list = flat(counts), flat(points), flat(caps)
    if not len(c_list) == len(p_list) == len(m_list):
        raise CellError("次数、分值与上限数量不同", "counts, points and caps differ in length")
    parts = [contribution(read_count(c), present(p, "分值", "points"), present(m, "上限", "cap"))
             for c, p, m in zip(c_list, p_list, m_list)]
    return clamp_adjustment(parts, present(low, "下限", "low"), present(high, "上限", "high"))


@func(category=CATEGORY)
@arg("weighted", doc=_doc("加权得分", "weighted: the weighted score"))
@arg("adjustment", doc=_doc("加减分;空:卡片没有加减分,总分即加权得分", "adjustment: blank when the card has none (the total is the weighted score)"))
@arg("vetoes", ndim=1, doc=_doc("否决项:次数,或标记单元格(是/有/Y/√ 或 否/无/N)", "vetoes: a count, or the cells marked Yes/Y/√ or No/N"))
@as_message
def KPITOTAL(weighted: Any, adjustment: Any = None, vetoes: Any = 0) -> Any:
    """总分:有否决项时为 0,否则 ROUND(MAX(0, 加权得分+加减分), 2) / Total: 0 when a veto applies, else ROUND(MAX(0, weighted + adjustment), 2)."""
    w = number(weighted, "加权得分", "weighted score")
    adj = number(adjustment, "加减分", "adjustment")
    marks = [read_mark(v) for v in flat(vetoes)]  # every cell read: an error value shows
    if None in marks and True not in marks:  # as the engine: a veto that applies decides; else an unreadable mark leaves it open
        unread = next(v for v, m in zip(flat(vetoes), marks) if m is None)
        raise CellError(f"否决项填写了 {unread!r},无法判断是否否决(是/否)", f"veto: {unread!r} entered — applied or not? (Yes/No)")
    result = final_total(w, adj, True in marks)
    return "" if result is None else result


@func(category=CATEGORY)
@arg("total", doc=_doc("总分", "total"))
@arg("mins", ndim=1, doc=_doc("各等级的最低分,顺序不限", "mins: each grade's lowest total, any order"))
@arg("labels", ndim=1, doc=_doc("等级名称,与最低分一一对应", "labels: one per min"))
@as_message
def KPIGRADE(total: Any, mins: Any, labels: Any) -> Any:
    """等级:总分达到的最高等级;总分为空时为空 / Grade: the highest grade whose min the total reaches; blank for a blank total."""
    t = number(total, "总分", "total")
    if t is None:
        return ""
    grades = rules.grades_of(flat_key(mins), flat_key(labels))
    if isinstance(grades, str):
        raise CellError(grades)
    grade = grade_for(t, grades)
    return grade.label if grade else ""


@func(category=CATEGORY)
@arg("grade", doc=_doc("等级", "grade"))
@arg("labels", ndim=1, doc=_doc("各等级名称", "labels: the grades"))
@arg("coefficients", ndim=1, doc=_doc("各等级的绩效系数", "coefficients: one per grade"))
@as_message
def KPICOEF(grade: Any, labels: Any, coefficients: Any) -> Any:
    """绩效系数:等级对应的系数;等级为空时为空 / Coefficient: the performance coefficient of a grade; blank for a blank grade."""
    if is_blank(grade):
        return ""
    l_list, c_list = flat(labels), flat(coefficients)
    if len(l_list) != len(c_list):
        raise CellError("等级与系数数量不同", "labels and coefficients differ in length")
    wanted = _label(grade).strip()
    for lab, coef in zip(l_list, c_list):
        if str(lab).strip() == wanted:
            return present(coef, "系数", "coefficient")
    raise CellError(f"没有等级 {grade!r}", f"no grade {grade!r}")


@functools.lru_cache(maxsize=1024)
def _value_indicator(unit: str) -> Indicator:
    return Indicator(id="value", name="KPIVALUE", weight=1.0, scoring=Linear(), unit=unit)


@func(category=CATEGORY)
@arg("value", doc=_doc("填写的值,如 \"105%\"、\"１１个\"、\"1,200\"", "value: as typed, e.g. \"105%\", \"1,200\""))
@arg("unit", doc=_doc("指标单位,如 % 或 个(默认无)", "unit: the indicator's unit, e.g. % (default none)"))
@as_message
def KPIVALUE(value: Any, unit: Any = "") -> Any:
    """读数:按引擎规则读出填写的值(全角、百分号、千分位、单位),读不懂或有歧义时给出原因 / Value: a typed value as the engine reads it, or why it cannot be scored."""
    if isinstance(value, str) and value.startswith(MARK):
        raise CellError(value)
    ind = _value_indicator("" if is_blank(unit) else str(unit).strip())
    norm = normalise_actual(ind, value)
    found = normalise_finding(ind, value, norm)
    if norm.error:
        raise from_finding(found) if found is not None else CellError("无法读取", "cannot be read")
    return "" if norm.value is None else norm.value


@functools.lru_cache(maxsize=2048)
def _smart(text: str, lang: str | None, detail: bool) -> Any:
    result = check_smart(text, lang)
    if not detail:
        return summary_line(result)
    marks = {"pass": "✓", "fail": "✗", "unknown": "?"}
    return tuple(f"{c}{marks[getattr(result, k)]} {result.reasons[k]}" for c, k in zip("SMART", CRITERIA))


@func(category=CATEGORY)
@arg("goal", doc=_doc("目标的文字", "goal: the goal as written"))
@arg("lang", doc=_doc("zh 或 en(默认按文字判断)", "lang: zh or en (default: from the text)"))
@arg("detail", doc=_doc("TRUE:一行五格,逐项给出理由", "detail: TRUE for one row of five cells with reasons"))
@ret(expand=None)
@as_message
def SMARTCHECK(goal: Any, lang: Any = None, detail: Any = False) -> Any:
    """SMART 检查:S✓ M✗ A? R? T✗ · 缺少量化标准和时限 / SMART check of a goal text: S✓ M✗ A? R? T✗ · missing a measure."""
    if is_blank(goal):
        return ""
    if isinstance(goal, str) and goal.startswith(MARK):
        raise CellError(goal)
    text = goal if isinstance(goal, str) else (f"{goal:g}" if isinstance(goal, float) else str(goal))
    result = _smart(text, lang if lang in ("zh", "en") else None, flag(detail, "detail", "detail"))
    return [list(result)] if isinstance(result, tuple) else result  # detail: one row of five cells
