"""What an HR team meets in a real quarter (issue 22): periods written every way people write them,
returns saved back as .xls, a folder with no returns, a sheet whose protection was taken
off — each read, tied to its person or reported, never dropped in silence."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

import xl_kpi
from xl_kpi.cli import run
from xl_kpi.consolidation.history import SCHEMA
from xl_kpi.core.errors import InputFileError, UsageError
from xl_kpi.core.periods import parse_period

from .conftest import TEMPLATES
from .returned import GOOD, SEED, VICTIM
from .zipedit import rewrite_part

SHEET = "xl/worksheets/sheet1.xml"


# --- periods as HR writes them -----------------------------------------------------------------------
@pytest.mark.parametrize(("written", "code"), [
    ("2026Q4", "2026-Q4"), ("2026-Q4", "2026-Q4"), ("Q4 2026", "2026-Q4"), ("2026年Q4", "2026-Q4"), ("2026年第四季度", "2026-Q4"),
    ("二〇二六年四季度", "2026-Q4"), ("2026年第4季度", "2026-Q4"), ("2026 年 第 4 季度", "2026-Q4"), ("第四季度 2026", "2026-Q4"),
    ("2026年10月1日-2026年12月31日", "2026-Q4"), ("2026-10-01 ~ 2026-12-31", "2026-Q4"), ("2026.10.01—2026.12.31", "2026-Q4"),
    ("2026年10月1日至12月31日", "2026-Q4"), ("2026年12月", "2026-12"), ("2026-12", "2026-12"), ("Dec 2026", "2026-12"),
    ("December 2026", "2026-12"), ("2026年十二月", "2026-12"), ("2026年上半年", "2026-H1"), ("H2 2026", "2026-H2"),
    ("2026年度", "2026"), ("FY2026", "2026"), ("2026-01-01~2026-12-31", "2026"), ("2026-10-01~2026-11-15", "2026-10-01~2026-11-15"),
])
def test_every_way_hr_writes_a_period_is_one_period(written, code):
    period = parse_period(written)
    assert period is not None and period.code == code and parse_period(period.code) == period


@pytest.mark.parametrize("written", ["Q3", "本季度", "2026-Q5", "2026-13", "2026年2月30日-2026年3月1日", "下个月", ""])
def test_a_period_that_names_no_period_is_never_guessed(written):
    assert parse_period(written) is None


def test_a_roster_period_that_cannot_be_read_is_refused_naming_the_line(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("employee_id,name,department,position,manager,template,period\nE1,张三,销售一部,,,sales_rep,本季度\n", encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        xl_kpi.load_people(roster, xl_kpi.load_templates(TEMPLATES))
    assert err.value.code == "roster-bad-period" and "line 2" in err.value.render("en") and "本季度" in err.value.render("zh")


def _history(path: Path, rows: list[tuple[str, str, float | None, str]]) -> Path:
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO totals (period, employee_id, name, department, template, total, grade, status, file, consolidated_at) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?)", [(p, e, f"员工{e}", "销售一部", "sales_rep", t, None, s, "", "") for p, e, t, s in rows])
    return path


def test_rollup_reads_periods_as_hr_wrote_them_and_names_whom_a_period_is_missing(tmp_path, capsys):
    history = _history(tmp_path / "h.sqlite", [
        ("2026年第一季度", "E1", 80.0, "ok"), ("Q2 2026", "E1", 90.0, "ok"), ("2026-07-01~2026-09-30", "E1", 70.0, "ok"),
        ("2026Q4", "E1", 60.0, "ok"), ("2026年第一季度", "E2", 80.0, "ok"), ("本季度", "E2", 99.0, "ok"), ("2026-Q2", "E2", 100.0, "tampered")])
    frame = xl_kpi.rollup(history, 2026).set_index("employee_id")
    assert frame.loc["E1", "annual_total"] == 75.0 and frame.loc["E1", "missing"] == ""
    assert frame.loc["E2", "annual_total"] == 80.0 and frame.loc["E2", "missing"] == "Q2 Q3 Q4"  # the tampered Q2 never counts
    codes = {f.code: f for f in frame.attrs["findings"]}
    assert "本季度" in codes["period-unreadable"].message.zh and codes["period-unreadable"].employee_id == "E2"
    assert run(["rollup", "--history", str(history), "--year", "2026", "-o", str(tmp_path / "a.csv")]) == 1
    out = capsys.readouterr().out  # rollup's findings: on stdout
    assert "E2 员工E2" in out or "E2 员工E2" in out.replace("  ", " ")


# --- returns in another format ----------------------------------------------------------------------
def _issue(tmp_path: Path, specs) -> Path:
    out = tmp_path / "issued"
    xl_kpi.build(specs["sales_rep"], [GOOD, VICTIM], out, actuals={p.employee_id: SEED for p in (GOOD, VICTIM)})
    return out


@pytest.mark.libreoffice
@pytest.mark.parametrize("to", ["xls"])  # an .ods is read and scored like an .xlsx (tests/test_ods_returns.py)
def test_a_return_saved_as_xls_is_tied_to_its_person_and_the_xlsx_asked_for(tmp_path, specs, to):
    from xl_kpi.office.libreoffice import convert

    issued = _issue(tmp_path, specs)
    returns = tmp_path / "returns"
    returns.mkdir()
    good = next(issued.rglob(f"{GOOD.employee_id}_*.xlsx"))
    shutil.copy(good, returns / good.name)
    victim = next(issued.rglob(f"{VICTIM.employee_id}_*.xlsx"))
    convert([victim], returns, to=to)  # saved back by LibreOffice (or WPS) in its own format
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, [GOOD, VICTIM], issued=issued / "issued.sqlite")
    people = {r.employee_id: r for r in result.run.records}
    assert people[VICTIM.employee_id].status == "wrong-format" and people[VICTIM.employee_id].total is None
    codes = {(i.employee_id, i.code) for i in result.run.issues}
    assert (VICTIM.employee_id, "returned-other-format") in codes and (VICTIM.employee_id, "not-returned") not in codes
    message = next(i for i in result.run.issues if i.code == "returned-other-format").render("zh")
    assert ".xls" in message and ".xlsx" in message
    assert people[GOOD.employee_id].total == 80 and people[GOOD.employee_id].status == "ok"


def test_a_file_named_with_an_employee_id_ties_its_sender_who_is_not_chased_as_silent(tmp_path, specs):
    returns = tmp_path / "returns"
    returns.mkdir()
    (returns / f"{VICTIM.employee_id}_王测_考核表.pdf").write_bytes(b"%PDF-1.4 not a scorecard")
    (returns / "E2000_other.pdf").write_bytes(b"%PDF-1.4")  # E2000 is not E200
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, [VICTIM, GOOD])
    codes = {(i.employee_id, i.code) for i in result.run.issues}
    assert (VICTIM.employee_id, "returned-unreadable") in codes and (VICTIM.employee_id, "not-returned") not in codes
    assert (GOOD.employee_id, "not-returned") in codes


# --- empty results are never success ----------------------------------------------------------------
def test_a_folder_with_no_returns_is_a_problem_not_a_success(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("nothing here", encoding="utf-8")
    assert run(["consolidate", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--templates", str(TEMPLATES)]) == 1
    out = capsys.readouterr().out
    assert "没有找到可汇总的考核表" in out or "no returned scorecards" in out


# --- protection ----------------------------------------------------------------------------------------
def test_a_reviewer_password_without_a_sheet_password_is_refused_unless_meant(tmp_path, capsys):
    args = ["build", str(TEMPLATES), "--roster", str(TEMPLATES / "sample_roster.csv"), "-o", str(tmp_path / "w"),
            "--reviewer-password", "boss1"]
    assert run(args) == 2 and not (tmp_path / "w").exists()
    assert "--password" in capsys.readouterr().err
    with pytest.raises(UsageError):
        xl_kpi.build(TEMPLATES, TEMPLATES / "sample_roster.csv", tmp_path / "w", reviewer_password="boss1")
    assert run([*args, "--open-sheet"]) == 0


@pytest.mark.parametrize(("template", "ratings"), [("sales_rep", "inline"), ("sales_supervisor", "separate")])
def test_protection_taken_off_a_card_of_own_inputs_only_is_a_warning_and_the_person_is_scored(tmp_path, specs, template, ratings):
    """Google Sheets drops sheet protection on download; a card whose every input is the employee's own (a plain card,
    or one issued with separate rating workbooks) guarded nothing consolidation trusts: its rules are checked anyway."""
    from xl_kpi.spec.model import Person

    people = [Person(p.employee_id, p.name, p.department, p.position, p.manager, template, bonus_base=6000.0) for p in (GOOD, VICTIM)]
    issued = tmp_path / "issued"
    xl_kpi.build(specs[template], people, issued, actuals={p.employee_id: SEED for p in people} if template == "sales_rep" else None,
                 ratings=ratings)
    returns = tmp_path / "returns"
    returns.mkdir()
    for f in issued.glob("*/*.xlsx"):
        if not f.parent.name.startswith("评分"):
            shutil.copy(f, returns / f.name)
    victim = next(returns.glob(f"{VICTIM.employee_id}_*.xlsx"))
    rewrite_part(victim, SHEET, lambda xml: re.sub(r"<sheetProtection[^>]*/>", "", xml))
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, issued=issued / "issued.sqlite")
    found = [(i.code, i.severity, i.employee_id) for i in result.run.issues if i.code.startswith("protection-changed")]
    assert found == [("protection-changed-own", "warning", VICTIM.employee_id)]
    statuses = {r.employee_id: r.status for r in result.run.records}
    assert statuses[VICTIM.employee_id] == statuses[GOOD.employee_id] != "tampered"


@pytest.mark.parametrize(("what", "change"), [
    ("sheet", lambda xml: re.sub(r"<sheetProtection[^>]*/>", "", xml)),
    ("password", lambda xml: re.sub(r'(<sheetProtection[^>]*?) password="[0-9A-F]+"', r"\1", xml)),
    ("range", lambda xml: re.sub(r'(<protectedRange[^>]*?) password="[0-9A-F]+"', r"\1", xml)),
])
def test_protection_taken_off_a_return_is_an_integrity_finding(tmp_path, specs, what, change):
    from xl_kpi.spec.model import Person

    people = [Person(p.employee_id, p.name, p.department, p.position, p.manager, "sales_supervisor", bonus_base=6000.0)
              for p in (GOOD, VICTIM)]
    issued = tmp_path / "issued"
    # the single file: the supervisor's cells in the employee's workbook behind their own range password
    xl_kpi.build(specs["sales_supervisor"], people, issued, password="hr-secret", reviewer_password="boss1", ratings="inline")
    returns = tmp_path / "returns"
    returns.mkdir()
    for f in issued.rglob("*.xlsx"):
        shutil.copy(f, returns / f.name)
    victim = next(returns.glob(f"{VICTIM.employee_id}_*.xlsx"))
    rewrite_part(victim, SHEET, change)
    for register in (None, issued / "issued.sqlite"):  # from the signed-or-not metadata, or from HR's register
        result = xl_kpi.consolidate(returns, tmp_path / f"out-{register is None}", specs, issued=register)
        found = [i for i in result.run.issues if i.code == "protection-changed"]
        assert found and {i.employee_id for i in found} == {VICTIM.employee_id}
        people_ = {r.employee_id: r.status for r in result.run.records}
        assert people_[VICTIM.employee_id] == "tampered" and people_[GOOD.employee_id] != "tampered"
