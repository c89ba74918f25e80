"""Reading cells from sheet XML: the fast search by reference, its streaming fallback, shared formulas."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_kpi.consolidation.caches import ReaderCache
from xl_kpi.consolidation.gridxml import _rows, read_grid
from xl_kpi.consolidation.sheetxml import SheetCells, _streamed
from xl_kpi.consolidation.xmlscan import shift_formula
from xl_kpi.core.refs import a1

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _zip(sheet: str) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("s.xml", sheet)
    return zipfile.ZipFile(buf)


def _formulas(zf: zipfile.ZipFile, refs: list[str]) -> dict[str, str | None]:
    return {ref: formula for ref, (_, formula) in SheetCells(zf, "s.xml", []).cells(refs).items()}


def test_shared_formulas_written_by_fill_down_are_expanded():
    sheet = (f'<worksheet {NS}><sheetData><row r="8"><c r="I8"><f t="shared" ref="I8:I10" si="0">IF(ISNUMBER(H8),H8*2,"")</f>'
             '<v>1</v></c></row><row r="9"><c r="I9"><f t="shared" si="0"/><v>2</v></c></row>'
             '<row r="10"><c r="I10" s="3"><v>5</v></c></row></sheetData></worksheet>')
    found = SheetCells(_zip(sheet), "s.xml", []).cells(["I8", "I9", "I10", "Z1"])
    assert found == {"I8": (1.0, 'IF(ISNUMBER(H8),H8*2,"")'), "I9": (2.0, 'IF(ISNUMBER(H9),H9*2,"")'), "I10": (5.0, None),
                     "Z1": (None, None)}


def test_fast_search_agrees_with_the_parser_on_prefixes_quotes_and_escapes():
    sheet = ("<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData><x:row r='8'>"
             "<x:c r='I8' t='str'><x:f>IF(H8&lt;&gt;\"\",1,\"a&amp;b\")</x:f><x:v>1</x:v></x:c>"
             "<x:c r='J8'/></x:row></x:sheetData></x:worksheet>")
    zf = _zip(sheet)
    assert _formulas(zf, ["I8", "J8"]) == {"I8": 'IF(H8<>"",1,"a&b")', "J8": None}
    assert SheetCells(zf, "s.xml", []).cells(["I8", "J8"]) == _streamed(zf, "s.xml", {"I8", "J8"}, [])


def test_shift_keeps_absolute_parts_and_strings():
    assert shift_formula('IF($B$17<=H8,"H8",SUM(A$1:$B2))', 2, 1) == 'IF($B$17<=I10,"H8",SUM(B$1:$B4))'


def test_large_sheets_are_streamed_not_read_whole(monkeypatch):
    import xl_kpi.consolidation.sheetxml as sheetxml

    sheet = f'<worksheet {NS}><sheetData><row r="8"><c r="I8"><f>SUM(A1:A2)</f><v>3</v></c></row></sheetData></worksheet>'
    monkeypatch.setattr(sheetxml, "FAST_BYTES", 10)
    monkeypatch.setattr(sheetxml, "_fast", lambda *a, **k: pytest.fail("read whole"))
    assert _formulas(_zip(sheet), ["I8"]) == {"I8": "SUM(A1:A2)"}


def test_a_quoted_greater_than_sign_does_not_end_the_cell_tag():
    sheet = (f'<worksheet {NS}><sheetData><row r="8"><c r="I8" x="a/>b"><f>SUM(A1:A2)</f><v>3</v></c>'
             '<c r="J8" x="&lt;f&gt;GOOD()" y=">GOOD()"><f>BAD()</f><v>1</v></c></row></sheetData></worksheet>')
    zf = _zip(sheet)
    assert _formulas(zf, ["I8", "J8"]) == {"I8": "SUM(A1:A2)", "J8": "BAD()"}  # what Excel would compute, not text in an attribute
    assert SheetCells(zf, "s.xml", []).cells(["I8", "J8"]) == _streamed(zf, "s.xml", {"I8", "J8"}, [])


def test_character_references_in_a_formula_are_resolved():
    sheet = f'<worksheet {NS}><sheetData><row r="8"><c r="I8"><f>IF(A1="&#x41;&amp;&#66;",1,0)</f></c></row></sheetData></worksheet>'
    zf = _zip(sheet)
    assert _formulas(zf, ["I8"]) == {"I8": 'IF(A1="A&B",1,0)'}
    assert _streamed(zf, "s.xml", {"I8"}, [])["I8"][1] == 'IF(A1="A&B",1,0)'


# -- the fast value path against the streaming parser, on any well-formed sheet ----------------

SST = ["甲", "b & c", "<x>"]
_TEXT = st.text(st.sampled_from(list("ab 中文<>&\"'%") + ["\t"]), max_size=8)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@st.composite
def _cell(draw: st.DrawFn, ref: str) -> str:
    style = draw(st.sampled_from(["", ' s="3"']))
    kind = draw(st.sampled_from(["n", "s", "str", "inline", "rich", "b", "e", "empty", "formula", "blank-formula", "libreoffice",
                                 "quoted", "style-first", "newline", "cdata", "commented", "shared-child"]))
    if kind == "n":
        number = draw(st.floats(allow_nan=False, allow_infinity=False, width=64))
        return f'<c r="{ref}"{style}><v>{number!r}</v></c>'
    if kind == "s":
        return f'<c r="{ref}"{style} t="s"><v>{draw(st.integers(0, len(SST) + 1))}</v></c>'
    if kind == "str":
        return f'<c r="{ref}" t="str"{style}><f>A1&amp;"{_esc(draw(_TEXT))}"</f><v>{_esc(draw(_TEXT))}</v></c>'
    if kind == "inline":
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_esc(draw(_TEXT))}</t></is></c>'
    if kind == "rich":
        runs = "".join(f"<r><t>{_esc(t)}</t></r>" for t in draw(st.lists(_TEXT, min_size=1, max_size=3)))
        return f'<c r="{ref}" t="inlineStr"{style}><is>{runs}</is></c>'
    if kind == "b":
        return f'<c r="{ref}" t="b"><v>{draw(st.sampled_from(["0", "1"]))}</v></c>'
    if kind == "e":
        return f'<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    if kind == "formula":
        return f'<c r="{ref}"{style}><f>IF(B2&lt;&gt;"",B2*{draw(st.integers(0, 9))},"")</f><v>{draw(st.integers(0, 99))}</v></c>'
    if kind == "blank-formula":
        return f'<c r="{ref}"{style}><f>IF(B2="","",1)</f></c>'
    if kind == "libreoffice":  # LibreOffice's formula cells: a type on every cell, aca="false" on the formula
        return f'<c r="{ref}" s="3" t="n"><f aca="false">SUM(A1:A{draw(st.integers(1, 9))})</f><v>{draw(st.integers(0, 99))}</v></c>'
    if kind == "quoted":  # single quotes are as good as double ones
        return f"<c r='{ref}' t='s'><v>{draw(st.integers(0, len(SST) - 1))}</v></c>"
    if kind == "style-first":  # the reference need not come first: no search by reference can be trusted then
        return f'<c s="1" r="{ref}"><v>{draw(st.integers(0, 99))}</v></c>'
    if kind == "newline":
        return f'<c\n r="{ref}"{style}><v>{draw(st.integers(0, 99))}</v></c>'
    if kind == "cdata":
        return f'<c r="{ref}" t="str"><f>"x"</f><v><![CDATA[{draw(_TEXT).replace("]", "")}]]></v></c>'
    if kind == "commented":
        return f'<!-- <c r="{ref}"><v>666</v></c> --><c r="{ref}"{style}><v>{draw(st.integers(0, 99))}</v></c>'
    if kind == "shared-child":  # a formula filled down: its text lives in a master cell, the parser's work
        return f'<c r="{ref}"><f t="shared" si="0"/><v>{draw(st.integers(0, 99))}</v></c>'
    return f'<c r="{ref}"{style}/>'


@st.composite
def _sheet(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A sheet of random cells (far ones included), rows and columns in order as every writer keeps them."""
    rows = sorted(draw(st.sets(st.one_of(st.integers(0, 40), st.sampled_from([1_048_575, 65_535])), min_size=1, max_size=8)))
    body, refs = [], []
    for r in rows:
        cols = sorted(draw(st.sets(st.one_of(st.integers(0, 12), st.sampled_from([16_383, 51])), min_size=1, max_size=5)))
        cells = [draw(_cell(a1(r, c))) for c in cols]
        refs += [a1(r, c) for c in cols]
        body.append(f'<row r="{r + 1}">{"".join(cells)}</row>')
    missing = [a1(r, c) for r, c in draw(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)), max_size=4))]
    return f'<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData>{"".join(body)}</sheetData></worksheet>', refs + missing


@given(sheet=_sheet())
@settings(max_examples=150, deadline=None)
def test_the_fast_value_path_agrees_with_the_parser(sheet):
    xml, refs = sheet
    zf = _zip(xml)
    assert SheetCells(zf, "s.xml", SST).cells(refs) == _streamed(zf, "s.xml", set(refs), SST)
    assert read_grid(zf, "s.xml", SST, 60, 20) == _rows(_streamed(zf, "s.xml", None, SST, (60, 20)), 20)


def test_a_cell_read_before_is_read_through_each_files_own_shared_strings():
    """Returns of one template share cells byte for byte; the reader parses such a cell once, but a
    shared string's text is always this file's, and a cell that differs by one byte is read afresh."""
    cache = ReaderCache()  # one reader's memory, as a worker keeps it across its files
    first = SheetCells(_zip(f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>7</v></c>'
                            '</row></sheetData></worksheet>'), "s.xml", ["甲"], cache)
    assert first.cells(("A1", "B1")) == {"A1": ("甲", None), "B1": (7.0, None)}
    second = SheetCells(_zip(f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>70</v></c>'
                             '</row></sheetData></worksheet>'), "s.xml", ["乙"], cache)
    assert second.cells(("A1", "B1")) == {"A1": ("乙", None), "B1": (70.0, None)}
    padded = SheetCells(_zip(f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v> 0</v></c></row></sheetData></worksheet>'),
                        "s.xml", ["丙"], cache)
    assert padded.cells(("A1",)) == {"A1": ("丙", None)}
    again = SheetCells(_zip(f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="s"><v> 0</v></c></row></sheetData></worksheet>'),
                       "s.xml", ["丁"], cache)
    assert again.cells(("A1",)) == {"A1": ("丁", None)}


# -- text as openpyxl writes it: every character beyond ASCII a character reference -----------------------------

def _by_regex(text: str) -> str:
    """Character references resolved one by one, as the reader always did (the reference for expat's way)."""
    from xl_kpi.consolidation.xmlscan import _CHAR_REF, _XML_ESCAPES, _resolve

    if "&#" in text:
        return _CHAR_REF.sub(_resolve, text)
    for entity, char in _XML_ESCAPES.items():
        text = text.replace(entity, char)
    return text


_REFERENCE = st.one_of(st.integers(0, 0x10FFFF).map(lambda n: f"&#{n};"), st.integers(0, 0x10FFFF).map(lambda n: f"&#x{n:X};"),
                       st.sampled_from(["&#X41;", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&", "&#;", "]]>", "\r", "\n"]))


@given(st.lists(st.one_of(_REFERENCE, st.text(max_size=4)), max_size=12).map("".join))
@settings(max_examples=400, deadline=None)
def test_character_references_resolve_as_one_by_one(text):
    from xl_kpi.consolidation.xmlscan import _unescape

    assert _unescape(text) == _by_regex(text)


def test_a_metadata_sheet_saved_by_openpyxl_is_read_in_one_pass_and_its_long_texts_once():
    """openpyxl writes inline strings, every Chinese character a reference; the rules' text is the same in every
    return of a template and is decoded once per reader, each person's own values every time."""
    rules = "".join(f"&#{ord(ch)};" for ch in "销售额完成率" * 60)

    def meta(name: str) -> str:
        cells = ('<c r="A1" t="inlineStr"><is><t>format</t></is></c><c r="B1" t="inlineStr"><is><t>xl-kpi</t></is></c>'
                 '<c r="C1" t="inlineStr"></c><c r="D1" s="2"><v>2.5</v></c>')
        return (f'<worksheet {NS}><sheetData><row r="1">{cells}</row><row r="2"><c r="A2" t="inlineStr"><is><t>{name}</t></is></c>'
                f'<c r="B2" t="inlineStr"><is><t xml:space="preserve">{rules}</t></is></c></row></sheetData></worksheet>')

    cache = ReaderCache()
    first = read_grid(_zip(meta("&#24352;&#19977;")), "s.xml", [], 60, 20, cache)
    assert first == [["format", "xl-kpi", "", 2.5], ["张三", "销售额完成率" * 60]]
    assert len(cache.texts) == 1
    second = read_grid(_zip(meta("&#26446;&#22235;")), "s.xml", [], 60, 20, cache)
    assert second[1] == ["李四", "销售额完成率" * 60] and len(cache.texts) == 1
    for sheet in (meta("x"), meta("x").replace('<c r="C1" t="inlineStr"></c>', '<c r="C1" t="inlineStr"><is><r><t>a</t></r></is></c>')):
        zf = _zip(sheet)  # a rich-text cell is read by the search by reference: both agree with the parser
        assert read_grid(zf, "s.xml", [], 60, 20, ReaderCache()) == _rows(_streamed(zf, "s.xml", None, [], (60, 20)), 20)
