"""What HR issued is the only authority (issue 23): a forgery suite. Each case is what an employee
holding a return can do — bring their own rules, sign rows the signature skipped, raise their bonus
base, send last period's workbook, send a colleague's copy — and each asserts the finding, that
nothing forged reaches scores, pay or history, that the genuine results beside it are exact and that
no input changed."""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

import xl_kpi
from xl_kpi.cli import run
from xl_kpi.spec.model import Person

from . import excel_edits as edit
from .conftest import SALES_CELLS as C
from .conftest import TEMPLATES
from .returned import GOOD, SEED, VICTIM
from .returned import digests as _digests

KEY = b"hr-only-secret-key-0123456789"
SUP = "sales_supervisor"
RATED = {"coaching": {"self": "A", "supervisor": "A"}, "planning": {"self": "A", "supervisor": "B"},
         "teamwork": {"self": "B", "supervisor": "A"}}
CARD = {"team_sales_rate": 1.12, "new_customers": 33, "expense_rate": 0.9, **RATED}  # 94.08 → 优秀, coefficient 1.2


def _people(template: str = "sales_rep", base: float | None = None, period: str = "") -> list[Person]:
    return [dataclasses.replace(p, template=template, bonus_base=base, period=period) for p in (GOOD, VICTIM)]


def _issue(tmp_path: Path, specs, people: list[Person], actuals, key: bytes | None = None, name: str = "issued") -> Path:
    out = tmp_path / name
    spec = specs[people[0].template]
    xl_kpi.build(spec, people, out, actuals={p.employee_id: actuals for p in people}, sign_key=key)
    return out


def _returns(issued: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in issued.rglob("*.xlsx"):
        shutil.copy(f, folder / f.name)
    return folder


def _file(folder: Path, eid: str) -> Path:
    return next(folder.glob(f"{eid}_*.xlsx"))


def _key(tmp_path: Path) -> Path:
    path = tmp_path / "hr.key"
    path.write_bytes(KEY)
    return path


def _pay(result) -> dict[str, dict[str, str]]:
    return {row["employee_id"]: row for row in csv.DictReader(result.paths["pay"].open(encoding="utf-8-sig"))}


def _spec_cells(path: Path) -> tuple[str, str, list[str]]:
    """Where the metadata keeps the spec's version, its hash and its JSON chunks."""
    ws = openpyxl.load_workbook(path)["_xlkpi_meta"]
    row = next(r for r in ws.iter_rows() if r[0].value == "spec")
    return row[2].coordinate, row[3].coordinate, [c.coordinate for c in row[4:] if c.value]


def _forge_rules(path: Path, change) -> None:
    """The return's own rules rewritten (``change`` edits the canonical spec), its version bumped and its
    hash recomputed — the hash sits in the same file, so it proves nothing."""
    import hashlib

    ws = openpyxl.load_workbook(path)["_xlkpi_meta"]
    version_cell, hash_cell, chunks = _spec_cells(path)
    blob = "".join(ws[c].value for c in chunks)
    data = json.loads(blob)
    change(data)
    data["version"] = "2"
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    part = edit.meta_part(path)
    edit._set_inline(path, part, chunks[0], text)
    for c in chunks[1:]:
        edit._set_inline(path, part, c, "")
    edit._set_inline(path, part, version_cell, "2")
    edit._set_inline(path, part, hash_cell, hashlib.sha256(text.encode("utf-8")).hexdigest())
    edit.set_meta(path, next(p for p in (GOOD.employee_id, VICTIM.employee_id) if _has(path, p)), "version", "2")


def _has(path: Path, eid: str) -> bool:
    return path.name.startswith(eid)


def _every_band_100(data) -> None:
    for ind in data["indicators"]:
        sc = ind["scoring"]
        if "bands" in sc:
            sc["bands"] = [[t, 100.0] for t, _ in sc["bands"]]
            sc["otherwise"] = 100.0


# --- 1. rules, targets, bonus bases, period and identity come from HR --------------------------------
@pytest.mark.libreoffice
def test_rules_a_return_carries_are_never_the_rules_it_is_scored_with(tmp_path, specs):
    from xl_kpi.office.libreoffice import convert

    low = dict(SEED, sales_rate=0.5, new_customers=1)  # 0 on two indicators: 不合格 under HR's rules, 100 under the forged ones
    issued = _issue(tmp_path, specs, _people(), low, KEY)
    returns = _returns(issued, tmp_path / "returns")
    victim = _file(returns, VICTIM.employee_id)
    _forge_rules(victim, _every_band_100)
    (saved,) = convert([victim], tmp_path / "lo")  # and saved again by LibreOffice, as an employee would
    shutil.copy(saved, victim)
    before = _digests(returns)

    result = xl_kpi.consolidate(returns, tmp_path / "out", specs)  # HR's templates: HR's version, whatever the file says
    people = {r.employee_id: r for r in result.run.records}
    genuine = xl_kpi.score(specs["sales_rep"], __import__("pandas").DataFrame([{"employee_id": "x", **low}])).loc[0, "total"]
    assert people[VICTIM.employee_id].total == people[GOOD.employee_id].total == genuine < 60
    assert "template-version" in {i.code for i in result.run.issues if i.employee_id in ("", VICTIM.employee_id)}

    result = xl_kpi.consolidate(returns, tmp_path / "out2", issued=issued / "issued.sqlite", sign_key=_key(tmp_path))
    people = {r.employee_id: r for r in result.run.records}  # no templates at all: the register's copy of the rules
    assert people[VICTIM.employee_id].total == genuine and people[VICTIM.employee_id].status == "tampered"
    assert {"signature-invalid", "issued-mismatch"} <= {i.code for i in result.run.issues if i.employee_id == VICTIM.employee_id}
    assert people[GOOD.employee_id].total == genuine and people[GOOD.employee_id].status == "ok"
    assert _digests(returns) == before


def test_a_row_named_signature_is_signed_like_any_other_and_never_paid(tmp_path, specs):
    issued = _issue(tmp_path, specs, _people(SUP, 9000.0), CARD, KEY)
    returns = _returns(issued, tmp_path / "returns")
    victim = _file(returns, VICTIM.employee_id)
    edit.forge_people(victim, 1)  # a copy of the last person row appended ...
    ws = openpyxl.load_workbook(victim)["_xlkpi_meta"]
    last = list(ws.iter_rows())[-1]
    header = next(r for r in ws.iter_rows() if r[0].value == "sheet")
    col = {c.value: k for k, c in enumerate(header)}
    part = edit.meta_part(victim)
    edit._set_inline(victim, part, last[col["sheet"]].coordinate, "signature")  # ... on a "sheet" named signature
    edit._set_inline(victim, part, last[col["employee_id"]].coordinate, "E999")
    edit._set_inline(victim, part, last[col["bonus_base"]].coordinate, "90000.0")
    result = xl_kpi.consolidate(returns, tmp_path / "out", issued=issued / "issued.sqlite", sign_key=_key(tmp_path))
    pay = _pay(result)
    assert "E999" not in pay or pay["E999"]["pay"] == ""
    assert all(row["pay"] in ("", "10800.0") for row in pay.values())  # 9,000 × 1.2, never 90,000
    assert "signature-invalid" in {i.code for i in result.run.issues if i.employee_id == VICTIM.employee_id}
    assert pay[GOOD.employee_id]["pay"] == "10800.0" and pay[GOOD.employee_id]["status"] == "ok"


@pytest.mark.parametrize("with_key", [False, True])
def test_a_raised_bonus_base_is_found_and_pay_stays_on_hrs_base(tmp_path, specs, with_key):
    issued = _issue(tmp_path, specs, _people(SUP, 9000.0), CARD, KEY if with_key else None)
    returns = _returns(issued, tmp_path / "returns")
    victim = _file(returns, VICTIM.employee_id)
    cells = __import__("xl_kpi.sheet.person", fromlist=["PersonLayout"]).PersonLayout.for_spec(specs[SUP]).cell_map(specs[SUP])
    edit.set_meta(victim, VICTIM.employee_id, "bonus_base", "90000.0")
    edit.set_cell(victim, cells["bonus_base"], "90000")
    key = {"sign_key": _key(tmp_path)} if with_key else {}
    result = xl_kpi.consolidate(returns, tmp_path / "out", issued=issued / "issued.sqlite", **key)
    pay = _pay(result)
    assert pay[VICTIM.employee_id]["pay"] == "" and pay[VICTIM.employee_id]["status"] == "tampered"
    assert "issued-mismatch" in pay[VICTIM.employee_id]["no_pay_reason"]
    record = next(r for r in result.run.records if r.employee_id == VICTIM.employee_id)
    assert record.bonus_base == 9000.0 and record.pay == 10800.0  # computed on what HR issued; withheld all the same
    assert pay[GOOD.employee_id]["pay"] == "10800.0"


def test_without_the_register_the_roster_decides_the_base(tmp_path, specs):
    issued = _issue(tmp_path, specs, _people(SUP, 9000.0), CARD)
    returns = _returns(issued, tmp_path / "returns")
    victim = _file(returns, VICTIM.employee_id)
    cells = __import__("xl_kpi.sheet.person", fromlist=["PersonLayout"]).PersonLayout.for_spec(specs[SUP]).cell_map(specs[SUP])
    edit.set_meta(victim, VICTIM.employee_id, "bonus_base", "90000.0")
    edit.set_cell(victim, cells["bonus_base"], "90000")
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, _people(SUP, 9000.0))
    pay = _pay(result)
    assert pay[VICTIM.employee_id]["pay"] == "10800.0" and pay[GOOD.employee_id]["pay"] == "10800.0"  # the roster's 9,000
    changed = [i for i in result.run.issues if i.code == "base-changed"]
    assert [i.employee_id for i in changed] == [VICTIM.employee_id] and "90000" in changed[0].message.en


# --- 3 and 4. identity is (person, period, issued workbook); nothing untrusted is paid or kept ---------
def _history_totals(path: Path) -> dict[tuple[str, str], tuple[float | None, str]]:
    with sqlite3.connect(path) as db:
        return {(p, e): (t, s) for p, e, t, s in db.execute("SELECT period, employee_id, total, status FROM totals")}


def test_last_periods_workbook_refilled_never_replaces_a_closed_period(tmp_path, specs):
    history = tmp_path / "history.sqlite"
    q3 = _issue(tmp_path, specs, _people(period="2026-Q3"), SEED, name="q3")
    xl_kpi.consolidate(_returns(q3, tmp_path / "r3"), tmp_path / "o3", specs, history=history)
    assert _history_totals(history)[("2026-Q3", VICTIM.employee_id)] == (80.0, "ok")

    q4 = _issue(tmp_path, specs, _people(period="2026年第四季度"), SEED, name="q4")
    returns = _returns(q4, tmp_path / "r4")
    old = _file(tmp_path / "r3", VICTIM.employee_id)
    stale = returns / "E200_Q3_again.xlsx"
    shutil.copy(old, stale)
    edit.set_cell(stale, C["actual"]["sales_rate"], "1.2")  # last quarter's workbook, filled again to score better
    result = xl_kpi.consolidate(returns, tmp_path / "o4", specs, history=history)
    assert result.run.period == "2026-Q4"
    aside = [i for i in result.run.issues if i.code == "other-period"]
    assert [(Path(i.file).name, i.employee_id) for i in aside] == [(stale.name, VICTIM.employee_id)]
    totals = _history_totals(history)
    assert totals[("2026-Q3", VICTIM.employee_id)] == (80.0, "ok")  # the closed quarter untouched
    assert totals[("2026-Q4", VICTIM.employee_id)] == (80.0, "ok") and not [i for i in result.run.issues if i.code == "duplicate-person"]


def test_a_workbook_relabelled_to_another_period_is_caught_by_the_register(tmp_path, specs):
    q4 = _issue(tmp_path, specs, _people(period="2026-Q4"), SEED, name="q4")
    returns = _returns(q4, tmp_path / "r4")
    victim = _file(returns, VICTIM.employee_id)
    edit.set_meta(victim, VICTIM.employee_id, "period", "2026-Q3")
    history = tmp_path / "history.sqlite"
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, history=history, issued=q4 / "issued.sqlite", period="2026-Q3")
    # the register says Q4: the relabelled return is Q4's, set aside from a Q3 run and never in Q3's history
    assert ("2026-Q3", VICTIM.employee_id) not in _history_totals(history)
    assert "issued-mismatch" in {i.code for i in result.run.issues if i.employee_id == VICTIM.employee_id}


def test_a_colleagues_copy_of_an_issued_workbook_is_a_conflict_hr_resolves(tmp_path, specs):
    issued = _issue(tmp_path, specs, _people(SUP, 9000.0), CARD)
    returns = _returns(issued, tmp_path / "returns")
    genuine = _file(returns, VICTIM.employee_id)
    copy = returns / "zz_newer_copy.xlsx"
    shutil.copy(genuine, copy)
    cells = __import__("xl_kpi.sheet.person", fromlist=["PersonLayout"]).PersonLayout.for_spec(specs[SUP]).cell_map(specs[SUP])
    edit.set_cell(copy, cells["actual"]["team_sales_rate"], "1.5")  # a colleague fills the copy: newer, better
    copy.touch()
    history = tmp_path / "history.sqlite"
    result = xl_kpi.consolidate(returns, tmp_path / "out", issued=issued / "issued.sqlite", history=history)
    record = next(r for r in result.run.records if r.employee_id == VICTIM.employee_id)
    assert record.status == "conflict" and record.total is None and record.pay is None
    named = {Path(i.file).name for i in result.run.issues if i.code == "conflicting-returns"}
    assert named == {genuine.name, copy.name}
    assert _pay(result)[VICTIM.employee_id]["pay"] == "" and ("" , VICTIM.employee_id) not in _history_totals(history)
    assert next(r for r in result.run.records if r.employee_id == GOOD.employee_id).status == "ok"
    # the same file sent twice is one return, not a conflict
    shutil.copy(genuine, copy)
    result = xl_kpi.consolidate(returns, tmp_path / "out2", issued=issued / "issued.sqlite")
    assert next(r for r in result.run.records if r.employee_id == VICTIM.employee_id).status == "ok"


def test_untrusted_results_never_enter_the_history_or_a_roll_up(tmp_path, specs):
    issued = _issue(tmp_path, specs, _people(period="2026-Q4"), SEED)
    returns = _returns(issued, tmp_path / "returns")
    edit.set_cell(_file(returns, VICTIM.employee_id), C["params"]["sales_rate"][1], "100")  # a band's score raised
    history = tmp_path / "history.sqlite"
    xl_kpi.consolidate(returns, tmp_path / "out", specs, history=history, issued=issued / "issued.sqlite")
    totals = _history_totals(history)
    assert ("2026-Q4", VICTIM.employee_id) not in totals and totals[("2026-Q4", GOOD.employee_id)] == (80.0, "ok")
    with sqlite3.connect(history) as db:
        assert db.execute("SELECT status FROM withheld WHERE employee_id = ?", (VICTIM.employee_id,)).fetchone() == ("tampered",)
    annual = xl_kpi.rollup(history, 2026)
    assert annual.set_index("employee_id").loc[GOOD.employee_id, "periods"] == "2026-Q4"
    assert VICTIM.employee_id not in set(annual["employee_id"])


# --- 5. secure defaults -----------------------------------------------------------------------------
def test_build_makes_a_new_key_when_asked_and_never_overwrites_one(tmp_path, capsys):
    key = tmp_path / "hr.key"
    args = ["build", str(TEMPLATES), "--roster", str(TEMPLATES / "sample_roster.csv"), "-o", str(tmp_path / "w")]
    assert run([*args, "--new-key", str(key)]) == 0
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_text().strip()) == 64
    first = key.read_bytes()
    assert run([*args, "--new-key", str(key)]) == 2 and key.read_bytes() == first
    assert "hr.key" in capsys.readouterr().err
    assert (tmp_path / "w" / "issued.sqlite").is_file()


@pytest.mark.parametrize("phase", [[], ["--phase", "goals", "--history"]])
def test_a_refused_build_leaves_no_new_key_so_the_same_command_runs_once_fixed(phase, tmp_path, capsys):
    """A build refused by its inputs publishes nothing, so the key it was to sign with is not left behind: HR fixes
    the input and reruns the same command instead of being told the key they never saw already exists."""
    key = tmp_path / "hr.key"
    bad = tmp_path / "bad.csv"
    bad.write_text("employee_id,indicator_id,period,actual\nE001,new_customers,2026-04,10\n" if phase else "employee_id,name\nE1,张三\n",
                   encoding="utf-8")
    roster = str(bad if not phase else TEMPLATES / "sample_roster.csv")
    args = ["build", str(TEMPLATES / "sales_rep.yaml"), "--roster", roster, "-o", str(tmp_path / "w"), *phase, *([str(bad)] if phase else [])]
    assert run([*args, "--new-key", str(key)]) == 1
    assert not key.exists() and "hr.key" not in capsys.readouterr().out
    assert not (tmp_path / "w" / "issued.sqlite").exists()


def test_without_the_register_the_run_says_once_what_was_taken_on_trust(tmp_path, specs, capsys):
    issued = _issue(tmp_path, specs, _people(), SEED)
    returns = _returns(issued, tmp_path / "returns")
    assert run(["consolidate", str(returns), "-o", str(tmp_path / "o"), "--templates", str(TEMPLATES)]) == 0
    out = capsys.readouterr().out  # what the run found: on stdout
    assert out.count("未使用登记册") + out.count("no register (--issued)") == 1
    assert run(["consolidate", str(returns), "-o", str(tmp_path / "o2"), "--templates", str(TEMPLATES),
                "--issued", str(issued / "issued.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "未使用登记册" not in out and "no register" not in out


def test_the_readme_consolidates_with_the_register():
    readme = (TEMPLATES.parent / "README.md").read_text(encoding="utf-8")
    example = next(line for line in readme.splitlines() if line.startswith("xl-kpi consolidate"))
    assert "--issued" in example
