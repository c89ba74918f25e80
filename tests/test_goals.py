"""The goal-setting round (issue 29, seed 000: 员工要写好自己的KPI): goals workbooks issued from history, filled by the
employees and agreed by their supervisors, saved by LibreOffice, collected into the targets the scorecards are
built with, and scored against them; a change approved mid-period reaches the person (the notice, the card issued again).

Seed 000's example: 过去3个月月均10万 → 13万 with the resources, 12万 plus one new-channel pilot without; a vague goal
("提升销售业绩") and a proposal below the baseline with no reason are reported with suggestions.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3

import openpyxl
import pandas as pd
import pytest
import yaml

import xl_kpi
from xl_kpi.cli import run
from xl_kpi.goals.register import agreed_versions
from xl_kpi.goals.rules import sheet_check
from xl_kpi.office.libreoffice import convert
from xl_kpi.scoring.engine import score_card

from . import excel_edits as edit
from .conftest import TEMPLATES
from .goals_cases import E1, E2, E2_PERSONAL, E3, HISTORY, LAYOUT, ROSTER, fill_sheet


def _fill(path, rows, personal=None, supervisor="李四"):
    wb = openpyxl.load_workbook(path)
    fill_sheet(wb["目标设定"], rows, personal, supervisor)
    wb.save(path)


def _relative_spec(folder):
    """The seed's sales card with new customers scored against the person's own target (relative bands: ≥120% 100,
    ≥100% 80, ≥80% 60), so that the agreed target decides the score."""
    data = yaml.safe_load((TEMPLATES / "sales_rep.yaml").read_text(encoding="utf-8"))
    ind = next(i for i in data["indicators"] if i["id"] == "new_customers")
    ind["scoring"] = {"method": "bands", "relative": True, "bands": [[1.2, 100], [1.0, 80], [0.8, 60]], "otherwise": 0}
    folder.mkdir()
    (folder / "sales_rep.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """Goals built with history, filled (openpyxl), saved by LibreOffice (recalculating), collected."""
    tmp = tmp_path_factory.mktemp("goals")
    specs = _relative_spec(tmp / "specs")
    (tmp / "roster.csv").write_text(ROSTER, encoding="utf-8")
    pd.DataFrame([{"employee_id": e, "indicator_id": i, "period": f"2026-Q{k}", "value": v}
                  for (e, i), values in HISTORY.items() for k, v in enumerate(values, start=1)]).to_csv(tmp / "history.csv", index=False)
    issued = tmp / "goals"
    assert run(["build", str(specs), "--roster", str(tmp / "roster.csv"), "-o", str(issued), "--phase", "goals",
                "--history", str(tmp / "history.csv")]) == 0
    filled = tmp / "filled"
    filled.mkdir()
    for eid, rows, personal in (("E1", E1, None), ("E2", E2, E2_PERSONAL), ("E3", E3, None)):
        src = next(issued.rglob(f"{eid}_*.xlsx"))
        shutil.copy(src, filled / f"{eid}.xlsx")
        _fill(filled / f"{eid}.xlsx", rows, personal)
    saved = tmp / "saved"
    convert(sorted(filled.glob("*.xlsx")), saved)  # what an employee's LibreOffice writes, every formula recalculated
    code = run(["goals", "collect", str(saved), "--issued", str(issued / "issued.sqlite"), "-o", str(tmp / "collected")])
    return tmp, issued, saved, code


def _csv(path):
    return list(csv.DictReader(path.open(encoding="utf-8-sig")))


def test_history_gives_each_goal_its_baseline_and_challenge_on_the_sheet(round_trip):
    _, issued, _, _ = round_trip
    ws = openpyxl.load_workbook(next(issued.rglob("E1_*.xlsx")))["目标设定"]
    cols = {k: i + 1 for i, k in enumerate(LAYOUT.columns)}
    row = LAYOUT.role_row(1) + 1  # 新客户开发数: 10 a quarter → 11 / 13, 12 with limited resources
    assert ws.cell(row, cols["ind_name"]).value == "新客户开发数"
    assert [ws.cell(row, cols[k]).value for k in ("mean", "baseline", "challenge", "limited")] == [10, 11, 13, 12]
    note = ws.cell(row, cols["limited"]).comment.text  # the extra process target, in the workbook's language only
    assert "新渠道试点1个" in note and "process target" not in note
    assert ws.protection.sheet  # protected like the scorecard
    assert not ws.cell(row, cols["proposed"]).protection.locked and ws.cell(row, cols["baseline"]).protection.locked


def test_the_live_checks_libreoffice_computes_are_the_engines(round_trip):
    _, _, saved, _ = round_trip
    cols = {k: i + 1 for i, k in enumerate(LAYOUT.columns)}
    history = {"E1": {1: 11, 2: 0.33}, "E2": {1: 10, 2: 0.33}, "E3": {1: 11}}
    seen = set()
    for eid, rows in (("E1", E1), ("E2", E2), ("E3", E3)):
        ws = openpyxl.load_workbook(saved / f"{eid}.xlsx", data_only=True)["目标设定"]
        for k, typed in rows.items():
            r = LAYOUT.role_row(k) + 1
            direction = "lower" if k == 3 else "higher"
            expected = sheet_check(typed["proposed"], typed["text"], typed.get("reason", ""), history[eid].get(k), direction, "zh")
            assert ws.cell(r, cols["check"]).value == expected, (eid, k)
            seen.add(expected)
        total = ws.cell(LAYOUT.totals_row + 1, cols["weight"]).value
        assert total == pytest.approx(1.0)  # E2: 40 + 25 + 15 + 15 + 5 (personal)
    assert {"✓", "描述中没有数字;描述中没有期限;", "低于基准须说明理由;"} <= seen  # the vague goal and the unargued proposal, live


def test_collect_writes_the_agreed_targets_and_the_report_says_who_proposed_what(round_trip):
    tmp, _, _, code = round_trip
    assert code == 1  # warnings: the vague goal, the unargued proposal
    targets = {(r["employee_id"], r["indicator_id"]): r for r in _csv(tmp / "collected" / "targets.csv")}
    assert float(targets[("E1", "new_customers")]["target"]) == 13  # the supervisor's, not the proposed 12
    assert float(targets[("E1", "new_customers")]["proposed"]) == 12
    assert float(targets[("E3", "new_customers")]["target"]) == 10
    assert targets[("E1", "new_customers")]["agreed_by"] == "李四"
    report = {(r["employee_id"], r["indicator_id"]): r for r in _csv(tmp / "collected" / "goals_report.csv")}
    assert report[("E1", "new_customers")]["changed_by_supervisor"] == "yes"
    vague = report[("E2", "sales_rate")]
    assert "goal-not-smart" in vague["problems"] and "M✗" in vague["smart"] and "T✗" in vague["smart"]
    assert vague["smart_suggestion"]  # a rewrite to follow
    assert report[("E2", "new_customers")]["below_baseline"] == "yes" and "goal-below-baseline" in report[("E2", "new_customers")]["problems"]
    assert "goal-below-baseline-argued" in report[("E3", "new_customers")]["problems"]  # argued with a reason: noted, not warned
    issues = {(r["employee_id"], r["code"]) for r in _csv(tmp / "collected" / "goals_issues.csv")}
    assert {("E2", "goal-not-smart"), ("E2", "goal-below-baseline"), ("E1", "goal-adjusted")} <= issues
    assert ("E3", "goal-below-baseline") not in issues
    personal = [r for r in _csv(tmp / "collected" / "personal_goals.csv") if r["personal"] == "yes"]
    assert [(r["employee_id"], r["indicator"], r["kind"], float(r["weight"])) for r in personal] == [("E2", "新渠道试点", "process", 0.05)]


def test_a_card_with_a_personal_indicator_gets_its_own_spec_and_the_roster_names_it(round_trip, tmp_path):
    tmp, _, _, _ = round_trip
    collected = tmp / "collected"
    roster = {r["employee_id"]: r["template"] for r in _csv(collected / "roster.csv")}
    assert roster == {"E1": "sales_rep", "E2": "sales_rep_e2", "E3": "sales_rep"}
    specs = tmp_path / "specs"
    shutil.copytree(tmp / "specs", specs)
    shutil.copy(collected / "personal_specs" / "sales_rep_e2.yaml", specs)  # the template and E2's own card, as HR keeps them
    own = xl_kpi.load_templates(specs)["sales_rep_e2"]
    assert [(i.name, i.weight) for i in own.indicators][-2:] == [("销售费用控制率", 0.15), ("新渠道试点", 0.05)]
    assert own.indicator("repurchase_rate").weight == 0.15 and own.indicator("personal_1").kind == "process"
    built = xl_kpi.build(specs, collected / "roster.csv", tmp_path / "cards", targets=collected / "targets.csv")
    e2 = next(p for p in built if p.name.startswith("E2_"))
    names = [r[1] for r in openpyxl.load_workbook(e2)["KPI考核表"].iter_rows(values_only=True) if r[1]]
    assert "新渠道试点" in names


def test_the_register_records_the_agreed_version_once(round_trip):
    tmp, issued, saved, _ = round_trip
    register = issued / "issued.sqlite"
    versions = agreed_versions(register, "2026-Q3")
    assert {(v.employee_id, v.version) for v in versions} == {("E1", 1), ("E2", 1), ("E3", 1)}
    e1 = next(v for v in versions if v.employee_id == "E1")
    assert e1.targets["new_customers"] == 13 and e1.agreed_by == "李四" and e1.agreed_on == "2026-07-03"
    assert run(["goals", "collect", str(saved), "--issued", str(register), "-o", str(tmp / "again")]) == 1
    assert len(agreed_versions(register, "2026-Q3")) == 3  # the same agreement again is no new version


ACTUALS = {"E1": {"sales_rate": 1.0, "new_customers": 13, "repurchase_rate": 0.33, "expense_rate": 0.95},
           "E3": {"sales_rate": 1.0, "new_customers": 13, "repurchase_rate": 0.33, "expense_rate": 0.95}}


@pytest.fixture(scope="module")
def cards(round_trip):
    """The scorecards built with the agreed targets (build --targets), filled with actuals and returned (E1, E3)."""
    tmp, _, _, _ = round_trip
    specs = xl_kpi.load_templates(tmp / "specs")
    built = tmp / "cards"
    xl_kpi.build(specs, tmp / "roster.csv", built, targets=tmp / "collected" / "targets.csv", actuals=ACTUALS)
    returns = tmp / "returns"
    returns.mkdir()
    for eid in ACTUALS:
        shutil.copy(next(built.rglob(f"{eid}_*.xlsx")), returns)
    return specs, built, returns


def test_scores_follow_the_agreed_goals(round_trip, cards):
    tmp, _, _, _ = round_trip
    specs, built, returns = cards
    actuals, agreed = ACTUALS, tmp / "collected" / "targets.csv"
    result = xl_kpi.consolidate(returns, tmp / "results", specs, issued=built / "issued.sqlite")
    scored = {r.employee_id: r for r in result.run.store.records()}
    own = {(r["employee_id"], r["indicator_id"]): float(r["target"]) for r in _csv(agreed)}
    for eid in ("E1", "E3"):
        spec = specs["sales_rep"].with_targets({i: t for (e, i), t in own.items() if e == eid})
        expected = score_card(spec, actuals[eid])
        assert scored[eid].scores == expected.scores and scored[eid].total == expected.total
        assert scored[eid].grade == expected.grade.label and scored[eid].status == "ok"
    # The same 13 new customers: E1 reached the 13 agreed with the supervisor (80), E3 beat the argued 10 by 30% (100).
    assert (scored["E1"].scores["new_customers"], scored["E3"].scores["new_customers"]) == (80, 100)


def test_the_scorecard_shows_who_agreed_which_target_and_when(cards):
    _, built, _ = cards
    ws = openpyxl.load_workbook(next(built.rglob("E1_*.xlsx")))["目标确认记录"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=5, values_only=True)}
    assert rows["新客户开发数"] == (12, 13, "李四", "2026-07-03", "1")  # proposed 12, agreed 13 by the supervisor
    assert rows["客户复购率"][:2] == (0.33, 0.33) and ws.protection.sheet


def test_an_approved_change_is_scored_with_its_log_and_an_unapproved_one_is_still_caught(cards, tmp_path):
    specs, built, issued_returns = cards
    returns = tmp_path / "returns"
    shutil.copytree(issued_returns, returns)
    register = tmp_path / "issued.sqlite"  # HR's register, changed here only
    shutil.copy(built / "issued.sqlite", register)
    # Seed 000, FAQ 2: an urgent project took E1 off customer visits for two weeks; the supervisor approved 13 → 10.
    assert run(["goals", "change", "--issued", str(register), "--employee", "E1", "--indicator", "新客户开发数", "--target", "10",
                "--reason", "紧急项目占用两周,客户拜访顺延", "--approver", "李四", "--date", "2026-08-15"]) == 0
    assert run(["goals", "change", "--issued", str(register), "--employee", "E1", "--indicator", "新客户开发数", "--target", "10",
                "--reason", "", "--approver", "李四"]) == 2  # no reason: refused
    assert run(["goals", "change", "--issued", str(register), "--employee", "E1", "--indicator", "新客户开发数",
                "--reason", "无新目标", "--approver", "李四"]) == 2  # neither a target nor a deadline
    assert run(["goals", "change", "--issued", str(register), "--employee", "E3", "--indicator", "新客户开发数", "--deadline", "2026-09-30",
                "--reason", "渠道上线推迟一个月", "--approver", "李四"]) == 0  # only the deadline moves: the target stays 10
    # E3 lowers their own target in the file, with no request.
    wb = openpyxl.load_workbook(next(returns.glob("E3_*.xlsx")))
    sheet, ref = next(iter(next(ws.defined_names["KPI_TARGET_NEW_CUSTOMERS"] for ws in wb.worksheets
                                if "KPI_TARGET_NEW_CUSTOMERS" in ws.defined_names).destinations))
    edit.set_cell(next(returns.glob("E3_*.xlsx")), ref.replace("$", ""), "8")
    result = xl_kpi.consolidate(returns, tmp_path / "results", specs, issued=register)
    scored = {r.employee_id: r for r in result.run.store.records()}
    assert scored["E1"].scores["new_customers"] == 100 and scored["E1"].status == "ok"  # 13 of the approved 10: ≥120%
    log, moved = sorted((i for i in result.run.issues if i.code == "target-change-approved"), key=lambda i: i.employee_id)
    assert moved.employee_id == "E3" and "due 2026-09-30" in moved.message.en and "from 10 to 10" in moved.message.en.replace("个", "")
    assert log.employee_id == "E1" and "13个" in log.message.zh and "10个" in log.message.zh and "李四" in log.message.zh
    assert "2026-08-15" in log.message.en and "version 2" in log.message.en
    assert "changed-target" in {i.code for i in result.run.issues if i.employee_id == "E3"} and scored["E3"].status == "tampered"
    assert scored["E3"].scores["new_customers"] == 100  # still scored against the 10 agreed, not the 8 typed
    issues_csv = (tmp_path / "results" / "issues.csv").read_text(encoding="utf-8-sig")
    assert "target-change-approved" in issues_csv  # the log in the results


def test_only_issued_goals_workbooks_are_collected_and_locked_cells_are_hrs(round_trip, tmp_path):
    tmp, issued, saved, _ = round_trip
    other = tmp_path / "other"  # another build: its register never issued these
    assert run(["build", str(TEMPLATES / "sales_rep.yaml"), "--roster", str(tmp / "roster.csv"), "-o", str(other), "--phase", "goals"]) == 0
    done = xl_kpi.collect_goals(saved / "E1.xlsx", other / "issued.sqlite", tmp_path / "out")
    assert [f.code for f in done.findings] == ["goals-not-issued"] and not done.agreed
    edited = tmp_path / "E1.xlsx"
    shutil.copy(saved / "E1.xlsx", edited)
    wb = openpyxl.load_workbook(edited)
    ws = wb["目标设定"]
    ws.cell(LAYOUT.role_row(0) + 1, LAYOUT.col("hr_weight") + 1).value = 0.1  # 40% made 10% in a locked cell
    wb.save(edited)
    done = xl_kpi.collect_goals(edited, issued / "issued.sqlite", tmp_path / "out2")
    assert "goals-edited" in {f.code for f in done.findings}
    assert done.agreed and done.agreed[0].weights["sales_rate"] == 0.4  # HR's weight stands


def test_a_goals_workbook_saved_as_ods_is_collected_the_same(round_trip, tmp_path):
    tmp, issued, saved, _ = round_trip
    (ods,) = convert([saved / "E1.xlsx"], tmp_path, to="ods")  # what LibreOffice and WPS offer on save
    done = xl_kpi.collect_goals(ods, issued / "issued.sqlite", tmp_path / "out")
    assert done.agreed[0].targets == {"sales_rate": 1.0, "new_customers": 13.0, "repurchase_rate": 0.33, "expense_rate": 0.95}
    assert [f.code for f in done.findings] == ["goal-adjusted"]


def test_goals_without_the_supervisors_sign_off_are_not_agreed(round_trip, tmp_path):
    tmp, issued, saved, _ = round_trip
    unsigned = tmp_path / "E3.xlsx"
    shutil.copy(next(issued.rglob("E3_*.xlsx")), unsigned)
    _fill(unsigned, E3, supervisor="")
    done = xl_kpi.collect_goals(unsigned, issued / "issued.sqlite", tmp_path / "out")
    assert "goals-not-confirmed" in {f.code for f in done.findings} and not done.agreed
    assert _csv(tmp_path / "out" / "targets.csv") == []


def test_a_signed_goals_workbook_whose_record_is_edited_is_refused(tmp_path):
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    out = tmp_path / "goals"
    assert run(["build", str(TEMPLATES / "sales_rep.yaml"), "--roster", str(tmp_path / "roster.csv"), "-o", str(out), "--phase", "goals",
                "--new-key", str(tmp_path / "hr.key")]) == 0
    path = next(out.rglob("E1_*.xlsx"))
    _fill(path, E1)
    assert xl_kpi.collect_goals(path, out / "issued.sqlite", tmp_path / "ok", sign_key=tmp_path / "hr.key").agreed
    wb = openpyxl.load_workbook(path)
    meta = wb["_xlkpi_goals"]
    row = next(r for r in meta.iter_rows() if r[0].value == "period")
    row[1].value = "2026-Q4"
    wb.save(path)
    done = xl_kpi.collect_goals(path, out / "issued.sqlite", tmp_path / "bad", sign_key=tmp_path / "hr.key")
    assert [f.code for f in done.findings] == ["signature-invalid"] and not done.agreed


def test_the_register_keeps_the_goals_tables_beside_the_scorecards(round_trip):
    _, issued, _, _ = round_trip
    with sqlite3.connect(issued / "issued.sqlite") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        rows = db.execute("SELECT employee_id, template, period FROM goals_issued ORDER BY employee_id").fetchall()
    assert {"goals_issued", "goals_agreed", "specs"} <= tables
    assert rows == [("E1", "sales_rep", "2026-Q3"), ("E2", "sales_rep", "2026-Q3"), ("E3", "sales_rep", "2026-Q3")]


def test_build_phase_goals_refuses_scorecard_options(tmp_path):
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    base = ["build", str(TEMPLATES / "sales_rep.yaml"), "--roster", str(tmp_path / "roster.csv"), "-o", str(tmp_path / "o")]
    assert run([*base, "--phase", "goals", "--reviewer-password", "x"]) == 2
    assert run([*base, "--history", str(tmp_path / "roster.csv")]) == 2  # --history belongs to --phase goals


# --- a change approved mid-period reaches the person (item 4): the notice, and the card issued again with the log ----
CHANGE = ["goals", "change", "--employee", "E1", "--indicator", "新客户开发数", "--approver", "李四"]


def _values(ws):
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def _register(cards, tmp_path):
    _, built, _ = cards
    register = tmp_path / "cards" / "issued.sqlite"
    register.parent.mkdir()
    shutil.copy(built / "issued.sqlite", register)
    return register


def test_goals_change_writes_the_notice_the_person_signs_with_every_change_of_the_period(cards, tmp_path):
    register = _register(cards, tmp_path)
    assert run([*CHANGE, "--issued", str(register), "--target", "10", "--reason", "紧急项目占用两周,客户拜访顺延", "--date", "2026-08-15"]) == 0
    first = register.parent / "目标变更" / "E1_张三_目标变更_v2.xlsx"
    ws = openpyxl.load_workbook(first)["目标变更"]
    rows = _values(ws)
    assert ws.protection.sheet and any("销售代表" in str(v) for r in rows for v in r if v)  # the card's title
    logged = [r[:8] for r in rows if r[0] == 2]
    assert logged == [[2, "新客户开发数", 13, 10, None, "紧急项目占用两周,客户拜访顺延", "李四", "2026-08-15"]]
    assert any(r[0] == "员工确认" for r in rows)  # a line to sign
    assert run([*CHANGE, "--issued", str(register), "--deadline", "2026-09-30", "--reason", "渠道上线推迟", "--date", "2026-08-20",
                "-o", str(tmp_path / "notices")]) == 0
    second = _values(openpyxl.load_workbook(tmp_path / "notices" / "E1_张三_目标变更_v3.xlsx")["目标变更"])
    assert [(r[0], r[2], r[3], r[4]) for r in second if r[0] in (2, 3)] == [(2, 13, 10, None), (3, 10, 10, "2026-09-30")]


def test_a_card_issued_again_with_the_changes_carries_the_approved_target_and_shows_the_log(round_trip, cards, tmp_path):
    tmp, _, _, _ = round_trip
    specs, built, _ = cards
    register = _register(cards, tmp_path)
    assert xl_kpi.change_target(register, "E1", "新客户开发数", 10, reason="紧急项目占用两周", approver="李四", date="2026-08-15").version == 2
    again = xl_kpi.build(specs, tmp / "roster.csv", tmp_path / "again", targets=tmp / "collected" / "targets.csv", changes=register,
                         actuals=ACTUALS)
    e1, e3 = (openpyxl.load_workbook(next(p for p in again if p.name.startswith(e))) for e in ("E1_", "E3_"))
    sheet, ref = next(iter(e1.defined_names["KPI_TARGET_NEW_CUSTOMERS"].destinations)) if "KPI_TARGET_NEW_CUSTOMERS" in e1.defined_names \
        else next(iter(next(ws.defined_names["KPI_TARGET_NEW_CUSTOMERS"] for ws in e1.worksheets
                            if "KPI_TARGET_NEW_CUSTOMERS" in ws.defined_names).destinations))
    assert e1[sheet][ref.replace("$", "")].value == 10  # the approved target, not the agreed 13
    log = _values(e1["目标确认记录"])
    assert any(r[0] == "新客户开发数" and r[1:3] == (12, 13) for r in map(tuple, log))  # the agreement stays on record
    assert [r[:4] + r[5:8] for r in log if r[0] == 2] == [[2, "新客户开发数", 13, 10, "紧急项目占用两周", "李四", "2026-08-15"]]
    assert not any(r[0] == "期中目标变更(经批准)" for r in _values(e3["目标确认记录"]))  # E3 has no change
    result = xl_kpi.consolidate([p for p in again if p.name.startswith("E1_")], tmp_path / "results", specs,
                                issued=tmp_path / "again" / "issued.sqlite")
    (e1_scored,) = result.run.store.records()
    assert e1_scored.scores["new_customers"] == 100 and e1_scored.status == "ok"  # 13 of the approved 10, nothing tampered
    # without targets.csv the rebuilt card still shows the change log
    plain = xl_kpi.build(specs, tmp / "roster.csv", tmp_path / "plain", changes=register.parent)
    log = _values(openpyxl.load_workbook(next(p for p in plain if p.name.startswith("E1_")))["目标确认记录"])
    assert [r[:4] for r in log if r[0] == 2] == [[2, "新客户开发数", 13, 10]]
