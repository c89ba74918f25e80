"""A hostile corpus of returned files: each case is named for what it breaks and must become
its issue code — while the good return beside it is still read and scored exactly, and no
input file is modified."""

from __future__ import annotations

import re
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xl_kpi.consolidation import Limits, consolidate
from xl_kpi.sheet.person import Col
from xl_kpi.spec.model import Person

from .conftest import SALES_CELLS as C
from .conftest import SALES_LAYOUT, TEMPLATES, declare_size
from .returned import GOOD, SEED, VICTIM
from .returned import digests as _digests
from .returned import make_return as _return
from .zipedit import rewrite_part as _rewrite_part

SHEET = "xl/worksheets/sheet1.xml"


def _set_cell(path: Path, cell: str, xml_value: str) -> None:
    """Replace a cell's content in the sheet XML, as a user editing an unprotected copy would."""
    def change(xml: str) -> str:
        new, n = re.subn(rf'<c r="{cell}"([^>]*?)(/>|>.*?</c>)', rf'<c r="{cell}"\1>{xml_value}</c>', xml, count=1)
        assert n == 1, cell
        return new

    _rewrite_part(path, SHEET, change)


def _actual_text(path: Path, cell: str, text: str) -> None:
    _set_cell(path, cell, f'<is><t>{text}</t></is>')
    _rewrite_part(path, SHEET, lambda xml: xml.replace(f'<c r="{cell}"', f'<c r="{cell}" t="inlineStr"', 1))


def _zip(path: Path, entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


# --- one maker per failure mode: (tmp folder, specs) -> the hostile file ---------------------

def empty_file(d, specs):
    (d / "empty.xlsx").write_bytes(b"")


def truncated_download(d, specs):
    good = _return(specs, d.parent / "src", VICTIM)
    data = good.read_bytes()
    (d / "truncated.xlsx").write_bytes(data[: len(data) // 2])


def random_bytes_renamed(d, specs):
    (d / "noise.xlsx").write_bytes(bytes(range(256)) * 20)


def word_document_renamed(d, specs):
    (d / "报销单.xlsx").write_text("这不是考核表", encoding="utf-8")


def pdf_renamed(d, specs):
    (d / "scan.xlsx").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")


def password_encrypted(d, specs):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512
    (d / "encrypted.xlsx").write_bytes(ole)


def legacy_xls(d, specs):
    (d / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)


def zip_bomb_ratio(d, specs):
    _zip(d / "bomb.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                           "xl/worksheets/sheet1.xml": b"\0" * (30 * 1024 * 1024)})


def zip_bomb_entries(d, specs):
    _zip(d / "many.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                           **{f"xl/media/{i}.xml": b"<a/>" for i in range(2100)}}, zipfile.ZIP_STORED)


def billion_laughs(d, specs):
    good = _return(specs, d.parent / "src", VICTIM)
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>&lol2;</sheetData></worksheet>')
    shutil.copy(good, d / "laughs.xlsx")
    _rewrite_part(d / "laughs.xlsx", SHEET, lambda xml: bomb)


def external_entity(d, specs):
    good = _return(specs, d.parent / "src", VICTIM)
    shutil.copy(good, d / "xxe.xlsx")
    _rewrite_part(d / "xxe.xlsx", "xl/workbook.xml",
                  lambda xml: xml.replace("?>", '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1))


def entities_after_padding(d, specs):
    """A DOCTYPE pushed far past the first kilobytes by comments: the whole prolog is scanned."""
    good = _return(specs, d.parent / "src", VICTIM)
    shutil.copy(good, d / "padded.xlsx")
    padding = "".join(f"<!-- {i:06d} {'x' * 90} -->" for i in range(400))  # ~40 KB before the DTD
    _rewrite_part(d / "padded.xlsx", SHEET, lambda xml: xml.replace(
        "?>", f'?>{padding}<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1))


def entities_in_utf16_part(d, specs):
    """The same attack in UTF-16, where a byte search for "<!DOCTYPE" finds nothing."""
    good = _return(specs, d.parent / "src", VICTIM)
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>')
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(d / "utf16.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = xml.encode("utf-16") if info.filename == "xl/workbook.xml" else src.read(info)
            dst.writestr(info.filename, data)


def part_stored_twice(d, specs):
    """Two entries with one name: readers may pick different ones, so the file is refused."""
    good = _return(specs, d.parent / "src", VICTIM)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(d / "twice.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        with pytest.warns(UserWarning, match="Duplicate name"):
            dst.writestr(SHEET, src.read(SHEET).replace(b"<v>1.05</v>", b"<v>9.99</v>"))


def sizes_that_lie(d, specs):
    """The directory declares the sheet smaller than it inflates to (a bomb hiding from the ratio check)."""
    good = _return(specs, d.parent / "src", VICTIM)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo(SHEET)
    assert declare_size(data, SHEET, info.file_size // 2) == info.file_size  # uncompressed size halved
    (d / "lies.xlsx").write_bytes(bytes(data))


def sheets_listed_ambiguously(d, specs):
    """Two sheets of one name: one workbook cannot hold them, so which one Excel shows is unknowable."""
    good = _return(specs, d.parent / "src", VICTIM)
    shutil.copy(good, d / "ambiguous.xlsx")
    _rewrite_part(d / "ambiguous.xlsx", "xl/workbook.xml", lambda xml: re.sub(
        r'(<sheet name="KPI考核表"[^>]*/>)', r'\1<sheet name="KPI考核表" sheetId="9" r:id="rId2"/>', xml, count=1))


def plain_workbook_not_scorecard(d, specs):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "销售额"
    wb.save(d / "plain.xlsx")


def metadata_sheet_removed(d, specs):
    good = _return(specs, d.parent / "src", VICTIM)
    wb = openpyxl.load_workbook(good)
    del wb["_xlkpi_meta"]
    wb.save(d / "nometa.xlsx")


def metadata_hash_edited(d, specs):
    good = _return(specs, d.parent / "src", VICTIM)
    shutil.copy(good, d / "meta.xlsx")
    spec = specs["sales_rep"]
    part = "xl/sharedStrings.xml"
    _rewrite_part(d / "meta.xlsx", part, lambda xml: xml.replace(spec.hash, "0" * 64))


def unknown_template(d, specs):
    _rewrite_template_id(d, specs, "sales_rep", "marketing_v9")


def _rewrite_template_id(d, specs, old, new):
    good = _return(specs, d.parent / "src", VICTIM)
    shutil.copy(good, d / "tpl.xlsx")
    _rewrite_part(d / "tpl.xlsx", "xl/sharedStrings.xml", lambda xml: xml.replace(f"<t>{old}</t>", f"<t>{new}</t>"))


def changed_target(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "t.xlsx")
    _set_cell(d / "t.xlsx", C["target"]["sales_rate"], "<v>0.8</v>")


def changed_weight(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "w.xlsx")
    _set_cell(d / "w.xlsx", C["weight"]["sales_rate"], "<v>0.7</v>")


def changed_threshold(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "th.xlsx")
    _set_cell(d / "th.xlsx", C["param_keys"]["sales_rate"][0], "<v>1.0</v>")


def formula_overwritten(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "f.xlsx")
    _set_cell(d / "f.xlsx", C["score"]["sales_rate"], "<v>100</v>")


def formula_edited(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "fe.xlsx")
    weighted = SALES_LAYOUT.column_span(Col.WEIGHTED)
    _set_cell(d / "fe.xlsx", C["total"], f"<f>ROUND(SUM({weighted})+5,2)</f><v>85</v>")


def text_in_number_cell(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "abc.xlsx")
    _actual_text(d / "abc.xlsx", C["actual"]["new_customers"], "十来个")


def nan_typed(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "nan.xlsx")
    _actual_text(d / "nan.xlsx", C["actual"]["new_customers"], "nan")


def percent_as_text(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "pct.xlsx")
    _actual_text(d / "pct.xlsx", C["actual"]["sales_rate"], "105%")


def full_width_digits(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "fw.xlsx")
    _actual_text(d / "fw.xlsx", C["actual"]["new_customers"], "１１")


def thousands_separator(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "k.xlsx")
    _actual_text(d / "k.xlsx", C["actual"]["new_customers"], " 1,011 ")


def _unformatted(path: Path, cell: str) -> None:
    """The cell without its percent format (a value pasted from elsewhere brings its own format): the
    number alone no longer says it is a percentage."""
    _rewrite_part(path, SHEET, lambda xml: re.sub(rf'<c r="{cell}" s="\d+"', f'<c r="{cell}"', xml, count=1))


def percent_typed_as_number(d, specs):
    _unformatted(_return(specs, d, VICTIM, dict(SEED, sales_rate=105)), C["actual"]["sales_rate"])


def ambiguous_percent(d, specs):
    _unformatted(_return(specs, d, VICTIM, dict(SEED, sales_rate=5)), C["actual"]["sales_rate"])


def boolean_in_cell(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "bool.xlsx")
    cell = C["actual"]["new_customers"]
    _set_cell(d / "bool.xlsx", cell, "<v>1</v>")
    _rewrite_part(d / "bool.xlsx", SHEET, lambda xml: xml.replace(f'<c r="{cell}"', f'<c r="{cell}" t="b"', 1))


def missing_actual(d, specs):
    _return(specs, d, VICTIM, dict(SEED, repurchase_rate=None))


def stale_cached_value(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "stale.xlsx")
    total = C["total"]
    _rewrite_part(d / "stale.xlsx", SHEET, lambda xml: re.sub(rf'(<c r="{total}"[^>]*>)(<f>[^<]*</f>)<v>[^<]*</v>', r"\1\2<v>95</v>", xml))


def employee_id_edited(d, specs):
    shutil.copy(_return(specs, d.parent / "src", VICTIM), d / "eid.xlsx")
    _rewrite_part(d / "eid.xlsx", "xl/sharedStrings.xml", lambda xml: xml.replace("<t>王测</t>", "<t>王测</t>", 1))
    _actual_text(d / "eid.xlsx", C["info"]["employee_id"], "E999")


def sent_twice(d, specs):
    first = _return(specs, d, VICTIM)
    shutil.copy(first, d / "E200 (1).xlsx")


def macro_enabled(d, specs):
    good = _return(specs, d.parent / "src", VICTIM)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(d / "macro.xlsm", "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", b"Attribute VB_Name = \"Evil\"\nShell \"calc.exe\"")


def excel_lock_file(d, specs):
    (d / "~$E200.xlsx").write_bytes(b"\x00lock")


CASES = [
    (empty_file, "empty-file"), (truncated_download, "corrupt-file"), (random_bytes_renamed, "not-a-workbook"),
    (word_document_renamed, "not-a-workbook"), (pdf_renamed, "not-a-workbook"), (password_encrypted, "encrypted"),
    (legacy_xls, "legacy-xls"), (zip_bomb_ratio, "zip-bomb"), (zip_bomb_entries, "zip-bomb"),
    (billion_laughs, "xml-entities"), (external_entity, "xml-entities"), (entities_after_padding, "xml-entities"),
    (entities_in_utf16_part, "xml-entities"), (part_stored_twice, "corrupt-file"), (sizes_that_lie, "corrupt-file"),
    (sheets_listed_ambiguously, "corrupt-file"), (plain_workbook_not_scorecard, "not-a-scorecard"),
    (metadata_sheet_removed, "not-a-scorecard"), (metadata_hash_edited, "metadata-invalid"),
    (unknown_template, "unknown-template"), (changed_target, "changed-target"), (changed_weight, "changed-weight"),
    (changed_threshold, "changed-threshold"), (formula_overwritten, "formula-deleted"), (formula_edited, "formula-changed"),
    (text_in_number_cell, "invalid-actual"), (nan_typed, "invalid-actual"), (percent_as_text, "normalised-actual"),
    (full_width_digits, "normalised-actual"), (thousands_separator, "normalised-actual"),
    (percent_typed_as_number, "normalised-actual"), (ambiguous_percent, "ambiguous-percent"),
    (boolean_in_cell, "invalid-actual"), (missing_actual, "missing-actual"), (stale_cached_value, "cached-mismatch"),
    (employee_id_edited, "employee-id-changed"), (sent_twice, "duplicate-person"), (macro_enabled, "macros-present"),
]


@pytest.mark.parametrize(("make", "code"), CASES, ids=[c[0].__name__ for c in CASES])
def test_hostile_file_becomes_its_issue_and_nothing_else_is_lost(tmp_path, specs, make, code):
    returns = tmp_path / "returns"
    returns.mkdir()
    (tmp_path / "src").mkdir()
    _return(specs, returns, GOOD)
    make(returns, specs)
    before = _digests(returns)
    result, paths = consolidate([returns], tmp_path / "out", specs, workers=1)
    assert code in {i.code for i in result.issues}, [i.row("en")["message"] for i in result.issues]
    good = [r for r in result.records if r.employee_id == GOOD.employee_id]
    assert len(good) == 1 and good[0].total == 80 and good[0].grade == "良好" and good[0].status == "ok"
    assert not [i for i in result.issues if i.employee_id == GOOD.employee_id]  # the good return stays clean
    assert _digests(returns) == before  # inputs are never written to
    assert paths["summary"].exists() and paths["issues"].read_text(encoding="utf-8-sig").count(code) >= 1


@pytest.mark.parametrize(("make", "expected"), [(percent_as_text, 1.05), (full_width_digits, 11), (thousands_separator, 1011),
                                              (percent_typed_as_number, 1.05), (ambiguous_percent, None)])
def test_normalised_values_are_scored_and_ambiguous_ones_never_guessed(tmp_path, specs, make, expected):
    returns = tmp_path / "r"
    returns.mkdir()
    (tmp_path / "src").mkdir()
    make(returns, specs)
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    (record,) = result.records
    changed = "sales_rate" if make in (percent_as_text, percent_typed_as_number, ambiguous_percent) else "new_customers"
    assert record.actuals[changed] == expected  # 5: 5% or 500%? not scored, flagged, never silently guessed
    assert record.status == ("invalid" if expected is None else "ok")
    from xl_kpi.scoring.engine import score_card

    assert record.total == score_card(specs["sales_rep"], record.actuals).total


def test_lock_files_are_skipped_silently(tmp_path, specs):
    returns = tmp_path / "r"
    returns.mkdir()
    _return(specs, returns, GOOD)
    excel_lock_file(returns, specs)
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    assert result.files == 1 and result.clean


def test_zip_archive_of_returns_is_read_in_place(tmp_path, specs):
    folder = tmp_path / "src"
    folder.mkdir()
    a = _return(specs, folder, GOOD)
    b = _return(specs, folder, VICTIM, dict(SEED, sales_rate=1.2))
    archive = _zip(tmp_path / "returns.zip", {"部门/" + a.name: a.read_bytes(), b.name: b.read_bytes(), "~$x.xlsx": b"lock"})
    result, _ = consolidate([archive], tmp_path / "out", specs, workers=1)
    assert sorted(r.employee_id for r in result.records) == ["E100", "E200"]
    assert {r.file for r in result.records} == {f"{archive}!部门/{a.name}", f"{archive}!{b.name}"}
    assert result.clean


def test_roster_people_without_a_return_are_listed(tmp_path, specs):
    returns = tmp_path / "r"
    returns.mkdir()
    _return(specs, returns, GOOD)
    result, _ = consolidate([returns], tmp_path / "out", specs, roster=[GOOD, VICTIM], workers=1)
    assert [(i.code, i.employee_id) for i in result.issues] == [("not-returned", "E200")]


forked_workers = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                    reason="the fault is injected by a monkeypatch that only forked workers inherit")


@forked_workers
def test_a_reader_that_kills_its_process_costs_only_its_file(tmp_path, specs, monkeypatch):
    import os

    import xl_kpi.consolidation.runner as runner

    returns = tmp_path / "r"
    returns.mkdir()
    _return(specs, returns, GOOD)
    (returns / "crash.xlsx").write_bytes(b"PK\x03\x04boom")
    real = runner.read_source

    def fragile(source, *args):
        if source.path.endswith("crash.xlsx"):
            os._exit(3)  # what a native abort looks like from Python
        return real(source, *args)

    monkeypatch.setattr(runner, "read_source", fragile)  # inherited by forked workers
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=2)
    assert [i.code for i in result.issues] == ["worker-crashed"]
    assert [r.total for r in result.records] == [80]


@forked_workers
def test_after_a_crash_only_its_task_is_reread_one_by_one_and_the_rest_in_a_fresh_pool(tmp_path, specs, monkeypatch):
    import os

    import xl_kpi.consolidation.runner as runner

    returns = tmp_path / "r"
    returns.mkdir()
    people = [Person(f"E{k}", f"员工{k}", "销售一部", "销售代表", "李四", "sales_rep") for k in range(1, 8)]
    for person in people:
        _return(specs, returns, person)
    (returns / "E4-crash.xlsx").write_bytes(b"PK\x03\x04boom")  # sorts into the second task of two files, beside E3
    real, isolated = runner.read_source, []

    def fragile(source, templates, limits, *hr):
        if source.path.endswith("crash.xlsx"):
            os._exit(3)
        return real(source, templates, limits, *hr)

    def counting(source, templates, limits, watch):
        isolated.append(Path(source.path).name)
        return real_isolated(source, templates, limits, watch)

    real_isolated = runner._isolated
    monkeypatch.setattr(runner, "read_source", fragile)
    monkeypatch.setattr(runner, "_isolated", counting)
    monkeypatch.setattr(runner, "CHUNK", 2)
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=2)
    assert [i.code for i in result.issues] == ["worker-crashed"] and result.issues[0].file.endswith("E4-crash.xlsx")
    assert sorted(r.employee_id for r in result.records) == [p.employee_id for p in people]
    assert [r.employee_id for r in result.records] == sorted((r.employee_id for r in result.records), key=lambda e: f"{e}.xlsx")
    assert sorted(isolated) == ["E3.xlsx", "E4-crash.xlsx"]  # file by file: only the task that kills its pool


@forked_workers
def test_a_reader_that_hangs_times_out(tmp_path, specs, monkeypatch):
    import time

    import xl_kpi.consolidation.runner as runner

    returns = tmp_path / "r"
    returns.mkdir()
    (returns / "slow.xlsx").write_bytes(b"PK\x03\x04")
    monkeypatch.setattr(runner, "read_source", lambda *a: time.sleep(30))
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1, limits=Limits(seconds=1))
    assert [i.code for i in result.issues] == ["timeout"]


@forked_workers
def test_a_rust_panic_is_a_reported_issue(tmp_path, specs, monkeypatch):
    import xl_kpi.consolidation.runner as runner

    class PanicException(BaseException):  # pyo3's panic type derives from BaseException
        pass

    def panic(*a):
        raise PanicException("called `Option::unwrap()` on a `None` value")

    returns = tmp_path / "r"
    returns.mkdir()
    (returns / "panic.xlsx").write_bytes(b"PK\x03\x04")
    monkeypatch.setattr(runner, "read_source", panic)
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    assert [i.code for i in result.issues] == ["corrupt-file"] and "PanicException" in result.issues[0].row("en")["message"]


def test_a_return_of_another_version_is_scored_with_hrs_rules_or_as_issued_with_the_register(tmp_path, specs, write_spec):
    """A return never brings its own rules: with HR's templates it is scored with HR's version (its sheet's
    rules differ, so it is reported, and not paid); with the register it is scored with the rules it was issued."""
    import yaml

    returns = tmp_path / "r"
    returns.mkdir()
    _return(specs, returns, VICTIM, dict(SEED, sales_rate=1.15))
    data = yaml.safe_load((TEMPLATES / "sales_rep.yaml").read_text(encoding="utf-8"))
    data["version"] = 2
    data["indicators"][0]["scoring"]["bands"] = [[1.2, 100], [1.0, 80], [0.9, 60]]
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "sales_rep.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    from xl_kpi.spec import load_specs

    result, _ = consolidate([returns], tmp_path / "out", load_specs(folder), workers=1)
    codes = [i.code for i in result.issues]
    assert codes[0] == "template-version" and "changed-threshold" in codes and set(codes[1:]) <= {"changed-threshold", "cached-mismatch"}
    (record,) = result.records
    assert record.scores["sales_rate"] == 80 and record.status == "tampered"  # HR's version 2: 115% is below 120%

    from xl_kpi.sheet.register import load_register
    from xl_kpi.workbook import build_all

    issued = tmp_path / "issued"
    build_all({"sales_rep": specs["sales_rep"]}, [VICTIM], issued)  # version 1, as HR issued it
    path = next(issued.rglob("*.xlsx"))
    shutil.rmtree(returns)
    returns.mkdir()
    shutil.copy(path, returns / path.name)
    from .excel_edits import set_cell

    set_cell(returns / path.name, C["actual"]["sales_rate"], "1.15")
    result, _ = consolidate([returns], tmp_path / "out2", load_specs(folder), workers=1, register=load_register(issued / "issued.sqlite"))
    (record,) = result.records
    assert record.scores["sales_rate"] == 100 and not [i for i in result.issues if i.severity == "error"]  # as issued: ≥110% → 100


def test_dask_local_cluster_gives_the_same_results_as_the_process_pool(tmp_path, specs):
    distributed = pytest.importorskip("distributed")
    returns = tmp_path / "r"
    returns.mkdir()
    (tmp_path / "src").mkdir()
    _return(specs, returns, GOOD)
    percent_as_text(returns, specs)
    changed_threshold(returns, specs)
    word_document_renamed(returns, specs)
    local, _ = consolidate([returns], tmp_path / "local", specs, workers=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote, _ = consolidate([returns], tmp_path / "dask", specs, scheduler=cluster.scheduler_address)
    assert [vars(r) for r in remote.records] == [vars(r) for r in local.records]
    assert remote.issues == local.issues
    assert (tmp_path / "dask" / "scores.csv").read_bytes() == (tmp_path / "local" / "scores.csv").read_bytes()


def test_a_forged_metadata_is_named_in_the_runs_language(tmp_path, specs):
    returns = tmp_path / "returns"
    returns.mkdir()
    (tmp_path / "src").mkdir()
    metadata_hash_edited(returns, specs)
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    (found,) = [i for i in result.issues if i.code == "metadata-invalid"]
    zh = found.row("zh")["message"]
    assert "规则" in zh and "stored rules" not in zh and "stored rules" in found.row("en")["message"]
