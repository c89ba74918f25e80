"""Merging every rater's part (issue 26), case by case: the register's word and the files' word, two rounds
(the rating workbooks built from the employees' returns), disagreeing copies, a rater's typing that cannot be
read, sorted rows, another period's ratings, an unissued or unsigned rating workbook, the single file with its
peers' columns — each with its finding, and the results beside it exact."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

import xl_kpi
from xl_kpi.core.refs import a1
from xl_kpi.followup.api import chase, status
from xl_kpi.scoring.engine import score_card
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.sheet.rating_layout import RatingLayout
from xl_kpi.spec.raters import with_peers

from . import excel_edits as edit
from .rating_cases import (
    REVIEWER,
    SPEC_360,
    SUPERVISORS,
    card_inputs,
    employee_cells,
    rater_cells,
    self_review,
    team_people,
    type_into,
)
from .zipedit import rewrite_part

KEY = b"hr-secret-key-for-the-raters-tests"
TEAM = team_people()[:4]  # 李经理's team; their peers are each other
INPUTS = {p.employee_id: card_inputs(p) for p in TEAM}


def _issue(folder: Path, key: bytes | None = None, **options) -> Path:
    xl_kpi.build(SPEC_360, TEAM, folder, sign_key=key, **options)
    register = folder.parent / f"{folder.name}.sqlite"
    shutil.move(folder / "issued.sqlite", register)
    return register


def _fill(folder: Path, people=TEAM, raters: bool = True, employees: bool = True) -> None:
    """Every party types their part into their own file, in place."""
    if employees:
        for p in people:
            type_into(next(folder.rglob(f"{p.employee_id}_*.xlsx")), employee_cells(p, INPUTS[p.employee_id], self_review(p)))
    if raters:
        for path in (folder / "评分表").iterdir():
            role = "supervisor" if path.name.startswith("上级") else "reviewer" if path.name.startswith("复核") else "peer"
            type_into(path, rater_cells(path, role, path.stem.split("_")[1], TEAM, INPUTS, {p.employee_id: "好" for p in TEAM}))


def _want(person):
    return score_card(with_peers(SPEC_360, 2), INPUTS[person.employee_id], person.bonus_base)


def _records(result):
    return {r.employee_id: r for r in result.run.records}


def _codes(result, code):
    return [i for i in result.run.issues if i.code == code]


def test_on_trust_the_raters_are_whoever_returned_a_part_and_a_missing_role_is_named(tmp_path):
    _issue(tmp_path / "w")
    _fill(tmp_path / "w")
    (tmp_path / "w" / "评分表" / f"复核评分_{REVIEWER}.xlsx").unlink()
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, workers=1)
    records = _records(result)
    assert {r.status for r in records.values()} == {"awaiting-rater"} and all(r.awaiting == "reviewer:?" for r in records.values())
    assert [m.role for m in result.run.chase] == ["reviewer"]
    again = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o2", SPEC_360, TEAM, workers=1, period="2026-Q3")
    assert len(_codes(again, "rater-missing")) == 4
    assert all("?" not in i.message("zh") and "未由登记册指定" in i.message("zh") for i in _codes(again, "rater-missing"))


def test_two_rounds_the_rating_workbooks_built_from_the_employees_returns(tmp_path):
    issued = tmp_path / "issued"
    xl_kpi.build(SPEC_360, TEAM, issued, books="employees")
    assert not (issued / "评分表").exists()
    _fill(issued, raters=False)
    first = xl_kpi.consolidate([issued], tmp_path / "round1", SPEC_360, TEAM, issued=issued / "issued.sqlite", workers=1)
    assert {r.status for r in first.run.records} == {"awaiting-rater"}  # the raters have not been issued anything yet
    assert first.run.chase == []  # the register has no rating workbook yet: nobody owes one
    waiting = {i.employee_id for i in _codes(first, "rater-missing")}
    assert waiting == {p.employee_id for p in TEAM}
    xl_kpi.build(SPEC_360, TEAM, issued, from_results=tmp_path / "round1")  # the same folder: one register for both rounds
    _fill(issued, employees=False)
    second = xl_kpi.consolidate([issued], tmp_path / "round2", SPEC_360, TEAM, issued=issued / "issued.sqlite", workers=1)
    for p in TEAM:
        assert (_records(second)[p.employee_id].status, _records(second)[p.employee_id].total) == ("ok", _want(p).total)
    assert not _codes(second, "rater-missing") and not _codes(second, "not-issued")


def test_two_versions_of_one_raters_ratings_are_a_conflict_hr_resolves(tmp_path):
    register = _issue(tmp_path / "w")
    _fill(tmp_path / "w")
    book = tmp_path / "w" / "评分表" / f"上级评分_{SUPERVISORS[0]}.xlsx"
    second = book.with_name(book.stem + " (修改).xlsx")
    shutil.copy(book, second)
    layout = RatingLayout(SPEC_360, "supervisor", 4)
    type_into(second, {a1(layout.row(1), layout.col("rating:teamwork:supervisor")): "D"})  # 王芳's rating changed in the copy
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    records = _records(result)
    assert (records["E02"].status, records["E02"].total, records["E02"].pay) == ("conflict", None, None)
    assert {i.employee_id for i in _codes(result, "conflicting-ratings")} == {"E02"}
    for p in (TEAM[0], *TEAM[2:]):  # the same in both copies: one return
        assert (records[p.employee_id].status, records[p.employee_id].total) == ("ok", _want(p).total)


def test_a_rating_that_cannot_be_read_is_named_in_the_raters_file_and_cell(tmp_path):
    register = _issue(tmp_path / "w")
    _fill(tmp_path / "w")
    book = tmp_path / "w" / "评分表" / "同事互评_E03_刘洋.xlsx"
    layout = RatingLayout(SPEC_360, "peer", 2)
    type_into(book, {a1(layout.row(0), layout.col("rating:teamwork:peers")): "A+"})
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    bad = [i for i in _codes(result, "invalid-level") if i.file.endswith("同事互评_E03_刘洋.xlsx")]
    assert len(bad) == 1 and bad[0].cell == "F8"
    assert "A+" in bad[0].message("zh") and "实际值" not in bad[0].message("zh")  # a rating, with the levels it may be
    records = _records(result)
    assert (records[bad[0].employee_id].status, records[bad[0].employee_id].total) == ("invalid", None)
    assert all(r.status == "ok" for eid, r in records.items() if eid != bad[0].employee_id)


def test_a_rating_typed_as_a_formula_is_read_by_its_result_and_named_in_the_raters_file_and_cell(tmp_path):
    register = _issue(tmp_path / "w")
    _fill(tmp_path / "w")
    book = tmp_path / "w" / "评分表" / "同事互评_E03_刘洋.xlsx"
    layout = RatingLayout(SPEC_360, "peer", 2)
    ref = a1(layout.row(0), layout.col("rating:teamwork:peers"))
    rewrite_part(book, "xl/worksheets/sheet1.xml",
                 lambda xml: re.sub(rf'(<c r="{ref}"(?: s="\d+")?)[^>]*?(?:/>|>.*?</c>)', r'\1 t="str"><f>"A"</f><v>A</v></c>', xml, count=1))
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    (warned,) = _codes(result, "input-formula")
    assert (Path(warned.file).name, warned.cell, warned.severity) == (book.name, ref, "warning")
    assert SPEC_360.indicator("teamwork").name in warned.message("zh") and "=\"A\"" in warned.message("zh")
    assert _records(result)[warned.employee_id].status == "ok"  # the rating it shows is read; HR is told how it was typed


def test_rows_the_rater_sorted_are_read_by_the_id_each_holds(tmp_path):
    register = _issue(tmp_path / "w")
    _fill(tmp_path / "w")
    book = tmp_path / "w" / "评分表" / f"上级评分_{SUPERVISORS[0]}.xlsx"
    edit.sort_rows(book, [8, 9, 10, 11], [11, 10, 9, 8], "P")  # 马→张: the whole rows, as Excel's sort moves them
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    assert len(_codes(result, "rating-rows-moved")) == 1
    for p in TEAM:
        assert (_records(result)[p.employee_id].status, _records(result)[p.employee_id].total) == ("ok", _want(p).total)


def test_another_periods_ratings_are_set_aside(tmp_path):
    _issue(tmp_path / "w")
    _fill(tmp_path / "w")
    q4 = [dataclass_replace(p, period="2026-Q4") for p in TEAM]
    xl_kpi.build(SPEC_360, q4, tmp_path / "q4", actuals={eid: {**v, "teamwork": {r: "D" for r in v["teamwork"]}}
                                                         for eid, v in INPUTS.items()})
    result = xl_kpi.consolidate([tmp_path / "w", tmp_path / "q4" / "评分表"], tmp_path / "o", SPEC_360, TEAM, workers=1,
                                period="2026-Q3")  # on trust: the register would not know next quarter's workbooks at all
    other = [i for i in _codes(result, "other-period") if "评分表" in i.file]
    assert len(other) == 4 * 4  # the supervisor's, the reviewer's and two peers' ratings of each of four people
    for p in TEAM:
        assert (_records(result)[p.employee_id].status, _records(result)[p.employee_id].total) == ("ok", _want(p).total)


def dataclass_replace(person, **changes):
    import dataclasses

    return dataclasses.replace(person, **changes)


def test_a_rating_workbook_hr_did_not_issue_or_whose_metadata_was_edited_is_not_used(tmp_path):
    register = _issue(tmp_path / "w", key=KEY)
    _fill(tmp_path / "w")
    xl_kpi.build(SPEC_360, TEAM, tmp_path / "forged", actuals={eid: {**v, "teamwork": {**v["teamwork"], "supervisor": "A"}}
                                                              for eid, v in INPUTS.items()})
    forged = tmp_path / "w" / "评分表" / "上级评分_自制.xlsx"
    shutil.copy(tmp_path / "forged" / "评分表" / f"上级评分_{SUPERVISORS[0]}.xlsx", forged)
    edited = tmp_path / "w" / "评分表" / f"复核评分_{REVIEWER}.xlsx"
    edit.set_meta_value(edited, "rater_name", "孙总(代)")
    key = tmp_path / "hr.key"
    key.write_bytes(KEY)
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, issued=register, sign_key=key, workers=1)
    assert [Path(i.file).name for i in _codes(result, "signature-invalid")] == sorted([forged.name, edited.name])
    records = _records(result)
    assert all(r.status == "awaiting-rater" and r.awaiting == f"reviewer:{REVIEWER}" for r in records.values())
    assert all(r.ratings["teamwork"]["supervisor"] == INPUTS[eid]["teamwork"]["supervisor"] for eid, r in records.items())


def test_the_single_file_with_two_peers_columns_consolidates_with_the_register_or_the_templates(tmp_path):
    register = _issue(tmp_path / "w", ratings="inline", actuals=INPUTS)
    for kwargs in ({"issued": register}, {}):
        result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / f"o{len(kwargs)}", SPEC_360, TEAM, workers=1, **kwargs)
        for p in TEAM:
            record = _records(result)[p.employee_id]
            assert (record.status, record.total, record.pay) == ("ok", _want(p).total, _want(p).pay)
        assert not result.run.chase and not result.run.separate and not _codes(result, "metadata-invalid")


def test_an_employees_workbook_made_to_look_single_file_still_gives_only_their_own_part(tmp_path):
    register = _issue(tmp_path / "w")
    _fill(tmp_path / "w")
    own = next((tmp_path / "w").rglob("E02_*.xlsx"))
    edit.set_meta_value(own, "ratings", "inline")  # as if every cell were theirs to fill
    cells = PersonLayout.for_spec(SPEC_360).cell_map(SPEC_360)
    type_into(own, {cells["rating"]["teamwork"]["supervisor"]: "A"})
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    assert _records(result)["E02"].total == _want(TEAM[1]).total
    assert [i.cell for i in _codes(result, "input-not-issued")] == [cells["rating"]["teamwork"]["supervisor"]]


@pytest.mark.parametrize("role", ["supervisor", "peer"])
def test_a_rater_with_nothing_returned_is_chased_with_every_person_waiting(tmp_path, role):
    register = _issue(tmp_path / "w")
    _fill(tmp_path / "w")
    name = f"上级评分_{SUPERVISORS[0]}.xlsx" if role == "supervisor" else "同事互评_E01_张三.xlsx"
    returned = shutil.copytree(tmp_path / "w", tmp_path / "returned", ignore=shutil.ignore_patterns("issued.sqlite"))
    (returned / "评分表" / name).unlink()  # everyone returned but this rater (HR's build folder keeps what was issued)
    result = xl_kpi.consolidate([returned], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    assert [(m.role, m.file) for m in result.run.chase] == [(role, name)]
    waiting = {r.employee_id for r in result.run.records if r.status == "awaiting-rater"}
    assert {eid for eid, _ in result.run.chase[0].people} == waiting
    assert all(r.total == _want(next(p for p in TEAM if p.employee_id == r.employee_id)).total
               for r in result.run.records if r.status == "ok")
    # HR's one chase list: a rater-file row per person waiting, asked of the rater, their rating workbook attached
    chased = chase([returned], tmp_path / "chase", SPEC_360, TEAM, issued=register, signatures=(), workers=1)
    rows = [row for row in csv.DictReader((tmp_path / "chase" / "chase.csv").open(encoding="utf-8-sig")) if row["kind"] == "rater-file"]
    assert {row["employee_id"] for row in rows} == waiting and {(row["to"], Path(row["attach"]).name) for row in rows} == {("rater", name)}
    (draft,) = [d for d in chased.drafts if d.recipient == "rater"]
    assert [a.name for a in draft.attachments] == [name] and all(eid in draft.body for eid in waiting)
    total = status(issued=register, returns=[returned], templates=SPEC_360, roster=TEAM, workers=1).iloc[-1]
    assert (total["issued"], total["returned"], total["awaiting_rater"]) == (len(TEAM), len(TEAM), len(waiting))


def test_the_command_line_builds_rating_workbooks_and_names_the_raters_to_chase(tmp_path, capsys):
    import json

    from xl_kpi.cli import run

    from .rating_cases import roster_csv

    roster = roster_csv(tmp_path / "roster.csv", TEAM)
    spec = Path(__file__).parent / "data" / "sales_360.yaml"
    assert run(["build", str(spec), "--roster", str(roster), "-o", str(tmp_path / "w")]) == 0
    capsys.readouterr()
    assert len(list((tmp_path / "w" / "评分表").iterdir())) == 1 + 1 + 4
    shutil.move(tmp_path / "w" / "issued.sqlite", tmp_path / "issued.sqlite")
    code = run(["consolidate", str(tmp_path / "w"), "-o", str(tmp_path / "o"), "--issued", str(tmp_path / "issued.sqlite"),
                "--format", "json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 1 and [r["role"] for r in summary["raters_to_chase"]] == ["supervisor", "reviewer", *["peer"] * 4]
    assert summary["raters_to_chase"][0]["people"] == [p.employee_id for p in TEAM]
    assert run(["build", str(spec), "--roster", str(roster), "-o", str(tmp_path / "x"), "--rater-password", "老板=1"]) == 2
    assert "--rater-password" in capsys.readouterr().err


def test_a_rating_workbook_relabelled_as_a_scorecard_or_the_reverse_is_not_used(tmp_path):
    register = _issue(tmp_path / "w")
    _fill(tmp_path / "w")
    book = tmp_path / "w" / "评分表" / f"上级评分_{SUPERVISORS[0]}.xlsx"
    disguised = tmp_path / "w" / "E01_张三(2).xlsx"
    shutil.copy(book, disguised)
    edit.set_meta_value(disguised, "layout", "employee")  # the supervisor's file, claiming to be 张三's own
    own = next((tmp_path / "w").rglob("E02_*.xlsx"))
    reversed_ = tmp_path / "w" / "上级评分_王芳.xlsx"
    shutil.copy(own, reversed_)
    edit.set_meta_value(reversed_, "layout", "rater")  # 王芳's own file, claiming to be a rating workbook
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    mismatched = {Path(i.file).name for i in _codes(result, "issued-mismatch")} | {Path(i.file).name for i in _codes(result, "metadata-invalid")}
    assert {disguised.name, reversed_.name} <= mismatched
    for p in TEAM:
        assert (_records(result)[p.employee_id].status, _records(result)[p.employee_id].total) == ("ok", _want(p).total)


def test_a_supervisor_who_rated_only_part_of_the_team_keeps_the_rest_waiting_and_each_gap_is_named_once(tmp_path):
    register = _issue(tmp_path / "w")
    _fill(tmp_path / "w", raters=False)
    layout = RatingLayout(SPEC_360, "supervisor", len(TEAM))
    first_rating = next(c.col for c in layout.inputs if c.group == "rating")
    untouched, blank = layout.row(0), a1(layout.row(1), first_rating)  # E01's row never filled; E02's first rating left blank
    for path in (tmp_path / "w" / "评分表").iterdir():
        role = "supervisor" if path.name.startswith("上级") else "reviewer" if path.name.startswith("复核") else "peer"
        typed = rater_cells(path, role, path.stem.split("_")[1], TEAM, INPUTS, {p.employee_id: "好" for p in TEAM})
        if role == "supervisor":  # the supervisor stopped early
            typed = {ref: v for ref, v in typed.items() if int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) - 1 != untouched and ref != blank}
        type_into(path, typed)
    result = xl_kpi.consolidate([tmp_path / "w"], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    found = sorted((i.employee_id, i.cell) for i in _codes(result, "rating-blank"))
    assert found == [("E01", a1(untouched, first_rating)), ("E02", blank)]
    assert not _codes(result, "missing-actual")  # a rater's blank is the rater's to fill, not an actual the employee owes
    records = _records(result)
    assert {eid for eid, r in records.items() if r.status == "awaiting-rater"} == {"E01", "E02"}
    assert [(m.role, {eid for eid, _ in m.people}) for m in result.run.chase] == [("supervisor", {"E01", "E02"})]
    for p in TEAM[2:]:
        assert (records[p.employee_id].status, records[p.employee_id].total) == ("ok", _want(p).total)


def test_the_raters_workbooks_back_before_any_employees_are_of_this_period_not_another(tmp_path):
    """The supervisors returned first: their ratings are this period's (kept, the employees still owed), not set
    aside as 'another period' against a period of none (—), nor sent back to be issued again."""
    register = _issue(tmp_path / "w")
    _fill(tmp_path / "w", employees=False)
    result = xl_kpi.consolidate([tmp_path / "w" / "评分表"], tmp_path / "o", SPEC_360, TEAM, issued=register, workers=1)
    assert not _codes(result, "other-period")
    assert {r.employee_id for r in result.run.records} <= {p.employee_id for p in TEAM}
    assert {i.employee_id for i in _codes(result, "not-returned")} == {p.employee_id for p in TEAM}
