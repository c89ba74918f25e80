"""What Excel hands a sheet function, read the engine's way — in every host.

Classic xlwings, xlwings Server and xlwings Lite hand over floats, ``None`` for blanks (and for
error cells unless told otherwise), lists for rows and columns, lists of lists for blocks and
array constants, integer COM codes or ``"#N/A"`` text for error cells, numbers stored as text,
``"105%"`` and full-width digits. Anything a function cannot use becomes one short message in
both languages — ``⚠ 中文 / English`` — in the cell, never a crash, and a message arriving as
an argument is handed on unchanged (like an Excel error value), so the first cause shows at
the end of a chain of formulas. Only the standard library and the scoring core are used here.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar

from ..core.findings import Finding
from ..scoring.inputs import read_count, read_mark
from ..scoring.normalize import parse_number

__all__ = ["CellError", "MARK", "EXCEL_ERRORS", "DIRECTIONS", "as_message", "is_blank", "number", "present", "flat", "flat_key",
           "direction", "flag", "from_finding", "error_name", "count", "mark"]

MARK = "⚠"
# Excel's error values as classic xlwings passes them (COM error codes) → their names.
EXCEL_ERRORS = {-2146826281: "#DIV/0!", -2146826246: "#N/A", -2146826259: "#NAME?", -2146826288: "#NULL!",
                -2146826252: "#NUM!", -2146826265: "#REF!", -2146826273: "#VALUE!"}
_ERROR_NAMES = frozenset(EXCEL_ERRORS.values()) | {"#SPILL!", "#CALC!", "#GETTING_DATA", "#BUSY!"}
DIRECTIONS = {"higher": "higher", "high": "higher", "高": "higher", "越高越好": "higher", "up": "higher",
              "lower": "lower", "low": "lower", "低": "lower", "越低越好": "lower", "down": "lower"}

F = TypeVar("F", bound=Callable[..., Any])


class CellError(ValueError):
    """An argument the function cannot use; its text (both languages) goes into the cell."""

    def __init__(self, zh: str, en: str | None = None) -> None:
        super().__init__(zh if en is None else f"{MARK} {zh} / {en}")


def from_finding(found: Finding) -> CellError:
    """A finding of the catalogue (a rule the arguments break) as the cell's message."""
    zh, en = found.message("zh"), found.message("en")
    if found.hint is not None and found.hint("en"):
        zh, en = f"{zh}({found.hint('zh')})", f"{en} ({found.hint('en')})"
    return CellError(zh, en)


def as_message(fn: F) -> F:
    """The function's :class:`CellError` becomes its result: the text shows in the cell."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CellError as exc:
            return str(exc)

    return wrapper  # type: ignore[return-value]


def error_name(value: Any) -> str | None:
    """The name of an Excel error value (``#N/A``, or classic xlwings' COM code), else None."""
    if isinstance(value, str) and value.strip() in _ERROR_NAMES:
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return EXCEL_ERRORS.get(value)
    return None


def is_blank(value: Any) -> bool:
    """An empty cell, spaces only, or NaN."""
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and math.isnan(value))


def number(value: Any, what_zh: str, what_en: str) -> float | None:
    """A number from a cell value; None for a blank. Text such as "105%" or "１１" is read as the
    engine reads typed values (:func:`~xl_kpi.scoring.normalize.parse_number`).

    Raises:
        CellError: an error value, TRUE/FALSE, text that is not a number, or a message from another function.
    """
    if type(value) is float and -math.inf < value < math.inf:
        return value  # the common case: Excel hands numbers over as floats
    if is_blank(value):
        return None
    if isinstance(value, str) and value.startswith(MARK):
        raise CellError(value)  # another function's message: hand it on
    err = error_name(value)
    if err:
        raise CellError(f"{what_zh}是错误值 {err}", f"{what_en} is the error {err}")
    if isinstance(value, bool):
        raise CellError(f"{what_zh}不能是逻辑值", f"{what_en} cannot be TRUE/FALSE")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise CellError(f"{what_zh}不是有限数值", f"{what_en} is not a finite number")
        return float(value)
    if isinstance(value, (list, tuple)):
        items = flat(value)
        if len(items) == 1:
            return number(items[0], what_zh, what_en)
        raise CellError(f"{what_zh}应为单个单元格,收到 {len(items)} 个值", f"{what_en} must be one cell, got {len(items)} values")
    if isinstance(value, str):
        parsed, _ = parse_number(value)
        if parsed is not None:
            return parsed
    raise CellError(f"{what_zh} {value!r} 不是数字", f"{what_en} {value!r} is not a number")


def present(value: Any, what_zh: str, what_en: str) -> float:
    """A number that must be there.

    Raises:
        CellError: blank, or not a number (see :func:`number`).
    """
    found = number(value, what_zh, what_en)
    if found is None:
        raise CellError(f"{what_zh}为空", f"{what_en} is blank")
    return found


def flat(values: Any) -> list[Any]:
    """A row, a column, a block or an array constant as one flat list (row by row)."""
    if type(values) is list and not any(type(v) in (list, tuple) for v in values):
        return values  # already what @arg(ndim=1) delivers
    if isinstance(values, (list, tuple)):
        out: list[Any] = []
        for v in values:
            out.extend(flat(v) if isinstance(v, (list, tuple)) else [v])
        return out
    return [values]


def flat_key(values: Any) -> tuple[Any, ...]:
    """A hashable, flat key for a range argument (caches are keyed by the cells' values)."""
    if type(values) is list:
        key = tuple(values)
        try:
            hash(key)  # a nested list is unhashable: that is the check, done in C
            return key if not any(type(v) is tuple for v in key) else tuple(flat(values))
        except TypeError:
            pass
    return tuple(flat(values))


def direction(value: Any) -> str:
    """higher/lower from the words people use (高/低, 越高越好, up/down); blank is higher.

    Raises:
        CellError: any other word.
    """
    if is_blank(value):
        return "higher"
    way = DIRECTIONS.get(str(value).strip().casefold())
    if way is None:
        raise CellError(f"方向 {value!r} 无效,应为 higher/lower 或 高/低", f"direction {value!r} must be higher/lower (高/低)")
    return way


def flag(value: Any, what_zh: str, what_en: str) -> bool:
    """TRUE/FALSE (also 1/0 and the words TRUE/FALSE/是/否); blank is FALSE.

    Raises:
        CellError: anything else.
    """
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().casefold()
    if word in ("true", "是", "yes", "y", "1"):
        return True
    if word in ("false", "否", "no", "n", "0"):
        return False
    raise CellError(f"{what_zh}应为 TRUE 或 FALSE,收到 {value!r}", f"{what_en} must be TRUE or FALSE, got {value!r}")


def _passed_on(value: Any, what_zh: str, what_en: str) -> None:
    """Another function's message or an Excel error value: raise it (they are handed on)."""
    if isinstance(value, str) and value.startswith(MARK):
        raise CellError(value)
    err = error_name(value)
    if err:
        raise CellError(f"{what_zh}是错误值 {err}", f"{what_en} is the error {err}")


def count(value: Any) -> float:
    """An adjustment count read as xl-kpi reads typed counts (:func:`~xl_kpi.scoring.inputs.read_count`):
    blank is 0; 4, "4次", "四", "４" are 4.

    Raises:
        CellError: not a whole number ≥ 0.
    """
    if type(value) is float and value >= 0 and value.is_integer():
        return value
    _passed_on(value, "次数", "a count")
    norm = read_count(value)
    if norm.error or norm.value is None:
        zh, en = {"negative": ("不能为负", "cannot be negative"), "not-whole": ("应为整数", "must be a whole number")}.get(
            norm.error or "", ("无法识别", "cannot be read"))
        raise CellError(f"次数 {value!r} {zh}", f"the count {value!r} {en}")
    return float(norm.value)


def mark(value: Any) -> bool | None:
    """A veto cell: True when marked (是 有 Y Yes √ ✓), False when not (否 无 N No × 0, blank), as xl-kpi
    reads typed marks (:func:`~xl_kpi.scoring.inputs.read_mark`); a number is a count of vetoes (> 0:
    vetoed); None for a mark that cannot be read.

    Raises:
        CellError: an error value, or another function's message.
    """
    _passed_on(value, "否决项", "a veto")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return math.isfinite(value) and value > 0
    norm = read_mark(value)
    return None if norm.error else bool(norm.value)
