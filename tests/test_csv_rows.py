"""Every CSV xl-kpi writes (scores, issues, reviews, pay, the goals' files) holds each value as :func:`neutralise`
leaves it — text a spreadsheet would run as a formula prefixed with ``'``, control characters made visible,
numbers as they are, None empty — however the rows are written."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from xl_kpi.core.files import csv_text, neutralise

TRICKY = "=+-@\t\r\n\x00\x1b\u202e\udc8f0123456789.eE 销a"  # formula starts, controls, a bidi override, an undecodable byte, digits
VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.text(alphabet=TRICKY, max_size=8),
                   st.sampled_from(["=SUM(A1)", "-3", "-1.5e3", "-x", "@a", "+", "\tx", "a\r\nb", "", " "]))


def _one_by_one(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return out.getvalue()


@given(st.lists(st.lists(VALUES, max_size=6), max_size=6))
def test_each_value_is_written_as_neutralise_leaves_it(rows):
    assert csv_text(["employee_id", "comment"], rows) == _one_by_one(["employee_id", "comment"], rows)


def test_a_formula_typed_into_a_return_stays_text_and_a_negative_number_a_number():
    text = csv_text(["a", "b", "c", "d"], [["=HYPERLINK(\"x\")", "-3", "-x", -3.5]])
    assert text.splitlines()[1] == '"\'=HYPERLINK(""x"")",-3,\'-x,-3.5'
