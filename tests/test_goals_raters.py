"""The goal-setting round when supervisors, reviewers and peers rate in workbooks of their own (issues 26 and 29):
an approved change mid-period is the target scored when the raters' parts are merged."""

from __future__ import annotations

import shutil
from pathlib import Path

import xl_kpi
from xl_kpi.goals.change import accept_change
from xl_kpi.scoring.engine import score_card
from xl_kpi.spec.raters import with_peers

from .rating_cases import SPEC_360, card_inputs, employee_cells, rater_cells, self_review, team_people, type_into

TEAM = team_people()[:4]  # 李经理's team; their peers are each other
INPUTS = {p.employee_id: card_inputs(p) for p in TEAM}


def _issue_and_fill(folder: Path) -> Path:
    xl_kpi.build(SPEC_360, TEAM, folder, ratings="separate")
    register = folder.parent / f"{folder.name}.sqlite"
    shutil.move(folder / "issued.sqlite", register)  # HR keeps the register
    for p in TEAM:
        type_into(next(folder.rglob(f"{p.employee_id}_*.xlsx")), employee_cells(p, INPUTS[p.employee_id], self_review(p)))
    for path in (folder / "评分表").iterdir():
        role = "supervisor" if path.name.startswith("上级") else "reviewer" if path.name.startswith("复核") else "peer"
        type_into(path, rater_cells(path, role, path.stem.split("_")[1], TEAM, INPUTS, {p.employee_id: "好" for p in TEAM}))
    return register


def test_an_approved_change_is_the_target_scored_when_the_raters_parts_are_merged(tmp_path):
    register = _issue_and_fill(tmp_path / "w")
    actual = INPUTS["E01"]["new_customers"]
    new = round(actual / 1.25)  # the issued 30 lowered so that E01's customers reach ≥120% of it
    assert actual < 30 * 1.2  # against the issued 30 they would not
    accept_change(register, "E01", "新客户开发数", new, "大客户项目占用一个月", "李经理", "2026-08-15")
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    records = {r.employee_id: r for r in result.run.records}
    spec = with_peers(SPEC_360, 2)
    want = score_card(spec.with_targets({"new_customers": float(new)}), INPUTS["E01"], TEAM[0].bonus_base)
    before = score_card(spec, INPUTS["E01"], TEAM[0].bonus_base)
    e01 = records["E01"]
    assert result.run.separate and e01.status == "ok"
    assert e01.scores["new_customers"] == 100 != before.scores["new_customers"]
    assert (e01.total, e01.grade, e01.pay) == (want.total, want.grade.label, want.pay) != (before.total, before.grade.label, before.pay)
    assert [i.employee_id for i in result.run.issues if i.code == "target-change-approved"] == ["E01"]
    for p in TEAM[1:]:  # the others as issued
        assert records[p.employee_id].total == score_card(spec, INPUTS[p.employee_id], p.bonus_base).total
