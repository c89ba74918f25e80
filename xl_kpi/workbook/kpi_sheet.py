"""One person's scorecard sheet: info block, KPI table (by section), adjustments, veto, total,
grade, coefficient and pay, the grade scale, raters, reviews, chart, and the defined names."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..core.protection import Protection
from ..core.refs import a1, parse_a1, sheet_ref
from ..scoring.engine import CardInputs, CardResult, sheet_result
from ..sheet import formulas as F
from ..sheet.person import PersonLayout, defined_names, param_count
from ..sheet.printing import FONTS, PageBreaks, page_setup, row_height
from ..spec.model import Indicator, Person, Spec
from .book import ScorecardWorkbook
from .card_print import SPACER_POINTS, WIDEST, column_widths, one_page, spacer_rows
from .labels import label
from .practice_blocks import adjustments, blank, section_summary, span, veto, write_input
from .practice_blocks import fill as frame
from .styles import BAD_INPUT_FILL, GRADE_FILLS, GRADE_FONTS, MISSING_FILL, Styles, number_format
from .validation import actual_validation

__all__ = ["write_person_sheet", "PersonTexts"]

PersonTexts = Mapping[str, str]  # comment and review texts to pre-fill (simulations, re-issues)


_RULES: dict[tuple[str, str], tuple[PersonLayout, dict[str, str], dict[str, Any]]] = {}


def _rules(spec: Spec, mode: str) -> tuple[PersonLayout, dict[str, str], dict[str, Any]]:
    """A spec's layout, every formula by cell, and its cell map: the same for everyone on the template,
    so computed once (keyed by the spec's hash: a person's own targets make their own spec)."""
    key = (spec.hash, mode)
    found = _RULES.get(key)
    if found is None:
        if len(_RULES) >= 512:
            _RULES.clear()
        layout = PersonLayout.for_spec(spec, mode)
        found = _RULES[key] = (layout, F.expected_formulas(spec, layout, mode), layout.cell_map(spec))
    return found


class _Sheet:
    """Writes one person's sheet; keeps what every part needs (layout, styles, names, protected cells)."""

    def __init__(self, wb: ScorecardWorkbook, ws: Worksheet, styles: Styles, spec: Spec, lang: str, mode: str,
                 reviewer_password: str, passwords: Mapping[str, str] | None = None, awaiting: Collection[str] = ()) -> None:
        self.wb, self.ws, self.s, self.spec, self.lang, self.mode = wb, ws, styles, spec, lang, mode
        self.layout, self.formulas, self.cell_map = _rules(spec, mode)
        self.c = self.layout.col
        self.scope = sheet_ref(ws.name)
        self.reviewer_password = reviewer_password
        self.passwords = {role: (passwords or {}).get(role) or reviewer_password for role in ("supervisor", "reviewer", "peer")}
        self.awaiting = frozenset(awaiting)  # roles whose inputs are issued in rating workbooks: shown as awaited here
        self.review_cells: dict[str, list[str]] = {"supervisor": [], "reviewer": [], "peer": []}
        self.input_cells: list[str] = []
        self.numeric_inputs: list[str] = []  # cells where text cannot be scored: highlighted when they hold some
        self.rank: float | str = ""
        # the workbook's font sets how wide a column prints (an English card in a Chinese department's workbook is in 等线)
        font = "en" if wb.default_format_properties.get("font_name") == FONTS["en"]["font_name"] else "zh"
        self.widths, self.landscape = column_widths(spec, self.layout, lang, font)
        self.pages = PageBreaks([self.widths[k] * WIDEST[font] for k in range(self.c.NO, self.c.LAST_TABLE + 1)], landscape=self.landscape)

    def set_row(self, row: int, height: float) -> None:
        self.ws.set_row(row, height)
        self.pages.height(row, height)

    def width(self, first: int, last: int | None = None) -> float:
        return sum(self.widths[k] for k in range(first, (first if last is None else last) + 1))

    def L(self, key: str) -> str:  # noqa: N802 - the sheet's words
        return label(key, self.lang)

    def name(self, name: str, cell: str) -> None:
        """A sheet-scoped defined name (the contract other tools fill and read through). XlsxWriter only
        warns when it cannot define one; a sheet without its names is a defect, so it stops the build."""
        if self.wb.define_name(f"{self.scope}!{name}", f"={self.scope}!{cell}") == -1:
            raise RuntimeError(f"cannot define {name} on sheet {self.ws.name!r}")

    def review_style(self, text: bool = False, role: str = "supervisor", num_format: str | None = None) -> Any:
        locked = bool(self.passwords.get(role, self.reviewer_password))
        return self.s.get(("review_text" if text else "review") + ("" if locked else "_open"), num_format)

    def review_cell(self, role: str, row: int, col: int) -> None:
        self.review_cells[role if role in self.review_cells else "supervisor"].append(a1(row, col))

    def awaited(self, role: str, row: int, col: int, text: bool = False) -> bool:
        """Whether ``role`` fills this cell in its own rating workbook: then the cell is locked and says so."""
        if role not in self.awaiting:
            return False
        self.ws.write_string(row, col, self.L(f"awaiting_{role}"), self.s.get("awaiting_text" if text else "awaiting"))
        return True

    def formula(self, row: int, col: int) -> str:
        """The scoring formula of a cell (precomputed for the spec: :func:`expected_formulas`)."""
        return self.formulas[a1(row, col)]


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
    """
    w = _Sheet(wb, ws, styles, spec, lang, mode, reviewer_password, passwords, awaiting)
    inputs = CardInputs.of(spec, actuals or {}, person.bonus_base)
    result = sheet_result(spec, inputs)
    w.rank = "" if result.grade is None else float(spec.grades.index(result.grade) + 1)
    layout = w.layout
    _page(w)
    _info(w, person)
    _table(w, inputs, result)
    if layout.sections:
        section_summary(w, result)
    _results(w, inputs, result)
    _grades_and_raters(w)
    _reviews(w, texts or {})
    _signoff(w, person)
    _conditional_formats(w)
    _chart(w)
    _print(w, person)
    for name, ref in defined_names(spec, w.cell_map).items():
        w.name(name, a1(*parse_a1(ref), True))
    ws.freeze_panes(layout.FIRST_ROW, 2)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True})
    ranges = {}
    for role, cells in w.review_cells.items():
        if cells:  # one named "allow users to edit" range per role, with that role's password
            ws.unprotect_range(" ".join(cells), label(f"range_{role}", lang), w.passwords[role] or None)
            ranges[label(f"range_{role}", lang)] = w.passwords[role]
    return w.cell_map, result, Protection.issued(password, ranges)


def _page(w: _Sheet) -> None:
    ws = w.ws
    for col, width in w.widths.items():
        ws.set_column(col, col, width)
    ws.hide_gridlines(2)


def _print(w: _Sheet, person: Person) -> None:
    """One page wide on A4 (portrait unless the columns need landscape), the form from the title to the
    sign-off (the chart and the scoring parameters stay on screen), thin rows between its blocks, and
    blocks kept off the end of a page."""
    layout, c = w.layout, w.c
    for r in spacer_rows(layout):
        w.set_row(r, SPACER_POINTS)
    blocks = [(layout.HEADER_ROW, layout.FIRST_ROW + 1)]
    blocks += [(layout.section_heading_row(s), layout.section_heading_row(s) + 2) for s in layout.sections]
    first_result = layout.weighted_row if (layout.sections or layout.adjustments or layout.veto) else layout.total_row
    if layout.sections:
        blocks.append((layout.section_summary_header_row, layout.section_summary_header_row + len(layout.sections)))
    blocks += [(first_result, layout.application_row), (layout.grade_header_row - 1, layout.grade_table_row(layout.grades - 1)),
               (layout.comment_row, layout.comment_row), (layout.review_header_row, layout.last_review_row),
               (layout.signoff_title_row, layout.last_signoff_row)]
    if layout.adjustments:
        blocks.append((layout.adjustment_header_row, layout.adjustment_total_row))
    if layout.veto:
        blocks.append((layout.veto_header_row, layout.veto_result_row))
    period = person.period or w.spec.period
    last = layout.last_signoff_row
    single = one_page(w.pages.heights, last, w.landscape)
    breaks = [] if single else w.pages.breaks(sorted(blocks), last)
    table_continues = any(layout.FIRST_ROW < b <= layout.last_row for b in breaks)  # the header repeats over the table's rows only
    page_setup(w.ws, w.lang, landscape=w.landscape, area=(layout.TITLE_ROW, c.NO, last, c.LAST_TABLE),
               who=(person.name, person.employee_id, period, w.spec.title),
               repeat=(layout.HEADER_ROW, layout.HEADER_ROW) if table_continues else None, breaks=breaks, tall=1 if single else 0)


# The info block on the form's grid: each label's and each value's (first, last) column, by the KPI table's columns.
INFO_SPANS = {"name": (("NO", "NO"), ("INDICATOR", "DEFINITION")), "employee_id": (("UNIT", "UNIT"), ("TARGET", "WEIGHT")),
              "period": (("STANDARD", "STANDARD"), ("ACTUAL", "LAST_TABLE")), "position": (("NO", "NO"), ("INDICATOR", "DEFINITION")),
              "department": (("UNIT", "UNIT"), ("TARGET", "WEIGHT")), "manager": (("STANDARD", "STANDARD"), ("ACTUAL", "LAST_TABLE")),
              "responsibilities": (("NO", "NO"), ("INDICATOR", "LAST_TABLE"))}
INFO_LABEL_KEYS = {"employee_id": "info_employee_id", "department": "info_department"}  # short words for the narrow column


def _info(w: _Sheet, person: Person) -> None:
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    ws.merge_range(layout.TITLE_ROW, c.NO, layout.TITLE_ROW, c.LAST_TABLE, spec.title, s.get("title"))
    w.set_row(layout.TITLE_ROW, 28)
    values = {"name": person.name, "employee_id": person.employee_id, "period": person.period or spec.period,
              "position": person.position or spec.position, "department": person.department,
              "manager": person.manager, "responsibilities": spec.responsibilities}
    shown: dict[int, list[tuple[str, float]]] = {}
    for key, ((lf, ll), (vf, vl)) in INFO_SPANS.items():
        vr, vc = layout.INFO[key]
        first, last = getattr(c, lf), getattr(c, ll)
        span(ws, vr, first, last, w.L(INFO_LABEL_KEYS.get(key, key)), s.get("label"))
        value_last = getattr(c, vl)
        assert getattr(c, vf) == vc, key  # the value's cell is the one the cell map records
        span(ws, vr, vc, value_last, values[key], s.get("text"))
        shown.setdefault(vr, []).extend([(values[key], w.width(vc, value_last)), (w.L(INFO_LABEL_KEYS.get(key, key)), w.width(first, last))])
    for r, texts in shown.items():
        w.set_row(r, row_height(texts, 20))


def _table(w: _Sheet, inputs: CardInputs, result: CardResult) -> None:
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    hr = layout.HEADER_ROW
    headers = [("no", c.NO), ("indicator", c.INDICATOR), ("definition", c.DEFINITION), ("unit", c.UNIT), ("target", c.TARGET),
               ("weight", c.WEIGHT), ("standard", c.STANDARD), ("actual", c.ACTUAL), ("score", c.SCORE),
               ("weighted", c.WEIGHTED), ("progress", c.PROGRESS), ("source", c.SOURCE)]
    for key, col in headers:
        ws.write_string(hr, col, w.L("row_points" if key == "weight" and spec.by_points else key), s.get("header"))
    for k, rater in enumerate(spec.raters):
        ws.write_string(hr, c.rater(k), rater.name, s.get("header"))
    shown = [(w.L(key), w.widths[col]) for key, col in headers] + [(r.name, w.widths[c.rater(k)]) for k, r in enumerate(spec.raters)]
    w.set_row(hr, row_height(shown, 30))  # every heading whole, however its column narrowed
    ws.merge_range(hr - 1, c.PARAMS, hr - 1, layout.last_col, w.L("params"), s.get("label"))
    for p in range(layout.pairs):
        ws.write_string(hr, layout.param_key(0, p)[1], f"{w.L('key')}{p + 1}", s.get("header"))
        ws.write_string(hr, layout.param_value(0, p)[1], f"{w.L('value')}{p + 1}", s.get("header"))
    for k, rater in enumerate(spec.raters):
        ws.write_string(hr, layout.rater_score_col(k), f"{rater.name}{w.L('rater_score')}", s.get("header"))
    for section in spec.sections:
        heading = layout.section_heading_row(section.id)
        share = f"{section.points:g}分" if section.points is not None and w.lang == "zh" else (
            f"{section.points:g} pts" if section.points is not None else f"{section.weight:.0%}")
        ws.merge_range(heading, c.NO, heading, c.LAST_TABLE, f"{section.name}({share})" if w.lang == "zh"
                       else f"{section.name} ({share})", s.get("section_row"))
        sub = layout.section_row(section.id)
        ws.merge_range(sub, c.NO, sub, c.SCORE - 1, f"{section.name}{w.L('subtotal')}" if w.lang == "zh"
                       else f"{section.name} {w.L('subtotal')}", s.get("subtotal_label"))
        ws.write_formula(sub, c.SCORE, w.formula(sub, c.SCORE), s.get("subtotal", "0.00"),
                         blank(result.sections.get(section.id)))
    for i, ind in enumerate(spec.display_order):
        _indicator_row(w, i, ind, inputs, result)


def _indicator_row(w: _Sheet, i: int, ind: Indicator, inputs: CardInputs, result: CardResult) -> None:
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    r = layout.row(i)
    fmt = number_format(ind)
    w.set_row(r, row_height([(ind.name, w.widths[c.INDICATOR]), (ind.definition, w.widths[c.DEFINITION]),
                             (ind.describe(w.lang), w.widths[c.STANDARD]), (ind.source, w.widths[c.SOURCE])], 30))
    ws.write_number(r, c.NO, i + 1, s.get("value"))
    ws.write_string(r, c.INDICATOR, ind.name, s.get("text"))
    ws.write_string(r, c.DEFINITION, ind.definition, s.get("text"))
    ws.write_string(r, c.UNIT, ind.unit, s.get("value"))
    if isinstance(ind.target, (int, float)):
        ws.write_number(r, c.TARGET, ind.target, s.get("value", fmt))
    else:
        ws.write_string(r, c.TARGET, ind.target or "", s.get("value"))
    if ind.points is not None:  # a card of points shows each row's points, as HR writes them
        ws.write_number(r, c.WEIGHT, ind.points, s.get("value", "0.##"))
    else:
        ws.write_number(r, c.WEIGHT, ind.weight, s.get("value", "0%"))
    ws.write_string(r, c.STANDARD, ind.describe(w.lang), s.get("text"))
    entry_fmt = None if ind.takes_label else fmt
    if ind.rated:
        ws.write_string(r, c.ACTUAL, w.L("not_used"), s.get("formula"))
        given = inputs.ratings.get(ind.id) or {}
        for k, rater in enumerate(spec.raters):
            col = c.rater(k)
            if rater.id not in ind.raters:
                ws.write_string(r, col, w.L("not_used"), s.get("formula"))
                continue
            own = rater.by_employee
            score_col = layout.rater_score_col(k)
            if not own and w.awaited(rater.role, r, col):
                ws.write_formula(r, score_col, w.formula(r, score_col), s.get("param"), "")
                continue
            style = s.get("input", entry_fmt) if own else w.review_style(role=rater.role, num_format=entry_fmt)
            write_input(w, r, col, given.get(rater.id), style)
            if not ind.takes_label:
                w.numeric_inputs.append(a1(r, col))
            if own:
                w.input_cells.append(a1(r, col))
            else:
                w.review_cell(rater.role, r, col)
            ws.write_formula(r, score_col, w.formula(r, score_col), s.get("param"), blank(result.rater_scores[ind.id][rater.id]))
        inputs_of_row = [layout.rating_cell(ind.id, r_id) for r_id in ind.raters  # one rule for the raters' cells
                         if spec.rater(r_id).by_employee or spec.rater(r_id).role not in w.awaiting]
        if inputs_of_row:
            first_r, first_c = parse_a1(inputs_of_row[0])
            ws.data_validation(first_r, first_c, first_r, first_c, {**actual_validation(ind, w.lang, _choices(w, r, ind)),
                                                                    "multi_range": " ".join(inputs_of_row)})
    else:
        write_input(w, r, c.ACTUAL, inputs.actuals.get(ind.id), s.get("input", entry_fmt))
        ws.data_validation(r, c.ACTUAL, r, c.ACTUAL, actual_validation(ind, w.lang, _choices(w, r, ind)))
        w.input_cells.append(a1(r, c.ACTUAL))
        for k in range(c.raters):
            ws.write_string(r, c.rater(k), w.L("not_used"), s.get("formula"))
    score = result.scores[ind.id]
    ws.write_formula(r, c.SCORE, w.formula(r, c.SCORE), s.get("formula", "General"), blank(score))
    ws.write_formula(r, c.WEIGHTED, F.weighted_formula(layout, i), s.get("formula", "0.00"),
                     "" if score is None else score if ind.points is not None else score * ind.weight)
    progress = F.progress_formula(ind, layout, i, w.lang)
    if progress:
        actual = inputs.actuals.get(ind.id)
        cached: float | str = ""
        if isinstance(actual, (int, float)) and not isinstance(actual, bool):
            t = float(ind.target) if isinstance(ind.target, (int, float)) else 0.0
            cached = "—" if not t else actual / t if ind.direction == "higher" else (t / actual if actual else "")
        elif actual not in (None, ""):
            cached = F.NOT_A_NUMBER[w.lang]
        ws.write_formula(r, c.PROGRESS, progress, s.get("formula", "0%"), cached)
        w.numeric_inputs.append(a1(r, c.ACTUAL))
    else:
        ws.write_string(r, c.PROGRESS, "—", s.get("formula"))
    ws.write_string(r, c.SOURCE, ind.source, s.get("text"))
    for p, param in enumerate(ind.method.params(ind, w.L)):
        kr, kc = layout.param_key(i, p)
        if isinstance(param.key, (int, float)):
            ws.write_number(kr, kc, param.key, s.get("param", fmt))
        else:
            ws.write_string(kr, kc, str(param.key), s.get("param"))
        ws.write_number(*layout.param_value(i, p), param.value, s.get("param"))
    for p in range(param_count(ind), layout.pairs):
        ws.write_blank(*layout.param_key(i, p), None, s.get("param"))
        ws.write_blank(*layout.param_value(i, p), None, s.get("param"))


def _choices(w: _Sheet, r: int, ind: Indicator) -> str | None:
    """A label input's levels written in hidden cells beyond the parameters, for its drop-down to read."""
    choices = ind.method.choices(ind)
    if choices is None:
        return None
    first = w.layout.choices_col
    for k, (level, _) in enumerate(choices):
        w.ws.write_string(r, first + k, level, w.s.get("param"))
    w.ws.set_column(first, first + len(choices) - 1, 8, None, {"hidden": True})
    return f"={a1(r, first, True)}:{a1(r, first + len(choices) - 1, True)}"


def _results(w: _Sheet, inputs: CardInputs, result: CardResult) -> None:
    """Weighted score, adjustments, veto, total, grade, coefficient, pay and how the result is applied."""
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    if layout.sections or layout.adjustments or layout.veto:
        r = layout.weighted_row
        ws.merge_range(r, c.NO, r, c.SCORE, w.L("weighted_score"), s.get("label"))
        _result(w, r, s.get("subtotal", "0.00"), blank(result.weighted))
        w.set_row(r, 22)
    if spec.adjustments:
        adjustments(w, inputs, result)
    if spec.veto:
        veto(w, inputs, result)
    tr, gr, ar = layout.total_row, layout.grade_row, layout.application_row
    for r in (tr, gr, ar):
        w.set_row(r, 22)
    ws.merge_range(tr, c.NO, tr, c.TARGET, w.L("total"), s.get("label"))
    if layout.sections:
        ws.write_formula(tr, c.WEIGHT, f"=SUM({layout.section_weight_cell(spec.sections[0].id, False)}:"
                                       f"{layout.section_weight_cell(spec.sections[-1].id, False)})",
                         s.get("value", "0.##" if spec.summed else "0%"), spec.full_marks if spec.summed else 1.0)
    else:
        ws.write_formula(tr, c.WEIGHT, f"=SUM({layout.column_span(c.WEIGHT)})", s.get("value", "0.##" if spec.by_points else "0%"),
                         spec.full_marks if spec.by_points else sum(ind.weight for ind in spec.indicators))
    awaited: list[str] = [role for role in ("supervisor", "reviewer", "peer") if role in w.awaiting]
    ws.merge_range(tr, c.STANDARD, tr, c.SCORE, _awaiting_note(awaited, w.lang), s.get("note" if awaited else "text"))
    _result(w, tr, s.get("total", "0.00"), blank(result.total))
    ws.merge_range(gr, c.NO, gr, c.SCORE, w.L("grade"), s.get("label"))
    _result(w, gr, s.get("total"), result.grade.label if result.grade else "")
    if layout.coefficients:
        cr, pr = layout.coefficient_row, layout.pay_row
        w.set_row(cr, 22)
        w.set_row(pr, 22)
        ws.merge_range(cr, c.NO, cr, c.SCORE, w.L("coefficient"), s.get("label"))
        _result(w, cr, s.get("total", "0.00"), blank(result.coefficient))
        ws.merge_range(pr, c.NO, pr, c.STANDARD, w.L("pay"), s.get("label"))
        if c.SCORE - 1 > c.ACTUAL:
            ws.merge_range(pr, c.ACTUAL, pr, c.SCORE - 1, w.L("bonus_base"), s.get("label"))
        else:  # one column between: Excel cannot merge a single cell
            ws.write_string(pr, c.ACTUAL, w.L("bonus_base"), s.get("label"))
        if inputs.bonus_base is None:
            ws.write_blank(pr, c.SCORE, None, s.get("param", "#,##0.00"))
        else:
            ws.write_number(pr, c.SCORE, inputs.bonus_base, s.get("param", "#,##0.00"))
        _result(w, pr, s.get("total", "#,##0.00"), blank(result.pay))
    ws.merge_range(ar, c.NO, ar, c.SCORE, w.L("application"), s.get("label"))
    ws.merge_range(ar, c.WEIGHTED, ar, c.LAST_TABLE, "", s.get("text"))
    ws.write_formula(ar, c.WEIGHTED, F.application_formula(layout), s.get("text"), result.grade.application if result.grade else "")


def _result(w: _Sheet, r: int, fmt: Any, cached: Any) -> None:
    """A result's formula (in the weighted-score column, where the cell map has it) shown across the rest of the row."""
    c = w.c
    w.ws.merge_range(r, c.WEIGHTED, r, c.LAST_TABLE, "", fmt)
    w.ws.write_formula(r, c.WEIGHTED, w.formula(r, c.WEIGHTED), fmt, cached)


def _grades_and_raters(w: _Sheet) -> None:
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    gh = layout.grade_header_row
    gc = layout.grade_cols
    ws.write_string(gh - 1, c.NO, w.L("grade_table"), s.get("section"))
    headings = [("label", "grade_label"), ("min", "grade_min")] + ([("coefficient", "coefficient")] if layout.coefficients else [])
    for key, heading in headings:
        ws.write_string(gh, gc[key], w.L(heading), s.get("header"))
    ws.merge_range(gh, gc["application"], gh, c.LAST_TABLE, w.L("application"), s.get("header"))
    for g, grade in enumerate(spec.grades):
        row = layout.grade_table_row(g)
        ws.write_string(row, gc["label"], grade.label, s.get("value"))
        ws.write_number(row, gc["min"], grade.min, s.get("value"))
        if layout.coefficients:
            ws.write_number(row, gc["coefficient"], float(grade.coefficient or 0), s.get("value", "0.00"))
        ws.merge_range(row, gc["application"], row, c.LAST_TABLE, "", s.get("text"))
        ws.write_string(row, gc["application"], grade.application, s.get("text"))
    if spec.raters:
        rh = layout.raters_header_row
        ws.write_string(rh, 0, w.L("rater"), s.get("header"))
        ws.write_string(rh, 1, w.L("rater_weight"), s.get("header"))
        frame(ws, rh, 2, c.LAST_TABLE, s.get("header"))
        for rater in spec.raters:
            r = layout.rater_row(rater.id)
            ws.write_string(r, 0, rater.name, s.get("value"))
            ws.write_number(r, 1, rater.weight, s.get("param", "0%"))
            frame(ws, r, 2, c.LAST_TABLE, s.get("text"))


def _reviews(w: _Sheet, texts: PersonTexts) -> None:
    layout, c, ws, s = w.layout, w.c, w.ws, w.s
    cr = layout.comment_row
    ws.write_string(cr, c.NO, w.L("comment"), s.get("label"))
    comment_style = w.review_style(text=True)  # the supervisor's: their colour, their range when locked
    if "supervisor" in w.awaiting:
        ws.merge_range(cr, c.INDICATOR, cr, c.LAST_TABLE, "", s.get("awaiting_text"))
        w.awaited("supervisor", cr, c.INDICATOR, text=True)
    else:
        ws.merge_range(cr, c.INDICATOR, cr, c.LAST_TABLE, "", comment_style)
        ws.write_string(cr, c.INDICATOR, texts.get("comment", ""), comment_style)
        w.review_cell("supervisor", cr, c.INDICATOR)
    w.set_row(cr, row_height([(texts.get("comment", ""), w.width(c.INDICATOR, c.LAST_TABLE))], 44))
    ws.write_string(layout.review_header_row, c.NO, w.L("self_review"), s.get("section"))
    for k, key in enumerate(layout.REVIEW_KEYS):
        row = layout.review_row(k)
        ws.write_string(row, c.NO, w.L(key), s.get("label"))
        ws.merge_range(row, c.INDICATOR, row, c.LAST_TABLE, "", s.get("input_text"))
        ws.write_string(row, c.INDICATOR, texts.get(key, ""), s.get("input_text"))
        w.set_row(row, row_height([(texts.get(key, ""), w.width(c.INDICATOR, c.LAST_TABLE)), (w.L(key), w.widths[c.NO])], 40))


def _signoff(w: _Sheet, person: Person) -> None:
    """确认签字: employee, supervisor, reviewer and HR sign (and date) the agreed targets and the result.
    Each role's cells are theirs: the employee's are open, the supervisor's and the reviewer's (and
    HR's) are in that role's protected range when a reviewer password is given."""
    layout, c, ws, s = w.layout, w.c, w.ws, w.s
    cols = layout.signoff_cols
    ws.write_string(layout.signoff_title_row, c.NO, w.L("signoff"), s.get("section"))
    hr = layout.signoff_header_row
    for part in ("role", "plan_sign", "plan_date", "result_sign", "result_date", "note"):
        first, last = cols[part]
        span(ws, hr, first, last, w.L(f"sign_{part}"), s.get("header"))
    w.set_row(hr, row_height([(w.L(f"sign_{part}"), w.width(*cols[part])) for part in cols], 32))  # headings whole
    for role in layout.SIGN_ROLES:
        r = layout.signoff_row(role)
        w.set_row(r, 24)
        span(ws, r, *cols["role"], w.L(f"signer_{role}"), s.get("label"))
        own = role == "employee"
        for part in ("plan_sign", "plan_date", "result_sign", "result_date", "note"):
            first, last = cols[part]
            fmt = "yyyy-mm-dd" if part.endswith("date") else None
            signer = "supervisor" if role == "supervisor" else "reviewer"
            elsewhere = not own and bool(w.awaiting)  # raters sign their own workbooks; here a pen signs the printout
            style = s.get("input", fmt) if own else s.get("text", fmt) if elsewhere else w.review_style(role=signer, num_format=fmt)
            span(ws, r, first, last, "", style)
            if not own and not elsewhere:
                w.review_cell(signer, r, first)
    first_date = layout.signoff_row(layout.SIGN_ROLES[0])
    dates = [a1(layout.signoff_row(role), cols[part][0]) for role in layout.SIGN_ROLES for part in ("plan_date", "result_date")]
    ws.data_validation(first_date, cols["plan_date"][0], first_date, cols["plan_date"][0], {
        "validate": "date", "criteria": "between", "minimum": datetime.date(2000, 1, 1), "maximum": datetime.date(2100, 12, 31),
        "input_title": w.L("sign_plan_date"), "input_message": "例如 2026-07-10" if w.lang == "zh" else "e.g. 2026-07-10",
        "error_title": "日期无效" if w.lang == "zh" else "Invalid date",
        "error_message": "请输入 2000-01-01 至 2100-12-31 之间的日期。" if w.lang == "zh" else "Enter a date between 2000-01-01 and 2100-12-31.",
        "multi_range": " ".join(dates)})
    # the grade's rank (1 = the best): what a department summary counts, whatever the language of the labels
    gr = layout.grade_row
    ws.write_string(gr, c.PARAMS, w.L("grade_rank"), s.get("param"))
    ws.write_formula(gr, c.PARAMS + 1, F.rank_formula(layout), s.get("param"), w.rank)


def _awaiting_note(roles: list[str], lang: str) -> str:
    """What the total row says on an employee's workbook whose raters rate in their own workbooks."""
    if not roles:
        return ""
    who = "、".join(label(f"role_{r}", "zh") for r in roles) if lang == "zh" else ", ".join(label(f"role_{r}", "en") for r in roles)
    return (f"※ 待{who}在各自的评分表中评分后,由 HR 汇总得出总分" if lang == "zh"
            else f"※ the total is worked out by HR once the {who} have rated in their own workbooks")


def _conditional_formats(w: _Sheet) -> None:
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


def _chart(w: _Sheet) -> None:
    """Scores by indicator (by section when the scorecard has sections: their rows are not contiguous)."""
    layout, c, spec = w.layout, w.c, w.spec
    chart = w.wb.add_chart({"type": "bar"})
    name = w.ws.name
    if spec.sections:
        first, last = layout.section_summary_row(spec.sections[0].id), layout.section_summary_row(spec.sections[-1].id)
        categories, values = [name, first, c.NO, last, c.NO], [name, first, c.SCORE, last, c.SCORE]
    else:
        categories = [name, layout.FIRST_ROW, c.INDICATOR, layout.last_row, c.INDICATOR]
        values = [name, layout.FIRST_ROW, c.SCORE, layout.last_row, c.SCORE]
    chart.add_series({"name": label("score", w.lang), "categories": categories, "values": values,
                      "fill": {"color": "#5B9BD5"}, "data_labels": {"value": True}})
    chart.set_title({"name": label("chart_title", w.lang), "name_font": {"size": 11}})
    chart.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    width = int(sum((w.widths[k] * 7 + 5) for k in range(c.NO, c.LAST_TABLE + 1)) * 0.8)
    chart.set_size({"width": width, "height": layout.chart_height})
    w.ws.insert_chart(layout.chart_row, c.NO, chart, {"x_offset": 10, "object_position": 3})
