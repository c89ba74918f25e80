"""Turn what people type into actuals the engine can score, recording every change — the one rule
``xl-kpi score``, consolidation and the API share (the xlwings functions read text numbers with
the same :func:`parse_number`).

Returned workbooks hold numbers stored as text, ``"105%"``, full-width digits ``１１``,
thousands separators, stray spaces and units. Each is normalised *and recorded*. In a percent
indicator a plain number above 1000% is a percentage typed without its sign (105 → 105%);
a plain number from 200% to 1000% could mean two things (5: 5% or 500%?) and is not scored,
never silently guessed; and a value outside what the indicator accepts (a negative count of
complaints, more than 1000%, outside the spec's ``range``) is not scored either.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..core.findings import Finding, finding
from ..core.text import Text
from ..spec.model import PERCENT_MAX, Indicator

__all__ = ["Normalised", "normalise_actual", "normalise_finding", "parse_number", "chinese_whole_number", "how_read", "NOTE_WORDS"]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACES = "\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff\t\r\n "
AMBIGUOUS_FROM = 2.0  # 200%-1000%: could be "2" meaning 2% or 200%
_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5,
           "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}


@dataclass(frozen=True)
class Normalised:
    """An actual after normalisation: ``value`` (None = blank), notes, and an error if unusable."""

    value: float | str | None
    notes: tuple[str, ...] = field(default_factory=tuple)  # codes: text-number, percent-text, …
    error: str | None = None  # code: not-a-number, boolean, not-finite, unknown-level, ambiguous-percent, out-of-range
    ambiguous: bool = False


def parse_number(text: str) -> tuple[float | None, list[str]]:
    """A number from text as people type it; ``None`` if it is not one. Returns the notes."""
    notes: list[str] = []
    folded = unicodedata.normalize("NFKC", text)
    if folded != text:
        notes.append("full-width")
    stripped = folded.strip(_SPACES)
    if stripped != folded:
        notes.append("spaces")
    percent = stripped.endswith("%")
    if percent:
        stripped = stripped[:-1].strip(_SPACES)
    if _THOUSANDS.match(stripped):
        stripped = stripped.replace(",", "")
        notes.append("thousands")
    if not stripped.isascii() or not _NUMBER.match(stripped):
        return None, notes  # rejects nan, inf, 1_000 and non-ASCII digits that float() accepts
    value = float(stripped)
    if percent:  # in decimal, as Excel reads "99.9%" and the specs read their percentages: 0.999, not 99.9 / 100
        value = float(Decimal(stripped) / 100)
        notes.append("percent-text")
    notes.append("text-number")
    return value, notes


def chinese_whole_number(text: str) -> int | None:
    """A whole number written in Chinese numerals (四, 十二, 二十, 一百零五, 两千, 贰拾), below 10,000; None otherwise
    (digits in a row, 三五, mean "three or five")."""
    text = text.strip(_SPACES)
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):  # one digit; 三五 is "three or five", never 35
        return _DIGITS[text] if len(text) == 1 else None
    total, digit, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _DIGITS:
            if digit is not None:
                return None  # two digits in a row: 二三十
            if _DIGITS[ch]:
                digit = _DIGITS[ch]  # 零 only holds a place: 一百零五
        else:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None  # 十百, 百百
            total += (1 if digit is None else digit) * unit  # 十二: a bare 十 is one ten
            digit, last_unit = None, unit
    return total + (digit or 0)


def normalise_actual(ind: Indicator, raw: Any, percent_cell: bool = False) -> Normalised:
    """Normalise one typed actual for ``ind``; ``percent_cell``: a number from a workbook cell formatted
    as a percentage is read as typed (300% is 3, never ambiguous, never rescaled)."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return Normalised(None)
    if isinstance(raw, str) and not raw.strip(_SPACES):
        return Normalised(None, ("spaces",) if raw else ())
    if isinstance(raw, bool):
        return Normalised(None, error="boolean")
    if ind.takes_label:
        text = unicodedata.normalize("NFKC", str(raw)).strip(_SPACES)
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        spaced: tuple[str, ...] = () if text == raw else ("spaces",)
        if ind.method.score(ind, text) is None:
            return Normalised(None, spaced, error="unknown-level")
        return Normalised(text, spaced)
    notes: list[str] = []
    if isinstance(raw, (int, float)):
        value: float | None = float(raw)
    elif isinstance(raw, str):
        text = raw
        unit = ind.unit.strip()
        if unit and unit != "%" and text.strip(_SPACES).endswith(unit):
            text = text.strip(_SPACES)[: -len(unit)]
            notes.append("unit-suffix")
        value, found = parse_number(text)
        notes += found
        if value is None and ind.is_count and (whole := chinese_whole_number(text)) is not None:
            value = float(whole)
            notes.append("chinese-numeral")
        if value is not None and "percent-text" in found and not ind.is_percent:
            return Normalised(None, tuple(notes), error="not-a-number")
    else:
        value = None
    if value is None:
        return Normalised(None, tuple(notes), error="not-a-number")
    if not math.isfinite(value):
        return Normalised(None, tuple(notes), error="not-finite")
    if ind.is_percent and "percent-text" not in notes and not ind.range and not (percent_cell and isinstance(raw, (int, float))):
        if value > PERCENT_MAX and value / 100 <= PERCENT_MAX:
            value = value / 100
            notes.append("percent-scaled")
        elif AMBIGUOUS_FROM < value <= PERCENT_MAX:
            return Normalised(value, tuple(notes), error="ambiguous-percent", ambiguous=True)
    lo, hi = ind.input_range
    if not lo <= value <= hi:
        return Normalised(value, tuple(notes), error="out-of-range")
    return Normalised(value, tuple(notes))


def normalise_finding(ind: Indicator, raw: Any, norm: Normalised, lang_name: str | None = None, **where: Any) -> Finding | None:
    """What a normalisation says about one typed value, as a finding (None when it was used as typed):
    an error when it cannot be scored, a note when it was read another way than typed."""
    if not norm.error and not norm.notes:
        return None  # used as typed: the common case, decided before anything is formatted
    name = lang_name or ind.name
    shown = _shown(raw)
    plain = raw.strip(_SPACES) if isinstance(raw, str) else shown
    if norm.error == "ambiguous-percent":
        assert isinstance(norm.value, float)
        return finding("ambiguous-percent", **where, indicator=name, value=plain, pct=f"{norm.value * 100:g}%")
    if norm.error == "out-of-range":
        lo, hi = ind.input_range
        allowed = (f"{ind.show(lo)}–{ind.show(hi)}" if hi != math.inf else
                   Text(f"不小于 {ind.show(lo)}", f"{ind.show(lo)} or more"))
        fix = (Text("次数不能为负", "a count cannot be negative") if lo == 0 and isinstance(norm.value, float) and norm.value < 0
               else Text("请核对后改正", "check it and correct it"))
        value: Any = plain
        if (ind.is_percent and isinstance(norm.value, float) and ind.show(norm.value) != str(plain)
                and lo <= norm.value / 100 <= hi):  # 112 meant 112%: say so; 1e308 meant nothing of the kind
            as_read = ind.show(norm.value)  # a number typed into a percentage cell: 112 there is 11200%
            value = Text(f"{plain}(即 {as_read})", f"{plain} (that is {as_read})")
            fix = Text(f"百分比单元格中请输入 {plain}% 或 {norm.value / 100:g}", f"in a percentage cell type {plain}% or {norm.value / 100:g}")
        return finding("out-of-range", **where, indicator=name, value=value, allowed=allowed, fix=fix)
    if norm.error and ind.method.label_input:  # a rating typed, not picked: name the levels it may be
        levels = "/".join(label for label, _ in ind.method.choices(ind) or ())
        return finding("invalid-level", **where, indicator=name, value=shown, levels=levels)
    if norm.error:
        return finding("invalid-actual", **where, indicator=name, value=shown)
    if norm.notes and (isinstance(raw, str) or "percent-scaled" in norm.notes):
        normalised = f"{norm.value:g}" if isinstance(norm.value, float) else str(norm.value)
        if ind.is_percent and isinstance(norm.value, float):
            normalised = ind.show(norm.value)
        return finding("normalised-actual", **where, indicator=name, value=shown, normalised=normalised, how=how_read(norm.notes))
    return None


NOTE_WORDS = {  # what a normalisation did, in the words of a person who typed the value
    "full-width": Text("全角字符", "full-width characters"), "spaces": Text("多余的空格", "extra spaces"),
    "thousands": Text("千位分隔符", "thousands separators"), "percent-text": Text("文本形式的百分数", "a percentage typed as text"),
    "text-number": Text("文本形式的数字", "a number stored as text"), "percent-scaled": Text("漏写了 % 的百分数", "a percentage without its %"),
    "unit-suffix": Text("去掉了单位", "its unit dropped"), "chinese-numeral": Text("中文数字", "a number in Chinese numerals"),
}


def how_read(notes: tuple[str, ...]) -> Text:
    """The notes of a normalisation as words: ("percent-text", "text-number") → 文本形式的百分数."""
    kept = [n for n in notes if not (n == "text-number" and "percent-text" in notes)]
    words = [NOTE_WORDS.get(n, Text(n, n)) for n in kept]
    return Text("、".join(w.zh for w in words), ", ".join(w.en for w in words))


def _shown(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    return repr(raw) if isinstance(raw, str) else f"{raw:g}" if isinstance(raw, float) else str(raw)
