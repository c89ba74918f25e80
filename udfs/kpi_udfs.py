"""xlwings worksheet functions over the xl-kpi engine: KPISCORE, WEIGHTED_TOTAL, KPIGRADE, KPITOTAL,
KPIADJUST, KPICOEF, SMARTCHECK.

Thin adapters: they turn what Excel hands over (floats, ``None`` for blanks, lists for ranges,
integer codes for error cells, numbers stored as text, percentages as text) into engine
calls, and turn anything unusable into a short readable message in the cell — never a
crash. No scoring rule is written here; ``xl_kpi.engine`` and ``xl_kpi.smart`` decide.

Works with classic xlwings (Windows/macOS, ``xlwings addin install`` + Import Functions) and
keeps to options xlwings Lite accepts. On machines without Excel the decorators are no-ops,
so the module imports and tests as plain functions.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import xlwings as xw

from xl_kpi.advice.smart import CRITERIA, check_smart, summary_line
from xl_kpi.methods import band_score
from xl_kpi.scoring.engine import clamp_adjustment, contribution, final_total, grade_for, weighted_total
from xl_kpi.scoring.normalize import parse_number
from xl_kpi.spec.model import Grade

__all__ = ["KPISCORE", "WEIGHTED_TOTAL", "KPIGRADE", "KPITOTAL", "KPIADJUST", "KPICOEF", "SMARTCHECK"]

# Excel's error values as xlwings passes them (COM error codes) → their names.
EXCEL_ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
                -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!"}
DIRECTIONS = {"higher": "higher", "high": "higher", "高": "higher", "越高越好": "higher", "up": "higher",
              "lower": "lower", "low": "lower", "低": "lower", "越低越好": "lower", "down": "lower"}


class _Bad(ValueError):
    """An argument the function cannot use; its text goes into the cell."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"⚠ {zh} / {en}")


def _error_name(value: Any) -> str | None:
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS.values():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return EXCEL_ERRORS.get(value)
    return None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and math.isnan(value))


def _number(value: Any, what_zh: str, what_en: str) -> float | None:
    """A number from a cell value; None for a blank. Text such as "105%" or "１１" is read."""
    if type(value) is float and value == value and value not in (math.inf, -math.inf):
        return value  # the common case: Excel hands numbers over as floats
    if _is_blank(value):
        return None
    err = _error_name(value)
    if err:
        raise _Bad(f"{what_zh}是错误值 {err}", f"{what_en} is the error {err}")
    if isinstance(value, bool):
        raise _Bad(f"{what_zh}不能是逻辑值", f"{what_en} cannot be TRUE/FALSE")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise _Bad(f"{what_zh}不是有限数值", f"{what_en} is not a finite number")
        return float(value)
    if isinstance(value, str):
        number, _ = parse_number(value)
        if number is not None:
            return number
    raise _Bad(f"{what_zh} {value!r} 不是数字", f"{what_en} {value!r} is not a number")


def _present(value: Any, what_zh: str, what_en: str) -> float:
    """A number that must be there (blanks were filtered out before)."""
    number = _number(value, what_zh, what_en)
    if number is None:
        raise _Bad(f"{what_zh}为空", f"{what_en} is blank")
    return number


def _flat(values: Any) -> list[Any]:
    """A row, a column, a block or an array constant as one flat list."""
    if type(values) is list and not any(type(v) in (list, tuple) for v in values):
        return values  # already what @xw.arg(ndim=1) delivers
    if isinstance(values, (list, tuple)):
        out: list[Any] = []
        for v in values:
            out.extend(_flat(v) if isinstance(v, (list, tuple)) else [v])
        return out
    return [values]


def _as_message(fn: Any) -> Any:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except _Bad as exc:
            return str(exc)

    return wrapper


_TABLES: dict[tuple[Any, ...], tuple[tuple[float, ...], tuple[float, ...], str]] = {}


def _bands(thresholds: tuple[Any, ...], scores: tuple[Any, ...], direction: Any) -> tuple[tuple[float, ...], tuple[float, ...], str]:
    """Validated bands, memoised by their cell values: a sheet repeats the same few ranges."""
    key = (thresholds, scores, direction)
    table = _TABLES.get(key)
    if table is None:
        if len(_TABLES) > 4096:
            _TABLES.clear()
        table = _TABLES[key] = _band_table(thresholds, scores, direction)
    return table


def _band_table(thresholds: tuple[Any, ...], scores: tuple[Any, ...], direction: str) -> tuple[tuple[float, ...], tuple[float, ...], str]:
    """Validated bands in the engine's order (the same ranges recur on every row of a sheet)."""
    way = DIRECTIONS.get(str(direction).strip().casefold() if direction is not None else "higher")
    if way is None:
        raise _Bad(f"方向 {direction!r} 无效,应为 higher/lower 或 高/低", f"direction {direction!r} must be higher/lower (高/低)")
    thresholds, scores = tuple(_flat(list(thresholds))), tuple(_flat(list(scores)))
    pairs = [(t, s) for t, s in zip(thresholds, scores) if not (_is_blank(t) and _is_blank(s))]
    if len(thresholds) != len(scores) or any(_is_blank(t) or _is_blank(s) for t, s in pairs) or not pairs:
        raise _Bad("阈值与分数数量不同或有空值", "thresholds and scores differ in length or have blanks")
    numeric = [(_present(t, "阈值", "threshold"), _present(s, "分数", "score")) for t, s in pairs]
    numeric.sort(key=lambda p: p[0], reverse=(way == "higher"))
    ts = tuple(t for t, _ in numeric)
    if len(set(ts)) != len(ts):
        raise _Bad("阈值重复", "a threshold appears twice")
    return ts, tuple(s for _, s in numeric), way


def _key(values: Any) -> tuple[Any, ...]:
    """A hashable, flat key for a range argument; cheap for the flat list @xw.arg(ndim=1) gives."""
    if type(values) is list:
        key = tuple(values)
        try:
            hash(key)  # a nested list is unhashable: that is the check, done in C
            return key  # nested tuples (array constants) are flattened by the cached _band_table
        except TypeError:
            pass
    return tuple(_flat(values))


@xw.func
@xw.arg("thresholds", ndim=1)
@xw.arg("scores", ndim=1)
def KPISCORE(actual: Any, thresholds: Any, scores: Any, direction: Any = "higher", otherwise: Any = 0) -> Any:
    """Band score of an actual: the first threshold reached gives its score (xl-kpi engine).

    thresholds/scores: rows, columns or array constants of equal length, in any order.
    direction: higher/lower (高/低). Returns "" for a blank actual.
    """
    try:
        # Fast paths inline (a float actual, flat lists): this runs once per cell per recalculation.
        a = actual if type(actual) is float and -math.inf < actual < math.inf else _number(actual, "实际值", "actual")
        if a is None:
            return ""
        try:
            table = _TABLES.get((tuple(thresholds) if type(thresholds) is list else None,
                                 tuple(scores) if type(scores) is list else None, direction))
        except TypeError:  # a nested range is unhashable: validate it the general way
            table = None
        ts, ss, way = table if table is not None else _bands(_key(thresholds), _key(scores), direction)
        other = otherwise if type(otherwise) in (int, float) else (_number(otherwise, "其他得分", "otherwise") or 0.0)
    except _Bad as exc:
        return str(exc)
    return band_score(a, ts, ss, way, other)


@xw.func
@xw.arg("scores", ndim=1)
@xw.arg("weights", ndim=1)
@_as_message
def WEIGHTED_TOTAL(scores: Any, weights: Any, partial: Any = False) -> Any:
    """ROUND(Σ score × weight / Σ weight, 2); "" while a score is blank unless partial is TRUE.

    weights: fractions (0.4) or percents (40 or "40%"), totalling 100%.
    """
    s_list, w_list = _flat(scores), _flat(weights)
    if len(s_list) != len(w_list):
        raise _Bad(f"得分({len(s_list)})与权重({len(w_list)})数量不同", f"{len(s_list)} scores but {len(w_list)} weights")
    ws = [_number(w, "权重", "weight") for w in w_list]
    if any(w is None for w in ws):
        raise _Bad("有权重为空", "a weight is blank")
    total_w = math.fsum(ws)  # type: ignore[arg-type]
    if abs(total_w - 100) <= 1e-6:
        ws = [w / 100 for w in ws]  # type: ignore[operator]
        total_w = 1.0
    if abs(total_w - 1) > 1e-9:
        return f"⚠ 权重合计为 {total_w * 100:g}%,应为 100% / weights total {total_w * 100:g}%, not 100%"
    ss = [_number(s, "得分", "score") for s in s_list]
    if bool(partial) and not isinstance(partial, str):
        present = [(s, w) for s, w in zip(ss, ws) if s is not None]
        if not present:
            return ""
        return weighted_total([s for s, _ in present], [w for _, w in present])  # type: ignore[misc]
    result = weighted_total(ss, ws)  # type: ignore[arg-type]
    return "" if result is None else result


@xw.func
@xw.arg("mins", ndim=1)
@xw.arg("labels", ndim=1)
@_as_message
def KPIGRADE(total: Any, mins: Any, labels: Any) -> Any:
    """The label of the highest grade whose minimum the total reaches ("" for a blank total)."""
    t = _number(total, "总分", "total")
    if t is None:
        return ""
    m_list, l_list = _flat(mins), _flat(labels)
    if len(m_list) != len(l_list) or not m_list:
        raise _Bad("最低分与等级数量不同", "mins and labels differ in length")
    grades = sorted((Grade(str(label), _number(m, "最低分", "min")) for m, label in zip(m_list, l_list)),  # type: ignore[arg-type]
                    key=lambda g: g.min, reverse=True)
    grade = grade_for(t, grades)
    return grade.label if grade else ""


@xw.func
@_as_message
def KPITOTAL(weighted: Any, adjustment: Any = 0, vetoes: Any = 0) -> Any:
    """The total: 0 when any veto applies (vetoes > 0), else ROUND(MAX(0, weighted + adjustment), 2); "" while weighted is blank."""
    w = _number(weighted, "加权得分", "weighted score")
    adj = _number(adjustment, "加减分", "adjustment") or 0.0
    veto = _number(vetoes, "否决项数", "vetoes") or 0.0
    result = final_total(w, adj, veto > 0)
    return "" if result is None else result


@xw.func
@xw.arg("counts", ndim=1)
@xw.arg("points", ndim=1)
@xw.arg("caps", ndim=1)
@_as_message
def KPIADJUST(counts: Any, points: Any, caps: Any, low: Any, high: Any) -> Any:
    """加减分: each count × points clamped to ±cap, their sum clamped to [low, high]; a blank count is 0."""
    c_list, p_list, m_list = _flat(counts), _flat(points), _flat(caps)
    if not len(c_list) == len(p_list) == len(m_list):
        raise _Bad("次数、分值与上限数量不同", "counts, points and caps differ in length")
    parts = [contribution(_number(c, "次数", "count") or 0.0, _present(p, "分值", "points"), _present(m, "上限", "cap"))
             for c, p, m in zip(c_list, p_list, m_list)]
    return clamp_adjustment(parts, _present(low, "下限", "min"), _present(high, "上限", "max"))


@xw.func
@xw.arg("labels", ndim=1)
@xw.arg("coefficients", ndim=1)
@_as_message
def KPICOEF(grade: Any, labels: Any, coefficients: Any) -> Any:
    """The performance coefficient (绩效系数) of a grade label; "" for a blank grade."""
    if _is_blank(grade):
        return ""
    l_list, c_list = _flat(labels), _flat(coefficients)
    if len(l_list) != len(c_list):
        raise _Bad("等级与系数数量不同", "labels and coefficients differ in length")
    for lab, coef in zip(l_list, c_list):
        if str(lab).strip() == str(grade).strip():
            return _present(coef, "系数", "coefficient")
    raise _Bad(f"没有等级 {grade!r}", f"no grade {grade!r}")


@xw.func
@xw.ret(expand=None)
@_as_message
def SMARTCHECK(text: Any, lang: Any = None, detail: Any = False) -> Any:
    """SMART verdict of a goal text: "S✓ M✗ A? R? T✗ · 缺少量化标准和时限".

    detail=TRUE returns one row of five cells (S, M, A, R, T), each the verdict and its reason.
    """
    if _is_blank(text):
        return ""
    if not isinstance(text, str):
        text = f"{text:g}" if isinstance(text, float) else str(text)
    result = check_smart(text, lang if lang in ("zh", "en") else None)
    if not detail:
        return summary_line(result)
    marks = {"pass": "✓", "fail": "✗", "unknown": "?"}
    return [[f"{c}{marks[getattr(result, k)]} {result.reasons[k]}" for c, k in zip("SMART", CRITERIA)]]

