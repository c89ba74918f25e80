"""What a return brings in is reported, and text from files is shown, never obeyed (issue 23, item 7):
external links, embedded objects, ActiveX controls and data connections each become a finding like
macros; escape sequences never reach the terminal; bidi overrides and control characters are visible
in every output and absent from every name xl-kpi makes; Excel's ``_xHHHH_`` escapes are decoded.
The genuine return beside each case is still scored exactly, and no input is written to."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xl_kpi import api
from xl_kpi.cli.app import run
from xl_kpi.consolidation import consolidate
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_employee_workbook

from .conftest import sales_dict
from .returned import GOOD, SEED, VICTIM, digests, make_return

RLS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
ESC = "\x1b]0;pwned\x07"  # retitles a terminal that obeys it
RLO = "\u202e"  # right-to-left override: "E1\u202exslx.exe" shows as "E1exe.xlsx"


def _returns(tmp_path: Path, specs) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    make_return(specs, folder, GOOD)
    return folder


def _add_parts(path: Path, parts: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def external_links(path: Path) -> None:
    _add_parts(path, {
        "xl/externalLinks/externalLink1.xml": '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        "xl/externalLinks/_rels/externalLink1.xml.rels": RLS + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/externalLinkPath" Target="file:///C:/%E5%B7%A5%E8%B5%84/bonus.xlsx" TargetMode="External"/>'
        "</Relationships>"})


def ole_object(path: Path) -> None:
    _add_parts(path, {"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504})


def activex_control(path: Path) -> None:
    _add_parts(path, {"xl/activeX/activeX1.xml": '<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
                      'ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}"/>', "xl/activeX/activeX1.bin": b"\0" * 64})


def data_connection(path: Path) -> None:
    _add_parts(path, {"xl/connections.xml": '<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                      '<connection id="1" name="salary" type="1"><dbPr connection="DSN=hr"/></connection>'
                      '<connection id="2" name="web" type="4"><webPr url="http://example.invalid/"/></connection></connections>',
                      "xl/queryTables/queryTable1.xml": '<queryTable xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                      'name="q" connectionId="1"/>'})


BROUGHT = [(external_links, "external-links", "file:///C:/%E5%B7%A5%E8%B5%84/bonus.xlsx"), (ole_object, "ole-objects", "1"),
           (activex_control, "activex-controls", "1"), (data_connection, "data-connections", "2 connection(s), 1 query table(s)")]


@pytest.mark.parametrize(("add", "code", "named"), BROUGHT, ids=[c[1] for c in BROUGHT])
def test_what_a_return_brings_in_is_reported_once_and_never_opened(tmp_path, specs, add, code, named):
    returns = _returns(tmp_path, specs)
    add(make_return(specs, returns, VICTIM))
    before = digests(returns)
    result, paths = consolidate([returns], tmp_path / "out", specs, workers=1)
    assert [(i.code, i.severity, Path(i.file).name) for i in result.issues] == [(code, "warning", "E200.xlsx")]
    assert named in result.issues[0].render("en")
    victim = [r for r in result.records if r.employee_id == VICTIM.employee_id]
    assert [(r.total, r.status) for r in victim] == [(80, "ok")]  # its values are still read and scored, from the sheet
    good = [r for r in result.records if r.employee_id == GOOD.employee_id]
    assert [(r.total, r.grade, r.status) for r in good] == [(80, "良好", "ok")]
    assert code in paths["issues"].read_text(encoding="utf-8-sig")
    assert digests(returns) == before


# --- the terminal ---------------------------------------------------------------------------------

def test_escape_sequences_and_bidi_overrides_in_smart_never_reach_the_terminal(capsys):
    goal = f"{ESC}本季度新客户开发数达到12家{RLO}"
    run(["smart", goal])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and RLO not in out
    assert "\\x1b]0;pwned\\x07" in out and "\\u202e" in out  # shown, so the reader sees what was there
    run(["smart", goal, "--format", "json"])
    out = capsys.readouterr().out
    assert RLO not in out and "\x1b" not in out
    assert json.loads(out)["specific"] in ("pass", "fail")


def test_escape_sequences_in_a_kpi_table_never_reach_the_terminal_nor_the_yaml(tmp_path, capsys):
    table = tmp_path / "表.csv"
    with open(table, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["指标名称", "目标值", "权重", "评分标准"],
                                  [f"销售额完成率{ESC}", "100%", "60%", "≥110%得100分;100%-110%得80分;<100%得0分"],
                                  [f"新客户开发数{RLO}", "10", "40%", "≥12得100分;≥10得80分;<10得0分"]])
    before = digests(tmp_path)
    run(["import", str(table)])
    captured = capsys.readouterr()
    for stream in (captured.out, captured.err):
        assert "\x1b" not in stream and "\x07" not in stream and RLO not in stream
    assert "销售额完成率\\x1b]0;pwned\\x07" in captured.out
    run(["import", str(table), "--format", "json"])
    out = capsys.readouterr().out
    assert RLO not in out and "\x1b" not in out and json.loads(out)["specs"]
    assert digests(tmp_path) == before


# --- outputs and names --------------------------------------------------------------------------------

def test_bidi_and_control_characters_are_visible_in_outputs_and_absent_from_names(tmp_path, specs):
    sly = Person("E300", f"张三{RLO}xslx.exe", f"销售{RLO}一部", "销售代表", "李四", "sales_rep")
    out = tmp_path / "issued"
    written = api.build(specs, [GOOD, sly], out, actuals={GOOD.employee_id: SEED, "E300": dict(SEED, new_customers=f"1{ESC}")})
    department = api.build(specs, [GOOD, sly], tmp_path / "by-department", layout="department", actuals={"E300": SEED})
    for path in [*written, *department]:
        assert RLO not in str(path) and "\x1b" not in str(path)
    sheets = openpyxl.load_workbook(department[-1], read_only=True).sheetnames
    assert sheets and not [s for s in sheets if RLO in s]
    returns = tmp_path / "returns"
    returns.mkdir()
    for path in written:
        (returns / path.name).write_bytes(path.read_bytes())
    before = digests(returns)
    result, paths = consolidate([returns], tmp_path / "out", specs, workers=1)
    scores = paths["scores"].read_text(encoding="utf-8-sig")
    issues = paths["issues"].read_text(encoding="utf-8-sig")
    assert RLO not in scores + issues and "\x1b" not in scores + issues
    assert "张三\\u202exslx.exe" in scores and "\\x1b]0;pwned\\x07" in issues  # the typed value, shown as it was
    summary = [str(c) for ws in openpyxl.load_workbook(paths["summary"]).worksheets for row in ws.iter_rows(values_only=True)
               for c in row if c is not None]
    assert not [c for c in summary if RLO in c or "\x1b" in c] and any("张三\\u202exslx.exe" in c for c in summary)
    good = [r for r in result.records if r.employee_id == GOOD.employee_id]
    assert [(r.total, r.status) for r in good] == [(80, "ok")]
    assert digests(returns) == before


def test_excel_escapes_in_returned_texts_are_decoded(tmp_path, specs):
    returns = _returns(tmp_path, specs)
    comment = "第一行\r\n第二行 _x000D_ 照写"  # a line break as Excel stores it, and the escape typed as text
    build_employee_workbook(returns / "E200.xlsx", specs["sales_rep"], VICTIM,
                            BuildOptions(actuals={VICTIM.employee_id: SEED}, texts={VICTIM.employee_id: {"comment": comment}}))
    with zipfile.ZipFile(returns / "E200.xlsx") as zf:
        stored = zf.read("xl/sharedStrings.xml").decode("utf-8")
    assert "第一行_x000D_\n第二行 _x005F_x000D_ 照写" in stored  # Excel's own escapes, in the file
    before = digests(returns)
    result, paths = consolidate([returns], tmp_path / "out", specs, workers=1)
    victim = next(r for r in result.records if r.employee_id == VICTIM.employee_id)
    assert victim.comment == comment and victim.status == "ok"
    with open(paths["reviews"], encoding="utf-8-sig", newline="") as fh:
        rows = {r["employee_id"]: r for r in csv.DictReader(fh)}
    assert rows["E200"]["comment"] == "第一行\n第二行 _x000D_ 照写"
    good = [r for r in result.records if r.employee_id == GOOD.employee_id]
    assert [(r.total, r.status) for r in good] == [(80, "ok")]
    assert digests(returns) == before


def test_a_return_whose_metadata_holds_an_escape_as_text_still_matches_its_template(tmp_path, write_spec, specs):
    data = sales_dict()
    data["indicators"][0]["name"] = "销售额_x0041_完成率"  # stored as _x005F_x0041_ by every writer: read back as typed
    spec = api.load_spec(write_spec(data))
    returns = tmp_path / "returns"
    returns.mkdir()
    build_employee_workbook(returns / "E200.xlsx", spec, VICTIM, BuildOptions(actuals={VICTIM.employee_id: SEED}))
    result, _ = consolidate([returns], tmp_path / "out", {"sales_rep": spec}, workers=1)
    assert [(r.total, r.status) for r in result.records] == [(80, "ok")] and result.clean
