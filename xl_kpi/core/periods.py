"""Assessment periods as HR writes them, read one way by ``build``, ``import``, consolidation and ``rollup``.

``2026Q4``, ``2026-Q4``, ``Q4 2026``, ``2026年Q4``, ``2026年第四季度``, ``二〇二六年四季度``, ``2026年12月``,
``2026-12``, ``Dec 2026``, ``2026年上半年``, ``H1 2026``, ``2026年度``, ``FY2026`` and date ranges such as
``2026年10月1日-2026年12月31日`` or ``2026-10-01 ~ 2026-12-31`` (a range that is exactly a quarter, a
month, a half or a year is that period). Each becomes a :class:`Period` with one canonical code —
``2026-Q4``, ``2026-12``, ``2026-H1``, ``2026``, or ``2026-10-01~2026-11-15`` — so two ways of writing
one period are one period, and a period that cannot be read is said to be so, never dropped.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = ["Period", "parse_period", "period_code", "PERIOD_EXAMPLES"]

Kind = Literal["year", "half", "quarter", "month", "range"]
PERIOD_EXAMPLES = "2026Q4, 2026年第四季度, 2026年12月, 2026年上半年, 2026年度, 2026-10-01~2026-12-31"

_CN = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}
_MONTHS = {m.lower(): k for k, m in enumerate(calendar.month_name) if m} | {m.lower(): k for k, m in enumerate(calendar.month_abbr) if m}
_MONTHS["sept"] = 9


@dataclass(frozen=True, order=True)
class Period:
    """A period from ``start`` to ``end`` (both days included), and what kind of period it is."""

    start: datetime.date
    end: datetime.date
    kind: Kind

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def code(self) -> str:
        """The canonical text: ``2026-Q4``, ``2026-12``, ``2026-H1``, ``2026`` or ``2026-10-01~2026-11-15``."""
        if self.kind == "year":
            return f"{self.year}"
        if self.kind == "half":
            return f"{self.year}-H{1 if self.start.month == 1 else 2}"
        if self.kind == "quarter":
            return f"{self.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.year}-{self.start.month:02d}"
        return f"{self.start.isoformat()}~{self.end.isoformat()}"

    @property
    def slot(self) -> str:
        """Its place in its year: ``Q4``, ``M12``, ``H1``, ``Y`` (a range: its code)."""
        if self.kind == "quarter":
            return f"Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"M{self.start.month:02d}"
        if self.kind == "half":
            return f"H{1 if self.start.month == 1 else 2}"
        return "Y" if self.kind == "year" else self.code

    def label(self, lang: str) -> str:
        """As people write it: ``2026年第四季度`` / ``Q4 2026``."""
        zh = lang == "zh"
        if self.kind == "year":
            return f"{self.year}年度" if zh else f"{self.year}"
        if self.kind == "half":
            first = self.start.month == 1
            return f"{self.year}年{'上' if first else '下'}半年" if zh else f"H{1 if first else 2} {self.year}"
        if self.kind == "quarter":
            q = (self.start.month - 1) // 3 + 1
            return f"{self.year}年第{'一二三四'[q - 1]}季度" if zh else f"Q{q} {self.year}"
        if self.kind == "month":
            return f"{self.year}年{self.start.month}月" if zh else f"{calendar.month_name[self.start.month]} {self.year}"
        return f"{self.start.isoformat()} ~ {self.end.isoformat()}"


def _of(kind: Kind, year: int, first_month: int, months: int) -> Period:
    last = first_month + months - 1
    return Period(datetime.date(year, first_month, 1), datetime.date(year, last, calendar.monthrange(year, last)[1]), kind)


def _range(start: datetime.date, end: datetime.date) -> Period:
    """A date range, named as the period it is exactly when it is one."""
    if start.day == 1 and end == datetime.date(end.year, end.month, calendar.monthrange(end.year, end.month)[1]) \
            and start.year == end.year:
        months = end.month - start.month + 1
        if months == 12:
            return _of("year", start.year, 1, 12)
        if months == 6 and start.month in (1, 7):
            return _of("half", start.year, start.month, 6)
        if months == 3 and start.month in (1, 4, 7, 10):
            return _of("quarter", start.year, start.month, 3)
        if months == 1:
            return _of("month", start.year, start.month, 1)
    return Period(start, end, "range")


def _plain(text: str) -> str:
    """Full-width folded, Chinese year digits made digits (二〇二六 → 2026), spaces squeezed, lower case."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = re.sub(r"[〇零一二三四五六七八九]{4}(?=年)", lambda m: "".join(_CN[c] for c in m.group()), text)
    return re.sub(r"\s+", " ", text)


_YEAR = r"(?P<y>(?:19|20)\d\d)"
_Q = r"(?P<q>[1-4一二三四])"
_FORMS: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(pattern)) for kind, pattern in [
    ("quarter", rf"^{_YEAR}\s*(?:年度?|fy)?\s*[-/ .]?\s*(?:第\s*{_Q}\s*季度?|q\s*{_Q.replace('q>', 'q2>')}(?:\s*季度)?|{_Q.replace('q>', 'q3>')}\s*季度)$"),
    ("quarter", rf"^(?:q\s*{_Q}|{_Q.replace('q>', 'q2>')}\s*q|第?{_Q.replace('q>', 'q3>')}\s*季度)\s*[-/ ,]?\s*(?:fy)?{_YEAR}\s*年?$"),
    ("half", rf"^{_YEAR}\s*(?:年度?)?\s*[-/ ]?\s*(?:(?P<h>[上下])\s*半年|h\s*(?P<h2>[12]))$"),
    ("half", rf"^(?:h\s*(?P<h>[12])|(?P<h2>[12])\s*h|(?P<h3>first|second)\s+half(?:\s+of)?)\s*[-/ ,]?\s*{_YEAR}$"),
    ("month", rf"^{_YEAR}\s*(?:年\s*(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月(?:份)?|[-/.]\s*(?P<m2>1[0-2]|0?[1-9])|(?P<m3>1[0-2]|0[1-9]))$"),
    ("month", rf"^(?P<name>[a-z]{{3,9}})\.?\s*[-/ ,]?\s*{_YEAR}$"),
    ("year", rf"^(?:fy\s*)?{_YEAR}\s*(?:年度?|fy)?(?:全年)?$"),
]]
_DATE = r"(?:(?P<{p}y>(?:19|20)\d\d)\s*[-/.年]\s*)?(?P<{p}m>1[0-2]|0?[1-9])\s*[-/.月]\s*(?P<{p}d>3[01]|[12]\d|0?[1-9])\s*日?"
_RANGE = re.compile(rf"^{_DATE.format(p='a')}\s*(?:-|~|～|—|–|至|到|to)+\s*{_DATE.format(p='b')}$")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _CN_MONTH[text]


def parse_period(text: str) -> Period | None:
    """The period ``text`` names, or None when it names none that can be told (a quarter without a year,
    ``本季度``, a date that does not exist)."""
    if not isinstance(text, str) or not text.strip():
        return None
    plain = _plain(text)
    try:
        for kind, form in _FORMS:
            m = form.match(plain)
            if m is None:
                continue
            g = {k: v for k, v in m.groupdict().items() if v}
            year = int(g["y"])
            if kind == "quarter":
                q = _number(g.get("q") or g.get("q2") or g["q3"])
                return _of("quarter", year, 3 * q - 2, 3)
            if kind == "half":
                h = g.get("h") or g.get("h2") or g["h3"]
                return _of("half", year, 1 if h in ("上", "1", "first") else 7, 6)
            if kind == "month":
                if "name" in g:
                    month = _MONTHS.get(g["name"])
                    if month is None:
                        return None
                else:
                    month = _number(g.get("m") or g.get("m2") or g["m3"])
                return _of("month", year, month, 1)
            return _of("year", year, 1, 12)
        m = _RANGE.match(plain)
        if m is None or not m.group("ay"):
            return None
        start = datetime.date(int(m.group("ay")), int(m.group("am")), int(m.group("ad")))
        end = datetime.date(int(m.group("by") or m.group("ay")), int(m.group("bm")), int(m.group("bd")))
    except (ValueError, KeyError):
        return None
    return _range(start, end) if start <= end else None


@functools.lru_cache(maxsize=1024)
def period_code(text: str) -> str:
    """The canonical code of the period ``text`` names; the text itself (stripped) when it names none."""
    period = parse_period(text)
    return period.code if period is not None else text.strip()
