"""Returns re-saved as .ods (what LibreOffice and WPS users send back) are read through the same seam as an
.xlsx, with the same checks: scored exactly, a tampered one caught, a hostile one refused."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

import xl_kpi
from xl_kpi.consolidation import consolidate
from xl_kpi.consolidation.formats import open_returned
from xl_kpi.consolidation.inputs import Source
from xl_kpi.consolidation.reader import read_source
from xl_kpi.core.packages import Limits, Rejected
from xl_kpi.core.refs import parse_a1
from xl_kpi.demo import simulate_card
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_employee_workbook

from .returned import GOOD, SEED, VICTIM, make_return
from .zipedit import rewrite_part

T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


@pytest.fixture(scope="module")
def saved(tmp_path_factory, specs):
    """Every bundled template, filled, with a sheet password and a bonus base, saved by LibreOffice both as
    .ods and as .xlsx (the same recalculation behind both)."""
    from xl_kpi.office.libreoffice import convert

    tmp = tmp_path_factory.mktemp("ods")
    rng = random.Random(24)
    built = []
    for k, (sid, spec) in enumerate(sorted(specs.items())):
        person = Person(f"E{k}", "张三", "销售一部", "", "", sid, bonus_base=5000.0)
        built.append(build_employee_workbook(tmp / "src" / f"{sid}.xlsx", spec, person,
                                             BuildOptions(actuals={person.employee_id: simulate_card(spec, rng)}, password="秘密")))
    convert(built, tmp / "ods", to="ods")
    convert(built, tmp / "xlsx", to="xlsx")
    return tmp


def _outcome(result):
    records = {r.employee_id: (r.template, r.total, r.grade, r.status, r.scores, r.actuals, r.raw, r.ratings, r.sections,
                               r.adjustment, r.vetoed, r.coefficient, r.pay) for r in result.records}
    issues = sorted((i.employee_id, i.code, i.cell) for i in result.issues)
    return records, issues


@pytest.mark.libreoffice
def test_every_template_saved_as_ods_by_libreoffice_is_scored_exactly_as_its_xlsx(saved, specs, tmp_path):
    ods, _ = consolidate([saved / "ods"], tmp_path / "ods", specs, workers=1)
    xlsx, _ = consolidate([saved / "xlsx"], tmp_path / "xlsx", specs, workers=1)
    assert len(ods.records) == len(specs) and _outcome(ods) == _outcome(xlsx)
    assert {r.status for r in ods.records} == {"ok"}, [(i.file, i.code) for i in ods.issues]
    about_the_inputs = {"adjustment-capped"}  # the simulated card's own counts, said alike of its .xlsx (compared above)
    assert not [i for i in ods.issues if i.severity != "info" and i.code not in about_the_inputs]


def _ods_of(saved: Path, tmp_path: Path, template: str) -> Path:
    path = tmp_path / f"{template}.ods"
    path.write_bytes((saved / "ods" / f"{template}.ods").read_bytes())
    return path


def _edit_content(path: Path, change) -> None:
    """Edit content.xml as a user with a text editor and a zip tool would (the other parts kept as they are)."""
    for prefix, uri in re.findall(r'xmlns:(\w+)="([^"]+)"', zipfile.ZipFile(path).read("content.xml").decode("utf-8")):
        ET.register_namespace(prefix, uri)

    def edit(text: str) -> str:
        root = ET.fromstring(text.encode("utf-8"))
        change(root)
        return ET.tostring(root, encoding="unicode")

    rewrite_part(path, "content.xml", edit)


def _cell(root, sheet: str, ref: str):
    """The <table:table-cell> at ``ref`` of ``sheet``, a repeated cell split so that only this one changes."""
    want_r, want_c = parse_a1(ref)
    table = next(t for t in root.iter(f"{{{T}}}table") if t.get(f"{{{T}}}name") == sheet)
    r = 0
    for row in table.iter(f"{{{T}}}table-row"):
        rows = int(row.get(f"{{{T}}}number-rows-repeated", "1"))
        if r <= want_r < r + rows:
            assert rows == 1, "the cell's row is repeated"
            c = 0
            for cell in list(row):
                cols = int(cell.get(f"{{{T}}}number-columns-repeated", "1"))
                if c <= want_c < c + cols:
                    if cols > 1:  # split the run: before, the cell, after
                        at = list(row).index(cell)
                        del cell.attrib[f"{{{T}}}number-columns-repeated"]
                        for k, n in ((0, want_c - c), (2, c + cols - want_c - 1)):
                            if n:
                                twin = ET.Element(cell.tag, dict(cell.attrib))
                                if n > 1:
                                    twin.set(f"{{{T}}}number-columns-repeated", str(n))
                                row.insert(at + k, twin)
                    return cell
                c += cols
        r += rows
    raise AssertionError(f"{sheet}!{ref} not found")


@pytest.mark.libreoffice
def test_an_ods_return_is_checked_against_hrs_register_and_scored(tmp_path, specs):
    from xl_kpi.office.libreoffice import convert

    issued = tmp_path / "issued"
    xl_kpi.build(specs["sales_rep"], [GOOD, VICTIM], issued, actuals={p.employee_id: SEED for p in (GOOD, VICTIM)})
    returns = tmp_path / "returns"
    good = next(issued.rglob(f"{GOOD.employee_id}_*.xlsx"))
    returns.mkdir()
    (returns / good.name).write_bytes(good.read_bytes())
    convert([next(issued.rglob(f"{VICTIM.employee_id}_*.xlsx"))], returns, to="ods")  # saved back by LibreOffice (or WPS)
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, [GOOD, VICTIM], issued=issued / "issued.sqlite")
    people = {r.employee_id: r for r in result.run.records}
    assert [(people[p.employee_id].total, people[p.employee_id].status) for p in (GOOD, VICTIM)] == [(80, "ok"), (80, "ok")]
    assert people[VICTIM.employee_id].file.endswith(".ods") and not result.run.issues


@pytest.mark.libreoffice
def test_a_tampered_ods_is_caught(saved, specs, tmp_path):
    spec = specs["sales_rep"]
    cells = PersonLayout.for_spec(spec).cell_map(spec)
    path = _ods_of(saved, tmp_path, "sales_rep")
    threshold, score = cells["param_keys"]["sales_rate"][0], cells["score"]["sales_rate"]

    def tamper(root):
        _cell(root, "KPI考核表", threshold).set(f"{{{O}}}value", "0.5")  # the top band from 110% down to 50%
        formula = _cell(root, "KPI考核表", score)
        formula.set(f"{{{T}}}formula", "of:=100")  # the score typed over its formula
        table = next(t for t in root.iter(f"{{{T}}}table") if t.get(f"{{{T}}}name") == "KPI考核表")
        table.set(f"{{{T}}}protected", "false")

    _edit_content(path, tamper)
    result = read_source(Source(str(path)), specs)
    (record,) = result.records
    found = {(i.code, i.cell) for i in result.issues}
    assert {("changed-threshold", threshold), ("formula-changed", score), ("protection-changed-own", "")} <= found  # a card of own inputs only
    assert record.status == "tampered"


@pytest.mark.libreoffice
def test_a_number_typed_in_an_ods_percent_cell_is_the_percentage_it_shows(saved, specs, tmp_path):
    spec = specs["sales_rep"]
    ref = PersonLayout.for_spec(spec).cell_map(spec)["actual"]["sales_rate"]
    path = _ods_of(saved, tmp_path, "sales_rep")
    _edit_content(path, lambda root: _cell(root, "KPI考核表", ref).set(f"{{{O}}}value", "3"))  # 300%, as LibreOffice stores it
    (record,) = read_source(Source(str(path)), specs).records
    assert record.actuals["sales_rate"] == 3.0 and record.scores["sales_rate"] == 100.0


@pytest.mark.libreoffice
def test_a_renamed_ods_sheet_is_found_by_its_employee_id(saved, specs, tmp_path):
    path = _ods_of(saved, tmp_path, "sales_rep")
    _edit_content(path, lambda root: next(t for t in root.iter(f"{{{T}}}table")
                                          if t.get(f"{{{T}}}name") == "KPI考核表").set(f"{{{T}}}name", "我的考核"))
    result = read_source(Source(str(path)), specs)
    assert [r.sheet for r in result.records] == ["我的考核"] and result.records[0].status == "ok"
    assert [i.code for i in result.issues] == ["sheet-renamed"]


# --- hostile .ods files, made by hand: no LibreOffice needed ------------------------------------------
def _ods(tmp_path: Path, content: str, extra: dict[str, str] | None = None, name: str = "x.ods") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
        for part, text in (extra or {}).items():
            zf.writestr(part, text)
    return path


def _content(body: str, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return (f'{prolog}<office:document-content xmlns:office="{O}" xmlns:table="{T}" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
            f'{body}</office:spreadsheet></office:body></office:document-content>')


def _code(path: Path, specs) -> list[str]:
    return [i.code for i in read_source(Source(str(path)), specs).issues]


def test_an_ods_declaring_entities_is_refused_before_it_is_parsed(tmp_path, specs):
    bomb = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    assert _code(_ods(tmp_path, _content("", bomb)), specs) == ["xml-entities"]


def test_an_encrypted_ods_is_named_encrypted(tmp_path, specs):
    manifest = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                '<manifest:encryption-data manifest:checksum="x"/></manifest:file-entry></manifest:manifest>')
    assert _code(_ods(tmp_path, "\x00\x01encrypted bytes", {"META-INF/manifest.xml": manifest}), specs) == ["encrypted"]


def test_an_ods_whose_content_is_not_xml_is_damaged_and_without_metadata_no_scorecard(tmp_path, specs):
    assert _code(_ods(tmp_path, "<office:document-content>", name="cut.ods"), specs) == ["corrupt-file"]
    plain = _content('<table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="float" '
                     'office:value="1"/></table:table-row></table:table>')
    assert _code(_ods(tmp_path, plain, name="plain.ods"), specs) == ["not-a-scorecard"]


def test_rows_repeated_a_million_times_are_never_expanded_and_a_flood_of_cells_is_refused(tmp_path, specs):
    far = _content('<table:table table:name="Sheet1"><table:table-row table:number-rows-repeated="1048575">'
                   '<table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row>'
                   '<table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="string">'
                   '<text:p>x</text:p></table:table-cell></table:table-row></table:table>')
    book = open_returned(_ods(tmp_path, far, name="far.ods").read_bytes(), Limits())
    (sheet,) = book.sheets
    assert book.cells(sheet).values(["XFD1048576", "A1"]) == {"XFD1048576": "x", "A1": None}
    flood = _content('<table:table table:name="Sheet1"><table:table-row table:number-rows-repeated="1048576">'
                     '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
                     '</table:table-row></table:table>')  # one value spread over every cell there is
    with pytest.raises(Rejected) as caught:
        open_returned(_ods(tmp_path, flood, name="flood.ods").read_bytes(), Limits())
    assert caught.value.code == "zip-bomb"


def test_an_ods_is_recognised_by_its_bytes_whatever_its_name(tmp_path, specs):
    xlsx = make_return(specs, tmp_path, GOOD)
    renamed = tmp_path / "E100.ods"
    renamed.write_bytes(xlsx.read_bytes())  # an .xlsx named .ods is read as the .xlsx it is
    assert [r.total for r in read_source(Source(str(renamed)), specs).records] == [80]  # the seed's card
