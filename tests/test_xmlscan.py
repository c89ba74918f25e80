"""Reading formulas from sheet XML: the fast scan, its streaming fallback, shared formulas."""

from __future__ import annotations

import io
import zipfile

import pytest

from xl_kpi.consolidation.xmlscan import _streamed_formulas, formulas_in, shift_formula

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _zip(sheet: str) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("s.xml", sheet)
    return zipfile.ZipFile(buf)


def test_shared_formulas_written_by_fill_down_are_expanded():
    sheet = (f'<worksheet {NS}><sheetData><row r="8"><c r="I8"><f t="shared" ref="I8:I10" si="0">IF(ISNUMBER(H8),H8*2,"")</f>'
             '<v>1</v></c></row><row r="9"><c r="I9"><f t="shared" si="0"/><v>2</v></c></row>'
             '<row r="10"><c r="I10" s="3"><v>5</v></c></row></sheetData></worksheet>')
    found = formulas_in(_zip(sheet), "s.xml", ["I8", "I9", "I10", "Z1"])
    assert found == {"I8": 'IF(ISNUMBER(H8),H8*2,"")', "I9": 'IF(ISNUMBER(H9),H9*2,"")', "I10": None, "Z1": None}


def test_fast_scan_agrees_with_the_parser_on_prefixes_quotes_and_escapes():
    sheet = ("<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData><x:row r='8'>"
             "<x:c r='I8' t='str'><x:f>IF(H8&lt;&gt;\"\",1,\"a&amp;b\")</x:f><x:v>1</x:v></x:c>"
             "<x:c r='J8'/></x:row></x:sheetData></x:worksheet>")
    zf = _zip(sheet)
    fast = formulas_in(zf, "s.xml", ["I8", "J8"])
    assert fast == {"I8": 'IF(H8<>"",1,"a&b")', "J8": None}
    assert fast == _streamed_formulas(zf, "s.xml", {"I8", "J8"})


def test_shift_keeps_absolute_parts_and_strings():
    assert shift_formula('IF($B$17<=H8,"H8",SUM(A$1:$B2))', 2, 1) == 'IF($B$17<=I10,"H8",SUM(B$1:$B4))'


def test_large_sheets_are_streamed_not_read_whole(monkeypatch):
    import xl_kpi.consolidation.xmlscan as xmlscan

    sheet = f'<worksheet {NS}><sheetData><row r="8"><c r="I8"><f>SUM(A1:A2)</f><v>3</v></c></row></sheetData></worksheet>'
    monkeypatch.setattr(xmlscan, "FAST_SCAN_BYTES", 10)
    monkeypatch.setattr(xmlscan, "_fast_formulas", lambda *a: pytest.fail("read whole"))
    assert formulas_in(_zip(sheet), "s.xml", ["I8"]) == {"I8": "SUM(A1:A2)"}


def test_a_quoted_greater_than_sign_does_not_end_the_cell_tag():
    sheet = (f'<worksheet {NS}><sheetData><row r="8"><c r="I8" x="a/>b"><f>SUM(A1:A2)</f><v>3</v></c>'
             '<c r="J8" x="&lt;f&gt;GOOD()" y=">GOOD()"><f>BAD()</f><v>1</v></c></row></sheetData></worksheet>')
    zf = _zip(sheet)
    fast = formulas_in(zf, "s.xml", ["I8", "J8"])
    assert fast == {"I8": "SUM(A1:A2)", "J8": "BAD()"}  # what Excel would compute, not text hidden in an attribute
    assert fast == _streamed_formulas(zf, "s.xml", {"I8", "J8"})


def test_character_references_in_a_formula_are_resolved():
    sheet = f'<worksheet {NS}><sheetData><row r="8"><c r="I8"><f>IF(A1="&#x41;&amp;&#66;",1,0)</f></c></row></sheetData></worksheet>'
    zf = _zip(sheet)
    assert formulas_in(zf, "s.xml", ["I8"]) == {"I8": 'IF(A1="A&B",1,0)'} == _streamed_formulas(zf, "s.xml", {"I8"})
