"""Shared strings read through one reader's memory read as a reader that has read nothing before: short ones, long rich
text (a template's rules as LibreOffice saves them, 11 KB of runs), phonetic runs left out only where there are some."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from xl_kpi.consolidation.caches import ReaderCache
from xl_kpi.consolidation.workbookxml import _RPH, LONG_STRING_BYTES, STRING_BYTES, SharedStrings, _without_phonetic

RUNS = ['<r><rPr><rFont val="等线"/></rPr><t xml:space="preserve">{&quot;grades&quot;: </t></r>', "<r><t>可获额外绩效奖金</t></r>",
        '<rPh sb="0" eb="1"><t>カ</t></rPh>', "<t>x_x000D_y&amp;</t>", "<x:rPh><x:t>ふ</x:t></x:rPh>", "<t/>", "rPh"]


@st.composite
def _string(draw: st.DrawFn) -> str:
    runs = "".join(draw(st.lists(st.sampled_from(RUNS), max_size=6)))
    return runs * draw(st.sampled_from([1, 1, 60, 3000]))  # a short string, a long one (~5-11 KB) and one too long to keep


@given(st.lists(st.lists(_string(), min_size=1, max_size=4), min_size=1, max_size=6))
def test_strings_read_through_one_readers_memory_read_as_read_afresh(books):
    cache = ReaderCache()
    for strings in books:
        xml = ("<sst>" + "".join(f"<si>{s}</si>" for s in strings) + "</sst>").encode()
        remembered, fresh = SharedStrings(xml, cache.strings, cache.long_strings), SharedStrings(xml)
        assert [remembered[i] for i in range(len(strings))] == [fresh[i] for i in range(len(strings))]
    assert all(len(part) <= STRING_BYTES for part in cache.strings)
    assert all(STRING_BYTES < len(part) <= LONG_STRING_BYTES for part in cache.long_strings)


def test_a_long_rich_string_is_decoded_once_per_reader():
    cache = ReaderCache()
    xml = ("<sst><si>" + RUNS[0] * 100 + "</si></sst>").encode()
    first = SharedStrings(xml, cache.strings, cache.long_strings)[0]
    assert len(cache.long_strings) == 1 and first.startswith('{"grades": ')
    assert SharedStrings(xml, cache.strings, cache.long_strings)[0] is first


@given(st.text(st.sampled_from("<>/rPhx:t ab"), max_size=40))
@example("<rPh>a</rPh>b<x:rPh>c</x:rPh>")
def test_phonetic_runs_are_left_out_as_the_search_leaves_them_out(text):
    assert _without_phonetic(text) == _RPH.sub("", text)
