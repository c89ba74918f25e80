"""Targets from history flow into the workbooks: ``xl-kpi targets`` writes only what ``build
--targets`` reads, the personal targets are shown in the sheet, scored by the engine and the
sheet, and checked on return (seed 001: 110% / 130% for amounts and counts; a completion rate
keeps its target)."""

from __future__ import annotations

import csv
import math
import shutil

import openpyxl
import pandas as pd
import pytest

import xl_kpi
from xl_kpi.advice.targets import suggest_targets, target_kind
from xl_kpi.cli import run

from . import excel_edits as edit
from .conftest import TEMPLATES

ROSTER = ("employee_id,name,department,position,manager,template\n"
          "S1,周一,销售一部,主管,李四,sales_supervisor\nS2,吴二,销售一部,主管,李四,sales_supervisor\n"
          "S3,郑三,销售一部,主管,李四,sales_supervisor\nE9,钱九,销售一部,销售代表,李四,sales_rep\n")
HISTORY = [("S1", "new_customers", [30, 30, 30]), ("S2", "new_customers", [40, 44, 36]),
           ("S1", "team_sales_rate", [0.9, 1.0, 1.1]), ("S1", "expense_rate", [0.95, 1.0, 1.05]),
           ("X7", "new_customers", [5, 5, 5])]  # X7 has left: not on the roster


def _history_csv(path):
    rows = [{"employee_id": e, "indicator_id": i, "period": f"2026-Q{k}", "value": v}
            for e, i, values in HISTORY for k, v in enumerate(values, start=1)]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _targets(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    out = tmp_path / "targets.csv"
    code = run(["targets", "--history", str(_history_csv(tmp_path / "h.csv")), "--spec",
                str(TEMPLATES / "sales_supervisor.yaml"), "--roster", str(roster), "-o", str(out)])
    return code, roster, out, {(r["employee_id"], r["indicator_id"]): r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}


def test_targets_writes_a_target_for_every_row_of_the_roster_people_and_says_where_it_comes_from(tmp_path):
    code, _, _, rows = _targets(tmp_path)
    assert code == 1  # flagged rows: no history, completion rates
    assert {e for e, _ in rows} == {"S1", "S2", "S3"}  # the roster's people on this spec; X7 left, E9 has another spec
    assert all(r["target"] not in ("", "nan") for r in rows.values())
    s1 = rows[("S1", "new_customers")]
    assert (s1["target"], s1["basis"], s1["baseline_target"], s1["challenge_target"]) == ("33.0", "baseline", "33.0", "39.0")
    assert rows[("S2", "new_customers")]["target"] == "44.0"
    s3 = rows[("S3", "new_customers")]
    assert (s3["target"], s3["basis"], s3["flags"]) == ("30.0", "spec", "no-history")
    rate = rows[("S1", "team_sales_rate")]  # 完成率: 110% of a completion is not the seed's rule
    assert (rate["target"], rate["basis"], rate["flags"], rate["mean"]) == ("1.0", "spec", "completion", "1.0")
    assert rows[("S1", "expense_rate")]["flags"] == "completion"  # 实际费用/预算费用
    assert ("S1", "coaching") not in rows  # a rating has no numeric target


def test_targets_build_consolidate_round_trip_shows_scores_and_checks_the_personal_targets(tmp_path, specs):
    _, roster, targets, rows = _targets(tmp_path)
    built = tmp_path / "built"
    assert run(["build", str(TEMPLATES), "--roster", str(roster), "--targets", str(targets), "-o", str(built)]) == 0
    s1 = next(built.rglob("S1_*.xlsx"))
    wb = openpyxl.load_workbook(s1)
    named = next(ws.defined_names["KPI_TARGET_NEW_CUSTOMERS"] for ws in wb.worksheets if "KPI_TARGET_NEW_CUSTOMERS" in ws.defined_names)
    sheet, ref = next(iter(named.destinations))
    assert wb[sheet][ref.replace("$", "")].value == 33  # shown

    # Returned with 36 new customers: 36/33 = 109% of the personal target → 80 (the spec's 30 would give 120% → 100).
    issued = tmp_path / "issued"
    people = xl_kpi.load_people(roster, specs)
    xl_kpi.build(specs, people, issued, targets=targets, actuals={"S1": {"new_customers": 36}, "S2": {"new_customers": 36}})
    returns = tmp_path / "returns"
    returns.mkdir()
    for f in issued.rglob("S[12]_*.xlsx"):
        shutil.copy(f, returns / f.name)
    result = xl_kpi.consolidate(returns, tmp_path / "out", specs, issued=issued / "issued.sqlite")
    scored = {r.employee_id: r for r in result.run.store.records()}
    assert scored["S1"].scores["new_customers"] == 80  # scored against 33
    assert scored["S2"].scores["new_customers"] == 60  # 36/44 = 82% → 60 (≥ 80%)

    # Checked: S1's target lowered back to the spec's 30 in the returned file is caught.
    cell = ref.replace("$", "")
    edit.set_cell(next(returns.glob("S1_*.xlsx")), cell, "30")
    again = xl_kpi.consolidate(returns, tmp_path / "out2", specs, issued=issued / "issued.sqlite")
    codes = {i.code for i in again.run.issues if i.employee_id == "S1" and i.severity == "error"}
    assert "changed-target" in codes, codes
    assert {r.employee_id: r for r in again.run.store.records()}["S1"].scores["new_customers"] == 80  # still scored as issued


@pytest.mark.parametrize(("iid", "values", "baseline", "challenge"), [
    ("new_customers", [10, 10, 10], 11, 13),  # a count: the seed's ×1.1 / ×1.3, rounded up
    ("repurchase_rate", [0.30, 0.30, 0.30], 0.33, 0.39),  # a low rate rises by 10% / 30% of itself
    ("repurchase_rate", [0.90, 0.90, 0.90], 0.91, 0.93),  # a high rate by 10% / 30% of the room to 100%
    ("repurchase_rate", [1.0, 1.0, 1.0], 1.0, 1.0),  # at the ceiling it stays there
])
def test_the_seed_rule_is_for_amounts_and_counts_rates_rise_toward_their_ceiling(specs, iid, values, baseline, challenge):
    history = pd.DataFrame([{"employee_id": "E1", "indicator_id": iid, "period": k, "value": v} for k, v in enumerate(values)])
    (row,) = [r for r in suggest_targets(history, specs["sales_rep"]) if r.indicator_id == iid]
    assert (row.baseline, row.challenge) == (baseline, challenge)
    assert row.baseline <= 1 or iid == "new_customers"


def test_indicator_kinds(specs):
    kinds = {i.id: target_kind(i) for i in specs["sales_rep"].indicators}
    assert kinds == {"sales_rate": "completion", "new_customers": "additive", "repurchase_rate": "rate", "expense_rate": "completion"}
    assert {i.id: target_kind(i) for i in specs["customer_service"].indicators if i.id in ("satisfaction", "response_time")} == {
        "satisfaction": "level", "response_time": "level"}


def test_a_suggestion_the_spec_refuses_keeps_the_spec_target(specs):
    # 20% repurchase history → 22%, below every band (25% is the lowest): the sheet would refuse it.
    history = pd.DataFrame([{"employee_id": "E1", "indicator_id": "repurchase_rate", "period": k, "value": 0.2} for k in range(3)])
    (row,) = [r for r in suggest_targets(history, specs["sales_rep"]) if r.indicator_id == "repurchase_rate"]
    assert (row.target, row.basis, row.flags) == (0.3, "spec", ["spec-rules"])
    assert not math.isnan(row.baseline)


def test_targets_pick_challenge(tmp_path):
    out = tmp_path / "t.csv"
    run(["targets", "--history", str(_history_csv(tmp_path / "h.csv")), "--spec", str(TEMPLATES / "sales_supervisor.yaml"),
         "--pick", "challenge", "-o", str(out)])
    rows = {(r["employee_id"], r["indicator_id"]): r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert (rows[("S1", "new_customers")]["target"], rows[("S1", "new_customers")]["basis"]) == ("39.0", "challenge")
    assert ("X7", "new_customers") in rows  # without a roster: everyone in the history
    assert run(["targets", "--history", str(tmp_path / "h.csv"), "--spec", str(TEMPLATES / "sales_supervisor.yaml"),
                "--pick", "highest", "-o", str(out)]) == 2
