"""An employee edits their return so that a cell shows one figure while holding another: the supervisor signs the card
as it shows (销售额完成率 88.9%), HR would pay what it holds (150%). A number format that shows something other than a
cell holds, on an input cell or in a conditional format, makes the return ``tampered`` (``input-masked``): not paid,
the format and the held value named. The formats HR's templates issue, and what LibreOffice makes of them, never do."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

import xl_kpi
from xl_kpi.consolidation.masking import masking_formats, masks
from xl_kpi.workbook import BuildOptions, build_employee_workbook

from .conftest import SALES_CELLS as C
from .conftest import TEMPLATES
from .returned import GOOD, SEED, make_return
from .zipedit import rewrite_part

SHOWS_OTHERWISE = ['"88.9%"', '0.0"%"', "0.0\\%", ";;;", "0,", "0.0,,", '[Red]"ok"', '"TRUE";"TRUE";"FALSE"', '0;"0"',
                   '"1"0', "[$-804]\"合格\"", '[>0]"合格";0']
SHOWS_THE_VALUE = ["0.0%", "0%", "0.00", "General", "yyyy-mm-dd", '0"分"', "#,##0", "0;-0;;@", '[$-804]yyyy"年"m"月"d"日"',
                   "#,##0.00_);[Red](#,##0.00)", "0.0%;[Red]-0.0%", "@", '0.0" 个"', "0.0E+00", "# ?/?", "[h]:mm", "#,##0,000", '[=0]"未否决";0"项否决"']


@pytest.mark.parametrize("code", SHOWS_OTHERWISE)
def test_a_format_that_shows_other_than_the_value_masks(code):
    assert masks(code)


@pytest.mark.parametrize("code", SHOWS_THE_VALUE)
def test_a_format_that_shows_the_value_does_not(code):
    assert not masks(code)


def _styles(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/styles.xml").decode()


def test_no_template_issues_a_masking_format(tmp_path):
    for spec_file in sorted(TEMPLATES.glob("*.yaml")):
        spec = xl_kpi.load_spec(spec_file)
        person = GOOD.__class__(GOOD.employee_id, GOOD.name, GOOD.department, GOOD.position, GOOD.manager, spec.id)
        path = build_employee_workbook(tmp_path / f"{spec.id}.xlsx", spec, person, BuildOptions())
        assert not masking_formats(_styles(path)), spec.id


def _mask(path: Path, cell: str, code: str, value: float) -> None:
    """Give ``cell`` a style of its own with number format ``code`` and the value ``value``, as an edit of the parts does."""
    def styles(xml: str) -> str:
        xml = re.sub(r'<numFmts count="(\d+)">', lambda m: f'<numFmts count="{int(m.group(1)) + 1}">', xml)
        xml = xml.replace("</numFmts>", f'<numFmt numFmtId="190" formatCode="{code.replace(chr(34), "&quot;")}"/></numFmts>')
        xfs = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', xml, re.S)
        first = re.search(r"<xf [^>]*?(?:/>|>.*?</xf>)", xfs.group(2), re.S).group(0)
        mine = re.sub(r'numFmtId="\d+"', 'numFmtId="190"', first)
        return xml.replace(xfs.group(0), f'<cellXfs count="{int(xfs.group(1)) + 1}">{xfs.group(2)}{mine}</cellXfs>')

    rewrite_part(path, "xl/styles.xml", styles)
    n = int(re.search(r'<cellXfs count="(\d+)"', _styles(path)).group(1)) - 1
    rewrite_part(path, "xl/worksheets/sheet1.xml",
                 lambda xml: re.sub(rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)', f'<c r="{cell}" s="{n}"><v>{value}</v></c>', xml, count=1, flags=re.S))


def test_an_input_shown_as_a_constant_is_not_paid(tmp_path, specs):
    folder = tmp_path / "returns"
    folder.mkdir()
    path = make_return(specs, folder, GOOD)
    cell = C["actual"]["sales_rate"]
    _mask(path, cell, '"88.9%"', 1.5)
    result = xl_kpi.consolidate(folder, tmp_path / "out", specs["sales_rep"], workers=1)
    (record,) = result.run.records
    assert (record.status, record.pay) == ("tampered", None)
    (found,) = [i for i in result.run.issues if i.code == "input-masked"]
    assert (found.cell, found.severity) == (cell, "error")
    assert '"88.9%"' in found.message("zh") and "150%" in found.message("zh") and "销售额完成率" in found.message("zh")


def test_a_percent_sign_that_does_not_multiply_is_caught_and_a_plain_format_is_not(tmp_path, specs):
    folder = tmp_path / "returns"
    folder.mkdir()
    masked = make_return(specs, folder, GOOD)
    _mask(masked, C["actual"]["sales_rate"], '0.0"%"', 1.05)  # shows "1.1%" for 105%
    plain = make_return(specs, folder, GOOD.__class__("E300", "张平", "销售一部", "销售代表", "李四", "sales_rep"))
    _mask(plain, C["actual"]["new_customers"], "0", 11)  # another format, but it shows the value
    result = xl_kpi.consolidate(folder, tmp_path / "out", specs["sales_rep"], workers=1)
    status = {r.employee_id: (r.status, r.total) for r in result.run.records}
    assert status == {GOOD.employee_id: ("tampered", 80.0), "E300": ("ok", 80.0)}
    assert [i.employee_id for i in result.run.issues if i.code == "input-masked"] == [GOOD.employee_id]


def test_true_typed_in_libreoffice_keeps_its_boolean_format_but_a_number_under_it_is_caught(tmp_path, specs):
    """LibreOffice gives a cell where TRUE is typed the format "TRUE";"TRUE";"FALSE": the cell shows what it holds (an
    unreadable actual, not a forgery); 1.5 under the same format shows TRUE and is masked."""
    folder = tmp_path / "returns"
    folder.mkdir()
    typed = make_return(specs, folder, GOOD)
    _mask(typed, C["actual"]["sales_rate"], '"TRUE";"TRUE";"FALSE"', 1)
    rewrite_part(typed, "xl/worksheets/sheet1.xml", lambda xml: re.sub(
        rf'(<c r="{C["actual"]["sales_rate"]}" s="\d+")><v>1</v>', r'\1 t="b"><v>1</v>', xml, count=1))
    hidden = make_return(specs, folder, GOOD.__class__("E300", "张平", "销售一部", "销售代表", "李四", "sales_rep"))
    _mask(hidden, C["actual"]["sales_rate"], '"TRUE";"TRUE";"FALSE"', 1.5)
    result = xl_kpi.consolidate(folder, tmp_path / "out", specs["sales_rep"], workers=1)
    status = {r.employee_id: r.status for r in result.run.records}
    assert status == {GOOD.employee_id: "invalid", "E300": "tampered"}
    assert [i.employee_id for i in result.run.issues if i.code == "input-masked"] == ["E300"]


def test_a_conditional_format_that_masks_is_caught(tmp_path, specs):
    folder = tmp_path / "returns"
    folder.mkdir()
    path = make_return(specs, folder, GOOD)
    cell = C["actual"]["sales_rate"]

    def dxf(xml: str) -> str:
        fmt = '<dxf><numFmt numFmtId="191" formatCode="&quot;88.9%&quot;"/></dxf>'
        if "<dxfs" in xml:
            return re.sub(r'<dxfs count="(\d+)">', lambda m: f'<dxfs count="{int(m.group(1)) + 1}">{fmt}', xml, count=1)
        return xml.replace("<tableStyles", f'<dxfs count="1">{fmt}</dxfs><tableStyles', 1)

    rewrite_part(path, "xl/styles.xml", dxf)
    result = xl_kpi.consolidate(folder, tmp_path / "out", specs["sales_rep"], workers=1)
    (record,) = result.run.records
    assert record.status == "tampered"
    (found,) = [i for i in result.run.issues if i.code == "input-masked"]
    assert "条件格式" in found.message("zh") and "a conditional format" not in found.message("zh")
    assert "a conditional format" in found.message("en") and "条件格式" not in found.message("en")
    assert cell  # the held value is still read as typed
    assert record.actuals["sales_rate"] == SEED["sales_rate"]


@pytest.mark.libreoffice
def test_a_return_saved_by_libreoffice_shows_what_it_holds(tmp_path, specs):
    from xl_kpi.office.libreoffice import convert

    folder = tmp_path / "returns"
    folder.mkdir()
    make_return(specs, folder, GOOD)
    saved = convert(sorted(folder.iterdir()), tmp_path / "saved")
    assert not masking_formats(_styles(saved[0]))
    result = xl_kpi.consolidate(tmp_path / "saved", tmp_path / "out", specs["sales_rep"], workers=1)
    (record,) = result.run.records
    assert (record.status, record.total) == ("ok", 80.0)


def _ods_mask(path: Path, cell_style_xml: str, data_style_xml: str, cell: str) -> None:
    """In an .ods return, give the cell ``cell`` (a number cell of the first sheet) a style of its own."""
    from xl_kpi.core.refs import parse_a1

    row, col = parse_a1(cell)

    def change(xml: str) -> str:
        xml = xml.replace("</office:automatic-styles>", data_style_xml + cell_style_xml + "</office:automatic-styles>", 1)
        body = xml.index("<table:table ")
        rows = [m for m in re.finditer(r"<table:table-row\b[^>]*?(/>|>.*?</table:table-row>)", xml[body:], re.S)]
        at, k = None, 0
        for m in rows:
            n = int(re.search(r'table:number-rows-repeated="(\d+)"', m.group(0)[:200]).group(1)) \
                if re.search(r'^<table:table-row[^>]*number-rows-repeated="(\d+)"', m.group(0)) else 1
            if k <= row < k + n:
                at = m
                break
            k += n
        assert at is not None and k == row, "the row is not written on its own"
        text, c = at.group(0), 0
        for m in re.finditer(r"<table:(?:covered-)?table-cell\b[^>]*?(?:/>|>.*?</table:(?:covered-)?table-cell>)", text, re.S):
            n = int(re.search(r'table:number-columns-repeated="(\d+)"', m.group(0)).group(1)) \
                if re.match(r'<table:table-cell[^>]*number-columns-repeated="(\d+)"', m.group(0)) else 1
            if c == col:
                assert n == 1 and 'office:value-type="' in m.group(0)
                new = re.sub(r' table:style-name="[^"]*"', "", m.group(0), count=1).replace("<table:table-cell", '<table:table-cell table:style-name="ceX"', 1)
                text = text[:m.start()] + new + text[m.end():]
                break
            c += n
        else:
            raise AssertionError("cell not found")
        return xml[:body] + xml[body:].replace(at.group(0), text, 1)

    rewrite_part(path, "content.xml", change)


@pytest.fixture(scope="module")
def saved_as_ods(tmp_path_factory, specs):
    """The seed's return, saved as .ods by LibreOffice (once for the module)."""
    from xl_kpi.office.libreoffice import convert

    root = tmp_path_factory.mktemp("ods")
    folder = root / "returns"
    folder.mkdir()
    make_return(specs, folder, GOOD)
    (ods,) = convert(sorted(folder.iterdir()), root / "saved", to="ods")
    return ods


@pytest.mark.libreoffice
@pytest.mark.parametrize(("data_style", "masked"), [
    ('<number:number-style style:name="NX"><number:text>88.9%</number:text></number:number-style>', True),
    ('<number:number-style style:name="NX"><number:number number:decimal-places="1"/><number:text>%</number:text></number:number-style>', True),
    ('<number:number-style style:name="NX"><number:number number:decimal-places="2" number:display-factor="1000"/></number:number-style>', True),
    ('<number:percentage-style style:name="NX"><number:number number:decimal-places="1"/><number:text>%</number:text></number:percentage-style>', False),
    ('<number:number-style style:name="NXP0"><number:number/></number:number-style><number:number-style style:name="NX">'
     '<number:text>88.9%</number:text><style:map style:condition="value()=5" style:apply-style-name="NXP0"/></number:number-style>', True),
    ('<number:number-style style:name="NXP0"><number:number/></number:number-style><number:number-style style:name="NXP1">'
     '<number:text>-</number:text><number:number/></number:number-style><number:number-style style:name="NX"><number:text>—</number:text>'
     '<style:map style:condition="value()&gt;0" style:apply-style-name="NXP0"/>'
     '<style:map style:condition="value()&lt;0" style:apply-style-name="NXP1"/></number:number-style>', False),
])
def test_a_return_saved_as_ods_is_checked_the_same_way(tmp_path, specs, saved_as_ods, data_style, masked):
    (tmp_path / "saved").mkdir()
    ods = tmp_path / "saved" / saved_as_ods.name
    shutil.copy(saved_as_ods, ods)
    _ods_mask(ods, '<style:style style:name="ceX" style:family="table-cell" style:parent-style-name="Default" '
                   'style:data-style-name="NX"/>', data_style, C["actual"]["sales_rate"])
    result = xl_kpi.consolidate(tmp_path / "saved", tmp_path / "out", specs["sales_rep"], workers=1)
    (record,) = result.run.records
    found = [i for i in result.run.issues if i.code == "input-masked"]
    assert (record.status, len(found)) == (("tampered", 1) if masked else ("ok", 0))
    if masked:
        assert found[0].cell == C["actual"]["sales_rate"]


@given(st.text(alphabet='0#?.,;%"\\[]=-_*@EeGgeneral年月日TRUEF 88分', max_size=40))
def test_any_format_code_is_judged_without_failing(code):
    assert masks(code) in (True, False)
    assert masking_formats(f'<numFmts count="1"><numFmt numFmtId="170" formatCode="{escape(code, {chr(34): "&quot;"})}"/></numFmts>'
                           '<cellXfs count="1"><xf numFmtId="170"/></cellXfs>').styles in ({}, {0: code})


@given(st.sampled_from(SHOWS_THE_VALUE), st.sampled_from(['"88.9%"', ";;;", '0.0"%"']))
def test_a_masking_section_anywhere_among_the_numbers_masks(shows, hides):
    assert masks(f"{shows};{hides}") or masks(f"{hides};{shows}")
