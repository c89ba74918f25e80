"""Text people type is written as text in every workbook xl-kpi writes — including text shaped like
the rich-text markup XlsxWriter would otherwise pass into the XML unescaped."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from xl_kpi.consolidation import consolidate
from xl_kpi.spec.model import Person
from xl_kpi.xlsx_text import TextWorkbook

from .returned import make_return

# Closes its shared-string entry and opens two more: every string after it would shift by two.
SNEAKY = "<r><t>x</t></r></si><si><t>y</t></si><si><r><t>z</t></r>"


def test_a_roster_name_shaped_like_markup_is_the_name_in_the_scorecard_and_in_consolidation(tmp_path, specs):
    person = Person("E300", SNEAKY, "销售一部", "销售代表", "李四", "sales_rep")
    (tmp_path / "in").mkdir()
    path = make_return(specs, tmp_path / "in", person)
    with zipfile.ZipFile(path) as zf:
        assert b"<si><r><t>x" not in zf.read("xl/sharedStrings.xml")
    ws = openpyxl.load_workbook(path)["KPI考核表"]
    assert SNEAKY in [c.value for row in ws.iter_rows() for c in row]  # the name as typed …
    assert "销售一部" in [c.value for row in ws.iter_rows() for c in row]  # … and the strings after it unshifted
    result, _ = consolidate([tmp_path / "in"], tmp_path / "out", specs)
    [record] = result.records
    assert (record.name, record.total, record.status) == (SNEAKY, 80.0, "ok")
    assert not [i for i in result.issues if i.severity != "info"]


@pytest.mark.parametrize("constant_memory", [False, True])
def test_a_string_shaped_like_markup_is_text_in_either_mode(tmp_path, constant_memory):
    path = tmp_path / "t.xlsx"
    wb = TextWorkbook(str(path), {"constant_memory": constant_memory})
    ws = wb.add_worksheet("S")
    ws.set_column(1, 1, 20, wb.add_format({"bold": True}))
    ws.write_string(0, 0, SNEAKY)
    ws.write_string(0, 1, SNEAKY)
    ws.write_string(1, 0, "after")
    wb.close()
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows == [(SNEAKY, SNEAKY), ("after", None)]
    assert openpyxl.load_workbook(path).active["B1"].font.b  # the column's format, as XlsxWriter gives it
