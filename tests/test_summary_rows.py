"""summary.xlsx's rows are written straight to the sheet XML: the same XML XlsxWriter's own cell calls
write, byte for byte — except that text never becomes markup."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from xl_kpi.consolidation.summary_rows import RowSheet
from xl_kpi.consolidation.summary_rows import RowWorkbook as _Workbook
from xl_kpi.consolidation.summary_rows import cell_value as _cell

VALUES = [
    ["E001", "张三", 80, 85.5, None, "a & b < c > d", " leading", "trailing ", "tab\tinside", "line\nbreak", "cr\rhere"],
    ["_x0041_ literal", "", 0, -3.25, 1e20, 0.1, 123456789012345678, "\"quoted\" 'single'", "emoji 😀", None, "中文&amp;"],
    ["x" * 40_000, "😀" * 20_000, 1, None, None, None, None, None, None, None, "end"],
]


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml")


def _write(path: Path, fast: bool) -> None:
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    wb = (_Workbook if fast else xlsxwriter.Workbook)(str(path), options)
    wrap, num = wb.add_format({"text_wrap": True}), wb.add_format({"num_format": "0.00"})
    wrap._get_xf_index(), num._get_xf_index()  # style numbers in the same order in both files
    ws = wb.add_worksheet("S")
    ws.set_column(9, 9, 30, wrap)
    ws.write_string(0, 0, "header")
    formats = {2: num, 3: num}
    for r, row in enumerate(VALUES, start=1):
        if fast:
            assert isinstance(ws, RowSheet)
            ws.append_row(r, [_cell(v) for v in row], ws.column_styles([wrap if c == 9 else None for c in range(11)]),
                          ws.column_styles([formats.get(c) for c in range(11)]))
            continue
        for c, value in enumerate(row):
            value = _cell(value)
            if isinstance(value, str):
                ws.write_string(r, c, value, wrap if c == 9 else None)
            elif value is not None:
                ws.write_number(r, c, value, formats.get(c))
    ws.write_string(len(VALUES) + 2, 0, "a note below the table")
    wb.close()


def test_rows_written_straight_are_the_xml_xlsxwriter_writes(tmp_path):
    _write(tmp_path / "theirs.xlsx", fast=False)
    _write(tmp_path / "ours.xlsx", fast=True)
    assert _sheet_xml(tmp_path / "ours.xlsx") == _sheet_xml(tmp_path / "theirs.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "ours.xlsx").active
    assert ws["F1"].value is None and ws["F2"].value == "a & b < c > d" and ws["G2"].value == " leading"
    assert ws["E3"].value == 1e20 and ws["A6"].value == "a note below the table"
    assert ws["A3"].value == "_x005F_x0041_ literal"  # Excel's escape for a literal "_x0041_" (openpyxl leaves it as stored)


def test_text_that_looks_like_cell_markup_stays_text(tmp_path):
    """XlsxWriter writes a string shaped like rich text (<r>…</r>) into the XML as it is: a returned
    comment could add a formula cell to HR's summary. Ours is always text."""
    sneaky = '<r><t>x</t></r></is></c><c r="B2"><f>HYPERLINK("http://evil","click")</f></c><c r="C2"><is><r><t>y</t></r>'
    path = tmp_path / "s.xlsx"
    wb = _Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("S")
    ws.append_row(1, [sneaky, None], ["", ""], ["", ""])
    wb.close()
    cells = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert cells[1][0] == sneaky and all(v is None for v in cells[1][1:])


@pytest.mark.parametrize(("value", "cell"), [(float("nan"), "nan"), (float("inf"), "inf"), (True, "True"), ("a\x00b", "a\\x00b"),
                                             (3, 3), (2.5, 2.5), (None, None)])
def test_each_value_becomes_a_cell_a_sheet_can_hold(value, cell):
    assert _cell(value) == cell


def test_a_row_of_long_wrapped_text_is_tall_enough_to_print_it_whole(tmp_path):
    from xl_kpi.consolidation.summary_rows import wrapped_height as _wrapped_height

    long_zh = "销售额完成率及新客户开发表现良好,建议下季度提升客户复购率。" * 3  # 87 characters, 174 columns wide
    assert _wrapped_height(["E1", long_zh], wrap=(1,), widths=(12, 36)) == 6 * 13 + 5  # ceil(174 / 35) lines
    assert _wrapped_height(["E1", "同意自评。"], wrap=(1,), widths=(12, 36)) is None  # one line: the default height
    assert _wrapped_height(["E1", "a\nb\nc"], wrap=(1,), widths=(12, 36)) == 3 * 13 + 5
    assert _wrapped_height(["E1", 5.0], wrap=(1,), widths=(12, 36)) is None
    assert _wrapped_height(["E1", "x" * 40_000], wrap=(1,), widths=(12, 36)) == 409  # Excel's tallest row
    path = tmp_path / "h.xlsx"
    wb = _Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("S")
    ws.append_row(1, ["E1", long_zh], ["", ""], ["", ""], _wrapped_height(["E1", long_zh], (1,), (12, 36)))
    ws.append_row(2, ["E2", "短"], ["", ""], ["", ""])
    wb.close()
    sheet = openpyxl.load_workbook(path).active
    assert sheet.row_dimensions[2].height == pytest.approx(83, abs=0.5) and sheet.row_dimensions[3].height is None
    assert sheet["B2"].value == long_zh
