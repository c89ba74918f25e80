"""A metadata sheet of inline texts (as openpyxl saves one) read a row at a time, each row's bytes read once per reader,
reads what the scan of the whole part reads: its rows shared with other returns, its own rows, a shared string among
them, a cell written twice, otherwise, or across two rows (a ``<row`` in an attribute's value)."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from xl_kpi.consolidation.caches import ReaderCache
from xl_kpi.consolidation.gridxml import _plan, _planned, _resolved, _scan, _scan_whole

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
LONG = "规则" * 200  # a spec's rules: a long inline text
# Each piece a row's cells, or markup between them, as returns carry them: the same in most returns, some each return's
# own, and the hostile and unusual ones the whole scan refuses or reads otherwise.
CELLS = ['<c r="A{r}" t="inlineStr"><is><t>format</t></is></c><c r="B{r}" t="inlineStr"><is><t>xl-kpi</t></is></c>',
         '<c r="A{r}" t="inlineStr"><is><t>name</t></is></c><c r="B{r}" t="inlineStr"><is><t>&#24352;&#19977;{n}</t></is></c>',
         '<c r="A{r}" t="inlineStr"><is><t xml:space="preserve"> spec </t></is></c><c r="B{r}" t="inlineStr"><is><t>' + LONG + '</t></is></c>',
         '<c r="A{r}"><v>{n}</v></c><c r="B{r}" t="b"><v>1</v></c><c r="C{r}" t="e"><v>#N/A</v></c>',
         '<c r="A{r}" t="inlineStr"></c><c r="B{r}"/><c r="C{r}" t="str"><v>x_x000D_y</v></c>',
         '<c r="A{r}" t="s"><v>{n}</v></c>',  # a shared string: the file's own
         '<c r="A{r}" t="inlineStr"><is><t>a</t></is></c><c r="A{r}"><v>2</v></c>',  # a cell written twice
         '<c s="1" r="A{r}"><v>3</v></c>',  # attributes in another order
         '<c r="A{r}" x="<row r=&quot;9&quot;>"><v>4</v></c>',  # "<row" in an attribute's value: across two rows
         '<c r="A{r}" x="a"><v>5</v></c><c r="AQ{r}"><v>6</v></c>',  # beyond the columns asked for
         '<c r="B{r}"><v>1e999</v></c><c r="C{r}"><v>&amp;7</v></c>']


@st.composite
def _sheet(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    rows = []
    for r in range(1, draw(st.integers(1, 8)) + 1):
        cells = "".join(draw(st.sampled_from(CELLS)).format(r=r, n=draw(st.integers(0, 2))) for _ in range(draw(st.integers(0, 2))))
        rows.append(draw(st.sampled_from([f'<row r="{r}">{cells}</row>', f'<row r="{r}" spans="1:2">{cells}</row>', cells])))
    head = draw(st.sampled_from(["", '<c r="A1"><v>8</v></c>', "<rows/>"]))
    xml = f"<worksheet {NS}><sheetData>{head}{''.join(rows)}</sheetData></worksheet>"
    return xml.encode(), draw(st.lists(st.sampled_from(["甲", "乙", ""]), max_size=3))


@given(st.lists(_sheet(), min_size=1, max_size=20), st.sampled_from([(5000, 40), (3, 2)]))
@example([(f'<worksheet {NS}><sheetData><row r="1"><c r="A1" x="<row"><v>1</v></c></row></sheetData></worksheet>'.encode(), [])],
         (5000, 40))
def test_rows_read_before_are_read_as_the_whole_scan_reads_each_sheet(sheets, bounds):
    cache = ReaderCache()  # one reader across the returns: their rows repeat
    for xml, sst in sheets:
        assert _scan(xml, sst, *bounds, cache) == _scan_whole(xml, sst, *bounds, ReaderCache())


def test_a_row_is_read_once_per_reader_and_each_returns_own_row_anew():
    cache = ReaderCache()
    shared = '<row r="1"><c r="A1" t="inlineStr"><is><t>format</t></is></c></row>'
    for name in ("张三", "李四"):
        xml = f'<worksheet {NS}><sheetData>{shared}<row r="2"><c r="A2" t="inlineStr"><is><t>{name}</t></is></c></row></sheetData></worksheet>'
        assert _scan(xml.encode(), [], 5000, 40, cache) == {0: {0: "format"}, 1: {0: name}}
    assert sum(b">format<" in row for row in cache.rows) == 1 and sum(b"A2" in row for row in cache.rows) == 2


# A metadata skeleton's cells as returns carry them: shared strings (the file's own), numbers, truth values, texts, errors,
# a place written twice, a shared string's index written otherwise.
SKELETON_CELLS = st.tuples(st.integers(0, 3), st.integers(0, 3), st.sampled_from([None, "s", "b", "str", "e", "n"]),
                           st.sampled_from(["0", "1", "2", "7", "", "x", "1.5", "-1", " 1", "1e999", "a&amp;b"]))


@given(st.lists(SKELETON_CELLS, max_size=12), st.lists(st.sampled_from(["甲", "", "乙", "format"]), max_size=4))
@example([(0, 0, "s", "0"), (1, 2, None, "1.5")], [""])
@example([(0, 0, "s", "1"), (0, 1, "b", "1")], ["甲"])
def test_a_planned_skeleton_reads_as_each_cell_resolved_anew(cells, sst):
    skeleton = tuple((r, c, kind, stored, int(stored) if kind == "s" and stored.isdigit() and stored.isascii() else -1)
                     for r, c, kind, stored in cells)
    plan = _plan(skeleton)
    planned = _planned(plan, sst) if plan is not None else None
    assert (planned if planned is not None else _resolved(skeleton, sst)) == _resolved(skeleton, sst)
    if plan is not None and all(kind != "s" for _, _, kind, _ in cells):
        assert planned is not None  # only the file's strings can send a plan the long way
