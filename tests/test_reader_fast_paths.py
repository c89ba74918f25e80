"""The reader's shortcuts read what the long way reads: the sheet's protection found in the part of its tail that can
hold it, a table's rows known in place from its indicators' names, brought-in parts found in one pass over the package."""

from __future__ import annotations

import io
import zipfile

from hypothesis import example, given
from hypothesis import strategies as st

from xl_kpi.consolidation.brought import brought_in
from xl_kpi.consolidation.caches import ReaderCache
from xl_kpi.consolidation.locate import Placement, _sorted_rows, locate, name_labels
from xl_kpi.consolidation.safety import Limits
from xl_kpi.consolidation.sheetxml import _PROTECTION_B, SheetCells, _protection_in, _protection_span, _streamed
from xl_kpi.core.packages import open_zip
from xl_kpi.sheet.person import PersonLayout

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
# Each cell of a template's card as returns write it: the same markup in most returns, a value typed, a shared string
# whose text is each file's own, a formula, a result left blank, a cell written otherwise (style first, inline text).
CELL_MARKUPS = ['<c r="{ref}" s="2" t="s"><v>{k}</v></c>', '<c r="{ref}" s="2" t="s"><v>{j}</v></c>', '<c r="{ref}"><v>{n}</v></c>',
                '<c r="{ref}" s="3"><f>IF(B2&lt;&gt;"",B2*2,"")</f><v>{n}</v></c>', '<c r="{ref}" s="3"><f>IF(B2="","",1)</f></c>',
                '<c r="{ref}" t="str"><f>A1&amp;"x"</f><v>文{n}</v></c>', '<c r="{ref}" s="2"/>', '<c r="{ref}" t="b"><v>1</v></c>',
                '<c r="{ref}" t="inlineStr"><is><t>{n}&amp;甲</t></is></c>', '<c r="{ref}" t="s"><v>99</v></c>',
                '<c r="{ref}"><f t="shared" si="0"/><v>{n}</v></c>', '<c s="1" r="{ref}"><v>{n}</v></c>']
REFS = ("A1", "B1", "C2", "D2", "J12")


def _zip(sheet: str) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("s.xml", sheet)
    return zipfile.ZipFile(buf)


@st.composite
def _return(draw: st.DrawFn) -> tuple[str, list[str]]:
    """One return's card: each of a few cells in one of the ways returns write it, and the file's own shared strings."""
    rows: dict[str, list[str]] = {}
    for ref in REFS:
        markup = draw(st.sampled_from(CELL_MARKUPS)).format(ref=ref, k=draw(st.integers(0, 2)), j=draw(st.integers(0, 2)),
                                                            n=draw(st.integers(0, 3)))
        rows.setdefault(ref.lstrip("ABCDJ"), []).append(markup)
    body = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in sorted(rows.items(), key=lambda kv: int(kv[0])))
    return f"<worksheet {NS}><sheetData>{body}</sheetData></worksheet>", draw(st.lists(st.sampled_from(["甲", "乙", "", " 丙"]), max_size=3))


@given(st.lists(_return(), min_size=1, max_size=30))
def test_cells_read_before_are_read_as_the_parser_reads_each_returns_own(returns):
    cache = ReaderCache()  # one reader across the returns: their cells' markup repeats, their shared strings do not
    for xml, sst in returns:
        zf = _zip(xml)
        assert SheetCells(zf, "s.xml", sst, cache).cells(REFS) == _streamed(zf, "s.xml", set(REFS), sst)


# Rows as returns of one template carry them: the same in most returns, but for a value typed between two cells, a
# shared string's index, a cell written twice or out of order, a style changed on one cell.
ROWS = ['<c r="A1" t="s"><v>0</v></c><c r="B1" s="2"><v>5</v></c><c r="C1" t="s"><v>1</v></c>',
        '<c r="A1" t="s"><v>0</v></c><c r="B1" s="2"><v>6</v></c><c r="C1" t="s"><v>1</v></c>',
        '<c r="A1" t="s"><v>2</v></c><c r="B1" s="2"><v>5</v></c><c r="C1" t="s"><v>1</v></c>',
        '<c r="A1" t="s"><v>0</v></c><c r="B1" s="3"><v>5</v></c><c r="C1" t="s"><v>1</v></c>',
        '<c r="A1" t="s"><v>0</v></c><c r="A1"><v>9</v></c><c r="B1" s="2"><v>5</v></c><c r="C1" t="s"><v>1</v></c>',
        '<c r="B1" s="2"><v>5</v></c><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c>',
        '<c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c>',
        '<c r="A1" t="s"><v>0</v></c><c r="B1" s="2"><v>5</v></c><c r="D2"><v>7</v></c><c r="C1" t="s"><v>1</v></c>']
ROW_TWO = ['<c r="D2"><f>SUM(A1:C1)</f><v>3</v></c><c r="E2" t="str"><f>A1&amp;"x"</f><v>x</v></c><c r="F2"/>',
           '<c r="D2"><f>SUM(A1:C1)</f><v>4</v></c><c r="E2" t="str"><f>A1&amp;"x"</f><v>x</v></c><c r="F2"/>',
           '<c r="D2"><f>SUM(A1:C1)</f><v>3</v></c><c r="E2" t="str"><f>A1&amp;"x"</f><v>y</v></c><c r="F2"/>']
RUN_REFS = ("A1", "B1", "C1", "D2", "E2", "F2", "G9")


@given(st.lists(st.tuples(st.sampled_from(ROWS), st.sampled_from(ROW_TWO), st.lists(st.sampled_from(["甲", "乙", "丙"]), max_size=3)),
                min_size=1, max_size=40))
def test_rows_read_before_are_read_as_a_reader_reads_them_afresh(returns):
    cache = ReaderCache()  # rows repeat from return to return, their cells taken as read before
    for one, two, sst in returns:
        zf = _zip(f'<worksheet {NS}><sheetData><row r="1">{one}</row><row r="2">{two}</row></sheetData></worksheet>')
        fresh = SheetCells(zf, "s.xml", sst, ReaderCache()).cells(RUN_REFS)  # a reader that has read nothing before
        assert SheetCells(zf, "s.xml", sst, cache).cells(RUN_REFS) == fresh
        if one.count('r="A1"') == 1 and 'r="D2"' not in one:  # (a cell written twice: the search takes the first, the parser the last)
            assert fresh == _streamed(zf, "s.xml", set(RUN_REFS), sst)


# The pieces a hostile tail is made of: the elements' names with and without a prefix, stray brackets and quotes,
# attributes holding the names, and the elements a real tail carries (merged cells, conditional formats).
PIECES = ["<", ">", "/>", "/", '"', "'", "x:", "<x:", " ", "sheetProtection", "protectedRange", "protectedRanges", "sheetData>",
          ' sheet="1"', ' password="CC1A"', ' name="上级"', ' sqref="B22"', '<mergeCell ref="A1:L1"/>', "<cfRule>", "</cfRule>",
          '<sheetProtection sheet="1" objects="1"/>', '<protectedRange sqref="C34" name="复核"/>', "\u5929", "\n"]


@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=40))
@example(["sheetData>", "<x:", "sheetProtection", ' sheet="1"', "/>", "<mergeCell ref=\"A1:L1\"/>", "<x:", "protectedRange", ">"])
def test_the_protection_is_found_in_the_span_the_long_search_finds_it_in(pieces):
    tail = "".join(pieces).encode("utf-8")
    assert _PROTECTION_B.findall(tail, *_protection_span(tail)) == _PROTECTION_B.findall(tail)


def test_a_protected_sheets_tail_reads_its_password_and_ranges():
    tail = (b'sheetData><sheetProtection password="CC1A" sheet="1"/><protectedRanges><protectedRange sqref="B22" name="up"'
            b' password="83AF"/></protectedRanges>' + b'<mergeCell ref="A1:L1"/>' * 200 + b"<x:protectedRange name='late'/>")
    found = _protection_in(tail, ReaderCache())
    assert found.sheet and found.password == "CC1A" and found.ranges == {"up": "83AF", "late": ""}


def test_a_table_in_its_place_is_told_by_its_names_and_a_sorted_one_is_not(specs):
    spec = specs["sales_supervisor"]
    layout = PersonLayout.for_spec(spec)
    labels = name_labels(spec, layout)
    names = {ref: name for ref, name in labels}
    in_place = lambda refs: {ref: names.get(ref) for ref in refs}  # noqa: E731
    assert _sorted_rows(spec, layout, Placement(last_table_col=layout.col.LAST_TABLE), in_place) == {}
    (first, a), (second, b) = labels[0], labels[1]
    swapped = {**names, first: b, second: a}
    read = lambda refs: {ref: swapped.get(ref) for ref in refs}  # noqa: E731
    cells = layout.cell_map(spec)
    with_labels, _ = locate(spec, layout, cells, {}, read, {}, {}, None, labels)
    without, _ = locate(spec, layout, cells, {}, read, {}, {}, None)
    assert with_labels.rows == without.rows != {}


def _package(names):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for name in names:
            z.writestr(name, "<x/>")
    return open_zip(out.getvalue(), Limits())


@given(st.lists(st.sampled_from(["xl/externalLinks/externalLink1.xml", "XL/EMBEDDINGS/oleObject1.bin", "xl/activeX/activeX1.xml",
                                 "xl/activeX/activeX1.bin", "xl/queryTables/queryTable1.xml", "xl/externalLinks/_rels/externalLink1.xml.rels",
                                 "xl/worksheets/sheet1.xml", "xl/embeddingsX.xml", "xl/activex", "xl/connections.xml"]),
                unique=True))
def test_what_a_package_brings_in_is_each_kind_of_part_it_holds(names):
    found = {f.code for f in brought_in(_package(names), "f.xlsx")}
    low = [n.lower() for n in names if not n.lower().endswith(".rels")]
    assert ("external-links" in found) == any(n.startswith("xl/externallinks/") for n in low)
    assert ("ole-objects" in found) == any(n.startswith("xl/embeddings/") for n in low)
    assert ("activex-controls" in found) == any(n.startswith("xl/activex/") for n in low)
    assert ("data-connections" in found) == any(n.startswith("xl/querytables/") or n == "xl/connections.xml" for n in low)
