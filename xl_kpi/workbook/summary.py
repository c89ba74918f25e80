"""The department summary: every person's total and grade, live, with statistics and a chart."""

from __future__ import annotations

from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..cellmap import a1
from ..engine import CardResult
from ..model import Spec
from ..roster import Person
from .book import ScorecardWorkbook
from .labels import label
from .styles import Styles


def _ref(sheet: str, cell: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!" + cell


def write_summary(wb: ScorecardWorkbook, ws: Worksheet, styles: Styles, lang: str, department: str,
                  rows: list[tuple[str, Person, Spec, dict[str, Any], CardResult]], password: str = "") -> None:
    s = styles
    headers = ["employee_id", "name", "position", "period", "total", "grade", "open_sheet"]
    widths = [12, 14, 22, 10, 10, 10, 10]
    ws.merge_range(0, 0, 0, len(headers) - 1, f"{department} — {label('summary', lang)}", s.get("title"))
    ws.set_row(0, 26)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    hr = 2
    for c, (key, w) in enumerate(zip(headers, widths)):
        ws.set_column(c, c, w)
        ws.write_string(hr, c, label(key, lang), s.get("header"))
    first = hr + 1
    for i, (sheet, person, spec, cells, result) in enumerate(rows):
        r = first + i
        ws.write_string(r, 0, person.employee_id, s.get("text"))
        ws.write_string(r, 1, person.name, s.get("text"))
        ws.write_string(r, 2, person.position or spec.position, s.get("text"))
        ws.write_string(r, 3, person.period or spec.period, s.get("value"))
        total, grade = _ref(sheet, cells["total"]), _ref(sheet, cells["grade"])
        ws.write_formula(r, 4, f'=IF(ISNUMBER({total}),{total},"")', s.get("formula", "0.00"),
                         "" if result.total is None else result.total)
        ws.write_formula(r, 5, f'={grade}&""', s.get("formula"), result.grade.label if result.grade else "")
        ws.write_url(r, 6, "internal:" + _ref(sheet, "A1"), s.get("link"), string=label("open_sheet", lang))
    last = first + max(len(rows), 1) - 1
    totals = f"{a1(first, 4, True)}:{a1(last, 4, True)}"
    grades = f"{a1(first, 5, True)}:{a1(last, 5, True)}"
    # Statistics to the right of the list.
    sc = 8
    ws.set_column(sc, sc, 16)
    ws.set_column(sc + 1, sc + 1, 10)
    present = [r[4].total for r in rows if r[4].total is not None]
    stats = [
        ("count", f"=COUNTA({a1(first, 0, True)}:{a1(last, 0, True)})", float(len(rows))),
        ("scored", f"=COUNT({totals})", float(len(present))),
        ("average", f'=IF(COUNT({totals})=0,"",ROUND(AVERAGE({totals}),2))', round(sum(present) / len(present), 2) if present else ""),
    ]
    for k, (key, formula, value) in enumerate(stats):
        ws.write_string(hr + k, sc, label(key, lang), s.get("label"))
        ws.write_formula(hr + k, sc + 1, formula, s.get("formula", "0.##"), value)
    dist_row = hr + len(stats) + 1
    ws.write_string(dist_row, sc, label("distribution", lang), s.get("header"))
    ws.write_string(dist_row, sc + 1, label("count", lang), s.get("header"))
    grade_labels: list[str] = []
    for _, _, spec, _, _ in rows:
        for g in spec.grades:
            if g.label not in grade_labels:
                grade_labels.append(g.label)
    for j, glabel in enumerate(grade_labels):
        r = dist_row + 1 + j
        ws.write_string(r, sc, glabel, s.get("text"))
        count = sum(1 for row in rows if row[4].grade and row[4].grade.label == glabel)
        ws.write_formula(r, sc + 1, f"=COUNTIF({grades},{a1(r, sc)})", s.get("formula", "0"), count)
    if grade_labels:
        chart = wb.add_chart({"type": "column"})
        chart.add_series({
            "name": label("distribution", lang),
            "categories": [ws.name, dist_row + 1, sc, dist_row + len(grade_labels), sc],
            "values": [ws.name, dist_row + 1, sc + 1, dist_row + len(grade_labels), sc + 1],
            "fill": {"color": "#5B9BD5"}, "data_labels": {"value": True},
        })
        chart.set_title({"name": label("distribution", lang), "name_font": {"size": 11}})
        chart.set_legend({"none": True})
        chart.set_y_axis({"min": 0, "major_unit": 1})
        ws.insert_chart(dist_row + len(grade_labels) + 2, sc, chart, {"x_scale": 0.9, "y_scale": 0.9})
    ws.freeze_panes(first, 2)
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "sort": True, "autofilter": True})
