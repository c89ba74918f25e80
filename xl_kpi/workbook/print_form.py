"""The print form (打印表 / Print form): the practice and points cards on one A4 page per person.

A card with sections, raters, bonus and penalty items, veto items, a coefficient or points does not
fit one page at 9 pt, and its input cells cannot move (the reader, the defined names and the issued
returns rely on them). So the workbook gets a second, protected, read-only sheet laid out as a form:
info, the KPI table (序号, 指标, 目标, 权重, a short 评分标准, 实际 and each rater's entry, 得分, 加权得分),
the level descriptions of rated items once as a legend, the results (sections, raters, bonus and
penalty items and veto on the left; weighted score, total, grade, coefficient and pay on the right),
the grade scale across, the comment, the self-review and the sign-off. Every value is a plain formula
pointing at the card's cell (no volatile function), so the form is live in Excel, WPS, LibreOffice and
Google Sheets, with the card's cached values so a viewer that does not calculate shows them too.

The card keeps its print setup, its print area reduced to the title, info and KPI table — the
indicators' definitions and data sources, which the form leaves out — so that printing the whole
workbook prints each result once (:func:`reduce_card_print`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..core.refs import parse_a1, sheet_ref
from ..sheet.person import Cols, PersonLayout
from ..sheet.printing import A4_PRINTABLE, WIDEST, PageBreaks, column_points, fit_width, footer_text, page_setup, row_height
from ..spec.model import Indicator, Person, Spec
from .book import ScorecardWorkbook
from .labels import label
from .replay import Digested, replayed
from .styles import Styles

__all__ = ["FORM_SHEET", "FORM_PREFIX", "DETAILS", "needs_print_form", "short_standard", "legend_text", "write_print_form", "reduce_card_print",
           "FormGrid", "FormSheet", "form_word", "add_print_form"]

FORM_SHEET = {"zh": "打印表", "en": "Print form"}
FORM_PREFIX = {"zh": "打印", "en": "Print"}  # a department workbook: 打印_张三_E001 after the sheet 张三_E001
DETAILS = {"zh": "指标明细(完整表单见打印表)", "en": "Indicator details (the form is on the Print form sheet)"}
_WORDS = {"legend": ("等级说明", "Levels"), "indicator": ("指标", "Indicator")}  # the form's own words (the rest: labels.py)
SPACER = 3.0  # a blank row between two blocks, in points
MIN_SCALE = 0.70  # 10-point text prints at 7 points (a word box of 9.1 pt) or more
_PAREN = re.compile(r"\s*[((][^()()]*[))]")


def form_word(key: str, lang: str) -> str:
    """A word of the form's own (not on the card)."""
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def needs_print_form(spec: Spec) -> bool:
    """The practice and points cards: those with sections, raters, bonus and penalty items, veto items, a
    coefficient or points (the plain cards print on one page as they are)."""
    return bool(spec.sections or spec.raters or spec.adjustments or spec.veto or spec.has_coefficients or spec.by_points)


def short_standard(ind: Indicator, lang: str) -> str:
    """The scoring standard without its levels' descriptions (they print once, in the legend)."""
    return _PAREN.sub("", ind.describe(lang)).strip()


def legend_text(ind: Indicator, lang: str) -> str:
    """The levels' descriptions a short standard leaves out ("" when it leaves none out)."""
    full = ind.describe(lang)
    if not _PAREN.search(full):
        return ""
    levels = [re.sub(r"(得|:\s*)[\d.–-]+\s*(分|pts?)\s*", ": " if lang == "en" else ":", part.strip(), count=1)
              for part in re.split(r"[;;]\s*(?![^((]*[))])", full) if _PAREN.search(part)]
    joined = ("; " if lang == "en" else ";").join(re.sub(r"\s*[((]([^()()]*)[))]", r"\1", p) for p in levels)
    return re.sub(r":(?=\S)", ": ", joined) if lang == "en" else joined


@dataclass(frozen=True)
class FormGrid(Cols):
    """The form's columns (0-based): 序号, 指标, 目标, 权重, 评分标准 (two columns), 实际, each rater's, 得分, 加权得分
    (the card's column order, without its definition and unit: they stay on the card on screen)."""

    DEFINITION: int = -1
    UNIT: int = -1
    TARGET: int = 2
    WEIGHT: int = 3
    STANDARD: int = 4
    STANDARD2: int = 5
    ACTUAL: int = 6

    @property
    def LAST(self) -> int:  # noqa: N802 - column constants read like the card's
        return self.WEIGHTED


def _widths(spec: Spec, g: FormGrid, lang: str) -> dict[int, float]:
    """Each column's width from what it shows; the standard takes what the paper leaves at the aimed scale."""
    L = lambda key: label(key, lang)  # noqa: E731
    words = [L(k) for k in ("name", "position", "responsibilities", "comment", "self_review", *PersonLayout.REVIEW_KEYS,
                            "grade_label", "grade_min", "coefficient")]
    first = fit_width([max(re.split(r"[\s(]", w), key=len) if lang == "en" else w[: (len(w) + 1) // 2] for w in words], 6, 12)
    widths = {g.NO: first, g.INDICATOR: fit_width([i.name for i in spec.indicators], 10, 16 if lang == "zh" else 20),
              g.TARGET: 8, g.WEIGHT: 6, g.ACTUAL: 8, g.SCORE: 7, g.WEIGHTED: 8}
    for k, rater in enumerate(spec.raters):
        widths[g.rater(k)] = fit_width([rater.name if lang == "zh" else max(rater.name.split(), key=len), "100"], 5, 9 if lang == "zh" else 11)
    budget = A4_PRINTABLE["portrait"][0] / 0.72 / WIDEST[lang]
    left = budget - sum(column_points(v) for v in widths.values()) - 2 * column_points(0)
    standard = max(24.0, min(64.0, left / (7 * 0.75)))
    widths[g.STANDARD] = round(standard * 0.55)
    widths[g.STANDARD2] = round(standard) - widths[g.STANDARD]
    return widths


@dataclass
class FormSheet:
    """The form being written: the card it mirrors (its written sheet and name), the grid, each row's height so far
    (for the page count and breaks), the next row and the blocks written (first and last row)."""

    wb: ScorecardWorkbook
    ws: Worksheet
    card: Worksheet
    card_name: str
    styles: Styles
    spec: Spec
    lang: str
    layout: PersonLayout
    grid: FormGrid
    widths: dict[int, float]
    heights: dict[int, float] = field(default_factory=dict)
    row: int = 0
    blocks: list[tuple[int, int]] = field(default_factory=list)
    header: int = 0  # the KPI table's header row and last row
    table_end: int = 0
    reads: list[tuple[str, Any]] | None = None  # the card's cells read (strictly), while the form is recorded to replay
    _strings: dict[int, str] | None = None

    def L(self, key: str) -> str:  # noqa: N802 - the sheet's words
        return label(key, self.lang)

    def width(self, first: int, last: int) -> float:
        return sum(self.widths[c] for c in range(first, last + 1)) + (last - first)

    def cached(self, ref: str) -> tuple[Any, str | None]:
        """What the card's cell ``ref`` shows as written (its value or its formula's cached result) and its number format."""
        shown = self._cached(ref)
        if self.reads is not None:
            self.reads.append((ref, strictly(shown)))
        return shown

    def _cached(self, ref: str) -> tuple[Any, str | None]:
        r, c = parse_a1(ref)
        read = getattr(self.card, "stamp_cell", None)  # a replayed card's cells are set when first read (deferred.py)
        cell = read(r, c) if read is not None else self.card.table.get(r, {}).get(c)
        if cell is None:
            return "", None
        fmt = getattr(cell.format, "num_format", None) if cell.format is not None else None
        kind = type(cell).__name__
        if kind in ("Number", "Datetime"):
            return cell.number, fmt
        if kind == "String":
            if self._strings is None:
                self._strings = {v: k for k, v in self.wb.str_table.string_table.items()}
            return self._strings.get(cell.string, ""), fmt
        if kind == "Formula":
            return cell.value, fmt
        return "", fmt

    def fmt(self, name: str, num_format: str | None = None) -> Any:
        return self.styles.get(name, num_format)

    def put(self, r: int, first: int, last: int, value: Any, style: str, num_format: str | None = None) -> None:
        """A static text across ``first..last``."""
        fmt = self.fmt(style, num_format)
        if last > first:
            self.ws.merge_range(r, first, r, last, "", fmt)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.ws.write_number(r, first, value, fmt)
        else:
            self.ws.write_string(r, first, str(value), fmt)

    def ref(self, r: int, first: int, last: int, card_cell: str, style: str = "value", number: bool = True) -> Any:
        """The card's cell ``card_cell`` shown across ``first..last``: a formula (blank while the card's cell is empty)."""
        value, num_format = self.cached(card_cell)
        target = sheet_ref(self.card_name, card_cell)
        fmt = self.fmt(style, num_format if number and num_format not in (None, "General") else None)
        if last > first:
            self.ws.merge_range(r, first, r, last, "", fmt)
        self.ws.write_formula(r, first, f'=IF({target}="","",{target})', fmt, "" if value is None else value)
        return value

    def height(self, r: int, points: float) -> None:
        self.heights[r] = points
        self.ws.set_row(r, points)

    def fit(self, r: int, texts: list[tuple[str, float]], minimum: float = 16) -> None:
        """A row as high as its longest wrapped text (13 points a line and 3 of padding), ``minimum`` at least."""
        self.height(r, max(minimum, row_height(texts, 0) - 2))


def write_print_form(wb: ScorecardWorkbook, ws: Worksheet, card: Worksheet, card_name: str, styles: Styles, spec: Spec,
                     person: Person, lang: str, password: str = "", replay: bool = False) -> None:
    """Write the print form of ``person``'s card (sheet ``card_name``, already written) on ``ws``; ``replay``: all but
    its title, info and page setup (which show the person) may be replayed from a form written before."""
    layout = PersonLayout.for_spec(spec)
    grid = FormGrid(len(spec.raters))
    f = FormSheet(wb, ws, card, card_name, styles, spec, lang, layout, grid, _widths(spec, grid, lang))
    for col, width in f.widths.items():
        ws.set_column(col, col, width)
    ws.hide_gridlines(2)
    from .print_form_blocks import BLOCKS

    _blocks(f, person, BLOCKS[:1])  # the title and the person's info
    if replay:  # the rest: replayed from the form of a card that showed the same in the cells it reads (workbook/replay.py)
        key = ("print form", Digested(spec, spec.hash), lang, card_name, f.row, tuple(sorted(f.widths.items())))
        rest = replayed(ws, styles, key, lambda ws: _recorded_blocks(f, person, BLOCKS[1:]),
                        lambda rest: all(strictly(f.cached(ref)) == shown for ref, shown in rest[-1]))
        heights, blocks, f.row, f.header, f.table_end, _ = rest
        f.heights.update(heights)
        f.blocks.extend(blocks)
    else:
        _blocks(f, person, BLOCKS[1:])
    header, table_end = f.header, f.table_end
    last = f.row - 2
    total = sum(f.heights.get(r, 15.0) for r in range(last + 1))
    single = total <= A4_PRINTABLE["portrait"][1] / MIN_SCALE
    breaks: list[int] = []
    if not single:
        pages = PageBreaks([f.widths[c] for c in range(grid.LAST + 1)], False, repeated=f.heights.get(header, 30))
        pages.heights = dict(f.heights)
        breaks = pages.breaks(f.blocks, last)
    period = person.period or spec.period
    table_continues = any(header < b <= table_end for b in breaks)  # the table's header repeats over the table's rows only
    page_setup(ws, lang, landscape=False, area=(0, 0, last, grid.LAST), who=(person.name, person.employee_id, period, spec.title),
               repeat=(header, header) if table_continues else None, breaks=breaks, tall=1 if single else 0)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True})  # rows may be heightened


def strictly(shown: tuple[Any, str | None]) -> tuple[type, str, str | None]:
    """What a card's cell shows, compared as it is written: 1 is not True, nor 0.0 -0.0."""
    return type(shown[0]), repr(shown[0]), shown[1]


def _blocks(f: FormSheet, person: Person, blocks: tuple[Block, ...]) -> None:
    """``blocks`` written from ``f.row`` on, a spacer row after each."""
    for block in blocks:
        start = f.row
        block(f, person)
        if f.row > start:
            f.blocks.append((start, f.row - 1))
            if block.__name__ == "kpi_table":
                f.header, f.table_end = start, f.row - 1
            f.height(f.row, SPACER)
            f.row += 1


Rest = tuple[tuple[tuple[int, float], ...], tuple[tuple[int, int], ...], int, int, int, tuple[tuple[str, Any], ...]]


def _recorded_blocks(f: FormSheet, person: Person, blocks: tuple[Block, ...]) -> Rest:
    """``blocks`` written (:func:`_blocks`); the rows' heights and blocks they added, the next row, the KPI table's
    rows, and every cell of the card they read with what it showed."""
    heights, count = dict(f.heights), len(f.blocks)
    f.reads = []
    try:
        _blocks(f, person, blocks)
        reads = tuple(f.reads)
    finally:
        f.reads = None
    added = tuple((r, h) for r, h in f.heights.items() if heights.get(r) != h)
    return added, tuple(f.blocks[count:]), f.row, f.header, f.table_end, reads


def reduce_card_print(card: Worksheet, layout: PersonLayout, person: Person, spec: Spec, lang: str) -> None:
    """The card's print area reduced to its title, info and KPI table (what the form leaves out: the indicators'
    definitions and data sources), its footer saying so: printing the whole workbook prints each result once."""
    card.print_area(layout.TITLE_ROW, layout.col.NO, layout.last_row, layout.col.LAST_TABLE)
    pages = "第 &P 页,共 &N 页" if lang == "zh" else "Page &P of &N"
    who = footer_text(person.name, person.employee_id, person.period or spec.period or "", DETAILS[lang])
    card.set_footer(f"&L&8{who}&R&8{pages}", {"margin": 0.3})


Block = Callable[[FormSheet, Person], None]


def add_print_form(wb: ScorecardWorkbook, card: Worksheet, card_name: str, styles: Styles, spec: Spec, person: Person, lang: str,
                   password: str = "", name: str | None = None, replay: bool = False) -> Worksheet | None:
    """The hook where a workbook is assembled: a practice or points card (:func:`needs_print_form`) gets its print form
    as the next sheet, and its own print area reduced to the details; a plain card is left as it is."""
    if not needs_print_form(spec):
        return None
    ws = wb.add_worksheet(name or FORM_SHEET[lang])
    write_print_form(wb, ws, card, card_name, styles, spec, person, lang, password, replay)
    reduce_card_print(card, PersonLayout.for_spec(spec), person, spec, lang)
    return ws
