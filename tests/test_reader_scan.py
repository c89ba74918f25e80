"""The sheet's searchability test (every cell's start tag begins with its reference) finds an unsearchable cell wherever
the lookahead test it replaced found one: a cell tag with its reference second, none, a namespace, "<c>", "<c/>",
"<c\\t", elements that only begin with "c" (cols, cfRule) and text that only looks like a reference."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from xl_kpi.consolidation.sheetxml import _UNSEARCHABLE

LOOKAHEAD = re.compile(rb'<c(?=[\s>/])(?! r=")')  # the test as it was written before
PIECES = [b"<c", b' r="', b" r=", b' s="1"', b"/>", b">", b" ", b"\t", b"\n", b"<col ", b"<cfRule", b"<c r", b"r", b'"', b"A1", b"<"]


@given(st.lists(st.sampled_from(PIECES), max_size=30))
@example([b"<c", b"\t", b' r="', b"A1"])
@example([b"<c", b' r="', b"A1", b"<c", b' s="1"'])
def test_an_unsearchable_cell_is_found_where_the_lookahead_found_one(pieces):
    xml = b"".join(pieces)
    assert (_UNSEARCHABLE.search(xml) is None) == (LOOKAHEAD.search(xml) is None)
