"""Targets from history, exact splits and department cascades — the seed's numbers first."""

from __future__ import annotations

import csv
import dataclasses
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_kpi.advice.cascade import cascade, cascade_findings
from xl_kpi.advice.splits import annual_plan, seasonal_weights, split_exact
from xl_kpi.advice.targets import suggest_targets
from xl_kpi.cli import run

from .conftest import ROSTER, TEMPLATES


def test_seed_annual_split_25_30_25_20():
    plan = annual_plan(1_000_000)
    assert plan["quarters"] == [250_000, 300_000, 250_000, 200_000]
    assert math.fsum(plan["months"][:3]) == 250_000 and len(plan["months"]) == 12


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.lists(st.integers(0, 100), min_size=1, max_size=12),
       st.integers(0, 4))
def test_parts_add_up_exactly_and_each_is_within_one_unit_of_its_share(total, weights, decimals):
    if sum(weights) == 0:
        weights = [1] + weights[1:]
    total = round(total, decimals)
    parts = split_exact(total, weights, decimals)
    unit = 10**-decimals
    assert round(math.fsum(parts), decimals) == total
    assert all(p == 0 for p, w in zip(parts, weights) if w == 0)
    assert all(abs(p - total * w / sum(weights)) < unit * 1.000001 for p, w in zip(parts, weights))
    assert all(round(p, decimals) == p for p in parts)


def test_largest_remainders_small_counts_stay_even():
    # Ties go to the earlier part: 10 by 25/30/25/20 is 2.5/3/2.5/2 → 3/3/2/2.
    assert split_exact(10, [25, 30, 25, 20], 0) == [3, 3, 2, 2]
    plan = annual_plan(10, decimals=0)
    assert plan["months"] == [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0]  # Q4's 2 → 1/1/0, never 0/0/1 or 0.67
    plan = annual_plan(40, decimals=0)  # the workbook's 新客户开发数: 10 a quarter × 4
    assert plan["quarters"] == [10, 12, 10, 8]
    assert plan["months"] == [4, 3, 3, 4, 4, 4, 4, 3, 3, 3, 3, 2]
    assert split_exact(100, [1, 1, 1]) == [33.34, 33.33, 33.33]
    assert split_exact(-10, [1, 1, 1], 0) == [-4, -3, -3]


def test_split_of_a_count_by_uneven_weights_gives_the_leftover_to_the_largest_remainders():
    assert split_exact(7, [10, 20, 30, 40], 0) == [1, 1, 2, 3]  # 0.7/1.4/2.1/2.8: floors 0/1/2/2, two left → 0.8 and 0.7


def test_seasonality_from_history():
    rows = [("2024-Q1", 20), ("2024-Q2", 30), ("2024-Q3", 30), ("2024-Q4", 20),
            ("2025-01", 10), ("2025-02", 10), ("2025-05", 30), ("2025-08", 30), ("2025-11", 20)]
    weights = seasonal_weights(pd.DataFrame(rows, columns=["period", "value"]))
    assert [round(w, 3) for w in weights] == [0.2, 0.3, 0.3, 0.2]


def _history(values, eid="E1", iid="sales_rate"):
    return pd.DataFrame([{"employee_id": eid, "indicator_id": iid, "period": f"2025-{m:02d}", "value": v}
                         for m, v in enumerate(values, start=1)])


def test_baseline_110_challenge_130_and_the_resource_limited_variant(specs):
    # Seed 000: 10万 a month on average; 13万 with resources, 12万 plus a pilot without.
    spec = specs["content_ops"]
    history = _history([9000, 10000, 11000], iid="new_users")
    (row,) = [r for r in suggest_targets(history, spec, resource_limited=True) if r.indicator_id == "new_users"]
    assert (row.periods, row.mean, row.baseline, row.challenge, row.resource_limited) == (3, 10000, 11000, 13000, 12000)
    assert "新渠道试点1个" in row.extra_process_target and row.flags == []


def test_lower_is_better_is_mirrored_and_short_or_volatile_history_flagged(specs):
    spec = specs["customer_service"]
    (row,) = [r for r in suggest_targets(_history([20, 20], iid="response_time"), spec) if r.indicator_id == "response_time"]
    assert (row.baseline, row.challenge) == (18, 14) and row.flags == ["too-short"]
    (vol,) = [r for r in suggest_targets(_history([1, 10, 30], iid="response_time"), spec) if r.indicator_id == "response_time"]
    assert "volatile" in vol.flags
    missing = [r for r in suggest_targets(_history([20, 20, 20], iid="response_time"), spec) if r.indicator_id == "satisfaction"]
    assert missing[0].flags == ["no-history"]


def test_targets_cli_from_csv_and_from_the_history_database(tmp_path, specs):
    hist = tmp_path / "h.csv"
    _history([1.0, 1.1, 0.9]).to_csv(hist, index=False)
    out = tmp_path / "t.csv"
    assert run(["targets", "--history", str(hist), "--spec", str(TEMPLATES / "sales_rep.yaml"), "-o", str(out)]) == 1
    rows = {r["indicator_id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert (rows["sales_rate"]["target"], rows["sales_rate"]["flags"]) == ("1.0", "completion")  # a completion rate keeps 100%
    assert (rows["new_customers"]["target"], rows["new_customers"]["flags"]) == ("10.0", "no-history")
    from xl_kpi.consolidation import consolidate
    from xl_kpi.spec.model import Person
    from xl_kpi.workbook import BuildOptions, build_employee_workbook

    returns = tmp_path / "r"
    seed = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}
    build_employee_workbook(returns / "E1.xlsx", specs["sales_rep"], Person("E1", "张三", "D", "", "", "sales_rep"),
                            BuildOptions(actuals={"E1": seed}))
    consolidate([returns], tmp_path / "o", specs, workers=1, history=tmp_path / "h.sqlite")
    assert run(["targets", "--history", str(tmp_path / "h.sqlite"), "--spec", str(TEMPLATES / "sales_rep.yaml"),
                "-o", str(out)]) == 1  # one period only: too-short
    rows = {r["indicator_id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert rows["new_customers"]["mean"] == "11.0" and rows["new_customers"]["baseline_target"] == "13.0"
    assert rows["new_customers"]["flags"] == "too-short"


def test_targets_cli_bad_inputs(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("who,what\n1,2\n", encoding="utf-8")
    assert run(["targets", "--history", str(bad), "--spec", str(TEMPLATES / "sales_rep.yaml"), "-o", str(tmp_path / "o.csv")]) == 1
    assert "employee_id" in capsys.readouterr().err
    assert run(["targets", "--history", str(tmp_path / "none.sqlite"), "--spec", str(TEMPLATES / "sales_rep.yaml"), "-o", "x"]) == 2


@pytest.mark.parametrize("total", ["inf", "nan", "1e300"])
def test_split_refuses_a_total_it_cannot_split_into_whole_units(total, capsys):
    assert run(["split", total]) == 2
    err = capsys.readouterr().err
    assert "总数" in err and "无效" in err


def test_split_cli(capsys, tmp_path):
    assert run(["split", "1000000"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("Q2: 300,000.00")
    assert run(["split", "100", "--weights", "1,1"]) == 2
    hist = tmp_path / "h.csv"
    hist.write_text("period,value\n2025-Q1,10\n2025-Q2,40\n2025-Q3,40\n2025-Q4,10\n", encoding="utf-8")
    assert run(["split", "1000", "--history", str(hist), "--format", "json"]) == 0
    assert '"quarters": [100.0, 400.0, 400.0, 100.0]' in capsys.readouterr().out


def _members(specs, dept, spec_id, n, prefix="P"):
    return [(dept, f"{prefix}{k}", specs[spec_id]) for k in range(n)]


def test_cascade_department_target_vs_sum_of_people(specs, tmp_path, capsys):
    people = _members(specs, "销售一部", "sales_rep", 9) + [("销售一部", "M1", specs["manager"])]
    frame = pd.DataFrame([{"department": "销售一部", "indicator_id": "new_customers", "target": 100}])
    (gap,) = cascade(frame, people)
    assert (gap.people, gap.people_total, round(gap.coverage, 2)) == (9, 90, 0.9)
    # Personal targets replace the spec's: two people at 15 instead of 10 cover the 100.
    (gap,) = cascade(frame, people, {"P0": {"new_customers": 15}, "P1": {"new_customers": 15}})
    assert (gap.people_total, gap.coverage) == (100, 1.0)
    targets = tmp_path / "dt.csv"
    targets.write_text("department,indicator_id,target\n销售一部,new_customers,80\n客服部,nope,5\n不存在部,new_customers,5\n",
                       encoding="utf-8")
    assert run(["check", str(TEMPLATES), "--roster", str(ROSTER), "--department-targets", str(targets)]) == 1
    err = capsys.readouterr().out  # check's findings are its result: on stdout
    assert "客服部/nope" in err and "销售一部/new_customers" not in err  # 9 × 10 = 90 ≥ 80 covers it
    assert "花名册里没有部门“不存在部”" in err and "没有分解到任何人" in err
    assert run(["check", str(TEMPLATES), "--department-targets", str(targets)]) == 2  # needs --roster
    assert run(["check", str(TEMPLATES), "--targets", str(targets)]) == 2  # needs --department-targets


def test_cascade_with_personal_targets_from_the_cli(tmp_path, capsys):
    # 销售一部: 8 reps × 10 + 1 en rep × 10 + 2 supervisors × 30 = 150 by the specs, short of 200;
    # the eight reps' own targets of 25 make it 270.
    dt = tmp_path / "dt.csv"
    dt.write_text("department,indicator_id,target\n销售一部,new_customers,200\n", encoding="utf-8")
    roster = pd.read_csv(ROSTER, dtype=str)
    reps = roster[(roster["department"] == "销售一部") & (roster["template"] == "sales_rep")]["employee_id"].tolist()
    assert len(reps) == 8
    run(["check", str(TEMPLATES), "--roster", str(ROSTER), "--department-targets", str(dt)])
    assert "销售一部/new_customers" in capsys.readouterr().out
    own = tmp_path / "own.csv"
    own.write_text("employee_id,indicator_id,target\n" + "".join(f"{e},new_customers,25\n" for e in reps), encoding="utf-8")
    run(["check", str(TEMPLATES), "--roster", str(ROSTER), "--department-targets", str(dt), "--targets", str(own)])
    assert "销售一部/new_customers" not in capsys.readouterr().out


def test_cascade_lower_is_better_caps_and_rates(specs):
    # A lower-is-better additive indicator (an error budget) is covered when the caps do not exceed the department's.
    inds = tuple(dataclasses.replace(i, unit="次", target=3.0) if i.id == "expense_rate" else i for i in specs["sales_rep"].indicators)
    capped = dataclasses.replace(specs["sales_rep"], indicators=inds)
    people = [("销售一部", f"P{k}", capped) for k in range(4)]
    frame = pd.DataFrame([{"department": "销售一部", "indicator_id": "expense_rate", "target": 10},
                          {"department": "销售一部", "indicator_id": "repurchase_rate", "target": 0.32}])
    caps, rates = cascade(frame, people)
    assert (caps.kind, caps.people, caps.people_total) == ("cap", 4, 12)
    found = {f.code: f for f in cascade_findings(frame, people, targets={"P3": {"repurchase_rate": 0.35}})}
    assert set(found) == {"cascade-over-cap", "cascade-laxer"}
    assert "超出 2" in found["cascade-over-cap"].message.zh
    assert rates.kind == "level" and "P0, P1, P2" in found["cascade-laxer"].message.zh  # 30% < the department's 32%; P3's 35% is fine
    assert not cascade_findings(frame.iloc[:1].assign(target=12), people)


@pytest.mark.parametrize("weights", [[], [-1, 2], [0, 0]])
def test_split_refuses_bad_weights(weights):
    with pytest.raises(ValueError):
        split_exact(100, weights)


def test_build_with_personal_targets_scores_and_consolidates_against_them(tmp_path, specs, capsys):
    import openpyxl

    from xl_kpi.consolidation import consolidate
    from xl_kpi.sheet.person import PersonLayout
    from xl_kpi.spec.model import Person
    from xl_kpi.workbook import BuildOptions, build_employee_workbook

    person = Person("E026", "唐悦", "产品研发部", "", "", "content_ops")
    actuals = {"hit_content": 12, "new_users": 3000, "conversion_rate": 0.08}
    options = BuildOptions(targets={"E026": {"new_users": 6000}}, actuals={"E026": actuals})
    path = build_employee_workbook(tmp_path / "r" / "E026.xlsx", specs["content_ops"], person, options)
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    cells = PersonLayout.for_spec(specs["content_ops"]).cell_map(specs["content_ops"])
    assert ws[cells["target"]["new_users"]].value == 6000
    assert ws[cells["score"]["new_users"]].value == 50  # 100 × 3000 / 6000, not / 5000
    result, _ = consolidate([tmp_path / "r"], tmp_path / "o", specs, workers=1)
    assert result.clean and result.records[0].scores["new_users"] == 50
    own = specs["content_ops"].with_targets({"new_users": 6000})
    assert own.indicator("new_users").target == 6000 and specs["content_ops"].indicator("new_users").target == 5000
    # A target changed on the sheet is still caught against the issued personal target.
    from .zipedit import rewrite_part as _rewrite_part

    _rewrite_part(path, "xl/worksheets/sheet1.xml", lambda x: x.replace("<v>6000</v>", "<v>3000</v>", 1))
    result, _ = consolidate([tmp_path / "r"], tmp_path / "o2", specs, workers=1)
    assert [i.code for i in result.issues] == ["changed-target"]


def test_build_targets_cli_reports_every_bad_row(tmp_path, capsys):
    bad = tmp_path / "t.csv"
    bad.write_text("employee_id,indicator_id,target\nE999,x,1\nE026,collaboration,1\nE026,new_users,abc\n", encoding="utf-8")
    assert run(["build", str(TEMPLATES), "--roster", str(ROSTER), "-o", str(tmp_path / "o"), "--targets", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: 第 2 行:" in err and f"{bad}: 第 3 行:" in err and f"{bad}: 第 4 行:" in err and not (tmp_path / "o").exists()


def test_cascade_personal_targets_with_bad_rows_are_each_named(tmp_path, capsys):
    dt = tmp_path / "dt.csv"
    dt.write_text("department,indicator_id,target\n销售一部,new_customers,80\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("employee_id,indicator_id,target\nNOPE,new_customers,5\nE001,new_customers,abc\n", encoding="utf-8")
    before = bad.read_bytes()
    assert run(["check", str(TEMPLATES), "--roster", str(ROSTER), "--department-targets", str(dt), "--targets", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "第 2 行: NOPE" in err and "第 3 行" in err and "abc" in err
    assert bad.read_bytes() == before
