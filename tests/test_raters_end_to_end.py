"""Every rater fills their own workbook, end to end with LibreOffice as the real client (issue 26's proof).

3 supervisors, 1 reviewer, 12 people and 2 peers each on the 360 card (自评 20% / 上级 40% / 复核 20% / 同事
2 × 10%). Each party types into their own file as a user would (the value in the cell's XML) and LibreOffice
opens and saves it; consolidation takes every file in a shuffled order with HR's register and roster. Totals
and pay equal the engine's and LibreOffice's recalculation of a one-file equivalent (the single file, every
rater's column in it). Beside them, in the same run: an employee who typed into the supervisor's cells, a
supervisor's workbook relabelled for another team, a peer who never returned theirs, the reviewer's workbook
sent twice and a supervisor rating someone outside their team — each a finding, every other result exact.
"""

from __future__ import annotations

import csv
import random
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

import xl_kpi
from xl_kpi.core.refs import a1
from xl_kpi.office.libreoffice import convert, soffice_path
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
    roster_csv,
    self_review,
    team_people,
    type_into,
)
from .returned import digests

pytestmark = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is not installed")

MISSING_PEER = "E07"  # never returns the workbook in which they rate two colleagues
OUTSIDER = "E06"  # rated by 李经理 (team 1) as well, though on 王经理's team


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("raters")
    people = team_people()
    inputs = {p.employee_id: card_inputs(p) for p in people}
    reviews = {p.employee_id: self_review(p) for p in people}
    comments = {p.employee_id: f"{p.name}:本季度表现稳定,建议加强费用控制。" for p in people}
    roster = roster_csv(base / "roster.csv", people)
    issued = base / "issued"
    xl_kpi.build(SPEC_360, roster, issued)
    register = base / "issued.sqlite"
    shutil.move(issued / "issued.sqlite", register)  # HR keeps the register

    typed = base / "typed"
    shutil.copytree(issued, typed)
    for p in people:  # each employee in their own file
        own = next(typed.rglob(f"{p.employee_id}_*.xlsx"))
        cells = employee_cells(p, inputs[p.employee_id], reviews[p.employee_id])
        if p.employee_id == "E01":  # and one who also "rates" themselves where the supervisor and reviewer would
            layout = PersonLayout.for_spec(SPEC_360).cell_map(SPEC_360)
            cells |= {layout["rating"]["teamwork"]["supervisor"]: "A", layout["rating"]["coaching"]["reviewer"]: "A",
                      layout["adjustment"]["count"]["praise"]: 3}
        type_into(own, cells)
    books = {p.name: p for p in (typed / "评分表").iterdir()}
    for name, path in books.items():  # each rater in theirs
        role = "supervisor" if name.startswith("上级") else "reviewer" if name.startswith("复核") else "peer"
        rater = name.removesuffix(".xlsx").split("_")[1]
        type_into(path, rater_cells(path, role, rater, people, inputs, comments))
    # 李经理 also rates 赵敏 (E06), who is not on their team: a row added below their people
    outsider = typed / "评分表" / f"上级评分_{SUPERVISORS[0]}.xlsx"
    layout = RatingLayout(SPEC_360, "supervisor", 5)
    row = layout.row(4)
    type_into(outsider, {a1(row, layout.col("person:employee_id")): OUTSIDER, a1(row, layout.col("rating:teamwork:supervisor")): "D",
                         a1(row, layout.col("rating:coaching:supervisor")): "D"})

    returns = base / "returns"  # what LibreOffice saves: the real client opens and saves every file
    saved = convert(sorted(typed.rglob("*.xlsx")), base / "saved", "xlsx")
    returns.mkdir()
    for src, out in zip(sorted(typed.rglob("*.xlsx")), saved):
        shutil.copy(out, returns / src.name)
    (returns / f"同事互评_{MISSING_PEER}_{people[6].name}.xlsx").unlink()
    shutil.copy(returns / f"复核评分_{REVIEWER}.xlsx", returns / f"复核评分_{REVIEWER} (1).xlsx")  # sent twice
    relabelled = returns / f"上级评分_{SUPERVISORS[2]}_改.xlsx"  # 王经理's workbook, relabelled as 赵经理's for 赵经理's team
    shutil.copy(returns / f"上级评分_{SUPERVISORS[1]}.xlsx", relabelled)
    edit.set_meta_value(relabelled, "rater_id", SUPERVISORS[2])
    edit.set_meta_value(relabelled, "rater_name", SUPERVISORS[2])
    for old, new in zip(("E05", "E06", "E07", "E08"), ("E09", "E10", "E11", "E12")):
        edit.set_meta(relabelled, old, "employee_id", new)

    files = sorted(returns.iterdir())
    random.Random(26).shuffle(files)  # any order: each file is merged by (person, rater), not by where it comes
    before = digests(returns)
    result = xl_kpi.consolidate(files, base / "out", SPEC_360, people, issued=register, workers=2)
    assert digests(returns) == before
    return people, inputs, result, base


def _engine(person, inputs):
    return score_card(with_peers(SPEC_360, 2), inputs[person.employee_id], person.bonus_base)


def _waiting(people):
    return {p.employee_id for p in people if MISSING_PEER in p.peers}


def test_totals_and_pay_equal_the_engine_for_everyone_whose_raters_all_returned(run):
    people, inputs, result, _ = run
    records = {r.employee_id: r for r in result.run.records}
    pay = {row["employee_id"]: row for row in _csv(result.paths["pay"])}
    done = [p for p in people if p.employee_id not in _waiting(people)]
    assert len(done) == 10
    for p in done:
        want, got = _engine(p, inputs), records[p.employee_id]
        assert (got.status, got.total, got.grade, got.pay) == ("ok", want.total, want.grade.label, want.pay), p.employee_id
        assert float(pay[p.employee_id]["pay"]) == want.pay
    assert records["E11"].total == 0.0 and records["E11"].vetoed == ("fraud",)  # 赵经理 marked 数据造假 in their workbook


def test_the_totals_equal_libreoffices_recalculation_of_the_one_file_equivalent(run, tmp_path):
    people, inputs, result, _ = run
    one_file = xl_kpi.build(SPEC_360, people, tmp_path / "one", ratings="inline", actuals=inputs)
    recalculated = convert(list(one_file), tmp_path / "recalc", "xlsx")
    records = {r.employee_id: r for r in result.run.records}
    layout = PersonLayout.for_spec(with_peers(SPEC_360, 2))
    for p, path in zip(people, recalculated):
        ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
        total, pay = ws[layout.total_cell].value, ws[layout.pay_cell].value
        assert total == _engine(p, inputs).total and pay == _engine(p, inputs).pay, p.employee_id
        if p.employee_id not in _waiting(people):
            assert records[p.employee_id].total == total and records[p.employee_id].pay == pay


def test_an_employee_filling_the_supervisors_cells_changes_nothing_and_is_reported(run):
    people, inputs, result, _ = run
    e01 = next(r for r in result.run.records if r.employee_id == "E01")
    assert e01.total == _engine(people[0], inputs).total and e01.status == "ok"
    found = [i for i in result.run.issues if i.code == "input-not-issued" and i.employee_id == "E01"]
    layout = PersonLayout.for_spec(SPEC_360).cell_map(SPEC_360)
    assert sorted(i.cell for i in found) == sorted([layout["rating"]["teamwork"]["supervisor"], layout["rating"]["coaching"]["reviewer"],
                                                    layout["adjustment"]["count"]["praise"]])
    assert all(i.file.endswith("E01_张三.xlsx") for i in found)
    assert e01.ratings["teamwork"]["supervisor"] == inputs["E01"]["teamwork"]["supervisor"]  # the supervisor's, from their file


def test_a_relabelled_workbook_is_refused_whole_and_the_genuine_team_is_exact(run):
    people, inputs, result, _ = run
    found = [i for i in result.run.issues if i.code == "issued-mismatch" and i.file.endswith("_改.xlsx")]
    assert len(found) == 1 and SUPERVISORS[2] in found[0].message("zh")
    records = {r.employee_id: r for r in result.run.records}
    for p in people[8:]:
        assert records[p.employee_id].total == _engine(p, inputs).total
        assert next(x for x in records[p.employee_id].rated_by if x["role"] == "supervisor")["file"].endswith(f"上级评分_{SUPERVISORS[2]}.xlsx")


def test_a_missing_peer_keeps_their_colleagues_waiting_and_is_on_the_chase_list(run):
    people, _, result, _ = run
    records = {r.employee_id: r for r in result.run.records}
    waiting = _waiting(people)
    assert len(waiting) == 2
    for eid in waiting:
        record = records[eid]
        assert (record.status, record.total, record.pay) == ("awaiting-rater", None, None)
        assert record.awaiting == f"peer:{people[6].name} ({MISSING_PEER})"
    missing = [i for i in result.run.issues if i.code == "rater-missing"]
    assert sorted(i.employee_id for i in missing) == sorted(waiting)
    assert [(m.role, m.rater_id, len(m.people)) for m in result.run.chase] == [("peer", MISSING_PEER, 2)]
    assert result.run.chase[0].file == f"同事互评_{MISSING_PEER}_{people[6].name}.xlsx"
    pay = {row["employee_id"]: row for row in _csv(result.paths["pay"])}
    assert all(pay[eid]["pay"] == "" and "awaiting-rater" in pay[eid]["no_pay_reason"] for eid in waiting)
    scores = list(openpyxl.load_workbook(result.paths["summary"])["成绩"].iter_rows(values_only=True))
    awaiting = {row[0]: row[scores[0].index("待评分")] for row in scores[1:]}
    assert all(awaiting[eid] == f"互评同事 {people[6].name} ({MISSING_PEER})" for eid in waiting)


def test_a_duplicate_rater_file_is_one_return_and_reported(run):
    people, inputs, result, _ = run
    found = [i for i in result.run.issues if i.code == "duplicate-rating"]
    assert {i.employee_id for i in found} == {p.employee_id for p in people} and len(found) == 24


def test_a_rating_of_someone_outside_the_raters_team_is_refused(run):
    people, inputs, result, _ = run
    found = [i for i in result.run.issues if i.code == "rating-not-issued"]
    assert [(i.employee_id, Path(i.file).name) for i in found] == [(OUTSIDER, f"上级评分_{SUPERVISORS[0]}.xlsx")]
    assert found[0].cell == a1(RatingLayout(SPEC_360, "supervisor", 4).row(4), 1)
    e05 = next(r for r in result.run.records if r.employee_id == OUTSIDER)
    assert e05.total == _engine(people[5], inputs).total and e05.ratings["teamwork"]["supervisor"] != "D"


def test_the_reports_show_each_raters_score_and_who_rated_and_the_history_keeps_their_inputs(run):
    people, inputs, result, _ = run
    rows = {r["employee_id"]: r for r in _csv(result.paths["scores"])}
    assert rows["E02"]["rater_supervisor_by"] == SUPERVISORS[0] and rows["E02"]["rater_reviewer_by"] == REVIEWER
    assert rows["E02"]["rater_peers_by"] == "刘洋 (E03); 陈静 (E04)"
    assert rows["E02"]["teamwork_peers"] == f"{inputs['E02']['teamwork']['peers_1']}; {inputs['E02']['teamwork']['peers_2']}"
    record = next(r for r in result.run.records if r.employee_id == "E02")
    assert float(rows["E02"]["rater_peers_score"]) == record.role_scores["peers"]
    with sqlite3.connect(result.paths["history"]) as db:
        kept = db.execute("SELECT role, rater_id, item, value_text, cell FROM rater_inputs WHERE employee_id = 'E02' "
                          "ORDER BY role, rater_id, item").fetchall()
    peers = [row for row in kept if row[0] == "peer"]
    assert [row[1:4] for row in peers] == [("E03", "rating:teamwork:peers", inputs["E02"]["teamwork"]["peers_1"]),
                                           ("E04", "rating:teamwork:peers", inputs["E02"]["teamwork"]["peers_2"])]
    assert all(row[4].startswith("F") for row in peers)  # each peer's own cell in their own workbook
    assert any(r[0] == "supervisor" and r[2] == "comment" and "王芳" in r[3] for r in kept)
    issues = _csv(result.paths["issues"])
    outside = next(r for r in issues if r["code"] == "rating-not-issued")
    assert outside["file"].endswith(f"上级评分_{SUPERVISORS[0]}.xlsx") and outside["cell"] == "B12"
