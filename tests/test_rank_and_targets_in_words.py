"""Issue 25, item 1: rank rules (每提前一名加20分, points by rank) and targets written in words (3个工作日内,
4小时内, 为0, ≤2次, 低于预算5%) with deductions counted from the target — read from HR's tables, scored by the
engine (the sheet formulas and the UDF workbook are held to it by the oracle tests over every method's samples)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from xl_kpi.authoring import import_tables
from xl_kpi.cli import run
from xl_kpi.scoring.engine import score_card, score_indicator
from xl_kpi.spec.model import Indicator
from xl_kpi.spec.rules import parse_spec

GRADES = [{"label": "优秀", "min": 90}, {"label": "合格", "min": 0}]


def _one(indicator: dict) -> tuple[Indicator | None, list]:
    spec, problems = parse_spec({"id": "s", "title": "s", "grades": GRADES, "indicators": [{"weight": "100%", **indicator}]})
    return (spec.indicators[0] if spec is not None else None), problems


def _import(tmp_path: Path, standard: str, target: str = "", weight: str = "50%"):
    wb = openpyxl.Workbook()
    for row in (["考核指标", "权重", "目标值", "评分标准"], ["销售额排名", weight, target, standard],
                ["客户满意度", "50%", "", "A:100分;B:80分;C:60分;D:0分"]):
        wb.active.append(row)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    imported, problems = import_tables([path])
    errors = [p for p in problems if p.severity == "error"]
    spec = imported[0].spec if imported and not errors else None
    return (spec.indicators[0] if spec is not None else None), errors


# --- rank rules -------------------------------------------------------------------------------------------
def test_each_place_ahead_adds_and_each_place_behind_takes_from_the_target_rank():
    ind, _ = _one({"id": "rank", "name": "销售额排名", "unit": "名", "target": 3, "direction": "lower",
                   "scoring": {"method": "rank", "ahead": 20, "behind": 20}})
    assert ind is not None
    assert [score_indicator(ind, r) for r in (1, 2, 3, 4, 5, 8, 30)] == [140, 120, 100, 80, 60, 0, 0]
    assert ind.method.top(ind) == 140  # no cap written: first place bounds the bonus
    assert ind.describe("zh") == "达到目标名次得100分;每提前一名加20分;每退后一名扣20分;最低0分"


def test_a_capped_rank_rule_stays_within_its_floor_and_cap():
    ind, _ = _one({"id": "rank", "name": "回款排名", "unit": "名", "target": 5, "direction": "lower",
                   "scoring": {"method": "rank", "ahead": 5, "behind": 12.5, "start": 80, "floor": 10, "cap": 95}})
    assert ind is not None
    assert [score_indicator(ind, r) for r in (1, 4, 5, 6, 12)] == [95, 85, 80, 67.5, 10]
    assert ind.method.input_range(ind) == (1, float("inf"))  # a rank of 0 would earn more than first place


@pytest.mark.parametrize(("change", "code"), [({"direction": "higher"}, "rank-direction"), ({"target": 2.5}, "rank-target"),
                                              ({"target": 0}, "rank-target"),
                                              ({"scoring": {"method": "rank", "ahead": 0, "behind": 0}}, "rank-points")])
def test_a_rank_rule_that_cannot_be_meant_is_refused(change, code):
    base = {"id": "rank", "name": "销售额排名", "unit": "名", "target": 3, "direction": "lower",
            "scoring": {"method": "rank", "ahead": 20, "behind": 20}}
    _, problems = _one({**base, **change})
    assert code in {p.code for p in problems if p.severity == "error"}


def test_a_rank_table_is_read_with_its_target_rank(tmp_path):
    ind, errors = _import(tmp_path, "每提前一名加20分,每退后一名扣20分", "第3名")
    assert not errors and ind is not None
    assert (ind.method.name, ind.target, ind.direction, ind.unit) == ("rank", 3, "lower", "名")
    assert [score_indicator(ind, r) for r in (1, 3, 6)] == [140, 100, 40]


@pytest.mark.parametrize(("standard", "target", "scores"), [
    ("以第3名为基准得100分,每落后一名扣10分,扣完为止", 3, {1: 100, 3: 100, 5: 80, 20: 0}),
    ("前5名得100分,每退后一名扣10分", 5, {2: 100, 5: 100, 7: 80}),
    ("保持第2名得满分,每退后一名扣10分,最多扣30分", 2, {1: 100, 3: 90, 9: 70}),
    ("名次每上升1位加5分,最高加10分;每下降1位扣5分", None, None),
])
def test_the_rank_the_base_is_scored_at_may_be_said_in_the_rule(tmp_path, standard, target, scores):
    ind, errors = _import(tmp_path, standard)
    if target is None:  # neither the target column nor the rule says which rank earns the base
        assert errors and "the rank that scores the base is not given" in errors[0].render("en")
        return
    assert not errors and ind is not None and ind.target == target
    assert {r: score_indicator(ind, r) for r in scores} == scores


def test_points_by_rank_are_bands_on_the_rank(tmp_path):
    ind, errors = _import(tmp_path, "第1名得100分,第2名得80分,第3名得60分,其他0分")
    assert not errors and ind is not None and ind.method.name == "bands" and ind.direction == "lower"
    assert [score_indicator(ind, r) for r in (1, 2, 3, 4)] == [100, 80, 60, 0]


# --- targets in words: deductions counted from the target ---------------------------------------------------
@pytest.mark.parametrize(("standard", "target", "scores"), [
    ("每延迟1个工作日扣除2分", "3个工作日内", {2: 100, 3: 100, 4: 98, 6: 94}),
    ("每超1小时扣5分,扣完为止", "4小时内", {4: 100, 5: 95, 30: 0}),
    ("超出目标每1小时扣2分", "4小时内", {4: 100, 6: 96}),
    ("每发生1次扣2分", "为0", {0: 100, 1: 98}),
    ("每发生1次扣5分,扣完为止", "≤2次", {0: 100, 2: 100, 3: 95, 4: 90}),  # counted from the target, not from zero
    ("每超1%扣2分", "低于预算5%", {0.9: 100, 0.95: 100, 0.97: 96}),  # the actual as its share of the budget
    ("每超出1%扣2分,最多扣20分", "≤预算的95%", {0.95: 100, 1.2: 80}),
    ("每超1%扣3分", "不超过预算", {1.0: 100, 1.02: 94}),
])
def test_a_target_in_words_is_where_deductions_start(tmp_path, standard, target, scores):
    ind, errors = _import(tmp_path, standard, target)
    assert not errors and ind is not None, [e.render("en") for e in errors]
    assert ind.direction == "lower"
    assert {x: score_indicator(ind, x) for x in scores} == scores


def test_a_budget_target_says_what_the_actual_is(tmp_path, capsys):
    wb = openpyxl.Workbook()
    for row in (["考核指标", "权重", "目标值", "评分标准"], ["费用控制", "50%", "低于预算5%", "每超1%扣2分"],
                ["客户满意度", "50%", "", "A:100分;B:80分;C:60分;D:0分"]):
        wb.active.append(row)
    wb.save(tmp_path / "t.xlsx")
    assert run(["import", str(tmp_path / "t.xlsx"), "-o", str(tmp_path / "t.yaml")]) == 0
    assert "实际/预算" in (tmp_path / "t.yaml").read_text(encoding="utf-8")


# --- item 5: the top grade out of reach -----------------------------------------------------------------------
def test_check_warns_on_a_card_of_points_whose_best_total_misses_the_top_grade(tmp_path, capsys):
    spec = tmp_path / "pts.yaml"
    spec.write_text("""id: pts
title: 点数卡
grades: [{label: 优秀, min: 90}, {label: 合格, min: 0}]
indicators:
  - {id: duty, name: 出勤纪律, points: 40, scoring: {method: judged, min: 0, max: 40}}
  - {id: errors, name: 单据差错次数, points: 40, target: 0, direction: lower, unit: 次,
     scoring: {method: deduction, start: 40, per_unit: 5, floor: 0}}
  - {id: rank, name: 销售额排名, points: 20, target: 3, direction: lower, unit: 名,
     scoring: {method: rank, start: 5, behind: 5, ahead: 0}}
""", encoding="utf-8")
    assert run(["check", str(spec)]) == 0
    out = capsys.readouterr()
    said = out.out + out.err
    assert "short of the top grade '优秀' at 90" in said or "达不到最高等级“优秀”的 90 分" in said
    assert "85" in said  # 40 + 40 + the rank row's best, 5


def test_a_card_of_points_that_can_reach_its_top_grade_is_not_warned(tmp_path, capsys):
    ind = {"points": 50, "target": 3, "direction": "lower", "unit": "名", "scoring": {"method": "rank", "start": 40, "ahead": 5, "behind": 5}}
    spec, problems = parse_spec({"id": "s", "title": "s", "grades": GRADES, "indicators": [
        {"id": "a", "name": "销售额排名", **ind}, {"id": "b", "name": "回款额排名", **ind}]})
    assert spec is not None and "grade-unreachable" not in {p.code for p in problems}
    assert score_card(spec, {"a": 1, "b": 1}).total == 100  # first place: 40 + 2 × 5, twice


# --- a step rule's other bound: 低于X不得分 ------------------------------------------------------------------
def test_below_the_cutoff_the_row_scores_nothing_whatever_the_steps_give():
    ind, _ = _one({"id": "plan", "name": "计划完成率", "unit": "%", "target": 0.95, "direction": "higher",
                   "scoring": {"method": "step", "step": 0.01, "below": 2, "cutoff": 0.8}})
    assert ind is not None
    assert [score_indicator(ind, x) for x in (0.95, 0.9, 0.8, 0.7999999, 0.5)] == [100, 90, 70, 0, 0]
    assert ind.method.bottom(ind) == 0
    assert ind.describe("zh").endswith(";低于80%不得分")


def test_a_cutoff_on_the_better_side_of_the_target_is_refused():
    _, problems = _one({"id": "plan", "name": "计划完成率", "unit": "%", "target": 0.95, "direction": "higher",
                        "scoring": {"method": "step", "step": 0.01, "below": 2, "cutoff": 0.98}})
    assert "step-cutoff" in {p.code for p in problems if p.severity == "error"}


def test_a_cutoff_on_the_wrong_side_is_refused_naming_it(tmp_path):
    _, errors = _import(tmp_path, "每低于目标1%扣2分,高于80%不得分", "95%")
    assert errors and "高于80%不得分" in errors[0].render("en")


def test_the_sheet_functions_score_ranks_and_cutoffs_like_the_engine():
    from xl_kpi.udf.functions import KPIRANK, KPISTEP

    assert KPIRANK(1, 3, 20, 20) == 140 and KPIRANK(5, 3, 20, 20) == 60 and KPIRANK(9, 3, 20, 20) == 0
    assert KPIRANK(1, 3, 20, 20, 100, 0, 120) == 120
    assert str(KPIRANK(0, 3, 20, 20)).startswith("⚠")  # no rank 0
    assert KPIRANK(2, 3, 20, 20, 100, 0, 150) == 120
    assert KPISTEP(0.8, 0.95, 0.01, 0, 2, 100, 0, 100, "higher", False, 0.8) == 70
    assert KPISTEP(0.79, 0.95, 0.01, 0, 2, 100, 0, 100, "higher", False, 0.8) == 0


@pytest.mark.parametrize(("standard", "target", "scores"), [
    ("每发生1次扣5分,扣完为止", "0", {0: 100, 3: 85, 30: 0}),
    ("每发生1次扣5分,扣分上限20分", "0", {0: 100, 2: 90, 10: 80}),
    ("每发生1次扣5分,最高扣除20分", "0", {0: 100, 2: 90, 10: 80}),
    ("每低于目标1%扣2分,扣分上限20分", "95%", {0.95: 100, 0.9: 90, 0.5: 80}),
    ("每低于目标1%扣2分,最高扣除20分,低于60%不得分", "95%", {0.9: 90, 0.6: 80, 0.59: 0}),
    ("每增长1%加1分,最高加10分;每下降1%扣1分,最高扣除20分", "100%", {1.05: 105, 1.5: 110, 0.9: 90, 0.5: 80}),
    ("完成率100%得100分,每低1%扣2分,低于80%不得分", "100%", {1.0: 100, 0.8: 60, 0.79: 0}),
    ("每低于目标1%扣2分,完成率低于80%该项不得分", "95%", {0.95: 100, 0.8: 70, 0.7: 0}),
    ("每超1小时扣5分,最低10分,超过12小时不得分", "4小时内", {4: 100, 12: 60, 13: 0}),
])
def test_a_rows_floor_cutoff_and_bounds_are_kept(tmp_path, standard, target, scores):
    ind, errors = _import(tmp_path, standard, target)
    assert not errors and ind is not None, [e.render("en") for e in errors]
    assert {x: score_indicator(ind, x) for x in scores} == scores


def test_a_rule_that_says_where_it_starts_counts_from_zero_whatever_the_target(tmp_path):
    ind, errors = _import(tmp_path, "起始100分,每发生1次扣10分,最低0分", "≤2次")
    assert not errors and ind is not None and ind.method.name == "deduction"
    assert [score_indicator(ind, n) for n in (0, 2, 3)] == [100, 80, 70]


def test_a_bonus_that_would_pass_the_score_limit_is_warned():
    ind, problems = _one({"id": "rank", "name": "销售额排名", "unit": "名", "target": 5, "direction": "lower",
                          "scoring": {"method": "rank", "ahead": 20, "behind": 20}})
    assert ind is not None and "rank-bonus-limit" in {p.code for p in problems if p.severity == "warning"}
    assert score_indicator(ind, 1) == 150  # not the 180 the rule would give
    _, fine = _one({"id": "rank", "name": "销售额排名", "unit": "名", "target": 3, "direction": "lower",
                    "scoring": {"method": "rank", "ahead": 20, "behind": 20}})
    assert "rank-bonus-limit" not in {p.code for p in fine}
