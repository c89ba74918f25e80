"""One person's scorecard sheet: the column widths, every present block written by its writer
(:mod:`xl_kpi.workbook.blocks`, top to bottom: info, KPI table, sections, weighted score, adjustments, veto,
total and grade, coefficient and pay, application, grade scale, raters, comment, reviews, sign-off, chart),
the colours that follow the values, the print setup over the blocks, the defined names and the protection."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..core.protection import Protection
from ..core.refs import a1, parse_a1
from ..scoring.engine import CardInputs, CardResult, sheet_result
from ..sheet.person import defined_names
from ..sheet.printing import page_setup
from ..spec.model import Person, Spec
from .blocks import REGISTRY as WRITERS
from .book import ScorecardWorkbook
from .card_print import SPACER_POINTS, one_page, spacer_rows
from .card_sheet import CardSheet, PersonTexts
from .labels import label
from .replay import Digested, replayed
from .styles import BAD_INPUT_FILL, GRADE_FILLS, GRADE_FONTS, MISSING_FILL, Styles

__all__ = ["write_person_sheet", "PersonTexts", "PERSONAL", "LATER"]

PERSONAL = frozenset({"info"})  # the blocks that show the person: written for each person, first
LATER = frozenset({"chart"})  # the blocks a replay cannot hold (a chart is an object of the workbook): written after


def write_person_sheet(
    wb: ScorecardWorkbook,
    ws: Worksheet,
    styles: Styles,
    spec: Spec,
    person: Person,
    lang: str,
    actuals: CardInputs | Mapping[str, Any] | None = None,
    texts: PersonTexts | None = None,
    password: str = "",
    mode: str = "native",
    reviewer_password: str = "",
    passwords: Mapping[str, str] | None = None,
    awaiting: Collection[str] = (),
    replay: bool = False,
) -> tuple[dict[str, Any], CardResult, Protection]:
    """Write the sheet and its sheet-scoped names; returns the cell map (for the metadata), what the
    sheet shows (for a department summary's cached values) and its protection as issued (for the
    metadata and the register: consolidation reports its removal).

    ``mode`` "udf" writes xlwings function calls (KPISCORE, WEIGHTED_TOTAL, KPIGRADE, KPITOTAL,
    KPIADJUST, KPICOEF) where they exist. ``reviewer_password`` locks the supervisor's and
    reviewer's cells (their ratings, adjustment counts, veto marks and comment) behind their own
    password — Excel's "allow users to edit ranges"; without it those cells are open. ``passwords``
    gives a role (``supervisor``, ``reviewer``, ``peer``) its own: the supervisor cannot then fill the
    reviewer's column. ``awaiting`` are the roles whose inputs were issued in rating workbooks of their
    own: their cells here are locked and say "awaiting supervisor", and nobody's input is read from them.
    ``replay``: all but the person's info may be replayed from a card written before from the same inputs
    (:mod:`~xl_kpi.workbook.replay`; an employee's workbook, not pre-filled).
    """
    inputs = CardInputs.of(spec, actuals or {}, person.bonus_base)
    result = sheet_result(spec, inputs)
    w = CardSheet(wb, ws, styles, spec, lang, mode, reviewer_password, passwords, awaiting, person=person, inputs=inputs,
                  result=result, texts=texts or {})
    blocks = [block.name for block in w.layout.blocks]  # every present block, top to bottom
    for name in blocks:
        if name in PERSONAL:
            WRITERS[name].write(w)
    # The rest is the same for everyone of the template and bonus base, once the person's info took the same rows'
    # heights and shared-string places: replayed from the last card written so (workbook/replay.py).
    if not replay or actuals or texts:  # a department's sheet (named for its person), or pre-filled with their own values
        heights, ranges = _body(w, blocks, password)
    else:
        key = ("card", Digested(spec, spec.hash), lang, mode, password, reviewer_password, tuple(sorted(w.passwords.items())), w.awaiting,
               person.bonus_base, tuple(w.pages.heights.items()), tuple(sorted(wb.default_format_properties.items())))
        heights, ranges = replayed(ws, styles, key, lambda ws: _body(w, blocks, password))
    w.pages.heights = dict(heights)
    for name in blocks:
        if name in LATER:
            WRITERS[name].write(w)
    _print(w, person)
    return w.cell_map, result, Protection.issued(password, dict(ranges))


def _body(w: CardSheet, blocks: list[str], password: str) -> tuple[tuple[tuple[int, float], ...], tuple[tuple[str, str], ...]]:
    """Everything of the card but the person's info, the chart and the page's setup (its footer names the person):
    the columns, the blocks and their finish, the colours, the spacer rows, the defined names, the panes and the protection.
    Returns the rows' heights (for the page breaks) and the ranges each role edits with its password."""
    layout, ws, lang = w.layout, w.ws, w.lang
    _page(w)  # the columns: no block reads them
    writers = [WRITERS[name] for name in blocks if name not in PERSONAL and name not in LATER]
    for writer in writers:
        writer.write(w)
    for writer in [WRITERS[name] for name in blocks]:
        if writer.finish is not None:
            writer.finish(w)
    _conditional_formats(w)
    for r in spacer_rows(layout):
        w.set_row(r, SPACER_POINTS)
    for name, ref in defined_names(w.spec, w.cell_map).items():
        w.name(name, a1(*parse_a1(ref), True))
    ws.freeze_panes(layout.FIRST_ROW, 2)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True})
    ranges = {}
    for role, cells in w.review_cells.items():
        if cells:  # one named "allow users to edit" range per role, with that role's password
            ws.unprotect_range(" ".join(cells), label(f"range_{role}", lang), w.passwords[role] or None)
            ranges[label(f"range_{role}", lang)] = w.passwords[role]
    return tuple(w.pages.heights.items()), tuple(ranges.items())


def _page(w: CardSheet) -> None:
    ws = w.ws
    for col, width in w.widths.items():
        ws.set_column(col, col, width)
    ws.hide_gridlines(2)


def _print(w: CardSheet, person: Person) -> None:
    """One page wide on A4 (portrait unless the columns need landscape), the form from the title to the last
    printed block (the chart and the scoring parameters stay on screen), thin rows between its blocks, and
    blocks kept off the end of a page."""
    layout, c = w.layout, w.c
    kept = sorted(span for block in layout.blocks for span in block.keep(layout))
    period = person.period or w.spec.period
    last = layout.last_form_row
    single = one_page(w.pages.heights, last, w.landscape)
    breaks = [] if single else w.pages.breaks(kept, last)
    table_continues = any(layout.FIRST_ROW < b <= layout.last_row for b in breaks)  # the header repeats over the table's rows only
    page_setup(w.ws, w.lang, landscape=w.landscape, area=(layout.TITLE_ROW, c.NO, last, c.LAST_TABLE),
               who=(person.name, person.employee_id, period, w.spec.title),
               repeat=(layout.HEADER_ROW, layout.HEADER_ROW) if table_continues else None, breaks=breaks, tall=1 if single else 0)


def _conditional_formats(w: CardSheet) -> None:
    layout, c, ws, styles, spec = w.layout, w.c, w.ws, w.s, w.spec
    first, last = layout.FIRST_ROW, layout.last_row
    score = a1(first, c.SCORE)
    total = a1(layout.total_row, c.WEIGHTED, True)
    grade = a1(layout.grade_row, c.WEIGHTED, True)
    n = len(spec.grades)
    for g, (gmin, glabel) in enumerate(zip(layout.grade_cells("min"), layout.grade_cells("label"))):
        shade = min(g, len(GRADE_FILLS) - 1) if g < n - 1 else len(GRADE_FILLS) - 2
        fill = styles.fill(GRADE_FILLS[shade], GRADE_FONTS[shade])
        # Formula rules: a text "" would compare greater than any number in a "cell" rule.
        if not spec.by_points:  # a row of points is not on the grades' scale
            ws.conditional_format(first, c.SCORE, last, c.SCORE,
                                  {"type": "formula", "criteria": f"=AND(ISNUMBER({score}),{score}>={gmin})",
                                   "format": fill, "stop_if_true": True})
        ws.conditional_format(layout.total_row, c.WEIGHTED, layout.total_row, c.WEIGHTED,
                              {"type": "formula", "criteria": f"=AND(ISNUMBER({total}),{total}>={gmin})",
                               "format": fill, "stop_if_true": True})
        ws.conditional_format(layout.grade_row, c.WEIGHTED, layout.grade_row, c.WEIGHTED,
                              {"type": "formula", "criteria": f'=AND({grade}<>"",{grade}={glabel})', "format": fill})
    if not spec.raters and not spec.sections:  # one contiguous column of inputs: the first release's rule
        actual = a1(first, c.ACTUAL)
        ws.conditional_format(first, c.ACTUAL, last, c.ACTUAL,
                              {"type": "formula", "criteria": f'=LEN(TRIM({actual}))=0', "format": styles.fill(MISSING_FILL)})
    elif w.input_cells:  # one rule over every input cell: its formula is relative to the first
        r, col = parse_a1(w.input_cells[0])
        ws.conditional_format(r, col, r, col, {"type": "formula", "criteria": f"=LEN(TRIM({w.input_cells[0]}))=0",
                                               "format": styles.fill(MISSING_FILL), "multi_range": " ".join(w.input_cells)})
    if w.numeric_inputs:  # text where a number belongs: red, whatever else the cell's rules say
        r, col = parse_a1(w.numeric_inputs[0])
        ws.conditional_format(r, col, r, col, {"type": "formula",
                                               "criteria": f"=AND(LEN(TRIM({w.numeric_inputs[0]}))>0,NOT(ISNUMBER({w.numeric_inputs[0]})))",
                                               "format": styles.fill(BAD_INPUT_FILL, "#9C0006", bold=True), "stop_if_true": True,
                                               "multi_range": " ".join(w.numeric_inputs)})
        ws.conditional_format(first, c.PROGRESS, last, c.PROGRESS,
                              {"type": "text", "criteria": "begins with", "value": "⚠",
                               "format": styles.fill(BAD_INPUT_FILL, "#9C0006", bold=True)})
    ws.conditional_format(first, c.PROGRESS, last, c.PROGRESS,
                          {"type": "data_bar", "bar_color": "#5B9BD5", "min_type": "num", "min_value": 0,
                           "max_type": "num", "max_value": 1.2, "bar_solid": True})
    if spec.veto:
        ws.conditional_format(layout.veto_result_row, c.WEIGHTED, layout.veto_result_row, c.WEIGHTED,
                              {"type": "no_blanks", "format": styles.fill("#FFC7CE", "#9C0006", bold=True)})
