"""No input takes a run down or loses a file (issue 23, item 6): each case is an input as it reaches
HR — a file name unzipped from a Chinese Windows archive, roster names that clean up alike, HR tables
with a stray far cell or a part that inflates to gigabytes, a nested or aliased YAML, numbers no sheet
computes with, a 300-indicator card, a return of 60,000 formats, a full disk, a named pipe, a reader
out of memory — and must become its finding, while the genuine results beside it stay exact and no
input is written to. Cases that would kill the process if their guard failed run in a child process."""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from xl_kpi import api
from xl_kpi.cli.app import run
from xl_kpi.consolidation import consolidate
from xl_kpi.core.errors import InputFileError, SpecError, UsageError
from xl_kpi.sheet.metadata import CHUNK, Metadata
from xl_kpi.sheet.register import load_register
from xl_kpi.spec.model import Person

from .conftest import ROOT, TEMPLATES, declare_size, sales_dict
from .returned import GOOD, SEED, VICTIM, digests, make_return
from .zipedit import rewrite_part

SALES = TEMPLATES / "sales_rep.yaml"
ROSTER_HEADER = ["employee_id", "name", "department", "position", "manager", "template", "bonus_base"]
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="named pipes, tmpfs and forked workers: Linux")


def _good_is_exact(result) -> None:
    good = [r for r in result.records if r.employee_id == GOOD.employee_id]
    assert len(good) == 1 and good[0].total == 80 and good[0].grade == "良好" and good[0].status == "ok"
    assert not [i for i in result.issues if i.employee_id == GOOD.employee_id]


def _returns(tmp_path: Path, specs) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    make_return(specs, folder, GOOD)
    return folder


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _child(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter: a guard that fails there aborts the child, not the test run."""
    env = {**os.environ, "XL_KPI_LANG": "en", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout, env=env)


# --- file names ---------------------------------------------------------------------------------

def test_file_names_that_are_not_utf8_are_read_and_shown_readably_in_every_output(tmp_path, specs, capsys):
    returns = _returns(tmp_path, specs)
    folder = os.fsencode(returns)
    os.rename(make_return(specs, returns, VICTIM), folder + b"/" + "销售一部_王测.xlsx".encode("gbk"))  # unzip of a Chinese Windows zip
    third = Person("E300", "张三", "销售一部", "销售代表", "李四", "sales_rep")
    os.rename(make_return(specs, returns, third), folder + b"/\xff\xfe-E300.xlsx")  # bytes that are no text at all
    before = digests(returns)
    out = tmp_path / "out"
    assert run(["consolidate", str(returns), "-o", str(out), "--templates", str(TEMPLATES)]) == 0  # notes only: a clean run
    assert "Traceback" not in capsys.readouterr().err
    with open(out / "scores.csv", encoding="utf-8-sig") as fh:
        rows = {r["employee_id"]: r for r in csv.DictReader(fh)}
    assert rows["E200"]["file"] == f"{returns}/销售一部_王测.xlsx"
    assert rows["E300"]["file"] == f"{returns}/\\xff\\xfe-E300.xlsx"  # escaped, never a byte no output can hold
    assert {r["total"] for r in rows.values()} == {"80.0"} and {r["status"] for r in rows.values()} == {"ok"}
    issues = (out / "issues.csv").read_text(encoding="utf-8-sig")
    assert issues.count("file-name-encoding") == 2
    summary = [c for row in openpyxl.load_workbook(out / "summary.xlsx")["成绩"].iter_rows(values_only=True) for c in row]
    assert f"{returns}/销售一部_王测.xlsx" in summary or any("销售一部_王测.xlsx" in str(c) for c in summary)
    assert digests(returns) == before


def test_a_kpi_table_whose_name_is_not_utf8_imports_under_its_chinese_name(tmp_path, capsys):
    folder = tmp_path / "tables"
    folder.mkdir()
    table = _csv(folder / "t.csv", [["指标名称", "目标值", "权重", "评分标准"],
                                    ["销售额完成率", "100%", "60%", "≥110%得100分;100%-110%得80分;<100%得0分"],
                                    ["新客户开发数", "10", "40%", "≥12得100分;≥10得80分;<10得0分"]])
    gbk = os.fsdecode(os.fsencode(folder) + b"/" + "考核表.csv".encode("gbk"))
    os.rename(table, gbk)
    assert run(["import", gbk, "-o", str(tmp_path / "specs")]) == 0
    out = capsys.readouterr().out  # with -o, what import did is its result: on stdout
    assert "考核表.csv" in out and "\udcbf" not in out
    (written,) = (tmp_path / "specs").iterdir()
    assert "考核表.csv" in written.read_text(encoding="utf-8")
    assert not [f for f in api.check(written) if f.severity == "error"]


# --- names a build writes -------------------------------------------------------------------------

ALIKE = [("E1", "张三", "销售/一部"), ("E2", "李四", "销售_一部"), ("E3", "王五", "销售:一部"), ("E5:07", "赵六", "销售一部"),
         ("E5_07", "赵六", "销售一部"), ("E9", "钱七", "销" * 81)]


@pytest.mark.parametrize("layout", ["employee", "department"])
def test_names_that_clean_up_alike_get_numbered_files_and_the_register_matches_the_disk(tmp_path, specs, layout):
    given = tmp_path / "in"
    given.mkdir()
    roster = _csv(given / "roster.csv", [ROSTER_HEADER[:6], *([eid, name, dept, "销售代表", "李四", "sales_rep"] for eid, name, dept in ALIKE)])
    before = digests(given)
    out = tmp_path / "out"
    written = api.build(specs, roster, out, layout=layout, actuals={eid: SEED for eid, _, _ in ALIKE})
    files = sorted(out.rglob("*.xlsx"))
    assert len(files) == len(written) == len(set(written)) == (6 if layout == "employee" else 5)  # nothing overwritten
    assert all(len(part.encode()) <= 130 for p in files for part in p.relative_to(out).parts)  # the 81-character name, shortened
    with sqlite3.connect(out / "issued.sqlite") as db:
        registered = db.execute("SELECT employee_id, file FROM issued").fetchall()
    assert {eid for eid, _ in registered} == {eid for eid, _, _ in ALIKE}
    assert {file for _, file in registered} == {p.name for p in files}  # every file the register names is on disk, once
    codes = [f.code for f in written.findings]
    assert codes.count("name-collision") == (3 if layout == "employee" else 2) and codes.count("name-shortened") == 1
    result, _ = consolidate([out], tmp_path / "cons", specs, workers=1, register=load_register(out / "issued.sqlite"))
    assert sorted(r.employee_id for r in result.records) == sorted(eid for eid, _, _ in ALIKE)
    assert {(r.total, r.status) for r in result.records} == {(80, "ok")}  # each return is the one the register issued
    assert digests(given) == before


def test_a_build_that_fails_part_way_leaves_no_workbook_and_no_register(tmp_path, specs, monkeypatch):
    import xl_kpi.workbook.build as build

    real, made = build.build_employee_workbook, []

    def fails_on_the_third(target, spec, person, options):
        if len(made) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        made.append(person.employee_id)
        return real(target, spec, person, options)

    monkeypatch.setattr(build, "build_employee_workbook", fails_on_the_third)
    out = tmp_path / "out"
    with pytest.raises(UsageError) as caught:
        api.build(specs, TEMPLATES / "sample_roster.csv", out)
    assert caught.value.code == "disk-full" and made == ["E001", "E002"]
    assert list(out.iterdir()) == []  # no workbook, no register, no temporary folder


# --- HR's tables through the bounded reader ---------------------------------------------------------

def _roster_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(ROSTER_HEADER[:6])
    ws.append(["E001", "张三", "销售一部", "销售代表", "李四", "sales_rep"])
    wb.save(path)
    return path


def _with_sheet_xml(path: Path, change) -> Path:
    rewrite_part(path, "xl/worksheets/sheet1.xml", change)
    return path


def far_cell(d: Path) -> Path:
    return _with_sheet_xml(_roster_xlsx(d / "far.xlsx"), lambda xml: xml.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))


def far_cell_ods(d: Path) -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
               '<office:body><office:spreadsheet><table:table table:name="花名册"><table:table-row>'
               '<table:table-cell office:value-type="string"><text:p>employee_id</text:p></table:table-cell></table:table-row>'
               '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
               '<table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="string">'
               '<text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(d / "far.ods", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
    return d / "far.ods"


def part_declared_3gib(d: Path) -> Path:
    path = _roster_xlsx(d / "big.xlsx")
    data = bytearray(path.read_bytes())
    declare_size(data, "xl/worksheets/sheet1.xml", 3 * 1024**3)
    path.write_bytes(bytes(data))
    return path


def part_inflating_past_its_size(d: Path) -> Path:
    """The directory declares a small sheet; the part inflates to 30 MB (a bomb hiding from the ratio check)."""
    path = _with_sheet_xml(_roster_xlsx(d / "lies.xlsx"), lambda xml: xml.replace("</sheetData>", "</sheetData>" + " " * 30_000_000))
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        declare_size(data, "xl/worksheets/sheet1.xml", zf.getinfo("xl/worksheets/sheet1.xml").compress_size * 2)
    path.write_bytes(bytes(data))
    return path


def many_lines(d: Path) -> Path:
    path = d / "many.csv"
    path.write_bytes(",".join(ROSTER_HEADER[:6]).encode() + b"\n" + b"E1,a,b,c,d,sales_rep\n" * 1_100_000)
    return path


TABLE_BOMBS = [(far_cell, "table-far-cell", "XFD1048576"), (far_cell_ods, "table-far-cell", "XFD1048572"),
               (part_declared_3gib, "table-unsafe", "3221225472"), (part_inflating_past_its_size, "table-unsafe", "zip directory"),
               (many_lines, "table-too-large", "1,100,001")]
_READ_ALL = """
import json, sys
from xl_kpi import api
from xl_kpi.core.errors import XlKpiError
out = {}
for path in sys.argv[1:]:
    for name, call in (("build", lambda p: api.load_people(p)), ("import", api.read_tables), ("check", api.check)):
        try:
            found = call(path)
            found = found[1] if name == "import" else found
            out[f"{path}|{name}"] = [[f.code, f.render("en")] for f in found if getattr(f, "severity", "") == "error"]
        except XlKpiError as exc:
            out[f"{path}|{name}"] = [[f.code, f.render("en")] for f in exc.findings]
print(json.dumps(out))
"""


def test_hr_tables_that_would_take_a_reader_down_are_refused_by_build_import_and_check(tmp_path):
    paths = [make(tmp_path) for make, _, _ in TABLE_BOMBS]
    before = digests(tmp_path)
    done = _child(_READ_ALL, *map(str, paths))
    assert done.returncode == 0, done.stderr[-2000:]  # no abort (exit 134), no 512 GiB allocation
    found = json.loads(done.stdout)
    for path, (make, code, named) in zip(paths, TABLE_BOMBS):
        for command in ("build", "import", "check"):
            if make is many_lines and command != "build":
                continue  # a KPI table is read to 2,000 rows; only a roster is read whole
            codes = [c for c, _ in found[f"{path}|{command}"]]
            assert code in codes, (make.__name__, command, found[f"{path}|{command}"])
            assert any(named in text for _, text in found[f"{path}|{command}"])
    assert digests(tmp_path) == before


def test_build_names_the_stray_cell_in_one_line_and_exit_1(tmp_path):
    done = _child("import sys; from xl_kpi.cli.app import run; sys.exit(run(sys.argv[1:]))", "build", str(SALES), "--roster",
                  str(far_cell(tmp_path)), "-o", str(tmp_path / "out"))
    assert done.returncode == 1 and "XFD1048576" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.xlsx"))


# --- specs: YAML and numbers -----------------------------------------------------------------------

def test_deeply_nested_yaml_is_refused_naming_the_file_not_a_segfault(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("id: x\nindicators: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    done = _child("import sys; from xl_kpi.cli.app import run; sys.exit(run(sys.argv[1:]))", "check", str(deep))
    assert done.returncode == 1, done.stderr[-500:]  # not 139
    assert "deep.yaml" in done.stdout and "deeper than 64 levels" in done.stdout  # check's findings: on stdout


def test_aliases_that_expand_to_billions_of_nodes_are_refused(tmp_path, write_spec):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    found = api.check(write_spec("\n".join(lines) + "\n", "laughs.yaml"))
    assert [f.code for f in found] == ["yaml-too-large"] and found[0].file.endswith("laughs.yaml")


@pytest.mark.parametrize(("where", "value"), [("target", 1.0e308), ("target", -1e16), ("target", 1e-300)])
def test_numbers_no_sheet_can_hold_or_compute_with_are_refused_by_check_naming_the_field(write_spec, where, value):
    data = sales_dict()
    data["indicators"][1]["scoring"] = {"method": "linear", "cap": 100, "floor": 0}
    data["indicators"][1][where] = value
    path = write_spec(data)
    errors = [f for f in api.check(path) if f.severity == "error"]
    assert [(f.code, f.field) for f in errors] == [("number-range", "indicators[1].target")]
    assert "1e+15" in errors[0].render("en")  # the range it must be in: the fix
    with pytest.raises(SpecError):
        api.load_spec(path)


def test_a_huge_bonus_base_or_personal_target_is_refused_with_its_line(tmp_path, specs):
    roster = _csv(tmp_path / "roster.csv", [ROSTER_HEADER, ["E1", "张三", "销售一部", "销售代表", "李四", "sales_rep", "1e300"]])
    with pytest.raises(InputFileError) as caught:
        api.load_people(roster, specs)
    assert [(f.code, f.field) for f in caught.value.findings] == [("roster-bad-number", "line 2")]
    people = api.load_people(TEMPLATES / "sample_roster.csv", specs)
    targets = _csv(tmp_path / "targets.csv", [["employee_id", "indicator_id", "target"], ["E001", "new_customers", "1e300"]])
    with pytest.raises(InputFileError) as caught:
        api.build(specs, people, tmp_path / "out", targets=targets)
    assert [(f.code, f.field) for f in caught.value.findings] == [("number-range", "line 2")]


# --- a card of 300 indicators ------------------------------------------------------------------------

def test_a_spec_of_300_indicators_is_built_and_consolidated_back_as_ok(tmp_path, write_spec, specs):
    data = sales_dict()
    data["id"] = "big"
    data["indicators"] = [{"id": f"k{i:03d}", "name": f"第{i}项客户回访数", "unit": "个", "target": 10,
                           "weight": "0.4%" if i < 100 else "0.3%",  # 100 × 0.4% + 200 × 0.3% = 100%
                           "scoring": {"method": "bands", "bands": [[12, 100], [10, 80], [8, 60]], "otherwise": 0}}
                          for i in range(300)]
    spec = api.load_spec(write_spec(data))
    returns = _returns(tmp_path, specs)
    person = Person("E300", "大表", "销售一部", "销售代表", "李四", "big")
    (built,) = api.build({"big": spec}, [person], tmp_path / "issued", actuals={"E300": {f"k{i:03d}": 11 for i in range(300)}})
    row = next(r for r in _metadata_rows(built) if len(r) > 1 and r[1] == "E300")
    assert len(row) > 11 and all(len(c) <= CHUNK for c in row)  # the cell map continues past the last column
    assert Metadata(_metadata_rows(built)).people[0]["cellmap"] == json.dumps(
        json.loads(Metadata(_metadata_rows(built)).people[0]["cellmap"]), ensure_ascii=False, sort_keys=True)  # whole again
    shutil.copy(built, returns / "E300.xlsx")
    before = digests(returns)
    result, _ = consolidate([returns], tmp_path / "out", {**specs, "big": spec}, workers=1)
    big = [r for r in result.records if r.employee_id == "E300"]
    assert [(r.status, r.total, r.grade) for r in big] == [("ok", 80, "良好")] and result.clean
    _good_is_exact(result)
    assert digests(returns) == before


def _metadata_rows(path: Path) -> list[list[str]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [[("" if v is None else str(v)) for v in row] for row in wb["_xlkpi_meta"].iter_rows(values_only=True)]
    return [r[: max((k + 1 for k, v in enumerate(r) if v), default=0)] for r in rows]


# --- formats, disk, pipes, memory ---------------------------------------------------------------------

def _formats(count: int):
    def change(xml: str) -> str:
        m = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', xml, re.S)
        first = re.match(r"<xf[^>]*/>|<xf.*?</xf>", m.group(2), re.S).group(0)
        return f'{xml[:m.start()]}<cellXfs count="{int(m.group(1)) + count}">{m.group(2)}{first * count}</cellXfs>{xml[m.end():]}'
    return change


@pytest.mark.parametrize(("count", "code"), [(60_000, None), (70_000, "too-many-formats")])
def test_many_identical_formats_are_bounded_by_excels_limit_not_taken_for_a_bomb(tmp_path, specs, count, code):
    returns = _returns(tmp_path, specs)
    rewrite_part(make_return(specs, returns, VICTIM), "xl/styles.xml", _formats(count))
    with zipfile.ZipFile(returns / "E200.xlsx") as zf:
        info = zf.getinfo("xl/styles.xml")
        assert info.file_size / info.compress_size > 200  # beyond the ratio a bomb is taken at
    before = digests(returns)
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    victim = [r for r in result.records if r.employee_id == VICTIM.employee_id]
    if code is None:
        assert [(r.total, r.status) for r in victim] == [(80, "ok")] and result.clean
    else:
        assert victim == [] and [i.code for i in result.issues] == [code]
    _good_is_exact(result)
    assert digests(returns) == before


@pytest.fixture
def small_disk(tmp_path):
    """A 40 KB tmpfs (root on Linux); skipped where it cannot be mounted."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"tmpfs cannot be mounted here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_full_disk_during_the_runs_store_is_named_with_its_path_and_exit_2(tmp_path, specs, small_disk, capsys):
    returns = _returns(tmp_path, specs)
    for k in range(30):
        make_return(specs, returns, Person(f"E{k:03d}", f"员工{k}", "销售一部", "销售代表", "李四", "sales_rep"))
    before = digests(returns)
    out = small_disk / "out"
    assert run(["consolidate", str(returns), "-o", str(out), "--templates", str(TEMPLATES), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and str(out) in err and "内部错误" not in err and "Traceback" not in err
    assert not list(out.glob(".xl-kpi-run-*"))  # the run's store is gone
    assert digests(returns) == before


@linux
def test_a_named_pipe_among_the_returns_is_noted_at_once_not_waited_on(tmp_path, specs):
    returns = _returns(tmp_path, specs)
    os.mkfifo(returns / "E200.xlsx")
    os.mkfifo(tmp_path / "given.xlsx")
    result, _ = consolidate([returns, tmp_path / "given.xlsx"], tmp_path / "out", specs, workers=1)
    assert [(i.code, Path(i.file).name) for i in result.issues] == [("not-a-file", "E200.xlsx"), ("not-a-file", "given.xlsx")]
    _good_is_exact(result)


@linux
def test_a_named_pipe_given_as_a_roster_or_spec_is_a_usage_error_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "roster.csv")
    os.mkfifo(tmp_path / "spec.yaml")
    code = "import sys; from xl_kpi.cli.app import run; sys.exit(run(sys.argv[1:]))"
    done = _child(code, "build", str(SALES), "--roster", str(tmp_path / "roster.csv"), "-o", str(tmp_path / "out"), timeout=60)
    assert done.returncode == 2 and "named pipe" in done.stderr
    done = _child(code, "check", str(tmp_path / "spec.yaml"), timeout=60)
    assert done.returncode == 2 and "named pipe" in done.stderr


@linux
def test_a_reader_out_of_memory_is_reported_as_the_memory_limit_not_a_damaged_file(tmp_path, specs, monkeypatch):
    import xl_kpi.consolidation.formats.xlsx as reader  # where a return's structure is read

    returns = _returns(tmp_path, specs)
    make_return(specs, returns, VICTIM)
    real = reader.read_book

    def hungry(package, *cache):
        if package.entries and b"E200" in package.read("xl/sharedStrings.xml"):
            raise MemoryError
        return real(package, *cache)

    monkeypatch.setattr(reader, "read_book", hungry)  # inherited by the forked workers
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    assert [(i.code, Path(i.file).name) for i in result.issues] == [("memory-limit", "E200.xlsx")]
    assert "GiB" in result.issues[0].render("en")
    _good_is_exact(result)


def test_yaml_written_by_import_passes_its_own_check(tmp_path):
    table = _csv(tmp_path / "t.csv", [["指标名称", "目标值", "权重", "评分标准"],
                                      ["销售额完成率\x00\x1b[2J", "100%", "60%", "≥110%得100分;100%-110%得80分;<100%得0分"],
                                      ["新客户开发数", "10", "40%", "≥12得100分;≥10得80分;<10得0分"]])
    (written,) = api.write_imported(api.read_tables(table)[0], tmp_path / "specs")
    text = written.read_text(encoding="utf-8")
    assert "\x00" not in text and "\x1b" not in text and "\\x00\\x1b[2J" in text
    assert not [f for f in api.check(written) if f.severity == "error"]
    assert yaml.safe_load(text)["indicators"][0]["name"] == "销售额完成率\\x00\\x1b[2J"


@linux
def test_a_full_disk_met_by_the_summary_written_alongside_is_named_too(tmp_path, specs, monkeypatch):
    import xlsxwriter.exceptions

    import xl_kpi.consolidation.outputs as outputs

    def full(path, *args):  # what XlsxWriter raises when the disk fills as it saves: its own error, the OSError inside
        raise xlsxwriter.exceptions.FileCreateError(OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(outputs, "write_summary", full)
    monkeypatch.setattr(outputs, "PARALLEL_FROM", 0)  # written by a forked child, as on runs of 500 people and more
    with pytest.raises(UsageError) as caught:
        consolidate([_returns(tmp_path, specs)], tmp_path / "out", specs, workers=1)
    assert caught.value.code == "disk-full" and str(tmp_path / "out") in caught.value.render("en")
