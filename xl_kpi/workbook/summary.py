"""The department summary: every person's total and grade, live, with statistics and a chart."""

from __future__ import annotations

import datetime
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..core.refs import sheet_ref
from ..scoring.engine import CardResult
from ..sheet.layouts import DepartmentLayout
from ..sheet.printing import WIDEST, PageBreaks, column_points, fit_width, page_setup
from ..spec.model import Person, Spec
from ..spec.scales import column_titles, grade_scales, scale_key
from .book import ScorecardWorkbook
from .labels import label
from .styles import Styles

LANDSCAPE_HEIGHT = 595.3 - (0.45 + 0.65) * 72  # A4 landscape between the top and bottom margins, in points


def _extra(key: str, sheet: str, spec: Spec, cells: dict[str, Any], result: CardResult) -> tuple[str | None, Any, str]:
    """Where a person's sheet holds one of the extra columns, its cached value and number format."""
    if key.startswith("section:"):
        sid = key[8:]
        cell = cells.get("section", {}).get(sid)
        return (sheet_ref(sheet, cell) if cell else None), _blank(result.sections.get(sid)), "0.00"
    if key == "adjustment":
        cell = cells.get("adjustment", {}).get("total")
        return (sheet_ref(sheet, cell) if cell else None), result.adjustment, "+0.##;-0.##;0"
    if key == "veto":
        names = " ".join(item.name for item in spec.veto if item.id in result.vetoed)
        return (sheet_ref(sheet, cells["veto_names"]) if "veto_names" in cells else None), names, "General"
    cell = cells.get(key)
    cached = result.coefficient if key == "coefficient" else result.pay
    return (sheet_ref(sheet, cell) if cell else None), _blank(cached), "0.00" if key == "coefficient" else "#,##0.00"


def _blank(value: float | None) -> float | str:
    return "" if value is None else value


def write_summary(wb: ScorecardWorkbook, ws: Worksheet, styles: Styles, lang: str, department: str,
                  rows: list[tuple[str, Person, Spec, dict[str, Any], CardResult]], password: str = "") -> None:
    s = styles
    specs = [spec for _, _, spec, _, _ in rows]
    lay = DepartmentLayout.for_members(specs)
    extras = lay.extras
    scales = grade_scales(specs, lang)  # a grade counts only with its own scale's: never by rank across scales
    scale_of = {spec.id: k for k, scale in enumerate(scales, start=1) for spec in specs if scale_key(spec) == scale.key}
    titles = column_titles(scales, lang)
    grade_labels = [g.label for spec in specs for g in spec.grades]
    section_names = {section.id: section.name for spec in reversed(specs) for section in spec.sections}
    col = lay.col
    ws.merge_range(lay.TITLE_ROW, 0, lay.TITLE_ROW, lay.last_col, f"{department} — {label('summary', lang)}", s.get("title"))
    ws.set_row(lay.TITLE_ROW, 26)
    hr = lay.HEADER_ROW
    headings = {key: section_names[key[8:]] if key.startswith("section:") else label(key, lang) for key in lay.COLUMNS}
    contents: dict[str, list[str]] = {"employee_id": [p.employee_id for _, p, _, _, _ in rows],
                                      "name": [p.name for _, p, _, _, _ in rows],
                                      "position": [p.position or sp.position for _, p, sp, _, _ in rows],
                                      "period": [p.period or sp.period for _, p, sp, _, _ in rows],
                                      "grade": grade_labels}
    widths: dict[str, float] = {}
    for c, key in enumerate(lay.COLUMNS):
        width = widths[key] = fit_width([headings[key], *contents.get(key, [])], 6, 24)
        ws.set_column(c, c, width, None, {"hidden": key in lay.HIDDEN})
        ws.write_string(hr, c, headings[key], s.get("header"))
    ws.set_row(hr, 30)
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
        rank = sheet_ref(sheet, cells["grade_rank"])
        ws.write_formula(r, col("grade_rank"), f'=IF(ISNUMBER({rank}),{rank},"")', s.get("formula"),
                         float(spec.grades.index(result.grade) + 1) if result.grade else "")
        ws.write_number(r, col("grade_scale"), scale_of[spec.id], s.get("formula"))
        for key in extras:
            ref, cached, fmt = _extra(key, sheet, spec, cells, result)
            if ref is None:
                ws.write_blank(r, col(key), None, s.get("formula"))
            elif key == "veto":
                ws.write_formula(r, col(key), f'={ref}&""', s.get("formula"), cached)
            else:
                ws.write_formula(r, col(key), f'=IF(ISNUMBER({ref}),{ref},"")', s.get("formula", fmt), cached)
        ws.write_url(r, col("open_sheet"), "internal:" + sheet_ref(sheet, "A1"), s.get("link"), string=label("open_sheet", lang))
    totals, ranks, on_scale = lay.span("total"), lay.span("grade_rank"), lay.span("grade_scale")
    # Statistics to the right of the list.
    sc, vc = lay.STATS_COL, lay.stat_value_col
    stat_label_width = fit_width([label(k, lang) for k in (*lay.STATS, "distribution")] + [t for _, _, t in titles], 14, 24)
    ws.set_column(sc, sc, stat_label_width)
    count_width = fit_width([label("count", lang)], 8, 14)  # its heading whole ("Headcount")
    ws.set_column(vc, vc, count_width)
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
    number = {scale.key: k for k, scale in enumerate(scales, start=1)}
    for j, (scale_id, place, title) in enumerate(titles):
        r = lay.grade_row(j)
        ws.write_string(r, sc, title, s.get("text"))
        scale_no = number[scale_id]
        count = sum(1 for row in rows if row[4].grade and scale_of[row[2].id] == scale_no and row[2].grades.index(row[4].grade) + 1 == place)
        # rank and scale are numbers compared exactly (a label such as "A*" or "<C" would be a COUNTIF pattern)
        ws.write_formula(r, vc, f"=SUMPRODUCT(({ranks}={place})*({on_scale}={scale_no}))", s.get("formula", "0"), count)
    if titles:
        _chart(wb, ws, lang, lay, len(titles), len(rows), sum(column_points(w) for w in (stat_label_width, count_width)) / 0.75)
    _signoff(ws, s, lang, lay)
    ws.freeze_panes(lay.FIRST_ROW, col("position"))
    printed = [w for key, w in widths.items() if key not in lay.HIDDEN] + [8.43, stat_label_width, count_width]  # 8.43: the gap
    pages = PageBreaks([w * WIDEST.get(lang, WIDEST["zh"]) for w in printed], landscape=True, repeated=30)
    pages.page_height = LANDSCAPE_HEIGHT  # where the rows run over, as LibreOffice fills the page: a block is kept off it
    for row, height in ((lay.TITLE_ROW, 26), (hr, 30), *((lay.signoff_row + k, 26) for k in (1, 2))):
        pages.height(row, height)
    page_setup(ws, lang, landscape=True, area=(lay.TITLE_ROW, 0, lay.last_print_row, vc), repeat=(hr, hr),
               who=(department, label("summary", lang)), breaks=pages.breaks([(lay.signoff_row, lay.signoff_row + 2)], lay.last_print_row))
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "sort": True, "autofilter": True})


def _chart(wb: ScorecardWorkbook, ws: Worksheet, lang: str, lay: DepartmentLayout, grades: int, people: int, width: float) -> None:
    """The grade distribution as bars, a grade per bar, every grade named beside its bar (a column chart as narrow
    as the statistics skipped every other label), the count at each bar's end against a scale that reaches the
    department's headcount: no count can pass it, so no label runs off the chart or into another."""
    sc, vc = lay.STATS_COL, lay.stat_value_col
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": label("distribution", lang),
        "categories": [ws.name, lay.grade_row(0), sc, lay.grade_row(grades - 1), sc],
        "values": [ws.name, lay.grade_row(0), vc, lay.grade_row(grades - 1), vc],
        "fill": {"color": "#5B9BD5"}, "gap": 60,
        "data_labels": {"value": True, "position": "outside_end", "font": {"size": 9}},
    })
    chart.set_title({"name": label("distribution", lang), "name_font": {"size": 11}})
    chart.set_legend({"none": True})
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000) if people / s <= 6), None)
    value_axis: dict[str, Any] = {"min": 0, "max": max(1, people), "num_format": "0", "num_font": {"size": 9},
                                  "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    if step:
        value_axis["major_unit"] = step
    chart.set_x_axis(value_axis)  # a bar chart's x axis is its values', its y axis its grades'
    chart.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 9}})
    chart.set_size({"width": int(width), "height": 20 * lay.chart_rows})
    ws.insert_chart(lay.chart_row, sc, chart, {"object_position": 3})


def _signoff(ws: Worksheet, s: Styles, lang: str, lay: DepartmentLayout) -> None:
    """部门负责人 and HR sign and date the department's results."""
    r = lay.signoff_row
    ws.write_string(r, 0, label("signoff", lang), s.get("section"))
    for k, role in enumerate(("signer_department", "signer_hr"), start=1):
        ws.merge_range(r + k, 0, r + k, 1, label(role, lang), s.get("label"))
        ws.merge_range(r + k, 2, r + k, 3, "", s.get("input"))
        ws.write_string(r + k, 4, label("sign_result_date", lang), s.get("label"))
        ws.merge_range(r + k, 5, r + k, 6, "", s.get("input", "yyyy-mm-dd"))
        ws.set_row(r + k, 26)
    ws.data_validation(r + 1, 5, r + 2, 5, {"validate": "date", "criteria": "between", "minimum": datetime.date(2000, 1, 1),
                                            "maximum": datetime.date(2100, 12, 31)})
