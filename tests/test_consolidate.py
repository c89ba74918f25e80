"""Consolidation outputs: what HR opens — safe CSVs, the summary workbook, the history."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from xl_kpi.cli import run
from xl_kpi.consolidation import consolidate
from xl_kpi.core.refs import col_letter
from xl_kpi.sheet.layouts import SummaryLayout
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_employee_workbook

from .conftest import ROSTER_SIZE, TEMPLATES

SEED = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}


def _returns(specs, folder: Path, people: dict[str, dict], texts=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for eid, actuals in people.items():
        person = Person(eid, f"员工{eid}", "销售一部", "销售代表", "李四", "sales_rep")
        build_employee_workbook(folder / f"{eid}.xlsx", specs["sales_rep"], person,
                                BuildOptions(actuals={eid: actuals}, texts=texts))
    return folder


def test_exit_codes_clean_problems_usage(tmp_path, specs, capsys):
    clean = _returns(specs, tmp_path / "clean", {"E1": SEED})
    assert run(["consolidate", str(clean), "-o", str(tmp_path / "o1"), "--templates", str(TEMPLATES)]) == 0
    (clean / "wrong.xlsx").write_text("not a workbook", encoding="utf-8")
    assert run(["consolidate", str(clean), "-o", str(tmp_path / "o2"), "--templates", str(TEMPLATES)]) == 1
    assert (tmp_path / "o2" / "summary.xlsx").exists()  # outputs still written
    assert run(["consolidate", str(tmp_path / "missing"), "-o", str(tmp_path / "o3")]) == 2
    assert run(["consolidate", str(clean), "-o", str(tmp_path / "o4"), "--workers", "0"]) == 2


def test_scores_csv_has_one_row_per_person_with_actuals_and_scores(tmp_path, specs):
    returns = _returns(specs, tmp_path / "r", {"E1": SEED, "E2": dict(SEED, sales_rate=1.2)})
    _, paths = consolidate([returns], tmp_path / "out", specs, workers=1)
    rows = list(csv.DictReader(paths["scores"].open(encoding="utf-8-sig")))
    assert [r["employee_id"] for r in rows] == ["E1", "E2"]
    assert rows[0]["sales_rate_actual"] == "1.05" and rows[0]["sales_rate_score"] == "80.0"
    assert rows[0]["total"] == "80.0" and rows[0]["grade"] == "良好" and rows[0]["status"] == "ok"
    assert rows[1]["total"] == "88.0"
    assert {"employee_id", "name", "department", "file", "total", "grade", "status"} <= set(rows[0])


def test_typed_text_never_becomes_a_formula_in_csv_or_summary(tmp_path, specs):
    evil = {"comment": "=HYPERLINK(\"http://evil\",\"click\")", "goal_review": "+cmd|' /C calc'!A0"}
    returns = _returns(specs, tmp_path / "r", {"E1": SEED}, texts={"E1": evil})
    (returns / "=cmd.xlsx").write_text("x", encoding="utf-8")  # a hostile file name lands in the issues
    _, paths = consolidate([returns], tmp_path / "out", specs, workers=1)
    issues = paths["issues"].read_text(encoding="utf-8-sig")
    for line in csv.reader(issues.splitlines()):
        assert all(not cell.startswith(("=", "+", "-", "@")) for cell in line), line
    wb = openpyxl.load_workbook(paths["summary"])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_summary_has_every_sheet_and_the_distribution_against_target(tmp_path, specs):
    returns = _returns(specs, tmp_path / "r", {"E1": SEED, "E2": dict(SEED, sales_rate=1.2, new_customers=12),
                                                "E3": dict(SEED, sales_rate=0.5)})
    result, paths = consolidate([returns], tmp_path / "out", specs, workers=1, target_distribution="20,70,10,0")
    wb = openpyxl.load_workbook(paths["summary"])
    totals = [r.total for r in result.records]
    dept = [c.value for c in wb["部门统计"][2]]
    assert dept[:8] == ["销售一部", 3, 3, 0, 3, round(sum(totals) / 3, 2), min(totals), max(totals)]
    assert wb.sheetnames == ["概览", "成绩", "部门统计", "等级分布", "结果应用", "评语与自评", "自评检查", "指标健康", "问题"]
    grades = {row[0].value: [c.value for c in row] for row in wb["等级分布"].iter_rows(min_row=2) if row[0].value}
    assert grades["良好"][1] == 1 and grades["优秀"][3] == 0.2 and grades["良好"][3] == 0.7
    assert wb["等级分布"]._charts
    health = [[c.value for c in row] for row in wb["指标健康"].iter_rows(min_row=2, max_row=5)]
    expense = next(r for r in health if r[1] == "expense_rate")
    assert expense[5] == 0 and expense[7] == 0  # nobody at ≤90%, nobody missing
    share = col_letter(SummaryLayout().grade_col("share"))
    assert {c.number_format for c in wb["等级分布"][share][1:4]} == {"0.0%"}
    assert {c.number_format for row in wb["指标健康"].iter_rows(min_row=2, max_row=5, min_col=6, max_col=8)
            for c in row} == {"0.0%"}


def test_reports_list_people_by_department_then_id_and_the_scratch_store_goes(tmp_path, specs):
    import gc

    folder = tmp_path / "r"
    folder.mkdir()
    for eid, dept in (("E9", "销售二部"), ("E2", "销售一部"), ("E5", "销售二部"), ("E1", "销售一部")):
        person = Person(eid, f"员工{eid}", dept, "销售代表", "李四", "sales_rep")
        build_employee_workbook(folder / f"{len(list(folder.iterdir()))}.xlsx", specs["sales_rep"], person,
                                BuildOptions(actuals={eid: SEED}))
    result, paths = consolidate([folder], tmp_path / "out", specs, workers=1)
    order = ["E1", "E2", "E5", "E9"]
    assert [r["employee_id"] for r in csv.DictReader(paths["scores"].open(encoding="utf-8-sig"))] == order
    assert [row[0].value for row in openpyxl.load_workbook(paths["summary"])["成绩"].iter_rows(min_row=2)] == order
    assert [r.employee_id for r in result.records] == ["E9", "E2", "E5", "E1"]  # the library keeps input order
    del result
    gc.collect()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["history.sqlite", "issues.csv", "reviews.csv", "scores.csv",
                                                                     "summary.xlsx"]


def test_indicator_health_flags_targets_too_easy_and_data_gaps(tmp_path, specs):
    people = {f"E{k}": dict(SEED, new_customers=15, repurchase_rate=None if k < 2 else 0.3) for k in range(5)}
    returns = _returns(specs, tmp_path / "r", people)
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    from xl_kpi.consolidation.health import indicator_health

    flags = {h.indicator.id: h.flags for h in indicator_health(result.records, specs)}
    assert flags["new_customers"] == ["too-easy"] and flags["repurchase_rate"] == ["data-gap"]


def test_history_is_idempotent_for_the_same_period(tmp_path, specs):
    returns = _returns(specs, tmp_path / "r", {"E1": SEED, "E2": SEED})
    db = tmp_path / "h.sqlite"
    for _ in range(2):
        consolidate([returns], tmp_path / "out", specs, workers=1, history=db)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM totals").fetchone()[0] == 2
        assert con.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 8
        assert con.execute("SELECT total, grade FROM totals WHERE employee_id='E1'").fetchone() == (80.0, "良好")


def test_demo_runs_the_whole_loop(tmp_path, capsys):
    assert run(["demo", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for code in ("not-returned", "duplicate-person", "changed-threshold", "normalised-actual", "not-a-workbook"):
        assert code in out
    rows = {r["employee_id"]: r for r in csv.DictReader((tmp_path / "results" / "scores.csv").open(encoding="utf-8-sig"))}
    assert rows["E001"]["total"] == "80.0" and rows["E001"]["grade"] == "良好"  # the seed's worked example
    assert len([p for p in (tmp_path / "workbooks").rglob("*.xlsx") if p.parent.name != "评分表"]) == ROSTER_SIZE
    assert rows["E031"]["rater_supervisor_by"] == "李四"  # the supervisor's ratings, from 李四's own workbook


def test_vague_self_reviews_are_listed_per_person(tmp_path, specs):
    vague = {"goal_review": "努力完成各项工作。", "results": "业绩极大提升,做出重大贡献。"}
    returns = _returns(specs, tmp_path / "r", {"E1": SEED}, texts={"E1": vague})
    _, paths = consolidate([returns], tmp_path / "out", specs, workers=1)
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(paths["summary"])["自评检查"].iter_rows(min_row=2)]
    found = {(r[3], r[4]) for r in rows if r[0] == "E1"}
    assert ("results", "review-vague") in found and ("goal_review", "review-smart") in found
    assert any("极大提升" in (r[5] or "") for r in rows)


def test_build_templates_script_builds_every_bundled_template(tmp_path):
    import runpy
    import sys

    from .conftest import ROOT

    argv = sys.argv
    try:
        sys.argv = ["build_templates.py", str(tmp_path)]
        try:
            runpy.run_path(str(ROOT / "build_templates.py"), run_name="__main__")
        except SystemExit as exc:
            assert exc.code == 0
    finally:
        sys.argv = argv
    assert len([p for p in (tmp_path / "workbooks").rglob("*.xlsx") if p.parent.name != "评分表"]) == ROSTER_SIZE
    assert sorted(p.name for p in (tmp_path / "department").glob("*.xlsx")) == ["产品研发部.xlsx", "客服部.xlsx", "销售一部.xlsx"]


def _cells(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


def test_summary_written_by_a_second_process_is_the_one_written_inline(tmp_path, specs, monkeypatch):
    from xl_kpi.consolidation import alongside, outputs

    monkeypatch.setattr(alongside, "_single_threaded", lambda: True)  # stray threads from other tests

    returns = _returns(specs, tmp_path / "r", {f"E{k}": dict(SEED, new_customers=k) for k in range(1, 6)})
    (returns / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    written = {}
    for mode, threshold in (("inline", 10**9), ("alongside", 0)):
        monkeypatch.setattr(outputs, "PARALLEL_FROM", threshold)
        _, paths = consolidate([returns], tmp_path / mode, specs, workers=1)
        written[mode] = (_cells(paths["summary"]), paths["scores"].read_bytes(), paths["issues"].read_bytes())
    assert written["inline"] == written["alongside"]


def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, specs, capsys, monkeypatch):
    from xl_kpi.consolidation import alongside, outputs

    monkeypatch.setattr(alongside, "_single_threaded", lambda: True)  # stray threads from other tests

    returns = _returns(specs, tmp_path / "r", {"E1": SEED})
    for threshold in (10**9, 0):  # the error reaches the user whichever process wrote the workbook
        monkeypatch.setattr(outputs, "PARALLEL_FROM", threshold)
        out = tmp_path / f"out{threshold}"
        (out / "summary.xlsx").mkdir(parents=True)  # a folder where the workbook should go
        assert run(["consolidate", str(returns), "-o", str(out), "--templates", str(TEMPLATES), "--workers", "1"]) == 2
        assert list(out.glob(".*")) == []  # no temporary file or scratch store left behind
        err = capsys.readouterr().err
        assert f"{out / 'summary.xlsx'}: " in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    for command in (["consolidate", str(returns)], ["build", str(TEMPLATES / "sales_rep.yaml"), "--roster", str(TEMPLATES / "sample_roster.csv")],
                    ["demo"]):
        assert run([*command, "-o", str(blocked)]) == 2
        err = capsys.readouterr().err
        assert "a-file" in err and "-o" in err, err
    assert blocked.read_text(encoding="utf-8") == "x"


@pytest.mark.libreoffice
def test_a_return_saved_again_by_libreoffice_reads_clean(tmp_path, specs):
    """LibreOffice rewrites every part (its own formula spelling, sheet list, shared strings):
    none of the integrity checks may mistake that for tampering."""
    from xl_kpi.office.libreoffice import convert
    returns = _returns(specs, tmp_path / "r", {"E1": SEED, "E2": dict(SEED, sales_rate=1.2)})
    saved = convert(sorted(returns.iterdir()), tmp_path / "saved")
    result, _ = consolidate([tmp_path / "saved"], tmp_path / "out", specs, workers=1)
    assert len(saved) == 2 and result.issues == []
    assert [(r.employee_id, r.total, r.status) for r in result.records] == [("E1", 80.0, "ok"), ("E2", 88.0, "ok")]


def _record(eid, template, scores, status="ok"):
    from xl_kpi.consolidation.reader import PersonRecord

    return PersonRecord("f.xlsx", "S", eid, eid, "D", template, "", "", {}, {}, scores, 80.0, None, status=status)


def test_indicator_health_needs_enough_people_pools_languages_and_leaves_out_tampered_returns(specs):
    from xl_kpi.consolidation.health import indicator_health

    top = {"sales_rate": 100, "new_customers": 100, "repurchase_rate": 0, "expense_rate": 80}
    two = [_record("E1", "sales_rep", top), _record("E2", "sales_rep", top)]
    health = {h.indicator.id: h for h in indicator_health(two, specs)}
    assert health["new_customers"].flags == [] and health["repurchase_rate"].flags == []  # 2 people: too few to tell
    assert health["new_customers"].at_top == 1.0  # the figures are still shown
    assert {h.indicator.id: h.flags for h in indicator_health(two, specs, min_people=2)}["new_customers"] == ["too-easy"]

    # Three zh and two en returns of one role are one pool of five; two tampered ones are left out.
    pool = two + [_record("E3", "sales_rep", top), _record("E4", "sales_rep_en", top), _record("E5", "sales_rep_en", top),
                  _record("X1", "sales_rep", top, status="tampered"), _record("X2", "sales_rep_en", top, status="invalid")]
    rows = [h for h in indicator_health(pool, specs) if h.indicator.id == "new_customers"]
    assert len(rows) == 1
    (row,) = rows
    assert (row.template, row.people, row.scored, row.excluded) == ("sales_rep + sales_rep_en", 5, 5, 2)
    assert row.flags == ["too-easy"]
    assert {h.indicator.id: h.flags for h in indicator_health(pool, specs)}["repurchase_rate"] == ["too-hard"]


def test_consolidate_health_min_people_option(tmp_path, specs):
    returns = _returns(specs, tmp_path / "r", {f"E{k}": dict(SEED, new_customers=15) for k in range(3)})
    assert run(["consolidate", str(returns), "-o", str(tmp_path / "a"), "--templates", str(TEMPLATES), "--workers", "1"]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "a" / "summary.xlsx")["指标健康"]
    flags = {r[1].value: r[-1].value for r in sheet.iter_rows(min_row=2) if r[1].value}
    assert flags["new_customers"] in (None, "")
    assert run(["consolidate", str(returns), "-o", str(tmp_path / "b"), "--templates", str(TEMPLATES), "--workers", "1",
                "--health-min-people", "3"]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "b" / "summary.xlsx")["指标健康"]
    assert {r[1].value: r[-1].value for r in sheet.iter_rows(min_row=2) if r[1].value}["new_customers"] == "too-easy"
    assert run(["consolidate", str(returns), "-o", str(tmp_path / "c"), "--health-min-people", "0"]) == 2
