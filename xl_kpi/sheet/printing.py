"""How generated sheets look and print: column widths from their content (CJK characters count
double), the fonts per language, and one page setup for every sheet — A4, fit to one page wide,
repeated header rows, a footer with the page number and whose sheet it is, and page breaks that
keep a block from starting in the last lines of a page."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = ["WIDEST", "GLYPH", "pages_wide", "display_width", "approx_width", "fit_width", "lines_needed", "row_height", "FONTS", "page_setup", "footer_text",
           "PageBreaks", "column_points"]

# Excel, WPS and LibreOffice all have or substitute these well: 等线 ships with Office 2016+ (Windows and
# Mac) and WPS; LibreOffice maps it to its CJK sans (Noto Sans CJK / WenQuanYi). Arial for English: its metric
# twins (Liberation Sans, Nimbus Sans) come with LibreOffice and Linux, so a form prints to the same widths everywhere
# (Calibri's twin, Carlito, is often missing, and DejaVu Sans, a fifth wider, takes its place).
FONTS = {"zh": {"font_name": "等线", "font_size": 10}, "en": {"font_name": "Arial", "font_size": 10}}
LINE_POINTS = 13.0  # one line of 10-point text, in points
# How much wider than Excel reckons a column prints, at most, per language: LibreOffice measures widths in the digits of
# the workbook's font, and 等线 (absent outside Office and WPS) falls back to DejaVu Sans, whose digits are 1.22 times
# Calibri's; Arial's metric twins (Liberation Sans, Nimbus Sans) come with LibreOffice and Linux (measured: 1.07). Sheets
# are laid out for the widest rendering, so they fit everywhere; Excel prints a Chinese sheet at up to 1.22 times the scale.
WIDEST = {"zh": 1.22, "en": 1.07}
GLYPH = 1.3  # a word's box printed from 10-point text at 100% is 13 points high (pdftotext -bbox: the font's ascent to descent)
A4_PRINTABLE = {"portrait": (595 - 0.7 * 72, 842 - 1.1 * 72 - 12), "landscape": (842 - 0.7 * 72, 595 - 1.1 * 72 - 12)}


def display_width(text: str) -> int:
    """How many character cells a text takes: wide (CJK, full-width) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit_width(texts: Iterable[str], low: float, high: float, pad: float = 2) -> float:
    """A column width that shows the longest line of ``texts`` (within [low, high])."""
    widest = max((display_width(line) for t in texts for line in str(t).split("\n")), default=0)
    return max(low, min(high, widest + pad))


def approx_width(text: str) -> int:
    """:func:`display_width` estimated from the UTF-8 length (a CJK character is three bytes and two
    columns wide, an ASCII one one and one), without a lookup per character: for bulk text."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2


def lines_needed(text: str, width: float, measure: Callable[[str], int] = display_width) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide: wrapped at its break opportunities
    (:func:`_wrapped_lines`); with another ``measure`` (bulk text, :func:`approx_width`), by its width alone."""
    if not text:
        return 1
    text = str(text)
    usable = max(1.0, width - 1)
    if len(text) * 2 <= usable and "\n" not in text:
        return 1  # one line whatever its characters (none is wider than two columns): nothing to measure
    paragraphs = text.split("\n")
    if measure is display_width:
        return sum(_wrapped_lines(line, usable) for line in paragraphs)
    return sum(max(1, math.ceil(measure(line) / usable)) for line in paragraphs)


# Where a spreadsheet may break a wrapped line: after a space, a CJK character or a full-width mark, after ; , : and
# the dashes of a range (100%–110%). A run of digits, letters and % between them is never broken (unless longer
# than a line), so a rule such as ≤90%得100分;90%–100%得80分 takes the lines its unbreakable runs pack into.
_BREAK_AFTER = r"\s;,:、。–—\u2e80-\u9fff\uff00-\uffef"
_RUNS = re.compile(f"[^{_BREAK_AFTER}]*[{_BREAK_AFTER}]?")


_MEASURED: dict[tuple[str, float], int] = {}  # a paragraph's lines by its text and width: the same labels and rules on
#                                              every card of a build (bounded: 4,096 paragraphs of at most 512 characters)


def _wrapped_lines(line: str, usable: float) -> int:
    """Lines one paragraph takes wrapped greedily at its break opportunities, each character as wide as it prints
    (ambiguous-width marks such as ≤ – print two columns wide in a CJK font)."""
    known = _MEASURED.get((line, usable))
    if known is None:
        known = _measured(line, usable)
        if len(line) <= 512:
            if len(_MEASURED) >= 4096:
                _MEASURED.clear()
            _MEASURED[line, usable] = known
    return known


def _measured(line: str, usable: float) -> int:
    lines, used = 1, 0.0
    for run in _RUNS.findall(line):
        if not run:
            continue
        size = float(sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in run))
        if used + size > usable and used > 0:
            lines += 1
            used = 0.0
        while size > usable:  # a run longer than a line is broken anywhere
            size -= usable
            lines += 1
        used += size
    return lines


def row_height(texts_and_widths: Iterable[tuple[str, float]], minimum: float = 18, per_line: float = LINE_POINTS,
               measure: Callable[[str], int] = display_width) -> float:
    """A row height that shows every wrapped text of the row."""
    lines = max((lines_needed(t, w, measure) for t, w in texts_and_widths), default=1)
    return max(minimum, lines * per_line + 5)


def column_points(width: float) -> float:
    """A column ``width`` characters wide in points (Excel: 7 px per character plus 5 px padding)."""
    return (width * 7 + 5) * 0.75


def pages_wide(widths: Sequence[float], lang: str, landscape: bool, smallest: float = 8.4, font: float = 10.0) -> int:
    """How many pages wide a sheet of columns ``widths`` prints so that its text's word boxes are ``smallest``
    points or more (fitted to that many pages wide, in the widest rendering)."""
    page = A4_PRINTABLE["landscape" if landscape else "portrait"][0]
    scale = smallest / (font * GLYPH)
    needed = sum(column_points(w) for w in widths) * WIDEST.get(lang, WIDEST["zh"]) * scale
    return max(1, math.ceil(needed / page))


def footer_text(*parts: str) -> str:
    """Footer text: & doubled (Excel reads & as a code), under Excel's 255-character limit."""
    text = " · ".join(" ".join(p.split()) for p in parts if p and p.strip())  # line breaks and control characters: spaces
    text = "".join(ch if ch.isprintable() else " " for ch in text).replace("&", "&&")
    return text[:120].rstrip("&") if text[:120].endswith("&") and not text[:120].endswith("&&") else text[:120]


def page_setup(ws: Any, lang: str, *, landscape: bool, area: tuple[int, int, int, int] | None, repeat: tuple[int, int] | None = None,
               who: Sequence[str] = (), breaks: Sequence[int] = (), tall: int = 0, wide: int = 1) -> None:
    """A4, fit to one page wide (or ``wide``; and ``tall`` pages high: 0 for as many as it takes), centred, the print
    area, repeated header rows and a footer: ``who`` on the left (person, period), "第 1 页,共 2 页" on the right."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(wide, tall)
    ws.set_margins(left=0.35, right=0.35, top=0.45, bottom=0.65, )
    ws.center_horizontally()
    if area is not None:  # None: the caller defines a print area of its own (one that grows with the rows in use)
        ws.print_area(*area)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    pages = "第 &P 页,共 &N 页" if lang == "zh" else "Page &P of &N"
    ws.set_footer(f"&L&8{footer_text(*who)}&R&8{pages}", {"margin": 0.3})
    if breaks:
        ws.set_h_pagebreaks(sorted(set(breaks)))


class PageBreaks:
    """Where to break the pages of a sheet printed one page wide: before a block that would
    otherwise start in the last lines of a page (or not fit on what is left of it)."""

    def __init__(self, column_widths: Sequence[float], landscape: bool, default_height: float = 15.0, repeated: float = 0.0) -> None:
        page_width, self.page_height = A4_PRINTABLE["landscape" if landscape else "portrait"]
        self.scale = min(1.0, page_width / max(1.0, sum(column_points(w) for w in column_widths)))
        self.default = default_height
        self.repeated = repeated * self.scale  # the height of the rows repeated at the top of every page after the first
        self.heights: dict[int, float] = {}

    def height(self, row: int, points: float) -> None:
        self.heights[row] = points

    def breaks(self, blocks: Sequence[tuple[int, int]], last_row: int) -> list[int]:
        """Rows to break before: ``blocks`` are (first row, last row) that should not be split or
        start in the last fifth of a page."""
        starts = {first: last for first, last in blocks}
        used = 0.0
        out: list[int] = []
        for r in range(last_row + 1):
            h = self.heights.get(r, self.default) * self.scale
            if r in starts and used > 0:
                block = sum(self.heights.get(k, self.default) for k in range(r, starts[r] + 1)) * self.scale
                left = self.page_height - used
                if block > left and (left < self.page_height * 0.2 or block <= self.page_height):
                    out.append(r)
                    used = self.repeated
            if used + h > self.page_height:
                used = self.repeated
            used += h
        return out
