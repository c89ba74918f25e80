"""A change approved mid-period reaches the person (issue 29, item 4): ``goals change`` writes the change notice
(目标变更确认单) with every approved change of the period, and ``build --changes`` issues the card again with the
approved targets and the change log on its 目标确认记录 sheet — the card built before the change is never edited."""

from __future__ import annotations

import shutil

import openpyxl

import xl_kpi
from xl_kpi.cli import run

from .test_goals import ACTUALS, cards, round_trip  # noqa: F401 - the round trip's fixtures: goals agreed, cards built

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
