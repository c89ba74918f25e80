"""Every rater fills their own workbook (issue 26), the build side: a rating workbook per supervisor, reviewer
and peer from the roster (or HR's rater list), the employee's workbook carrying only what the employee fills,
the single file kept with one password per rater role, and every rating workbook in HR's register."""

from __future__ import annotations

import csv
import dataclasses
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

import xl_kpi
from xl_kpi.core.errors import InputFileError
from xl_kpi.core.protection import legacy_password_hash
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.sheet.rating_layout import RatingLayout
from xl_kpi.spec.raters import with_peers

from .conftest import TEMPLATES
from .rating_cases import REVIEWER, SPEC_360, SUPERVISORS, card_inputs, roster_csv, self_review, team_people


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    people = team_people()
    paths = xl_kpi.build(SPEC_360, roster_csv(out / "roster.csv", people), out / "w")
    return out / "w", people, paths


def _register(folder: Path) -> list[dict[str, str]]:
    with sqlite3.connect(folder / "issued.sqlite") as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM issued ORDER BY file, employee_id")]


def test_each_supervisor_reviewer_and_peer_gets_a_workbook_of_their_own_listing_only_their_people(built):
    folder, people, paths = built
    ratings = sorted(p.name for p in paths if p.parent.name == "评分表")
    assert ratings == sorted([f"上级评分_{s}.xlsx" for s in SUPERVISORS] + [f"复核评分_{REVIEWER}.xlsx"]
                             + [f"同事互评_{p.employee_id}_{p.name}.xlsx" for p in people])
    team = {p.employee_id for p in people if p.manager == SUPERVISORS[1]}
    ws = openpyxl.load_workbook(folder / "评分表" / f"上级评分_{SUPERVISORS[1]}.xlsx").worksheets[0]
    layout = RatingLayout(SPEC_360, "supervisor", 4)
    listed = {ws.cell(layout.row(k) + 1, layout.col("person:employee_id") + 1).value for k in range(4)}
    assert listed == team and ws.cell(layout.row(4) + 1, 2).value is None
    # the peers each rate the colleagues who named them, nobody else
    rated_by_e05 = {p.employee_id for p in people if "E05" in p.peers}
    peer = openpyxl.load_workbook(folder / "评分表" / "同事互评_E05_杨磊.xlsx").worksheets[0]
    assert {peer.cell(RatingLayout.FIRST_ROW + 1 + k, 2).value for k in range(len(rated_by_e05))} == rated_by_e05


def test_the_register_names_each_rating_workbook_its_rater_role_and_people(built):
    folder, people, _ = built
    rows = _register(folder)
    books = {}
    for row in rows:
        if row["role"]:
            books.setdefault((row["role"], row["rater_id"]), set()).add(row["employee_id"])
    assert books[("supervisor", SUPERVISORS[0])] == {"E01", "E02", "E03", "E04"}
    assert books[("reviewer", REVIEWER)] == {p.employee_id for p in people}
    assert books[("peer", "E01")] == {p.employee_id for p in people if "E01" in p.peers}
    assert len({r["workbook_id"] for r in rows}) == 12 + 3 + 1 + 12
    own = {r["employee_id"]: r for r in rows if not r["role"]}
    assert own["E01"]["ratings"] == "separate"
    assert json.loads(own["E01"]["raters"]) == {"supervisor": [[SUPERVISORS[0]] * 2], "reviewer": [[REVIEWER] * 2],
                                               "peer": [["E02", "王芳"], ["E03", "刘洋"]]}
    assert all(r["spec_hash"] == SPEC_360.hash for r in rows)


def test_the_employees_workbook_carries_only_what_the_employee_fills(built):
    folder, _, paths = built
    ws = openpyxl.load_workbook(next(p for p in paths if p.name == "E01_张三.xlsx")).worksheets[0]
    layout = PersonLayout.for_spec(SPEC_360)
    cells = layout.cell_map(SPEC_360)
    for rater in ("supervisor", "reviewer", "peers"):
        ref = cells["rating"]["teamwork"][rater]
        assert ws[ref].value.startswith("待") and ws[ref].protection.locked
    assert ws[cells["rating"]["teamwork"]["self"]].value is None and not ws[cells["rating"]["teamwork"]["self"]].protection.locked
    for ref in [*cells["adjustment"]["count"].values(), *cells["veto"].values(), cells["comment"]]:
        assert ws[ref].value == "待上级评分" and ws[ref].protection.locked
    assert "HR 汇总" in ws.cell(*(x + 1 for x in (layout.total_row, layout.col.STANDARD))).value
    with open(next(p for p in paths if p.name == "E01_张三.xlsx"), "rb") as fh:
        sheet = __import__("zipfile").ZipFile(fh).read("xl/worksheets/sheet1.xml").decode()
    assert "<protectedRanges>" not in sheet  # nobody else's cells are open here, with or without a password


def test_a_rating_sheet_offers_the_levels_and_counts_and_marks_and_locks_the_rest(built):
    folder, _, _ = built
    wb = openpyxl.load_workbook(folder / "评分表" / f"上级评分_{SUPERVISORS[0]}.xlsx")
    ws = wb.worksheets[0]
    layout = RatingLayout(SPEC_360, "supervisor", 4)
    assert [c.key for c in layout.inputs] == ["rating:coaching:supervisor", "rating:planning:supervisor", "rating:teamwork:supervisor",
                                              "adj:praise", "adj:suggestion", "adj:complaint", "adj:violation", "veto:safety",
                                              "veto:fraud", "comment"]
    row = layout.row(0) + 1
    for col in layout.inputs:
        assert not ws.cell(row, col.col + 1).protection.locked
    assert ws.cell(row, layout.col("person:employee_id") + 1).protection.locked and ws.protection.sheet
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    coaching = rules[layout.span("rating:coaching:supervisor")]
    assert coaching.type == "list" and "A: 每月为每位组员" in coaching.prompt
    assert rules[layout.span("adj:praise")].type == "whole" and rules[layout.span("veto:fraud")].formula1 == '"是,否"'
    meta = {r[0].value: r[1].value for r in wb["_xlkpi_meta"].iter_rows() if r[0].value and len(r) > 1}
    assert (meta["layout"], meta["rater_id"], meta["rater_role"]) == ("rater", SUPERVISORS[0], "supervisor")
    assert wb["_xlkpi_meta"].sheet_state == "veryHidden"


def test_a_peers_workbook_names_nobody_elses_rating_and_no_ones_pay(built):
    folder, people, _ = built
    wb = openpyxl.load_workbook(folder / "评分表" / "同事互评_E02_王芳.xlsx")
    ws = wb.worksheets[0]
    layout = RatingLayout(SPEC_360, "peer", 2)
    assert [c.key for c in layout.inputs] == ["rating:teamwork:peers"]
    texts = " ".join(str(c.value) for row in wb["_xlkpi_meta"].iter_rows() for c in row if c.value)
    assert "6000" not in texts and "bonus_base" in texts  # the column is there, the colleague's base is not
    assert "互评" in ws.cell(1, 1).value and "取平均" in ws.cell(layout.NOTE_ROW + 1, 1).value


def test_a_card_that_needs_a_supervisor_the_roster_does_not_name_is_refused_or_kept_in_one_file(tmp_path):
    people = [dataclasses.replace(p, manager="") if p.employee_id == "E03" else p for p in team_people()]
    with pytest.raises(InputFileError) as caught:
        xl_kpi.build(SPEC_360, people, tmp_path / "a", ratings="separate")
    assert [f.code for f in caught.value.findings] == ["roster-no-rater"] and caught.value.findings[0].employee_id == "E03"
    built = xl_kpi.build(SPEC_360, people, tmp_path / "b")  # auto: everything stays in the employee's file, and HR is told
    assert [f.code for f in built.findings] == ["ratings-inline"] and not (tmp_path / "b" / "评分表").exists()
    with pytest.raises(InputFileError) as caught:
        xl_kpi.build(SPEC_360, [dataclasses.replace(p, manager="E01") if p.employee_id == "E01" else p for p in team_people()],
                     tmp_path / "c")
    assert [f.code for f in caught.value.findings] == ["roster-self-rater"]


def test_a_rater_list_names_the_raters_of_the_roles_it_lists(tmp_path):
    people = [dataclasses.replace(p, peers=()) for p in team_people()]
    listing = tmp_path / "raters.csv"
    rows = [f"{p.employee_id},{peer},同事" for p in team_people() for peer in p.peers] + ["E01,马总,复核人"]
    listing.write_text("被评人工号,评分人,评分关系\n" + "\n".join(rows) + "\n", encoding="utf-8")
    xl_kpi.build(SPEC_360, people, tmp_path / "w", raters=listing)
    own = {r["employee_id"]: json.loads(r["raters"]) for r in _register(tmp_path / "w") if not r["role"]}
    assert own["E01"]["reviewer"] == [["马总", "马总"]] and own["E02"]["reviewer"] == [[REVIEWER, REVIEWER]]
    assert [p[0] for p in own["E05"]["peer"]] == list(team_people()[4].peers)
    bad = tmp_path / "bad.csv"
    bad.write_text("工号,评分人,角色\nE01,E02,老板\nE99,E02,同事\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        xl_kpi.build(SPEC_360, people, tmp_path / "x", raters=bad)
    assert [f.code for f in caught.value.findings] == ["rater-list-role", "rater-list-unknown-person"]


def test_the_single_file_keeps_one_password_per_rater_role_and_one_column_per_peer(tmp_path):
    people = team_people()[:2]
    paths = xl_kpi.build(SPEC_360, people, tmp_path / "w", ratings="inline", password="hr",
                         rater_passwords={"supervisor": "s-pw", "reviewer": "r-pw", "peer": "p-pw"})
    assert not (tmp_path / "w" / "评分表").exists()
    assert [f.code for f in paths.findings] == ["single-file-ratings"]  # deterrence only, and HR is told
    wb = openpyxl.load_workbook(paths[0])
    ws = wb.worksheets[0]
    with open(paths[0], "rb") as fh:
        sheet = __import__("zipfile").ZipFile(fh).read("xl/worksheets/sheet1.xml").decode()
    hashes = dict(__import__("re").findall(r'<protectedRange password="([0-9A-F]+)" sqref="[^"]+" name="([^"]+)"', sheet))
    assert {v: k for k, v in hashes.items()} == {"上级": legacy_password_hash("s-pw"), "复核": legacy_password_hash("r-pw"),
                                                "同事互评": legacy_password_hash("p-pw")}
    own = with_peers(SPEC_360, 2)
    layout = PersonLayout.for_spec(own)
    header = [ws.cell(layout.HEADER_ROW + 1, layout.col.rater(k) + 1).value for k in range(len(own.raters))]
    assert header == ["自评", "上级评分", "复核评分", "同事1", "同事2"]
    weights = [ws[layout.rater_weight_cell(r.id, False)].value for r in own.raters]
    assert weights == [0.2, 0.4, 0.2, 0.1, 0.1]
    meta = wb["_xlkpi_meta"]
    header_row = next(r for r in meta.iter_rows(values_only=True) if r[0] == "sheet")
    person = next(r for r in meta.iter_rows(values_only=True) if r[0] == ws.title)
    assert dict(zip(header_row, person))["peers"] == "2" and dict(zip(header_row, person))["spec_hash"] == SPEC_360.hash


def test_prefilled_inputs_go_to_whoever_fills_them(tmp_path):
    people = team_people()[:4]
    inputs = {p.employee_id: card_inputs(p) for p in people}
    texts = {p.employee_id: {**self_review(p), "comment": f"{p.name}表现稳定"} for p in people}
    xl_kpi.build(SPEC_360, people, tmp_path / "w", actuals=inputs, texts=texts)
    sup = openpyxl.load_workbook(tmp_path / "w" / "评分表" / f"上级评分_{SUPERVISORS[0]}.xlsx").worksheets[0]
    layout = RatingLayout(SPEC_360, "supervisor", 4)
    row = layout.row(1) + 1
    assert sup.cell(row, layout.col("rating:teamwork:supervisor") + 1).value == inputs["E02"]["teamwork"]["supervisor"]
    assert sup.cell(row, layout.col("adj:praise") + 1).value == inputs["E02"]["adj:praise"]
    assert sup.cell(row, layout.col("comment") + 1).value == "王芳表现稳定"
    peer = openpyxl.load_workbook(tmp_path / "w" / "评分表" / "同事互评_E03_刘洋.xlsx").worksheets[0]
    rated = [peer.cell(RatingLayout.FIRST_ROW + 1 + k, 2).value for k in range(3)]
    slot = {p.employee_id: p.peers.index("E03") + 1 for p in people if "E03" in p.peers}
    for k, eid in enumerate(rated):
        if eid:
            assert peer.cell(RatingLayout.FIRST_ROW + 1 + k, 6).value == inputs[eid]["teamwork"][f"peers_{slot[eid]}"]
    own = openpyxl.load_workbook(tmp_path / "w" / "销售一部" / "E02_王芳.xlsx").worksheets[0]
    cells = PersonLayout.for_spec(SPEC_360).cell_map(SPEC_360)
    assert own[cells["rating"]["teamwork"]["self"]].value == inputs["E02"]["teamwork"]["self"]
    assert own[cells["comment"]].value == "待上级评分"


def test_rating_workbooks_built_from_the_returns_show_what_each_person_reported(tmp_path):
    people = team_people()[:4]
    results = tmp_path / "results"
    results.mkdir()
    with open(results / "scores.csv", "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["employee_id", "name", "template", "team_sales_rate_actual", "new_customers_actual", "teamwork_self", "status"])
        w.writerows([[p.employee_id, p.name, "sales_360", 1.05, 31, "A", "awaiting-rater"] for p in people])
    with open(results / "reviews.csv", "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["employee_id", "name", "department", "template", "comment", "goal_review", "key_actions", "results", "gaps"])
        w.writerows([[p.employee_id, p.name, p.department, "sales_360", "", *self_review(p).values()] for p in people])
    paths = xl_kpi.build(SPEC_360, people, tmp_path / "w", from_results=results)
    assert all(p.parent.name == "评分表" for p in paths)  # only the raters' workbooks: the employees' were issued before
    ws = openpyxl.load_workbook(tmp_path / "w" / "评分表" / f"复核评分_{REVIEWER}.xlsx").worksheets[0]
    layout = RatingLayout(SPEC_360, "reviewer", 4, prior=True, shown=("supervisor",))
    row = layout.row(0) + 1
    assert ws.cell(row, layout.col("prior:actual:team_sales_rate") + 1).value == "105%"
    assert ws.cell(row, layout.col("prior:rating:teamwork:self") + 1).value == "A"
    assert "季度销售目标完成情况回顾" in ws.cell(row, layout.col("prior:review") + 1).value
    assert ws.cell(row, layout.col("prior:review") + 1).protection.locked
    assert layout.col("prior:rating:coaching:supervisor") < layout.col("rating:coaching:reviewer")
    with pytest.raises(Exception, match="--from"):
        xl_kpi.build(SPEC_360, people, tmp_path / "x", from_results=results, ratings="inline")


def test_a_spec_cannot_have_two_peer_raters_nor_a_rater_named_like_a_peers_slot(write_spec):
    import yaml

    data = yaml.safe_load((Path(TEMPLATES).parent / "tests" / "data" / "sales_360.yaml").read_text(encoding="utf-8"))
    data["raters"][3]["id"] = "peers"
    data["raters"][2] = {"id": "peers_1", "name": "x", "weight": "20%", "role": "peer"}
    found = {f.code for f in xl_kpi.check(write_spec(data))}
    assert {"peer-rater-twice", "peer-slot-id"} <= found
