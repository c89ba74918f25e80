"""One person's scorecard sheet: info block, KPI table, grade scale, reviews, chart, names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..core.refs import a1, sheet_ref
from ..scoring.engine import CardResult, sheet_result
from ..sheet.formulas import (
    application_formula,
    grade_formula,
    progress_formula,
    score_formula,
    total_formula,
    weighted_formula,
)
from ..sheet.person import Col, PersonLayout, param_count
from ..spec.model import Person, Spec
from .book import ScorecardWorkbook
from .labels import label
from .styles import GRADE_FILLS, GRADE_FONTS, MISSING_FILL, Styles, number_format
from .validation import actual_validation

__all__ = ["write_person_sheet", "PersonTexts"]

PersonTexts = Mapping[str, str]  # comment and review texts to pre-fill (simulations, re-issues)

COL_WIDTHS = {Col.NO: 10, Col.INDICATOR: 16, Col.DEFINITION: 26, Col.UNIT: 7, Col.TARGET: 9, Col.WEIGHT: 7,
              Col.STANDARD: 34, Col.ACTUAL: 11, Col.SCORE: 8, Col.WEIGHTED: 10, Col.PROGRESS: 9, Col.SOURCE: 12}


def _blank(value: float | None) -> float | str:
    return "" if value is None else value


def write_person_sheet(
    wb: ScorecardWorkbook,
    ws: Worksheet,
    styles: Styles,
    spec: Spec,
    person: Person,
    lang: str,
    actuals: Mapping[str, Any] | None = None,
    texts: PersonTexts | None = None,
    password: str = "",
    mode: str = "native",
) -> tuple[dict[str, Any], CardResult]:
    """Write the sheet and its sheet-scoped names; returns the cell map (for the metadata) and
    what the sheet shows (for a department summary's cached values).

    ``mode`` "udf" writes xlwings function calls (KPISCORE, WEIGHTED_TOTAL, KPIGRADE) where
    they exist, with the parameters grouped so that bands are contiguous ranges.
    """
    layout = PersonLayout.for_spec(spec, mode)
    actuals = actuals or {}
    result = sheet_result(spec, actuals)
    s = styles
    L = lambda key: label(key, lang)  # noqa: E731

    for col, width in COL_WIDTHS.items():
        ws.set_column(col, col, width)
    ws.set_column(Col.PARAMS, layout.last_col, 8)
    ws.hide_gridlines(2)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_paper(9)
    ws.print_area(layout.TITLE_ROW, Col.NO, layout.last_review_row, Col.LAST_TABLE)
    for r in layout.INFO_ROWS[:2]:
        ws.set_row(r, 20)

    # Title and info block.
    ws.merge_range(layout.TITLE_ROW, Col.NO, layout.TITLE_ROW, Col.LAST_TABLE, spec.title, s.get("title"))
    ws.set_row(layout.TITLE_ROW, 28)
    values = {"name": person.name, "employee_id": person.employee_id, "period": person.period or spec.period,
              "position": person.position or spec.position, "department": person.department,
              "manager": person.manager, "responsibilities": spec.responsibilities}
    for key, (r, c) in layout.INFO_LABELS.items():
        ws.write_string(r, c, L(key), s.get("label"))
        vr, vc = layout.INFO[key]
        if key == "responsibilities":
            ws.merge_range(vr, vc, vr, Col.LAST_TABLE, "", s.get("text"))
            ws.set_row(vr, 32)
        else:
            ws.merge_range(vr, vc, vr, vc + 1, "", s.get("text"))
        ws.write_string(vr, vc, values[key], s.get("text"))

    # KPI table.
    hr = layout.HEADER_ROW
    headers = ["no", "indicator", "definition", "unit", "target", "weight", "standard", "actual", "score",
               "weighted", "progress", "source"]
    for c, key in enumerate(headers):
        ws.write_string(hr, c, L(key), s.get("header"))
    ws.set_row(hr, 30)
    ws.merge_range(hr - 1, Col.PARAMS, hr - 1, layout.last_col, L("params"), s.get("label"))
    for p in range(layout.pairs):
        ws.write_string(hr, layout.param_key(0, p)[1], f"{L('key')}{p + 1}", s.get("header"))
        ws.write_string(hr, layout.param_value(0, p)[1], f"{L('value')}{p + 1}", s.get("header"))

    scope = sheet_ref(ws.name)
    for i, ind in enumerate(spec.indicators):
        r = layout.row(i)
        fmt = number_format(ind)
        ws.set_row(r, 42)
        ws.write_number(r, Col.NO, i + 1, s.get("value"))
        ws.write_string(r, Col.INDICATOR, ind.name, s.get("text"))
        ws.write_string(r, Col.DEFINITION, ind.definition, s.get("text"))
        ws.write_string(r, Col.UNIT, ind.unit, s.get("value"))
        if isinstance(ind.target, (int, float)):
            ws.write_number(r, Col.TARGET, ind.target, s.get("value", fmt))
        else:
            ws.write_string(r, Col.TARGET, ind.target or "", s.get("value"))
        ws.write_number(r, Col.WEIGHT, ind.weight, s.get("value", "0%"))
        ws.write_string(r, Col.STANDARD, ind.describe(lang), s.get("text"))
        actual = actuals.get(ind.id)
        input_fmt = s.get("input", None if ind.takes_label else fmt)
        if actual is None or actual == "":
            ws.write_blank(r, Col.ACTUAL, None, input_fmt)
        elif isinstance(actual, (int, float)) and not isinstance(actual, bool):
            ws.write_number(r, Col.ACTUAL, actual, input_fmt)
        else:
            ws.write_string(r, Col.ACTUAL, str(actual), input_fmt)
        ws.data_validation(r, Col.ACTUAL, r, Col.ACTUAL, actual_validation(ind, lang))
        score = result.scores[ind.id]
        ws.write_formula(r, Col.SCORE, score_formula(ind, layout, i, mode), s.get("formula", "General"), _blank(score))
        ws.write_formula(r, Col.WEIGHTED, weighted_formula(layout, i), s.get("formula", "0.00"),
                         "" if score is None else score * ind.weight)
        progress = progress_formula(ind, layout, i)
        if progress:
            cached: float | str = ""
            if isinstance(actual, (int, float)) and not isinstance(actual, bool):
                t = float(ind.target)  # type: ignore[arg-type]
                cached = actual / t if ind.direction == "higher" else (t / actual if actual else "")
            ws.write_formula(r, Col.PROGRESS, progress, s.get("formula", "0%"), cached)
        else:
            ws.write_string(r, Col.PROGRESS, "—", s.get("formula"))
        ws.write_string(r, Col.SOURCE, ind.source, s.get("text"))
        for p, param in enumerate(ind.method.params(ind, L)):
            kr, kc = layout.param_key(i, p)
            if isinstance(param.key, (int, float)):
                ws.write_number(kr, kc, param.key, s.get("param", fmt))
            else:
                ws.write_string(kr, kc, str(param.key), s.get("param"))
            ws.write_number(*layout.param_value(i, p), param.value, s.get("param"))
        for p in range(param_count(ind), layout.pairs):
            ws.write_blank(*layout.param_key(i, p), None, s.get("param"))
            ws.write_blank(*layout.param_value(i, p), None, s.get("param"))
        wb.define_name(f"{scope}!KPI_ACTUAL_{ind.id}", f"={scope}!{a1(r, Col.ACTUAL, True)}")
        wb.define_name(f"{scope}!KPI_SCORE_{ind.id}", f"={scope}!{a1(r, Col.SCORE, True)}")

    # Total, grade, application.
    tr, gr, ar = layout.total_row, layout.grade_row, layout.application_row
    for r in (tr, gr, ar):
        ws.set_row(r, 22)
    ws.merge_range(tr, Col.NO, tr, Col.TARGET, L("total"), s.get("label"))
    ws.write_formula(tr, Col.WEIGHT, f"=SUM({layout.column_span(Col.WEIGHT)})",
                     s.get("value", "0%"), sum(ind.weight for ind in spec.indicators))
    ws.merge_range(tr, Col.STANDARD, tr, Col.SCORE, "", s.get("text"))
    ws.write_formula(tr, Col.WEIGHTED, total_formula(layout, mode), s.get("total", "0.00"), _blank(result.total))
    ws.merge_range(gr, Col.NO, gr, Col.SCORE, L("grade"), s.get("label"))
    ws.write_formula(gr, Col.WEIGHTED, grade_formula(layout, mode), s.get("total"), result.grade.label if result.grade else "")
    ws.merge_range(ar, Col.NO, ar, Col.SCORE, L("application"), s.get("label"))
    ws.merge_range(ar, Col.WEIGHTED, ar, Col.LAST_TABLE, "", s.get("text"))
    ws.write_formula(ar, Col.WEIGHTED, application_formula(layout), s.get("text"),
                     result.grade.application if result.grade else "")

    # Grade scale (visible thresholds for the grade formula).
    gh = layout.grade_header_row
    ws.write_string(gh - 1, Col.NO, L("grade_table"), s.get("section"))
    gc = layout.GRADE_COLS
    for key, heading in (("label", "grade_label"), ("min", "grade_min"), ("application", "application")):
        ws.write_string(gh, gc[key], L(heading), s.get("header"))
    ws.merge_range(gh, gc["application"], gh, Col.STANDARD, L("application"), s.get("header"))
    for g, grade in enumerate(spec.grades):
        row = layout.grade_table_row(g)
        ws.write_string(row, gc["label"], grade.label, s.get("value"))
        ws.write_number(row, gc["min"], grade.min, s.get("value"))
        ws.merge_range(row, gc["application"], row, Col.STANDARD, "", s.get("text"))
        ws.write_string(row, gc["application"], grade.application, s.get("text"))

    # Supervisor comment and self-review (inputs).
    texts = texts or {}
    cr = layout.comment_row
    ws.write_string(cr, Col.NO, L("comment"), s.get("label"))
    ws.merge_range(cr, Col.INDICATOR, cr, Col.LAST_TABLE, "", s.get("input_text"))
    ws.write_string(cr, Col.INDICATOR, texts.get("comment", ""), s.get("input_text"))
    ws.set_row(cr, 48)
    ws.write_string(layout.review_header_row, Col.NO, L("self_review"), s.get("section"))
    for k, key in enumerate(layout.REVIEW_KEYS):
        row = layout.review_row(k)
        ws.write_string(row, Col.NO, L(key), s.get("label"))
        ws.merge_range(row, Col.INDICATOR, row, Col.LAST_TABLE, "", s.get("input_text"))
        ws.write_string(row, Col.INDICATOR, texts.get(key, ""), s.get("input_text"))
        ws.set_row(row, 48)

    _conditional_formats(ws, styles, spec, layout)
    _chart(wb, ws, spec, layout, lang)
    wb.define_name(f"{scope}!KPI_TOTAL", f"={scope}!{a1(tr, Col.WEIGHTED, True)}")
    wb.define_name(f"{scope}!KPI_GRADE", f"={scope}!{a1(gr, Col.WEIGHTED, True)}")
    eid_r, eid_c = layout.INFO["employee_id"]
    wb.define_name(f"{scope}!KPI_EMPLOYEE_ID", f"={scope}!{a1(eid_r, eid_c, True)}")
    ws.freeze_panes(layout.FIRST_ROW, 2)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True})
    return layout.cell_map(spec), result


def _conditional_formats(ws: Worksheet, styles: Styles, spec: Spec, layout: PersonLayout) -> None:
    first, last = layout.FIRST_ROW, layout.last_row
    score = a1(first, Col.SCORE)
    total = a1(layout.total_row, Col.WEIGHTED, True)
    grade = a1(layout.grade_row, Col.WEIGHTED, True)
    n = len(spec.grades)
    for g, (gmin, glabel) in enumerate(zip(layout.grade_cells("min"), layout.grade_cells("label"))):
        shade = min(g, len(GRADE_FILLS) - 1) if g < n - 1 else len(GRADE_FILLS) - 2
        fill = styles.fill(GRADE_FILLS[shade], GRADE_FONTS[shade])
        # Formula rules: a text "" would compare greater than any number in a "cell" rule.
        ws.conditional_format(first, Col.SCORE, last, Col.SCORE,
                              {"type": "formula", "criteria": f"=AND(ISNUMBER({score}),{score}>={gmin})",
                               "format": fill, "stop_if_true": True})
        ws.conditional_format(layout.total_row, Col.WEIGHTED, layout.total_row, Col.WEIGHTED,
                              {"type": "formula", "criteria": f"=AND(ISNUMBER({total}),{total}>={gmin})",
                               "format": fill, "stop_if_true": True})
        ws.conditional_format(layout.grade_row, Col.WEIGHTED, layout.grade_row, Col.WEIGHTED,
                              {"type": "formula", "criteria": f'=AND({grade}<>"",{grade}={glabel})', "format": fill})
    actual = a1(first, Col.ACTUAL)
    ws.conditional_format(first, Col.ACTUAL, last, Col.ACTUAL,
                          {"type": "formula", "criteria": f'=LEN(TRIM({actual}))=0', "format": styles.fill(MISSING_FILL)})
    ws.conditional_format(first, Col.PROGRESS, last, Col.PROGRESS,
                          {"type": "data_bar", "bar_color": "#5B9BD5", "min_type": "num", "min_value": 0,
                           "max_type": "num", "max_value": 1.2, "bar_solid": True})


def _chart(wb: ScorecardWorkbook, ws: Worksheet, spec: Spec, layout: PersonLayout, lang: str) -> None:
    chart = wb.add_chart({"type": "bar"})
    name = ws.name
    chart.add_series({
        "name": label("score", lang),
        "categories": [name, layout.FIRST_ROW, Col.INDICATOR, layout.last_row, Col.INDICATOR],
        "values": [name, layout.FIRST_ROW, Col.SCORE, layout.last_row, Col.SCORE],
        "fill": {"color": "#5B9BD5"},
        "data_labels": {"value": True},
    })
    chart.set_title({"name": label("chart_title", lang), "name_font": {"size": 11}})
    chart.set_x_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": 620, "height": 60 + 36 * len(spec.indicators)})
    ws.insert_chart(layout.chart_row, Col.INDICATOR, chart)
