"""The goal-setting round when supervisors, reviewers and peers rate in workbooks of their own (issues 26 and 29):
an approved change mid-period is the target scored when the raters' parts are merged; the supervisor agrees their
people's goals in a workbook of their own, and collecting trusts each party only for its own cells."""

from __future__ import annotations

import csv
import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pytest

import xl_kpi
from xl_kpi.goals.change import accept_change
from xl_kpi.goals.layout import GoalsLayout
from xl_kpi.goals.supervisor import AgreementLayout
from xl_kpi.office.libreoffice import convert
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


def test_a_change_replaces_the_personal_target_issued_not_the_templates_when_the_raters_have_workbooks(tmp_path):
    """Built with agreed targets and the supervisor's rating workbook: the change's old target is the card's 26, the
    one the person holds (the rating workbook, issued last, carries no targets)."""
    xl_kpi.build(SPEC_360, TEAM, tmp_path / "w", ratings="separate", targets={"E01": {"new_customers": 26.0}})
    change = accept_change(tmp_path / "w" / "issued.sqlite", "E01", "新客户开发数", 20, "大客户项目占用一个月", "李经理", "2026-08-15")
    assert (change.old, change.new) == (26.0, 20.0)


# --- the supervisor agrees in their own workbook (issue 29, item 2) ---------------------------------------------------
LAYOUT = GoalsLayout(role=6, personal=1, splits=3)  # the 360 card's six indicators, one personal row, a quarter's months
PROPOSED = {"team_sales_rate": 1.0, "new_customers": 28, "expense_rate": 0.95}
SENTENCES = {"team_sales_rate": "第三季度团队销售额完成率达到100%", "new_customers": "第三季度新增有效客户28个",
             "expense_rate": "第三季度销售费用控制在预算的95%以内", "coaching": "第三季度每月辅导组员2次",
             "planning": "第三季度每周一提交周计划", "teamwork": "第三季度跨部门协作项目完成1个"}
# 李经理's word per person: E01 all agreed but new customers raised to 32; E02 all agreed; E03 left blank (owed)
WORDS = {"E01": {"new_customers": ("调整", 32, "有新渠道支持")}, "E02": {}}


def _employee_fill(path, eid, supervisor_cells=False):
    wb = openpyxl.load_workbook(path)
    ws = wb["目标设定"]
    cols = {k: i + 1 for i, k in enumerate(LAYOUT.columns)}
    for k, ind in enumerate(SPEC_360.indicators):
        if ind.id in PROPOSED:
            ws.cell(LAYOUT.role_row(k) + 1, cols["proposed"]).value = PROPOSED[ind.id]
        ws.cell(LAYOUT.role_row(k) + 1, cols["text"]).value = SENTENCES[ind.id]
    if supervisor_cells:  # the employee "agrees" for their supervisor, a target of their own choosing
        ws.cell(LAYOUT.role_row(1) + 1, cols["agreement"]).value = "调整"
        ws.cell(LAYOUT.role_row(1) + 1, cols["sup_target"]).value = 20
    ws.cell(LAYOUT.signoff_row("employee") + 1, LAYOUT.SIGN_COL + 1).value = ws["G4"].value
    wb.save(path)


def _supervisor_fill(path, words):
    wb = openpyxl.load_workbook(path)
    ws = wb["目标确认"]
    specs = [SPEC_360] * 4
    lay = AgreementLayout(tuple((len(s.indicators), 1) for s in specs))
    col = lambda key: lay.col(key) + 1  # noqa: E731
    for p, person in enumerate(TEAM):
        given = words.get(person.employee_id)
        if given is None:
            continue
        assert ws.cell(lay.starts[p] + 1, col("employee_id")).value == person.employee_id
        for k, ind in enumerate(SPEC_360.indicators):
            agreement, target, note = given.get(ind.id, ("同意", None, ""))
            r = lay.role_row(p, k) + 1
            ws.cell(r, col("agreement")).value = agreement
            ws.cell(r, col("sup_target")).value = target if target is not None else ws.cell(r, col("sup_target")).value
            ws.cell(r, col("sup_note")).value = note or None
    ws.cell(lay.signoff_row + 1, lay.SIGN_COL + 1).value = "李经理"
    ws.cell(lay.signoff_row + 1, lay.DATE_COL + 1).value = "2026-07-05"
    wb.save(path)


@pytest.fixture(scope="module")
def agreed_separately(tmp_path_factory):
    """Goals issued for 李经理's team with the supervisor's part in their own workbook: three employees return theirs
    (E02 also typing into the supervisor's locked cells), 李经理 returns theirs; all saved by LibreOffice; collected."""
    tmp = tmp_path_factory.mktemp("separate")
    built = xl_kpi.build_goals(SPEC_360, TEAM, tmp / "goals")  # auto: the 360 card is rated by others, so separate
    filled = tmp / "filled"
    filled.mkdir()
    for p in TEAM[:3]:
        path = shutil.copy(next(x for x in built if x.name.startswith(p.employee_id)), filled / f"{p.employee_id}.xlsx")
        _employee_fill(path, p.employee_id, supervisor_cells=p.employee_id == "E02")
    book = next(x for x in built if x.parent.name == "评分表")
    _supervisor_fill(shutil.copy(book, filled / book.name), WORDS | {"E04": {}})
    saved = convert(sorted(filled.glob("*.xlsx")), tmp / "saved")
    done = xl_kpi.collect_goals(saved, tmp / "goals" / "issued.sqlite", tmp / "collected")
    return tmp, built, done


def _rows(path):
    return list(csv.DictReader(path.open(encoding="utf-8-sig")))


def test_the_supervisor_gets_one_workbook_for_their_team_and_the_employees_none_of_their_cells(agreed_separately):
    _, built, _ = agreed_separately
    (book,) = [x for x in built if x.parent.name == "评分表"]
    assert book.name == "上级目标确认_李经理.xlsx"
    ws = openpyxl.load_workbook(book)["目标确认"]
    lay = AgreementLayout(((6, 1),) * 4)
    assert [ws.cell(lay.starts[p] + 1, lay.col("employee_id") + 1).value for p in range(4)] == ["E01", "E02", "E03", "E04"]
    assert not ws.cell(lay.role_row(0, 1) + 1, lay.col("agreement") + 1).protection.locked and ws.protection.sheet
    own = openpyxl.load_workbook(next(x for x in built if x.name.startswith("E01")))["目标设定"]
    for key in ("agreement", "sup_target", "sup_note"):  # the supervisor's cells: locked in the employee's file
        assert own.cell(LAYOUT.role_row(1) + 1, LAYOUT.col(key) + 1).protection.locked
    assert own.cell(LAYOUT.signoff_row("supervisor") + 1, LAYOUT.SIGN_COL + 1).protection.locked
    assert not own.cell(LAYOUT.role_row(1) + 1, LAYOUT.col("proposed") + 1).protection.locked


def test_collect_takes_the_supervisors_word_from_their_workbook_and_the_proposal_from_the_employees(agreed_separately):
    tmp, _, done = agreed_separately
    targets = {(r["employee_id"], r["indicator_id"]): r for r in _rows(tmp / "collected" / "targets.csv")}
    assert float(targets[("E01", "new_customers")]["target"]) == 32 and float(targets[("E01", "new_customers")]["proposed"]) == 28
    assert float(targets[("E01", "expense_rate")]["target"]) == 0.95  # agreed: the employee's proposal
    assert targets[("E01", "new_customers")]["agreed_by"] == "李经理" and targets[("E01", "new_customers")]["agreed_on"] == "2026-07-05"
    assert {a.employee_id for a in done.agreed} == {"E01", "E02"}
    assert next(a for a in done.agreed if a.employee_id == "E01").file == "E01.xlsx;上级目标确认_李经理.xlsx"


def test_the_employee_typing_into_the_supervisors_cells_changes_nothing_and_is_reported(agreed_separately):
    tmp, _, done = agreed_separately
    targets = {(r["employee_id"], r["indicator_id"]): float(r["target"]) for r in _rows(tmp / "collected" / "targets.csv")}
    assert targets[("E02", "new_customers")] == 28  # 李经理 agreed the proposed 28, not the 20 typed in E02's file
    edited = [f for f in done.findings if f.code == "goals-edited" and f.employee_id == "E02"]
    assert len(edited) == 1 and "新客户开发数" in edited[0].message.zh


def test_a_missing_side_keeps_the_goals_unagreed_and_names_who_to_ask(agreed_separately):
    _, _, done = agreed_separately
    waiting = {(f.code, f.employee_id) for f in done.findings if f.code.startswith("goals-awaiting")}
    assert waiting == {("goals-awaiting-supervisor", "E03"), ("goals-awaiting-employee", "E04")}
    assert "李经理" in next(f for f in done.findings if f.code == "goals-awaiting-supervisor").message.zh


def test_the_command_line_keeps_the_supervisors_cells_in_the_employees_file_when_asked_inline(tmp_path):
    from xl_kpi.cli import run

    from .rating_cases import roster_csv

    roster = roster_csv(tmp_path / "roster.csv", TEAM)
    spec = Path(__file__).parent / "data" / "sales_360.yaml"
    assert run(["build", str(spec), "--roster", str(roster), "-o", str(tmp_path / "in"), "--phase", "goals", "--ratings", "inline"]) == 0
    assert not (tmp_path / "in" / "评分表").exists()
    own = openpyxl.load_workbook(next((tmp_path / "in").rglob("E01_*.xlsx")))["目标设定"]
    assert not own.cell(LAYOUT.role_row(1) + 1, LAYOUT.col("agreement") + 1).protection.locked
    assert run(["build", str(spec), "--roster", str(roster), "-o", str(tmp_path / "sep"), "--phase", "goals"]) == 0
    assert [p.name for p in (tmp_path / "sep" / "评分表").iterdir()] == ["上级目标确认_李经理.xlsx"]


def test_a_supervisor_still_owing_their_word_gets_a_workbook_with_the_proposals_and_it_merges(agreed_separately, tmp_path):
    tmp, _, done = agreed_separately
    again = done.paths["supervisor:上级目标确认_李经理.xlsx"]
    assert again == tmp / "collected" / "评分表" / "上级目标确认_李经理.xlsx"
    ws = openpyxl.load_workbook(again)["目标确认"]
    lay = AgreementLayout(((6, 1),), shown=True)  # only E03, whose word is owed; their proposals shown
    assert ws.cell(lay.starts[0] + 1, lay.col("employee_id") + 1).value == "E03"
    row = lay.role_row(0, 1) + 1
    assert ws.cell(row, lay.col("proposed") + 1).value == 28 and ws.cell(row, lay.col("text") + 1).value == SENTENCES["new_customers"]
    assert ws.cell(row, lay.col("proposed") + 1).protection.locked and not ws.cell(row, lay.col("agreement") + 1).protection.locked
    for k in range(6):
        ws.cell(lay.role_row(0, k) + 1, lay.col("agreement") + 1).value = "同意"
    ws.cell(lay.signoff_row + 1, lay.SIGN_COL + 1).value = "李经理"
    book = tmp_path / again.name
    ws.parent.save(book)
    done = xl_kpi.collect_goals([tmp / "saved" / "E03.xlsx", book], tmp / "goals" / "issued.sqlite", tmp_path / "out")
    assert [a.employee_id for a in done.agreed] == ["E03"] and done.agreed[0].targets["new_customers"] == 28
    assert not [f for f in done.findings if f.code.startswith("goals-awaiting")]


def test_a_supervisor_named_by_their_id_on_the_roster_is_named_as_the_roster_names_them(tmp_path):
    """As in the rating workbooks (上级评分_M01_王经理): a manager written as a roster id is that person, by name."""
    boss = dataclasses.replace(team_people()[4], manager="")
    people = [dataclasses.replace(p, manager="E05") for p in TEAM[:2]] + [boss]
    built = xl_kpi.build_goals(SPEC_360, people, tmp_path / "goals")
    (book,) = [x for x in built if x.parent.name == "评分表"]
    assert book.name == f"上级目标确认_E05_{boss.name}.xlsx"
    ws = openpyxl.load_workbook(book)["目标确认"]
    assert f"{boss.name} (E05)" in ws["A1"].value and ws["C4"].value == f"{boss.name} (E05)"


def test_a_rated_indicator_whose_target_nobody_proposes_is_not_reported_missing(agreed_separately):
    """A level the raters give (A/B/C/D) has no target cell to fill (—, locked): no 'target missing' on it."""
    _, _, done = agreed_separately
    rated = {ind.name for ind in SPEC_360.indicators if ind.takes_label}
    assert rated
    missing = [f for f in done.findings if f.code == "goal-missing" and any(name in f.message.zh for name in rated)]
    assert not missing, [f.message.zh for f in missing]
