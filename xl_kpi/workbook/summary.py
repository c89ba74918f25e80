"""The department summary: every person's total and grade, live, with statistics and a chart."""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..core.refs import a1, sheet_ref
from ..scoring.engine import CardResult
from ..sheet.layouts import DepartmentLayout
from ..spec.model import Person, Spec
from .book import ScorecardWorkbook
from .labels import label
from .styles import Styles


def write_summary(wb: ScorecardWorkbook, ws: Worksheet, styles: Styles, lang: str, department: str,
                  rows: list[tuple[str, Person, Spec, dict[str, Any], CardResult]], password: str = "") -> None:
    s = styles
    grade_labels: list[str] = []
    for _, _, spec, _, _ in rows:
        for g in spec.grades:
            if g.label not in grade_labels:
                grade_labels.append(g.label)
    lay = DepartmentLayout(people=len(rows), grades=len(grade_labels))
    col = lay.col
    ws.merge_range(lay.TITLE_ROW, 0, lay.TITLE_ROW, lay.last_col, f"{department} — {label('summary', lang)}", s.get("title"))
    ws.set_row(lay.TITLE_ROW, 26)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    hr = lay.HEADER_ROW
    for c, (key, w) in enumerate(zip(lay.COLUMNS, lay.WIDTHS)):
        ws.set_column(c, c, w)
        ws.write_string(hr, c, label(key, lang), s.get("header"))
    for i, (sheet, person, spec, cells, result) in enumerate(rows):
        r = lay.row(i)
        ws.write_string(r, col("employee_id"), person.employee_id, s.get("text"))
        ws.write_string(r, col("name"), person.name, s.get("text"))
        ws.write_string(r, col("position"), person.position or spec.position, s.get("text"))
        ws.write_string(r, col("period"), person.period or spec.period, s.get("value"))
        total, grade = sheet_ref(sheet, cells["total"]), sheet_ref(sheet, cells["grade"])
        ws.write_formula(r, col("total"), f'=IF(ISNUMBER({total}),{total},"")', s.get("formula", "0.00"),
                         "" if result.total is None else result.total)
        ws.write_formula(r, col("grade"), f'={grade}&""', s.get("formula"), result.grade.label if result.grade else "")
        ws.write_url(r, col("open_sheet"), "internal:" + sheet_ref(sheet, "A1"), s.get("link"), string=label("open_sheet", lang))
    totals, grades = lay.span("total"), lay.span("grade")
    # Statistics to the right of the list.
    sc, vc = lay.STATS_COL, lay.stat_value_col
    ws.set_column(sc, sc, 16)
    ws.set_column(vc, vc, 10)
    present = [r[4].total for r in rows if r[4].total is not None]
    stats = {
        "count": (f"=COUNTA({lay.span('employee_id')})", float(len(rows))),
        "scored": (f"=COUNT({totals})", float(len(present))),
        "average": (f'=IF(COUNT({totals})=0,"",ROUND(AVERAGE({totals}),2))', round(sum(present) / len(present), 2) if present else ""),
    }
    for key in lay.STATS:
        formula, value = stats[key]
        ws.write_string(lay.stat_row(key), sc, label(key, lang), s.get("label"))
        ws.write_formula(lay.stat_row(key), vc, formula, s.get("formula", "0.##"), value)
    dist_row = lay.distribution_row
    ws.write_string(dist_row, sc, label("distribution", lang), s.get("header"))
    ws.write_string(dist_row, vc, label("count", lang), s.get("header"))
    for j, glabel in enumerate(grade_labels):
        r = lay.grade_row(j)
        ws.write_string(r, sc, glabel, s.get("text"))
        count = sum(1 for row in rows if row[4].grade and row[4].grade.label == glabel)
        ws.write_formula(r, vc, f"=COUNTIF({grades},{a1(r, sc)})", s.get("formula", "0"), count)
    if grade_labels:
        chart = wb.add_chart({"type": "column"})
        chart.add_series({
            "name": label("distribution", lang),
            "categories": [ws.name, lay.grade_row(0), sc, lay.grade_row(len(grade_labels) - 1), sc],
            "values": [ws.name, lay.grade_row(0), vc, lay.grade_row(len(grade_labels) - 1), vc],
            "fill": {"color": "#5B9BD5"}, "data_labels": {"value": True},
        })
        chart.set_title({"name": label("distribution", lang), "name_font": {"size": 11}})
        chart.set_legend({"none": True})
        chart.set_y_axis({"min": 0, "major_unit": 1})
        ws.insert_chart(lay.chart_row, sc, chart, {"x_scale": 0.9, "y_scale": 0.9})
    ws.freeze_panes(lay.FIRST_ROW, col("position"))
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "sort": True, "autofilter": True})
