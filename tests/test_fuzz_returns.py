"""Fuzzing the reader we wrote ourselves: a returned workbook with its zip bytes, its sheet XML,
its shared strings or its workbook part mutated, truncated, nested deep or given far cells is
read to a result — records or findings from the catalogue — and never raises."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_kpi.consolidation.inputs import Source
from xl_kpi.consolidation.reader import read_source
from xl_kpi.consolidation.safety import Limits
from xl_kpi.core.findings import CATALOGUE
from xl_kpi.spec import load_specs

from .conftest import TEMPLATES
from .returned import GOOD, make_return

SHEET = "xl/worksheets/sheet1.xml"
PARTS = [SHEET, "xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
TOKENS = ["<", ">", "/>", '"', "'", "&", "&amp;", "&#x0;", "&#1114112;", "]]>", "<![CDATA[", "<!--", "<?xml?>",
          '<c r="XFD1048576"><v>1</v></c>', '<c r="A0"><v>1</v></c>', '<c r="I8" t="s"><v>99999999</v></c>',
          '<c r="E8"><v>1E+308</v></c>', '<c r="E8" t="str"><v>NaN</v></c>', '<row r="1048577">', "</row>",
          "</sheetData>", '<f t="shared" si="0"/>', '<f t="shared" ref="A1:XFD1048576" si="0">A1</f>',
          "<si><t>x</t></si>", '<definedName name="KPI_TOTAL">Z$1:Z$1048576</definedName>', "\x00", "中文"]


@cache
def _specs():
    return load_specs(TEMPLATES)


@cache
def _return_bytes(folder: str) -> bytes:
    return make_return(_specs(), Path(folder), GOOD).read_bytes()


def _parts(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def _rezip(parts: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts:
            zf.writestr(info, data)
    return buf.getvalue()


def _read(tmp: Path, data: bytes) -> None:
    """Read ``data`` as a return; what comes back is a result, and the file is not written to."""
    path = tmp / "fuzzed.xlsx"
    path.write_bytes(data)
    result = read_source(Source(str(path)), _specs(), Limits())
    assert result.records or result.issues, "a file always yields records or findings"
    for issue in result.issues:
        assert issue.code in CATALOGUE, issue.code
    for record in result.records:
        assert record.total is None or -1000 <= record.total <= 1000
        for problem in record.findings:
            assert problem.code in CATALOGUE
    assert path.read_bytes() == data


@st.composite
def xml_edit(draw: st.DrawFn, text: str) -> str:
    """One to three edits of ``text``: truncate, delete a slice, duplicate a slice, insert tokens, nest deep."""
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "insert", "nest"]))
        if kind == "truncate":
            text = text[:where]
        elif kind == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 200)):]
        elif kind == "duplicate":
            text = text[:where] + text[where:where + draw(st.integers(1, 400))] * draw(st.integers(2, 5)) + text[where:]
        elif kind == "insert":
            text = text[:where] + "".join(draw(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6))) + text[where:]
        else:
            depth = draw(st.integers(100, 50_000))
            text = text[:where] + "<x>" * depth + "</x>" * draw(st.sampled_from([0, depth])) + text[where:]
    return text


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


@FUZZ
@given(data=st.data())
def test_mutated_xml_parts_are_read_to_a_result(tmp_path, data):
    original = _return_bytes(str(tmp_path))
    parts = _parts(original)
    part = data.draw(st.sampled_from(PARTS))
    mutated = [(info, data.draw(xml_edit(body.decode("utf-8"))).encode("utf-8") if info.filename == part else body)
               for info, body in parts]
    _read(tmp_path, _rezip(mutated))


@FUZZ
@given(data=st.data())
def test_flipped_and_truncated_zip_bytes_are_read_to_a_result(tmp_path, data):
    raw = bytearray(_return_bytes(str(tmp_path)))
    for _ in range(data.draw(st.integers(0, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    _read(tmp_path, bytes(raw[:cut]) if data.draw(st.booleans()) else bytes(raw))


def test_an_untouched_return_scores_the_seed_example(tmp_path):
    """The fuzz harness itself reads a good file right, so the tests above can fail."""
    path = tmp_path / "good.xlsx"
    path.write_bytes(_return_bytes(str(tmp_path)))
    result = read_source(Source(str(path)), _specs(), Limits())
    assert [r.total for r in result.records] == [80]
