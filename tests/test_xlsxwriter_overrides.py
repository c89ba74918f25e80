"""The private XlsxWriter methods xl-kpi overrides, and the private names it uses, each kept only for what it
was measured to buy (docs/architecture.md lists them with the figures). Every test here fails on an
XlsxWriter version that renames or reshapes one of them, or that writes other XML where we write our own —
the check to run before raising the ``XlsxWriter<3.4`` bound in pyproject.toml."""

from __future__ import annotations

import inspect
import io
import zipfile

import pytest
import xlsxwriter.utility
import xlsxwriter.worksheet
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings, SharedStringTable
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xl_kpi.consolidation.summary_rows import RowSheet
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_all, build_employee_workbook, ledger, stamp
from xl_kpi.workbook.book import PortableWorksheet, ScorecardWorkbook
from xl_kpi.workbook.sheetdata import BlockRows
from xl_kpi.workbook.stamp import StampedSheet, StampStrings
from xl_kpi.workbook.stamp_package import StampPackager
from xl_kpi.xlsx_text import TextPackager, TextWorkbook, TextWorksheet, _TextStrings

from .returned import SEED
from .zipedit import built_parts

OVERRIDES = [  # (XlsxWriter's class, ours, the method): what each buys is in docs/architecture.md
    (Worksheet, PortableWorksheet, "_write_cell"), (Worksheet, PortableWorksheet, "_escape_attributes"),
    (Worksheet, PortableWorksheet, "_prepare_formula"), (Workbook, ScorecardWorkbook, "_write_workbook_pr"),
    (Worksheet, TextWorksheet, "_write_cell"), (SharedStrings, _TextStrings, "_write_si"),
    (Packager, TextPackager, "_write_shared_strings_file"), (Workbook, TextWorkbook, "_get_packager"),
    (Worksheet, RowSheet, "_write_single_row"), (Worksheet, BlockRows, "_write_rows"), (Worksheet, BlockRows, "_calculate_spans"),
    (Worksheet, StampedSheet, "_assemble_xml_file"), (Worksheet, StampedSheet, "_write_odd_header"),
    (Worksheet, StampedSheet, "_write_odd_footer"), (Worksheet, StampedSheet, "_write_cell"),
    (Worksheet, StampedSheet, "_initialize"), (SharedStringTable, StampStrings, "_get_shared_string_index"),
    (Packager, StampPackager, "_write_styles_file"), (Workbook, ScorecardWorkbook, "_store_workbook"),
    (Workbook, ScorecardWorkbook, "_get_packager"), (Workbook, ScorecardWorkbook, "add_format"),
]
USED = {  # private names called or read, not overridden
    Worksheet: ["_write_row", "_check_dimensions", "_escape_control_characters", "_xml_inline_string", "_write_cell"],
    SharedStrings: ["_xml_si_element", "_escape_control_characters", "_set_xml_writer", "_assemble_xml_file"],
    Packager: ["_filename", "_create_package", "_add_workbook", "_set_tmpdir", "_set_in_memory"],
    Workbook: ["_xml_empty_tag", "_write_workbook_pr", "_prepare_sst_string_data", "_prepare_vml", "_prepare_defined_names",
               "_prepare_drawings", "_add_chart_data", "_prepare_tables", "_prepare_metadata"],
    Format: ["_get_xf_index", "_get_format_key"], zipfile.ZipFile: ["_writecheck"],
}
MODULE_NAMES = [(xlsxwriter.utility, "_preserve_whitespace"), (xlsxwriter.utility, "_utf16_len"), (xlsxwriter.utility, "_utf16_truncate"),
                (xlsxwriter.worksheet, "RowInfo"), (xlsxwriter.worksheet, "CellBlankTuple"), (xlsxwriter.worksheet, "xl_rowcol_to_cell_fast")]


@pytest.mark.parametrize(("base", "ours", "name"), OVERRIDES, ids=[f"{o.__name__}.{n}" for _, o, n in OVERRIDES])
def test_each_override_replaces_a_method_xlsxwriter_has_with_the_same_parameters(base, ours, name):
    assert name in vars(ours), f"{ours.__name__} no longer overrides {name}"
    theirs = getattr(base, name, None)
    assert theirs is not None, f"XlsxWriter's {base.__name__} has no {name} any more: our override is never called"
    assert list(inspect.signature(getattr(ours, name)).parameters) == list(inspect.signature(theirs).parameters)


@pytest.mark.parametrize(("base", "names"), list(USED.items()), ids=[b.__name__ for b in USED])
def test_the_private_names_used_are_there(base, names):
    assert [n for n in names if not hasattr(base, n)] == []
    assert [f"{m.__name__}.{n}" for m, n in MODULE_NAMES if not hasattr(m, n)] == []
    assert {"fh", "row_info", "col_info", "previous_row", "constant_memory", "table", "comments"} <= set(vars(Worksheet()))


def _sheets(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/")}


def test_the_scorecard_writer_writes_what_xlsxwriter_writes(tmp_path, specs, monkeypatch):
    """The three shortcuts of PortableWorksheet (formatted blanks, integer attributes, formulas without the
    newer-function rewrites) change what a build costs, never what it writes: every worksheet part is the
    same byte for byte as XlsxWriter's own methods write it."""
    person = Person("E1", "张三", "销售一部", "销售代表", "李四", "sales_rep")
    ours = _sheets(build_employee_workbook(tmp_path / "ours.xlsx", specs["sales_rep"], person, BuildOptions(actuals={"E1": SEED})))
    for name in ("_write_cell", "_escape_attributes", "_prepare_formula"):
        monkeypatch.delattr(PortableWorksheet, name)
    with stamp.disabled():  # XlsxWriter's methods write every sheet: none taken from ours
        theirs = _sheets(build_employee_workbook(tmp_path / "theirs.xlsx", specs["sales_rep"], person, BuildOptions(actuals={"E1": SEED})))
    assert ours.keys() == theirs.keys() and all(ours[n] == theirs[n] for n in ours)


def test_each_shortcut_is_taken_while_a_scorecard_is_written(tmp_path, specs, monkeypatch):
    calls = {"_write_cell": 0, "_escape_attributes": 0, "_prepare_formula": 0}
    for name in calls:
        real = vars(PortableWorksheet)[name]

        def counted(self, *args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(PortableWorksheet, name, counted)
    person = Person("E1", "张三", "销售一部", "销售代表", "李四", "sales_rep")
    build_employee_workbook(tmp_path / "E1.xlsx", specs["sales_rep"], person, BuildOptions(actuals={"E1": SEED}))
    assert all(calls.values()), calls  # a renamed or bypassed hook would leave its count at 0


def _blank_by_blank(ws, first_row, last_row, first_col, formats):
    for r in range(first_row, last_row + 1):
        for c, fmt in enumerate(formats, first_col):
            ws.write_blank(r, c, None, fmt)


@pytest.mark.parametrize("layout", ["employee", "department"])
def test_block_rows_write_every_bundled_template_as_xlsxwriter_does(tmp_path, specs, monkeypatch, layout):
    """BlockRows (the ledger's blanks stored as a block, rows written visiting only the columns they hold) changes
    what a build costs, never what it writes: every part of every bundled template's workbooks, with names that
    collide with the card's own texts and one shaped like rich text, is the same byte for byte as when each blank
    is written by write_blank and the rows by XlsxWriter's own methods."""
    people = [Person(f"E{i}{k}", ["张三", "销售代表", "<r>x</r>"][k], f"部门{i % 2}", "销售代表", "李四", template)
              for i, template in enumerate(sorted(specs)) for k in range(3)]
    build_all(specs, people, tmp_path / "ours", BuildOptions(layout=layout, actuals={"E00": SEED}, workers=1))
    monkeypatch.delattr(BlockRows, "_write_rows")
    monkeypatch.delattr(BlockRows, "_calculate_spans")
    monkeypatch.setattr(ledger, "blank_block", _blank_by_blank)
    with stamp.disabled():
        build_all(specs, people, tmp_path / "theirs", BuildOptions(layout=layout, actuals={"E00": SEED}, workers=1))
    ours, theirs = built_parts(tmp_path / "ours"), built_parts(tmp_path / "theirs")
    assert ours.keys() == theirs.keys() and [n for n in ours if ours[n] != theirs[n]] == []


def _cells(ws) -> dict[int, dict[int, tuple[str, object]]]:
    return {r: {c: (type(v).__name__, v.format and v.format._get_format_key()) for c, v in row.items()} for r, row in ws.table.items() if row}


def test_a_blank_block_is_what_write_blank_stores_cell_by_cell():
    formats = []
    sheets = []
    for block in (True, False):
        wb = ScorecardWorkbook(io.BytesIO(), {"in_memory": True})
        ws = wb.add_worksheet("台账")
        formats = [wb.add_format({"bg_color": "#FFF2CC"}), wb.add_format({"num_format": "0%"})]
        ws.write_string(3, 1, "先写的")  # a cell already in the block is overwritten, as write_blank does
        ws.set_row(5, 30)
        if block:
            ws.write_blank_block(2, 40, 1, formats)
        else:
            _blank_by_blank(ws, 2, 40, 1, formats)
        ws.write_number(6, 0, 7)
        ws.write_comment(50, 3, "批注")
        sheets.append(ws)
    ours, theirs = sheets
    assert (ours.dim_rowmin, ours.dim_rowmax, ours.dim_colmin, ours.dim_colmax) == (2, 50, 0, 3)
    assert (ours.dim_rowmin, ours.dim_rowmax, ours.dim_colmin, ours.dim_colmax) == \
        (theirs.dim_rowmin, theirs.dim_rowmax, theirs.dim_colmin, theirs.dim_colmax)
    assert _cells(ours) == _cells(theirs) and _cells(ours)[3][1][0] == "Blank"
    with pytest.raises(ValueError, match="outside the sheet"):
        ours.write_blank_block(1_048_570, 1_048_580, 0, formats)


def test_the_workbook_structure_lock_sits_where_excel_reads_it():
    buf = io.BytesIO()
    wb = ScorecardWorkbook(buf, {"in_memory": True})
    wb.add_worksheet("考核")
    wb.lock_structure("pw")
    wb.close()
    xml = zipfile.ZipFile(buf).read("xl/workbook.xml").decode()
    assert xml.index("<workbookPr") < xml.index('<workbookProtection workbookPassword="') < xml.index("<bookViews")
    assert 'lockStructure="1"' in xml
