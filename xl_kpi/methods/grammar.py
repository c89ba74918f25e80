"""The words of scoring standards as people write them, shared by every method's ``read``.

HR writes standards such as ``≥110%得100分;100%（含）-110%得80分;不足90%得0分`` or
``每发生1次扣20分,扣完为止``. Each method reads the sentences of its own form (see
:meth:`~xl_kpi.methods.base.Method.read`) with the pieces here: one normalisation (full-width
symbols, dashes, thousands separators), quantities with units (``110%`` → 1.1 exactly as the
decimal reads, ``12个``, ``5万元``), scores (``得80分``, ``80分``, ``不得分``, ``: 80 pts``) and
conditions (``≥``, ``以上``, ``不足``, ranges with - ~ 至 到, ``(含)``). The sentences the methods
print on every scorecard (``describe``) are written in this grammar, so they read back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ..core.text import Text

__all__ = ["Context", "Reading", "Unreadable", "Quantity", "Bound", "Interval", "normalize", "clauses", "number_text",
           "value_text", "split_score", "parse_condition", "quantity", "QUANTITY", "UNITS", "unit_pattern", "NUM",
           "percent_fraction", "find_points", "OTHERWISE", "unread", "SAYS_SCORE"]

Own = Literal["in", "out", "?"]  # a bound includes its value, excludes it, or the text does not say

# Units people put after numbers, longest first when matched. The indicator's own unit is added per reading.
UNITS = ("万元", "千元", "亿元", "百万", "人次", "小时", "分钟", "工作日", "个工作日", "公里", "%", "‰", "元", "万", "个", "次", "件",
         "人", "篇", "家", "项", "单", "例", "起", "位", "名", "批次", "批", "处", "宗", "天", "日", "周", "月", "秒", "台", "套", "户", "笔", "张", "份",
         "条", "吨", "分", "h", "min", "days", "day", "hours", "hour", "minutes", "customers", "cases", "items", "people",
         "times", "articles", "orders", "points", "pts", "k", "km", "kg")
NUM = r"(?<![\w.%)])-?\d+(?:\.\d+)?|\d+(?:\.\d+)?"

_REPLACE = (("≧", "≥"), ("≦", "≤"), ("⩾", "≥"), ("⩽", "≤"), (">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"),
            ("−", "-"), ("–", "-"), ("—", "-"), ("―", "-"), ("〜", "~"), ("【", "["), ("】", "]"), ("*", "×"),
            ("÷", "/"), ("﹪", "%"), ("≈", "="))


def normalize(text: str) -> str:
    """One spelling for what people type many ways: full-width forms, dashes, ``>=``, ``1,200``."""
    s = unicodedata.normalize("NFKC", str(text))
    for a, b in _REPLACE:
        s = s.replace(a, b)
    s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)
    s = re.sub(r"(?<=\d)\s*个百分点", "%", s)  # "1个百分点" is a percentage point
    s = re.sub(r"(?<=\d)\s*percentage points?", "%", s, flags=re.I)
    s = re.sub(r"[ \t\u00a0]+", " ", s)
    s = re.sub(r"(?<![第统唯同单逐\d])([一两二三四五六七八九十])(?=\s*(?:次|周|天|项|处|起|例|批|小时|份|件|张|条|个工作日|个月|家)"
               r"\s*(?:扣|减|不|未|以上|及以上|得|为|,|;|。|$|的|或|以内|内|以下))",
               lambda m: str(_NUMERALS[m[1]]), s)  # "发现一次扣2分": 1次
    # a range written as two comparisons split by "/": "100%>/≥90%" is 90% ≤ x < 100%, "35</≤45" is 35 < x ≤ 45
    s = re.sub(r"(\d+(?:\.\d+)?%?)\s*(>|≥)\s*/\s*(≥|>)\s*(\d+(?:\.\d+)?%?)",
               lambda m: f"{m[4]}{'≤' if m[3] == '≥' else '<'}x{'<' if m[2] == '>' else '≤'}{m[1]}", s)
    s = re.sub(r"(\d+(?:\.\d+)?%?)\s*(<|≤)\s*/\s*(≤|<)\s*(\d+(?:\.\d+)?%?)", r"\1\2x\3\4", s)
    return _intervals(s.strip())


_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_BOUND = r"(\d+(?:\.\d+)?\s*[^\d\s,;()\[\]]{0,3}?)"


def _intervals(s: str) -> str:
    """Interval notation into the range words the conditions read (its comma would split the clause):
    ``[100%,110%)`` → ``100%(含)~110%(不含)``, ``[110%,+∞)`` → ``≥110%``, ``(-∞,90%)`` → ``<90%``."""
    s = re.sub(rf"\[\s*{_BOUND}\s*,\s*\+?(?:∞|inf)\s*\)", r"≥\1", s)
    s = re.sub(rf"\(\s*\+?{_BOUND}\s*,\s*\+?(?:∞|inf)\s*\)", r">\1", s)
    s = re.sub(rf"\(\s*-(?:∞|inf)\s*,\s*{_BOUND}\s*\)", r"<\1", s)
    s = re.sub(rf"\(\s*-(?:∞|inf)\s*,\s*{_BOUND}\s*\]", r"≤\1", s)

    def pair(m: re.Match[str]) -> str:
        return (f"{m[2]}{'(含)' if m[1] == '[' else '(不含)'}~{m[3]}{'(含)' if m[4] == ']' else '(不含)'}")

    return re.sub(rf"([\[(])\s*{_BOUND}\s*,\s*{_BOUND}\s*([\])])", pair, s)


OTHERWISE = re.compile(r"否则|其他|其它|其余|以外|未达到以上|低于以上|otherwise|else|any other|all other", re.I)


def clauses(text: str, *, commas: bool = True) -> list[str]:
    """The parts of a standard: split at ``;`` and line ends (and ``,`` ``、`` unless ``commas`` is
    false); a part that only gives a score is joined to the condition before it."""
    text = _RUN_ON.sub(r"\g<0>;", text)  # "…以上 20 分85 分以上 10 分…": a score, then the next clause with no mark between
    parts = [p.strip(" .。") for p in re.split(r"[;\n\r。,、]+" if commas else r"[;\n\r。]+", text)]
    out: list[str] = []
    for p in parts:
        if not p:
            continue
        if out and _bare_score(p) and not _scored(out[-1]):
            out[-1] = f"{out[-1]},{p}"
        else:
            out.append(p)
    return out


_RUN_ON = re.compile(r"(?<=\d)\s*分(?!钟|以上|以下|及以上|及以下|以内|之间|\(|为|得|制|值|数|\s*[-~至到/—])(?=\s*[\d\u4e00-\u9fff])")


def _bare_score(part: str) -> bool:
    return bool(re.fullmatch(r"(?:得分为|得分|得|计|为|:|=)?\s*\d+(?:\.\d+)?\s*(?:分|points?|pts?)?", part, re.I)
                or _ZERO_TAIL.fullmatch(part))


def _scored(part: str) -> bool:
    rest, score = split_score(part)
    return score is not None and bool(re.search(r"\d", rest) or OTHERWISE.search(rest))


@dataclass(frozen=True)
class Context:
    """What the rest of the table says about the indicator whose standard is read."""

    unit: str = ""  # the unit column ("%" for rates), "" when the table does not say
    target: float | str | None = None
    direction: str | None = None  # from a direction column; None when the table does not say
    lang: str = "zh"
    points: float | None = None  # a card of points: the row's full points (its scores are in them)


@dataclass
class Reading:
    """A standard read into a method's ``scoring:`` mapping, with what was inferred on the way."""

    scoring: dict[str, Any]
    direction: str | None = None  # what the sentence says about the direction (None: nothing)
    unit: str | None = None  # the unit its numbers carry ("%" for percentages)
    target: float | None = None  # a target the sentence states ("达到目标100%得100分")
    notes: list[Text] = field(default_factory=list)  # inferences, stated in the imported YAML
    warnings: list[Text] = field(default_factory=list)  # readings the user should confirm
    implied_target: float | None = None  # the target to take when the table gives none (said in ``implied_note``)
    implied_note: Text | None = None
    full_said: float | None = None  # the score at full marks the sentence itself states
    assumed_full: bool = False  # the method took the full score it was not told (a deduction's start, 得满分)


class Unreadable(Exception):
    """The sentence is of this method's form but cannot be read: why, and a form that can be."""

    def __init__(self, reason: Text, example: str = "") -> None:
        super().__init__(reason.en)
        self.reason = reason
        self.example = example


@dataclass(frozen=True)
class Quantity:
    """A number as written: its decimal value, unit (``%`` for percent) and whether it is relative to the target."""

    value: Decimal
    unit: str = ""

    @property
    def percent(self) -> bool:
        return self.unit in ("%", "‰")

    def as_float(self) -> float:
        """Percent as a fraction of the same decimal (``110%`` → 1.1, exactly what YAML's ``1.1`` is)."""
        if self.unit == "%":
            return float(self.value / 100)
        if self.unit == "‰":
            return float(self.value / 1000)
        return float(self.value)


def unit_pattern(extra: str = "") -> str:
    """The alternation of units (the indicator's own unit first), longest first."""
    units = sorted({*UNITS, *([extra] if extra else [])}, key=len, reverse=True)
    return "|".join(re.escape(u) for u in units)


QUANTITY = re.compile(rf"(?P<n>{NUM})\s*(?P<u>{unit_pattern()})?", re.I)


def quantity(text: str, unit: str = "") -> Quantity | None:
    """The whole text as one quantity (``"110%"``, ``"10个/季度"`` → 10 个), or None."""
    s = normalize(text)
    m = re.fullmatch(rf"(?P<n>{NUM})\s*(?P<u>{unit_pattern(unit)})?\s*(?:/\s*\S+|每\S+|per \S+)?", s, re.I)
    if not m:
        return None
    try:
        return Quantity(Decimal(m["n"]), m["u"] or "")
    except InvalidOperation:
        return None


def percent_fraction(text: str) -> float:
    """``"33.33"`` percent as the fraction YAML's ``0.3333`` is (no binary noise from dividing a float)."""
    return float(Decimal(text) / 100)


def number_text(x: float) -> str:
    """A number as people write it, exact: 80.0 → "80", 0.1 → "0.1" (the shortest form that reads back)."""
    d = Decimal(repr(float(x)))
    return _plain(d)


def _plain(d: Decimal) -> str:
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


def value_text(x: float, percent: bool) -> str:
    """A value in the indicator's notation, exact: 1.1 → "110%" for a rate, else the number."""
    if percent:
        return _plain(Decimal(repr(float(x))) * 100) + "%"
    return number_text(x)


# --- scores ---------------------------------------------------------------------------------
_SCORE_WORD = r"(?:分|points?|pts?\.?|marks?)"
_SCORE_TAIL = re.compile(
    rf"(?:(?P<pre>得分为|得分|得|计分|计|记|为|给|:|=|→|->|,)\s*)?(?P<s>\d+(?:\.\d+)?)\s*(?P<suf>{_SCORE_WORD})?\s*$", re.I)
_ZERO_TAIL = re.compile(r"(?:,|:)?\s*(?:不得分|不计分|无分|零分|得零分|no points?|zero points?|nothing|(?<![\d.])0 pts?)\s*$", re.I)
_SCORE_HEAD = re.compile(rf"^(?P<s>\d+(?:\.\d+)?)\s*{_SCORE_WORD}\s*[:(]\s*(?P<rest>.+?)\)?$", re.I)


def split_score(part: str) -> tuple[str, float | None]:
    """``"≥110%得100分"`` → ``("≥110%", 100.0)``; the score needs a word (得, 分, :, pts) to be told
    from a condition's number. No score → ``(part, None)``."""
    m = _ZERO_TAIL.search(part)
    if m:
        return part[: m.start()].strip(), 0.0
    m = _SCORE_TAIL.search(part)
    if m and (m["pre"] or m["suf"]) and m.start() > 0:
        return part[: m.start()].strip(), float(m["s"])
    m = _SCORE_HEAD.match(part)
    if m:
        return m["rest"].strip(), float(m["s"])
    return part, None


SAYS_SCORE = re.compile(r"\d|扣|加分|得分|不得分|满分|否决|取消|零分|记零|pts|points?\b|\bscore|marks|minus|deduct|bonus|zero", re.I)


def unread(text: str, spans: list[tuple[int, int]], harmless: str = "") -> str | None:
    """The first clause of ``text`` (already normalised) that says something about the score — a number
    or a scoring word — outside ``spans`` (what a method read) and ``harmless`` (its fixed phrases such as
    扣完为止); None when every such clause was read. A method refuses a standard with such a clause
    rather than read the rest and drop it."""
    kept = list(text)
    for a, b in spans:
        for i in range(a, b):
            kept[i] = " "
    rest = "".join(kept)
    if harmless:
        rest = re.sub(harmless, " ", rest, flags=re.I)
    for part, original in zip(re.split(r"[;,。\n、]+", rest), re.split(r"[;,。\n、]+", text)):
        if SAYS_SCORE.search(part):
            return original.strip(" .")
    return None


def find_points(pattern: str, text: str) -> float | None:
    """The number of the first match of ``pattern`` (its group ``n``), or None."""
    m = re.search(pattern, text, re.I)
    return float(m["n"]) if m else None


# --- conditions -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Bound:
    q: Quantity
    own: Own


@dataclass(frozen=True)
class Interval:
    """Where a condition holds: ``lo``/``hi`` (None when unbounded), each including its value or not."""

    lo: Bound | None
    hi: Bound | None
    relative: bool = False  # the values are multiples of the target ("≥目标的120%")

    @property
    def point(self) -> bool:
        return self.lo is not None and self.hi is not None and self.lo.q == self.hi.q

    def position(self) -> tuple[float, int]:
        """Where the interval lies, for ordering: its middle; just above/below its one bound when open."""
        if self.lo is not None and self.hi is not None:
            return ((self.lo.q.as_float() + self.hi.q.as_float()) / 2, 0)
        if self.lo is not None:
            return (self.lo.q.as_float(), 1)
        assert self.hi is not None
        return (self.hi.q.as_float(), -1)


_GE_PRE = ("大于或等于", "大于等于", "不低于", "不少于", "不小于", "至少", "达到", "达", "≥", "at least", "no less than", "not less than",
           "minimum")
_GT_PRE = ("大于", "高于", "超过", "超出", "多于", ">", "more than", "greater than", "above", "over", "exceeds", "exceeding")
_LE_PRE = ("小于或等于", "小于等于", "不高于", "不超过", "不多于", "不大于", "最多", "≤", "at most", "no more than", "not more than",
           "up to", "maximum")
_LT_PRE = ("未达到", "小于", "低于", "不足", "未达", "不到", "少于", "<", "less than", "fewer than", "below", "under")
_EQ_PRE = ("等于", "=", "exactly", "equal to", "equals")
_GE_SUF = ("(含)以上", "以上(含)", "及以上", "或以上", "and above", "or above", "or more", "and over", "or higher", "+")
_GE_SUF_LOOSE = ("以上",)
_LE_SUF = ("(含)以下", "以下(含)", "及以下", "或以下", "以内", "之内", "or below", "or less", "or fewer", "and below", "or lower")
_LE_SUF_LOOSE = ("以下",)
_INCL = r"\((?:含|包含|含本数|inclusive|incl\.?)\)"
_EXCL = r"\((?:不含|不包含|exclusive|excl\.?)\)"
_RELATIVE = re.compile(r"(?:考核)?目标值?\s*(?:的|×|x)\s*|(?:of|×)\s*(?:the\s*)?target|target\s*×\s*", re.I)


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _own(marker: str | None, default: Own) -> Own:
    if not marker:
        return default
    return "out" if re.fullmatch(_EXCL, marker, re.I) else "in"


class _Patterns:
    """The condition patterns for one unit (compiled once per unit)."""

    def __init__(self, unit: str) -> None:
        q = rf"(?P<{{g}}>{NUM})\s*(?P<{{g}}u>{unit_pattern(unit)})?\s*(?P<{{g}}m>{_INCL}|{_EXCL})?"
        a, b = q.format(g="a"), q.format(g="b")
        sep = r"\s*(?:-|~|至|到|to|and|—)\s*"
        self.range = re.compile(rf"(?:between\s*|在\s*)?{a}{sep}{b}(?:\s*之间)?", re.I)
        self.chain = re.compile(rf"{a}\s*(?P<op1>≤|<)\s*[^\d≤<≥>]*?\s*(?P<op2>≤|<)\s*{b}", re.I)
        self.chain_down = re.compile(rf"{a}\s*(?P<op1>≥|>)\s*[^\d≤<≥>]*?\s*(?P<op2>≥|>)\s*{b}", re.I)
        self.interval = re.compile(rf"(?P<l>[\[(])\s*{a}\s*,\s*{b}\s*(?P<r>[\])])")
        ops = "|".join(f"(?P<{k}>{_alt(w)})" for k, w in (("ge", _GE_PRE), ("le", _LE_PRE), ("gt", _GT_PRE),
                                                           ("lt", _LT_PRE), ("eq", _EQ_PRE)))
        self.prefix = re.compile(rf"(?:{ops})\s*{a}", re.I)
        sufs = "|".join(f"(?P<{k}>{_alt(w)})" for k, w in (("ge", _GE_SUF), ("le", _LE_SUF), ("gel", _GE_SUF_LOOSE),
                                                           ("lel", _LE_SUF_LOOSE)))
        self.suffix = re.compile(rf"{a}\s*(?:{sufs})", re.I)
        self.plain = re.compile(a, re.I)


_PATTERNS: dict[str, _Patterns] = {}


def _patterns(unit: str) -> _Patterns:
    if unit not in _PATTERNS:
        _PATTERNS[unit] = _Patterns(unit)
    return _PATTERNS[unit]


def _q(m: re.Match[str], g: str, partner: str | None = None) -> Quantity:
    unit = m[f"{g}u"] or (m[f"{partner}u"] if partner and m[f"{partner}u"] else "") or ""
    return Quantity(Decimal(m[g]), unit)


def parse_condition(text: str, unit: str = "") -> Interval | None:
    """The interval a condition describes (``"100%(含)-110%"``, ``"不足90%"``, ``"110%以上"``,
    ``"=100%"``, ``"100%≤完成率<110%"``), or None when it is not one condition on one number.

    Words around the condition (完成率, 实际, 当) are allowed; a second number is not.
    """
    s = normalize(text)
    relative = bool(_RELATIVE.search(s))
    if relative:
        s = _RELATIVE.sub("", s)
    p = _patterns(unit)
    for kind, rx in (("interval", p.interval), ("chain", p.chain), ("chain_down", p.chain_down), ("range", p.range),
                     ("prefix", p.prefix), ("suffix", p.suffix), ("plain", p.plain)):
        m = rx.search(s)
        if not m:
            continue
        rest = s[: m.start()] + " " + s[m.end():]
        if re.search(r"\d", rest):
            return None
        return _interval(kind, m, relative)
    return None


def _interval(kind: str, m: re.Match[str], relative: bool) -> Interval:
    if kind == "interval":
        lo, hi = _q(m, "a", "b"), _q(m, "b", "a")
        return Interval(Bound(lo, "in" if m["l"] == "[" else "out"), Bound(hi, "in" if m["r"] == "]" else "out"), relative)
    if kind == "chain":
        return Interval(Bound(_q(m, "a", "b"), "in" if m["op1"] == "≤" else "out"),
                        Bound(_q(m, "b", "a"), "in" if m["op2"] == "≤" else "out"), relative)
    if kind == "chain_down":
        return Interval(Bound(_q(m, "b", "a"), "in" if m["op2"] == "≥" else "out"),
                        Bound(_q(m, "a", "b"), "in" if m["op1"] == "≥" else "out"), relative)
    if kind == "range":
        lo, hi = _q(m, "a", "b"), _q(m, "b", "a")
        if lo.as_float() > hi.as_float():
            lo, hi = hi, lo
        return Interval(Bound(lo, _own(m["am"], "?")), Bound(hi, _own(m["bm"], "?")), relative)
    q = _q(m, "a")
    marked = _own(m["am"], "?")
    if kind == "prefix":
        if m["ge"]:
            return Interval(Bound(q, "in"), None, relative)
        if m["gt"]:
            return Interval(Bound(q, "out"), None, relative)
        if m["le"]:
            return Interval(None, Bound(q, "in"), relative)
        if m["lt"]:
            return Interval(None, Bound(q, "out"), relative)
        return Interval(Bound(q, "in"), Bound(q, "in"), relative)
    if kind == "suffix":
        if m["ge"] or m["gel"]:
            return Interval(Bound(q, "in" if m["ge"] else marked), None, relative)
        return Interval(None, Bound(q, "in" if m["le"] else marked), relative)
    return Interval(Bound(q, "in"), Bound(q, "in"), relative)
