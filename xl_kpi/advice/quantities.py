"""Quantities in goal texts, and the time expressions that are never one.

A period or a date says *when* (Q3, 2026年, 五月底, by the end of Q2, in FY2026); the numbers in
it are not a measure. What is left may hold quantities, each parsed with its magnitude —
13万元 → 130000, 1.2m → 1200000, 85% → 0.85 — and read as a level (提升至90分, reach 130k) or a
change (降低30%, 增长2万, by 20%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quantity", "quantities", "strip_time", "time_spans", "TIME_ZH", "TIME_EN"]

_CN_DIGIT = "零一二两三四五六七八九十"
_CN_MONTH = r"(十[一二]?|[一二三四五六七八九])"
# The periods and dates, each behind a look-ahead for the characters one can start with: a position
# that starts none is passed over at once instead of trying every alternative (8 µs → 3 µs a goal).
# tests/test_smart.py holds the prefixed patterns to the same matches as the bare ones.
TIME_ZH_STARTS = r"(?=[\dQHF第一二三四五六七八九十上下本这今明季年月全当次每截之以前内周半])"
TIME_EN_STARTS = r"(?=[\dA-Z])"
_TIME_ZH = (
    r"(Q[1-4](\s*季度)?|H[12]|FY\s?\d{2,4}|第[一二三四1-4]季度|[一二三四1-4]季度|[上下本这今明]季度|季度末|季末|季度|年度|月度|全年|"
    r"本月|下月|上月|当月|次月|月底|月末|月初|月中|年底|年末|年初|年中|本年|今年|明年|上半年|下半年|半年|本周|下周|"
    r"每周|每月|每日|每天|每季度|每季|每年|当季|"
    r"(?<!\d)(19|20)\d{2}\s*年(\s*\d{1,2}\s*月)?|(?<!\d)(19|20)\d{2}(?=\s*(Q|H|第|上|下|全|年|季))|"
    rf"(?<![\d{_CN_DIGIT}])(\d{{1,2}}|{_CN_MONTH})\s*月\s*(份|底|末|初|中)?\s*(\d{{1,2}}\s*[日号])?|"
    r"(?<!\d)\d{1,2}\s*[日号]前|截至|截止|之前|以前|前完成|内完成|"
    r"(?<!\d)\d{1,6}\s*(天|日|周|个月|月|年)内|周内|月内|年内|"
    r"(?<!\d)(19|20)\d{2}[-/.]\d{1,2}([-/.]\d{1,2})?)")
TIME_ZH = re.compile(TIME_ZH_STARTS + _TIME_ZH, re.I)
_YEAR_AFTER = "".join(rf"(?<={w}\s)|" for w in ("in", "by", "for", "of", "until", "before", "after", "during", "since"))[:-1]
_TIME_EN = (
    r"(Q[1-4](\s+(19|20)\d{2})?|H[12]|FY\s?\d{2,4}|(19|20)\d{2}[-/.]\d{1,2}([-/.]\d{1,2})?|"
    rf"(?:{_YEAR_AFTER})(19|20)\d{{2}}|^(19|20)\d{{2}}|(19|20)\d{{2}}(?=\s*(goal|target|plan|:))|"
    r"by\s+(the\s+)?end\s+of|end\s+of\s+(the\s+)?(month|quarter|year|week|sprint)|"
    r"(this|next|each|every|per|a)\s+(day|week|month|quarter|year|sprint)|year\s+over\s+year|"
    r"daily|weekly|monthly|quarterly|annually|yearly|annual|(before|by)\s+(the\s+)?(year|quarter|month)[\s-]end|"
    r"(year|quarter|month)-end|"
    r"within\s+\d{1,6}\s+(days?|weeks?|months?|years?)|in\s+\d{1,6}\s+(days?|weeks?|months?)|deadline|"
    r"(january|february|march|april|may|june|july|august|september|october|november|december)(\s+\d{1,2}(st|nd|rd|th)?)?(,?\s+(19|20)\d{2})?|"
    r"by\s+(mon|tues|wednes|thurs|fri|satur|sun)day|before\s+\w+\s+\d{1,2})\b")
TIME_EN = re.compile(r"\b" + TIME_EN_STARTS + _TIME_EN, re.I)

_MAGNITUDE = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3, "k": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6,
              "b": 1e9, "bn": 1e9, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_DIGITS = re.compile(
    r"(?<![A-Za-z0-9_.])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<dec>\.\d+)?\s*"
    r"(?P<mag>万亿|亿|千万|百万|万|千|(?:k|mn|mm|m|bn|b)(?![a-z])|thousand\b|million\b|billion\b)?\s*(?P<pct>%|％|‰|percent\b)?", re.I)
_CN_NUMBER = re.compile(rf"(?<![{_CN_DIGIT}百千])(?P<cn>[{_CN_DIGIT}]{{1,3}})\s*(?P<mag>万|千|百)?(?=\s*(个|篇|人|次|家|项|单|元|分|倍|成|场|名|位|件|条|套|款|%))"
                        r"(?!次解决|次性|次通过)")
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100, "thousand": 1000,
          "million": 1e6, "half": 0.5, "double": 2, "twice": 2}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.I)
_LEVEL_ZH = re.compile(r"(至|到|达到|达|为|不低于|不少于|不超过|不高于|低于|高于|超过|控制在|保持在|维持在|至少|至多|≥|≤|>|<)\s*$")
_LEVEL_EN = re.compile(r"\b(to|at|reach|reaches|hit|of|at least|at most|no more than|no less than|below|above|under|over|exceed|"
                       r"keep|stay|maintain|>=|<=)\s*\$?\s*$", re.I)
_CHANGE_ZH = re.compile(r"(降低|减少|提升|提高|增长|增加|上升|下降|缩短|压缩|节省|节约|翻)\s*(了)?\s*$")
_CHANGE_EN = re.compile(r"\b(by|up|down|increase|decrease|grow|cut|raise|lift|reduce|improve)\s*\$?\s*$", re.I)


@dataclass(frozen=True)
class Quantity:
    """A number in a goal text with its magnitude: ``value`` is 130000 for 13万, 0.85 for 85%."""

    value: float
    text: str
    start: int
    end: int
    percent: bool = False
    change: bool = False  # a change (降低30%, by 20%, 增长2万), not a level
    level: bool = False  # follows a level marker (提升至, reach, at least)
    magnitude: float = 1.0  # what the text's 万, k, m multiplied by


def time_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Where the periods and dates are (both languages' forms in either: "Q3 NPS提升至50")."""
    spans = [m.span() for m in TIME_ZH.finditer(text)] if lang == "zh" else []
    spans += [m.span() for m in TIME_EN.finditer(text)]
    return sorted(spans)


def strip_time(text: str, lang: str, spans: list[tuple[int, int]] | None = None) -> str:
    """The text with its periods and dates (``spans``, found when not given) blanked out; same
    length, so positions stay."""
    chars = list(text)
    for a, b in time_spans(text, lang) if spans is None else spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _cn_value(cn: str) -> float:
    digits = {c: k for k, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    if "十" in cn:
        tens, _, ones = cn.partition("十")
        return float(digits.get(tens, 1) * 10 + digits.get(ones, 0)) if all(c in digits for c in tens + ones) else 0.0
    return float(digits.get(cn, 0)) if len(cn) == 1 else 0.0


def _kind(text: str, start: int, lang: str) -> tuple[bool, bool]:
    """(level, change) from the dozen characters before the number at ``start``."""
    tail = text[max(0, start - 12) : start]
    if lang == "zh":
        return bool(_LEVEL_ZH.search(tail) or _LEVEL_EN.search(tail)), bool(_CHANGE_ZH.search(tail))
    return bool(_LEVEL_EN.search(tail)), bool(_CHANGE_EN.search(tail))


def quantities(text: str, lang: str, clean: str | None = None) -> list[Quantity]:
    """The quantities outside time expressions, in order (``clean``: the text already through
    :func:`strip_time`, when the caller has it)."""
    clean = strip_time(text, lang) if clean is None else clean
    found: list[Quantity] = []
    for m in _DIGITS.finditer(clean):
        value = float(m.group("num").replace(",", "") + (m.group("dec") or ""))
        mag = (m.group("mag") or "").lower()
        value *= _MAGNITUDE.get(mag, 1.0)
        pct = m.group("pct") or ""
        if pct:
            value = round(value / (1000 if pct == "‰" else 100), 12)
        level, change = _kind(clean, m.start(), lang)
        tail = clean[m.end(): m.end() + 12].lower()
        if lang == "en" and re.match(r"\s*(more|less|fewer|higher|lower|up|down)\b", tail):
            change = True
        found.append(Quantity(value, m.group(0).strip(), m.start(), m.end(), bool(pct), change and not level, level,
                              _MAGNITUDE.get(mag, 1.0)))
    for m in _CN_NUMBER.finditer(clean):
        value = _cn_value(m.group("cn")) * {"万": 1e4, "千": 1e3, "百": 1e2}.get(m.group("mag") or "", 1.0)
        if value:
            level, change = _kind(clean, m.start(), lang)
            found.append(Quantity(value, m.group(0), m.start(), m.end(), False, change and not level, level,
                                  {"万": 1e4, "千": 1e3, "百": 1e2}.get(m.group("mag") or "", 1.0)))
    if lang == "en":
        for m in _WORD_NUMBER.finditer(clean):
            if not any(q.start <= m.start() < q.end for q in found):
                level, change = _kind(clean, m.start(), lang)
                word = m.group(1).lower()
                found.append(Quantity(float(_WORDS[word]), m.group(0), m.start(), m.end(), False,
                                      word in ("double", "twice", "half") or (change and not level), level))
    return sorted(found, key=lambda q: q.start)
