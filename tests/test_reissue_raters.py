"""HR issues a 360 card again (a rated indicator's levels corrected) with new rating workbooks: a rater who fills in
the workbook of the earlier issue rated a card HR has replaced. Their ratings are not merged into the new card —
the person waits for that rater (``rating-superseded``, then ``awaiting-rater``) — and the rater's return of the new
workbook is what counts, even beside a filled-in copy of the old one."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import xl_kpi
from xl_kpi.scoring.engine import score_card
from xl_kpi.spec.raters import with_peers

from .rating_cases import SPEC_360, SUPERVISORS, card_inputs, employee_cells, rater_cells, self_review, team_people, type_into

TEAM = team_people()[:4]
INPUTS = {p.employee_id: card_inputs(p) for p in TEAM}


def _corrected(spec):
    """The same card with the coaching level B worth 70 instead of 80."""
    coaching = spec.indicator("coaching")
    levels = tuple(dataclasses.replace(lv, score=70.0) if lv.label == "B" else lv for lv in coaching.scoring.levels)
    fixed = dataclasses.replace(coaching, scoring=dataclasses.replace(coaching.scoring, levels=levels))
    return dataclasses.replace(spec, indicators=tuple(fixed if i.id == "coaching" else i for i in spec.indicators))


def _fill_employees(folder: Path) -> None:
    for p in TEAM:
        type_into(next(folder.rglob(f"{p.employee_id}_*.xlsx")), employee_cells(p, INPUTS[p.employee_id], self_review(p)))


def _fill_rater(path: Path) -> None:
    role = "supervisor" if path.name.startswith("上级") else "reviewer" if path.name.startswith("复核") else "peer"
    type_into(path, rater_cells(path, role, path.stem.split("_")[1], TEAM, INPUTS, {p.employee_id: "好" for p in TEAM}))


def _two_issues(tmp_path: Path) -> tuple[Path, Path, object]:
    """The team issued a month ago, then again with the corrected card: (the folder, the supervisor's old workbook, the new spec)."""
    folder = tmp_path / "w"
    xl_kpi.build(SPEC_360, TEAM, folder)
    with sqlite3.connect(folder / "issued.sqlite") as db:
        db.execute("UPDATE issued SET issued_at = ?", ("2026-11-02T09:00:00+00:00",))
    old = tmp_path / "old" / f"上级评分_{SUPERVISORS[0]}.xlsx"
    old.parent.mkdir()
    shutil.copy(folder / "评分表" / old.name, old)
    new_spec = _corrected(SPEC_360)
    xl_kpi.build(new_spec, TEAM, folder)
    _fill_employees(folder)
    for path in (folder / "评分表").iterdir():
        _fill_rater(path)
    _fill_rater(old)
    return folder, old, new_spec


def test_a_raters_workbook_of_the_earlier_issue_is_not_merged_into_the_new_card(tmp_path):
    folder, old, _ = _two_issues(tmp_path)
    shutil.copy(old, folder / "评分表" / old.name)  # the supervisor sends back the old workbook in place of the new one
    result = xl_kpi.consolidate([folder], tmp_path / "o", issued=folder / "issued.sqlite", workers=1)
    records = {r.employee_id: r for r in result.run.records}
    assert {r.status for r in records.values()} == {"awaiting-rater"}
    assert all(r.pay is None and r.awaiting.startswith("supervisor:") for r in records.values())
    stale = [i for i in result.run.issues if i.code == "rating-superseded"]
    assert {i.employee_id for i in stale} == {p.employee_id for p in TEAM} and {i.severity for i in stale} == {"error"}
    assert SUPERVISORS[0] in stale[0].message("zh") and "旧版" in stale[0].message("zh")
    assert [m.role for m in result.run.chase] == ["supervisor"]  # the supervisor is chased for the new workbook


def test_the_new_workbook_counts_beside_a_filled_in_copy_of_the_old_one(tmp_path):
    folder, old, new_spec = _two_issues(tmp_path)
    shutil.copy(old, folder / "评分表" / ("旧_" + old.name))  # both the old and the new workbook come back
    result = xl_kpi.consolidate([folder], tmp_path / "o", issued=folder / "issued.sqlite", workers=1)
    for r in result.run.records:
        want = score_card(with_peers(new_spec, 2), INPUTS[r.employee_id], next(p for p in TEAM if p.employee_id == r.employee_id).bonus_base)
        assert (r.status, r.total) == ("ok", want.total)
    assert not [i for i in result.run.issues if i.code == "conflicting-ratings"]
    assert {i.file for i in result.run.issues if i.code == "rating-superseded"} == {str(folder / "评分表" / ("旧_" + old.name))}


def test_without_the_register_a_template_version_since_the_issue_scores_both_parts_alike(tmp_path):
    """On trust, HR's current template (a new version, the same rules) scores the employee's part, with a warning, and so
    the raters' parts of the same issue: nothing waits for a rating workbook that was never issued again."""
    folder = tmp_path / "w"
    xl_kpi.build(SPEC_360, TEAM, folder)
    _fill_employees(folder)
    for path in (folder / "评分表").iterdir():
        _fill_rater(path)
    new_spec = dataclasses.replace(SPEC_360, version=SPEC_360.version + ".1")  # HR's template moved on since the issue
    result = xl_kpi.consolidate([folder], tmp_path / "o", new_spec, TEAM, workers=1)
    assert {i.code for i in result.run.issues if i.severity != "info"} >= {"template-version"}
    assert {r.status for r in result.run.records} == {"ok"}
    assert not [i for i in result.run.issues if i.code == "rating-superseded"]
    for r in result.run.records:
        base = next(p for p in TEAM if p.employee_id == r.employee_id).bonus_base
        assert r.total == score_card(with_peers(new_spec, 2), INPUTS[r.employee_id], base).total
