"""The PDCA tracking ledger (seed 000): date, task, progress, output, problem and countermeasure."""

from __future__ import annotations

import datetime

from xlsxwriter.worksheet import Worksheet

from ..core.refs import a1, col_letter, sheet_ref
from ..sheet.layouts import LedgerLayout
from ..sheet.printing import fit_width, page_setup
from .labels import label
from .sheetdata import blank_block
from .styles import Styles


def write_ledger(ws: Worksheet, styles: Styles, lang: str, employees: list[str] | None = None, password: str = "") -> None:
    """A validated ledger table; ``employees`` adds a first column (department workbooks)."""
    lay = LedgerLayout(with_employee=bool(employees))
    keys = lay.keys
    widths = {"employee": fit_width(employees or [], 12, 22), "date": 11, "task": 28, "output": 28, "issue": 32}
    formats = {"date": "yyyy-mm-dd", "done_pct": "0%"}
    ws.merge_range(lay.TITLE_ROW, 0, lay.TITLE_ROW, lay.last_col, label("ledger", lang), styles.get("title_left"))
    ws.set_row(lay.TITLE_ROW, 24)
    note = ("每天或每周记录任务进展;进度低于计划时在“问题与对策”写明原因和下一步。" if lang == "zh"
            else "Record progress daily or weekly; when behind plan, write the cause and the next step.")
    ws.merge_range(lay.NOTE_ROW, 0, lay.NOTE_ROW, lay.last_col, note, styles.get("note"))
    for key in keys:  # a header fits on two lines; short columns fit their header
        widths.setdefault(key, fit_width([label(key, lang)], 8, 16))
    first, last = lay.FIRST_ROW, lay.last_row
    columns = []
    for c, key in enumerate(keys):  # the cells framed and filled as the employee's: a table in every application
        ws.set_column(c, c, widths[key], styles.get("input_plain", formats.get(key)))
        columns.append({"header": label(key, lang), "header_format": styles.get("header"),
                        "format": styles.get("input_cell", formats.get(key))})
    ws.add_table(lay.HEADER_ROW, 0, last, lay.last_col, {"columns": columns, "style": "Table Style Light 9", "autofilter": False})
    blank_block(ws, first, last, 0, [styles.get("input_cell", formats.get(key)) for key in keys])
    ws.set_row(lay.HEADER_ROW, 30)
    col = {k: lay.col(k) for k in keys}
    zh = lang == "zh"
    ws.data_validation(first, col["date"], last, col["date"], {
        "validate": "date", "criteria": "between", "minimum": datetime.date(2000, 1, 1),
        "maximum": datetime.date(2100, 12, 31),
        "input_title": label("date", lang), "input_message": "例如 2026-07-10" if zh else "e.g. 2026-07-10",
        "error_title": "日期无效" if zh else "Invalid date",
        "error_message": "请输入 2000-01-01 至 2100-12-31 之间的日期。" if zh else "Enter a date between 2000-01-01 and 2100-12-31."})
    ws.data_validation(first, col["done_pct"], last, col["done_pct"], {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
        "input_title": label("done_pct", lang), "input_message": "0%–100%,例如 80%" if zh else "0%–100%, e.g. 80%",
        "error_title": "进度无效" if zh else "Invalid progress",
        "error_message": "请输入 0% 到 100% 之间的百分比。" if zh else "Enter a percentage from 0% to 100%."})
    ws.data_validation(first, col["status"], last, col["status"], {
        "validate": "list", "source": label("statuses", lang).split(","),
        "error_title": "状态无效" if zh else "Invalid status",
        "error_message": "请从下拉列表中选择。" if zh else "Choose from the list."})
    if employees:
        ws.data_validation(first, col["employee"], last, col["employee"], {
            "validate": "list", "source": lay.employee_list(len(employees)), "error_title": "员工无效" if zh else "Unknown employee",
            "error_message": "请从下拉列表中选择本部门员工。" if zh else "Choose a person of this department."})
        for i, name in enumerate(employees):
            ws.write_string(i, lay.EMPLOYEE_LIST_COL, name)
        ws.set_column(lay.EMPLOYEE_LIST_COL, lay.EMPLOYEE_LIST_COL, None, None, {"hidden": True})
    ws.conditional_format(first, col["done_pct"], last, col["done_pct"],
                          {"type": "data_bar", "bar_color": "#70AD47", "min_type": "num", "min_value": 0,
                           "max_type": "num", "max_value": 1, "bar_solid": True})
    ws.freeze_panes(first, 0)
    page_setup(ws, lang, landscape=True, area=None, repeat=(lay.HEADER_ROW, lay.HEADER_ROW), who=(label("ledger", lang),))
    # Only the rows in use print (a page of blank rows at least, to write by hand): the print area ends at the last
    # entry, counted in the task column. INDEX, not OFFSET: nothing volatile. Excel, WPS and LibreOffice honour it.
    ref = sheet_ref(ws.name)
    tasks = f"{ref}!{a1(first, col['task'], True)}:{a1(last, col['task'], True)}"
    end = col_letter(lay.last_col)
    if styles.workbook.define_name(f"{ref}!_xlnm.Print_Area", f"={ref}!$A${lay.TITLE_ROW + 1}:INDEX({ref}!${end}:${end},"
                                   f"MAX({first + lay.PRINTED_ROWS},{first}+COUNTA({tasks})))") == -1:
        raise RuntimeError(f"cannot define the print area of {ws.name!r}")
    ws.protect(password, {"select_locked_cells": True, "select_unlocked_cells": True, "format_rows": True,
                          "format_columns": True, "sort": True, "autofilter": True})
