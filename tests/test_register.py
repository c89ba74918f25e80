"""HR's side is the source of truth: build records what it issued (issued.sqlite, optionally
signed metadata); consolidation checks every return against it. A lowered personal target, a
file relabelled as a colleague's, a file HR never issued and edited metadata are findings; the
forged copy never supersedes the genuine one; the person is scored with the issued targets."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import xl_kpi
from xl_kpi.cli import run

from . import excel_edits as edit
from .conftest import SALES_CELLS as C
from .conftest import TEMPLATES
from .returned import GOOD, SEED, VICTIM
from .returned import digests as _digests

KEY = b"hr-only-secret-key-0123456789"


def _issue(tmp_path: Path, specs, key: bytes | None = None) -> Path:
    """Build (pre-filled with the seed's actuals, as returned) the two people's workbooks and the register."""
    out = tmp_path / "issued"
    xl_kpi.build(specs["sales_rep"], [GOOD, VICTIM], out, actuals={p.employee_id: SEED for p in (GOOD, VICTIM)}, sign_key=key)
    return out


def _returns(issued: Path, tmp_path: Path) -> Path:
    returns = tmp_path / "returns"
    returns.mkdir()
    for f in issued.rglob("*.xlsx"):
        shutil.copy(f, returns / f.name)
    return returns


def _file(folder: Path, eid: str) -> Path:
    return next(folder.glob(f"{eid}_*.xlsx"))


def _codes(result, eid: str) -> list[str]:
    return sorted(i.code for i in result.run.issues if i.employee_id == eid and i.severity != "info")


def test_build_writes_the_register_and_genuine_returns_pass_it(tmp_path, specs):
    issued = _issue(tmp_path, specs)
    with sqlite3.connect(issued / "issued.sqlite") as db:
        rows = db.execute("select employee_id, template, targets from issued order by employee_id").fetchall()
    assert rows == [(GOOD.employee_id, "sales_rep", ""), (VICTIM.employee_id, "sales_rep", "")]
    returns = _returns(issued, tmp_path)
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, issued=issued / "issued.sqlite")
    assert result.clean and sorted(result.scores["total"]) == [80, 80]


def test_a_personal_target_lowered_in_the_metadata_is_found_and_scored_as_issued(tmp_path, specs):
    issued = _issue(tmp_path, specs)
    returns = _returns(issued, tmp_path)
    victim = _file(returns, VICTIM.employee_id)
    edit.set_meta(victim, VICTIM.employee_id, "targets", '{"new_customers": 5.0}')
    edit.set_cell(victim, C["target"]["new_customers"], "5")
    before = _digests(returns)
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, issued=issued / "issued.sqlite")
    assert "issued-mismatch" in _codes(result, VICTIM.employee_id)
    people = {r.employee_id: r for r in result.run.records}
    assert people[VICTIM.employee_id].total == 80 and people[VICTIM.employee_id].status == "tampered"
    assert people[GOOD.employee_id].status == "ok"
    assert _digests(returns) == before


def test_a_file_relabelled_as_a_colleagues_never_supersedes_the_genuine_one(tmp_path, specs):
    issued = _issue(tmp_path, specs)
    returns = _returns(issued, tmp_path)
    forged = returns / "zz_newer_copy.xlsx"
    shutil.copy(_file(returns, GOOD.employee_id), forged)  # GOOD's workbook, relabelled as VICTIM's
    edit.set_meta(forged, GOOD.employee_id, "employee_id", VICTIM.employee_id)
    edit.set_cell(forged, C["info"]["employee_id"], VICTIM.employee_id)
    forged.touch()
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, issued=issued / "issued.sqlite")
    kept = {r.employee_id: r for r in result.run.records}
    assert Path(kept[VICTIM.employee_id].file).name != forged.name and kept[VICTIM.employee_id].status == "ok"
    forged_issues = [i.code for i in result.run.issues if Path(i.file).name == forged.name and i.severity == "error"]
    assert "issued-mismatch" in forged_issues


def test_a_file_hr_never_issued_is_reported(tmp_path, specs):
    issued = _issue(tmp_path, specs)
    stranger = xl_kpi.build(specs["sales_rep"], [GOOD], tmp_path / "elsewhere", actuals={GOOD.employee_id: {**SEED, "new_customers": 12}})
    returns = tmp_path / "returns"
    returns.mkdir()
    shutil.copy(stranger[0], returns / "stranger.xlsx")
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, issued=issued / "issued.sqlite")
    assert _codes(result, GOOD.employee_id) == ["not-issued"]


def test_signed_metadata_edited_is_a_signature_finding(tmp_path, specs):
    issued = _issue(tmp_path, specs, KEY)
    returns = _returns(issued, tmp_path)
    edit.set_meta_value(_file(returns, VICTIM.employee_id), "generator", "xl-kpi 9.9")
    key_file = tmp_path / "hr.key"
    key_file.write_bytes(KEY)
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, issued=issued / "issued.sqlite", sign_key=key_file)
    assert _codes(result, VICTIM.employee_id) == ["signature-invalid"]
    assert _codes(result, GOOD.employee_id) == []
    wrong = tmp_path / "wrong.key"
    wrong.write_bytes(b"not-the-key-0123456789")
    result = xl_kpi.consolidate(returns, tmp_path / "out2", specs, issued=issued / "issued.sqlite", sign_key=wrong)
    assert _codes(result, GOOD.employee_id) == ["signature-invalid"]


def test_the_command_line_checks_returns_against_the_register(tmp_path, specs):
    issued = _issue(tmp_path, specs)
    returns = _returns(issued, tmp_path)
    key_file = tmp_path / "hr.key"
    key_file.write_bytes(KEY)
    args = ["consolidate", str(returns), "-o", str(tmp_path / "out"), "--templates", str(TEMPLATES)]
    assert run([*args, "--sign-key", str(key_file)]) == 2  # a key needs the register
    assert run([*args, "--issued", str(tmp_path / "missing.sqlite")]) == 2
    (tmp_path / "broken.sqlite").write_bytes(b"not a database" * 50)
    assert run([*args, "--issued", str(tmp_path / "broken.sqlite")]) == 2
    assert run([*args, "--issued", str(issued / "issued.sqlite")]) == 0


@pytest.mark.parametrize("layout", ["department"])
def test_department_workbooks_are_registered_person_by_person(tmp_path, specs, layout):
    out = tmp_path / "issued"
    xl_kpi.build(specs["sales_rep"], [GOOD, VICTIM], out, layout=layout)
    with sqlite3.connect(out / "issued.sqlite") as db:
        rows = db.execute("select count(distinct workbook_id), count(*) from issued").fetchone()
    assert rows == (1, 2)
