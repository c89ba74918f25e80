"""Calibration (绩效校准): guidelines, the nine-box, the workbook's formulas against the engine (LibreOffice),
collecting changes back into coefficient, pay and history — and never across grade scales."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openxml_audit import OpenXmlValidator

import xl_kpi
from xl_kpi.core.errors import UsageError
from xl_kpi.followup.calibration import load_candidates
from xl_kpi.followup.calibration_collect import judge, points_beyond
from xl_kpi.followup.guideline import bounds, evaluate, parse_guideline
from xl_kpi.followup.ninebox import BOX_NAMES, box, performance_levels, read_level
from xl_kpi.scoring.engine import pay_for

from .conftest import TEMPLATES
from .cycle_data import consolidated_period, department
from .faulty_returns import type_value

GUIDELINE = "优秀<=20%,不合格>=10%,优秀+良好<=60%,合格=20%~50%,良好>1,不合格<3,合格=30%"


# --- guidelines: the rules as HR writes them ------------------------------------------------------------
@pytest.mark.parametrize(("text", "grades", "op", "low", "high", "share"), [
    ("优秀<=20%", ("优秀",), "<=", 0.2, None, True),
    ("优秀≤20%", ("优秀",), "<=", 0.2, None, True),
    ("不合格>=5%", ("不合格",), ">=", 0.05, None, True),
    ("优秀+良好<=70%", ("优秀", "良好"), "<=", 0.7, None, True),
    ("优秀、良好 ≤ 70 %", ("优秀", "良好"), "<=", 0.7, None, True),
    ("合格=10%~30%", ("合格",), "between", 0.1, 0.3, True),
    ("合格 between 10% and 30%", ("合格",), "between", 0.1, 0.3, True),
    ("合格 介于 10%至30%之间", ("合格",), "between", 0.1, 0.3, True),
    ("Excellent<2", ("Excellent",), "<", 2, None, False),
    ("Excellent>1人", ("Excellent",), ">", 1, None, False),
    ("优秀=20%", ("优秀",), "=", 0.2, None, True),
])
def test_guideline_rules_as_hr_writes_them(text, grades, op, low, high, share):
    (rule,) = parse_guideline(text)
    assert (rule.grades, rule.op, rule.share) == (grades, op, share)
    assert rule.low == pytest.approx(low) and (rule.high is None if high is None else rule.high == pytest.approx(high))


@pytest.mark.parametrize("text", ["优秀", "<=20%", "优秀<=", "优秀<=120%", "优秀<=1.5", "合格=30%~10%", "合格=10%~3"])
def test_a_guideline_that_cannot_be_read_is_refused(text):
    with pytest.raises(UsageError):
        parse_guideline(text)


def test_a_guideline_naming_a_grade_of_no_scale_is_refused():
    with pytest.raises(UsageError, match="Good"):
        parse_guideline("Good<=20%", ["优秀", "良好"])


@pytest.mark.parametrize(("text", "n", "least", "most"), [
    ("A<=20%", 10, None, 2), ("A<=20%", 9, None, 1), ("A<20%", 10, None, 1), ("A<20%", 9, None, 1), ("A>=5%", 10, 1, None),
    ("A>=5%", 20, 1, None), ("A>=5%", 21, 2, None), ("A>20%", 10, 3, None), ("A=20%", 7, 1, 1), ("A=25%", 10, 3, 3),
    ("A=10%~30%", 10, 1, 3), ("A=10%~30%", 30, 3, 9), ("A<2", 10, None, 1), ("A>=1", 3, 1, None), ("A<=10%", 30, None, 3),
])
def test_head_counts_a_rule_allows(text, n, least, most):
    (rule,) = parse_guideline(text)
    assert bounds(rule, n) == (least, most)


def test_over_and_under():
    results = evaluate(parse_guideline("A<=20%,B>=30%"), {"A": 4, "B": 2, "C": 4})
    assert [(r.count, r.over, r.under, r.met) for r in results] == [(4, 2, 0, False), (2, 0, 1, False)]


# --- the nine-box -------------------------------------------------------------------------------------
def test_nine_box_places_people_by_performance_and_potential():
    levels = performance_levels(("优秀", "良好", "合格", "不合格"))
    assert levels == {"优秀": 3, "良好": 2, "合格": 2, "不合格": 1}
    assert performance_levels(("优秀", "良好", "合格"), {"良好": 3}) == {"优秀": 3, "良好": 3, "合格": 1}
    assert box(3, 3) == 9 and BOX_NAMES["zh"][9 - 1] == "明星" and box(1, 1) == 1 and box(None, 2) is None
    assert [read_level(v) for v in ("高", "Medium", "l", 3, "2", "?", None)] == [3, 2, 1, 3, 2, None, None]


# --- properties -----------------------------------------------------------------------------------------
_LABELS = ("优秀", "良好", "合格", "不合格")


@given(st.lists(st.sampled_from(_LABELS), min_size=1, max_size=40), st.data())
def test_calibration_conserves_the_grade_counts(originals, data):
    finals = [data.draw(st.sampled_from(_LABELS)) for _ in originals]
    before = {g: originals.count(g) for g in _LABELS}
    after = {g: finals.count(g) for g in _LABELS}
    rules = parse_guideline("优秀<=20%,不合格>=5%,优秀+良好<=70%")
    assert sum(before.values()) == sum(after.values()) == len(originals)
    for r_before, r_after in zip(evaluate(rules, before), evaluate(rules, after)):
        assert (r_before.least, r_before.most) == (r_after.least, r_after.most)  # the same people: the same allowance


@given(st.text(max_size=6), st.text(max_size=6), st.sampled_from(("", "优秀", "良好", "合格", "不合格", "Good", "A")))
def test_no_grade_moves_without_a_reason_and_who_decided(reason, who, calibrated):
    person = _person()
    final, problem = judge(person, calibrated, reason, who)
    if final != person.grade:
        assert len(reason.strip()) >= 2 and who.strip() and final in person.spec.grade_ranks and not problem
    if calibrated and calibrated not in person.spec.grade_ranks:
        assert final == person.grade and problem == "calibration-other-scale"


def _person():
    from xl_kpi.followup.calibration import Candidate

    specs = xl_kpi.load_templates(TEMPLATES)
    return Candidate("E1", "张三", "销售一部", "sales_supervisor", 84.5, "良好", specs["sales_supervisor"], 6000.0, 1.0, 6000.0)


# --- the workbook, its formulas and collecting it back ------------------------------------------------
@pytest.fixture(scope="module")
def period(tmp_path_factory):
    specs = xl_kpi.load_templates(TEMPLATES)
    root = tmp_path_factory.mktemp("calibration")
    people = department(14) + department(4, ("sales_rep_en",), "Sales 2", start=20)
    build, history, _ = consolidated_period(specs, root, people, seed=30)
    potential = root / "potential.csv"
    potential.write_text("工号,潜力\n" + "\n".join(f"{p.employee_id},{'低中高'[k % 3]}" for k, p in enumerate(people)) + "\n",
                         encoding="utf-8")
    return specs, people, build, history, potential, root


def _meta(path: Path) -> tuple[dict, list[list[str]]]:
    import openpyxl

    ws = openpyxl.load_workbook(path)["_xlkpi_calibration"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return {r[0]: r[1] for r in rows if r[0] not in ("sheet", "person")}, [r for r in rows if r[0] in ("sheet", "person")]


def _fill(path: Path, moves: dict[str, tuple[str, str, str]], sheet_part: str = "xl/worksheets/sheet1.xml") -> None:
    """Type calibrated grades, reasons and names into the sheet, as a department head would."""
    _, rows = _meta(path)
    sheet = next(r for r in rows if r[0] == "sheet")
    cols, first = json.loads(sheet[3]), int(sheet[4])
    people = [r[2] for r in rows if r[0] == "person" and r[1] == sheet[1]]
    for k, eid in enumerate(people):
        if eid in moves:
            row = first + k + 1
            for key, value in zip(("calibrated", "reason", "calibrator"), moves[eid]):
                type_value(path, f"{_col(cols[key])}{row}", value or None, sheet_part)


def _col(k: int) -> str:
    from xl_kpi.core.refs import col_letter

    return col_letter(k)


def test_one_workbook_per_department_a_sheet_per_scale(period, tmp_path):
    _, people, _, history, potential, _ = period
    built = xl_kpi.calibrate(history, tmp_path, guideline=GUIDELINE, potential=potential)
    assert sorted(p.name for p in built.paths) == ["calibration_Sales 2.xlsx", "calibration_销售一部.xlsx"]
    assert built.people == len(people)
    company = xl_kpi.calibrate(history, tmp_path / "c", by="company", guideline=GUIDELINE)
    _, rows = _meta(company.paths[0])
    scales = [r[2] for r in rows if r[0] == "sheet"]
    assert len(scales) == 2 and len(set(scales)) == 2  # 优秀/良好/… and Excellent/Good/…: never one sheet
    for path in [*built.paths, *company.paths]:
        assert OpenXmlValidator().validate(str(path)).is_valid


def test_the_calibrated_grade_offers_only_the_persons_own_cards_grades(period, tmp_path):
    _, _, _, history, _, _ = period
    (path,) = [p for p in xl_kpi.calibrate(history, tmp_path).paths if "销售一部" in p.name]
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    validation = re.search(r'<dataValidation type="list"[^>]*>.*?</dataValidation>', sheet, re.S).group(0)
    assert re.search(r"<formula1>\$[A-Z]+\d+:\$[A-Z]+\d+</formula1>", validation)  # the row's own labels, relative by row
    assert 'sheet="1"' in sheet and 'locked="0"' not in sheet  # protected; only the three input columns are unlocked (by style)


@pytest.mark.libreoffice
def test_the_workbooks_formulas_recalculate_to_the_engines_numbers(period, tmp_path):
    from python_calamine import CalamineWorkbook

    from xl_kpi.office.libreoffice import convert

    specs, _, _, history, potential, _ = period
    (path,) = [p for p in xl_kpi.calibrate(history, tmp_path, guideline=GUIDELINE, potential=potential).paths if "销售一部" in p.name]
    people, _ = load_candidates(history, "2026-Q3", None, {})
    mine = sorted((p for p in people if p.department == "销售一部"), key=lambda p: p.employee_id)
    moves = {mine[0].employee_id: (next(g for g in reversed(_LABELS) if g != mine[0].grade), "事实", "王经理"),
             mine[1].employee_id: (next(g for g in _LABELS if g != mine[1].grade), "贡献突出", "王经理"),
             mine[2].employee_id: (next(g for g in _LABELS if g != mine[2].grade), "", "")}
    _fill(path, moves)
    (recalculated,) = convert([path], tmp_path / "lo")
    grid = CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name(CalamineWorkbook.from_path(str(recalculated)).sheet_names[0]).to_python()
    _, rows = _meta(path)
    sheet = next(r for r in rows if r[0] == "sheet")
    cols, first = json.loads(sheet[3]), int(sheet[4])
    levels_of = {}
    potential_of = {r.split(",")[0]: read_level(r.split(",")[1]) for r in potential.read_text(encoding="utf-8").splitlines()[1:]}
    finals = {}
    for k, p in enumerate(mine):
        row = grid[first + k]
        # LibreOffice's final grade: the calibrated one typed (even without a reason: the sheet flags it, collecting refuses it)
        typed = moves.get(p.employee_id, ("",))[0] or p.grade
        assert row[cols["final"]] == typed
        finals[p.employee_id] = typed
        moved = p.spec.grade_ranks[p.grade] - p.spec.grade_ranks[typed]
        assert (row[cols["change"]] or 0) == moved
        beyond = points_beyond(p.total, p.spec, p.grade, typed)
        assert (row[cols["points"]] == "" and beyond is None) or row[cols["points"]] == pytest.approx(beyond)
        coefficient = p.spec.grades[p.spec.grade_ranks[typed] - 1].coefficient
        if coefficient is not None:
            assert row[cols["coefficient"]] == pytest.approx(coefficient) and row[cols["pay"]] == pytest.approx(pay_for(p.bonus_base, coefficient))
        level = performance_levels(tuple(g.label for g in p.spec.grades))[typed]
        levels_of[p.employee_id] = level
        assert row[cols["perf"]] == level and row[cols["potential"]] == potential_of[p.employee_id]
        assert row[cols["box"]] == BOX_NAMES["zh"][box(level, potential_of[p.employee_id]) - 1]
        check = row[cols["check"]]
        assert (check == "缺理由或校准人") == (p.employee_id == mine[2].employee_id)
    from xl_kpi.followup.calibration_layout import CalibrationLayout

    lay = CalibrationLayout(4, len(parse_guideline(GUIDELINE)), len(mine), True, True)
    counts = {g: sum(1 for v in finals.values() if v == g) for g in _LABELS}
    before = {g: sum(1 for p in mine if p.grade == g) for g in _LABELS}
    for rank, g in enumerate(_LABELS, start=1):
        assert grid[lay.dist_row(rank)][lay.DIST["after"][0]] == counts[g]
        assert grid[lay.dist_row(rank)][lay.DIST["before"][0]] == before[g]
    for k, result in enumerate(evaluate(parse_guideline(GUIDELINE), counts)):
        row = grid[lay.guide_row(k)]
        got = [row[lay.GUIDE[key][0]] for key in ("count", "least", "most", "over", "under")]
        assert got == [result.count, "" if result.least is None else result.least, "" if result.most is None else result.most,
                       result.over, result.under], result.rule.text
        assert row[lay.GUIDE["result"][0]].startswith("✓") == result.met
    for pot in (1, 2, 3):
        for perf in (1, 2, 3):
            expected = sum(1 for p in mine if levels_of[p.employee_id] == perf and potential_of[p.employee_id] == pot)
            assert grid[lay.nine_row(pot)][lay.nine_col(perf) + 1] == expected


def test_collecting_applies_valid_changes_to_pay_and_history_and_refuses_the_rest(period, tmp_path):
    specs, _, _, history, _, root = period
    hist = tmp_path / "history.sqlite"
    hist.write_bytes(history.read_bytes())
    (path,) = [p for p in xl_kpi.calibrate(hist, tmp_path, guideline="优秀<=10%").paths if "销售一部" in p.name]
    people, _ = load_candidates(hist, "2026-Q3")
    mine = sorted((p for p in people if p.department == "销售一部"), key=lambda p: p.employee_id)
    top = next(p for p in mine if p.spec.has_coefficients)
    rank = top.spec.grade_ranks[top.grade]
    moved_to = top.spec.grades[rank - 2 if rank > 1 else rank].label  # one grade up (down from the best)
    low = next(p for p in mine if p is not top)
    other = next(p for p in mine if p not in (top, low))
    _fill(path, {top.employee_id: (moved_to, "季度内两次获公司表彰,与同组相比贡献突出", "王经理"),
                 low.employee_id: (next(g for g in _LABELS if g != low.grade), "", "王经理"), other.employee_id: ("Good", "跨标尺", "王经理")})
    done = xl_kpi.collect_calibration(path, hist, tmp_path / "out")
    by = {c.person.employee_id: c for c in done.changes}
    assert by[top.employee_id].applied and not by[low.employee_id].applied and not by[other.employee_id].applied
    assert {f.code for f in done.findings} >= {"calibration-no-reason", "calibration-other-scale"}
    assert low.employee_id not in done.reviewed and other.employee_id not in done.reviewed and top.employee_id in done.reviewed
    pay = xl_kpi.final_pay(hist).set_index("employee_id")
    row = pay.loc[top.employee_id]
    coefficient = top.spec.grades[top.spec.grade_ranks[moved_to] - 1].coefficient
    assert row["grade"] == top.grade and row["final_grade"] == moved_to and row["changed_by"] == "calibration"
    assert row["final_coefficient"] == coefficient and row["final_pay"] == pytest.approx(pay_for(top.bonus_base, coefficient))
    assert row["pay"] == pytest.approx(top.pay)  # the consolidated pay beside it
    assert pay.loc[low.employee_id, "final_grade"] == low.grade
    with sqlite3.connect(hist) as db:
        (stored,) = db.execute("SELECT original_grade, calibrated_grade, reason, calibrator, changed FROM calibrations WHERE employee_id = ?",
                               (top.employee_id,)).fetchall()
    assert stored == (top.grade, moved_to, "季度内两次获公司表彰,与同组相比贡献突出", "王经理", 1)
    changes = (tmp_path / "out" / "calibration_changes.csv").read_text(encoding="utf-8-sig")
    assert top.employee_id in changes and "calibration-no-reason" in changes
    guide = (tmp_path / "out" / "calibration_guideline.csv").read_text(encoding="utf-8-sig").splitlines()
    assert guide[0].startswith("file,sheet,rule,before,after")


def test_a_result_consolidated_again_since_is_not_calibrated_blindly(period, tmp_path):
    _, _, _, history, _, _ = period
    hist = tmp_path / "history.sqlite"
    hist.write_bytes(history.read_bytes())
    (path,) = [p for p in xl_kpi.calibrate(hist, tmp_path).paths if "销售一部" in p.name]
    people, _ = load_candidates(hist, "2026-Q3")
    person = next(p for p in people if p.department == "销售一部" and p.grade != "优秀")
    _fill(path, {person.employee_id: ("优秀", "表现突出", "王经理")})
    with sqlite3.connect(hist) as db:
        db.execute("UPDATE totals SET total = total + 1 WHERE employee_id = ?", (person.employee_id,))
    done = xl_kpi.collect_calibration(path, hist, tmp_path / "out")
    assert [f.code for f in done.findings if f.employee_id == person.employee_id] == ["calibration-stale"]
    assert person.employee_id not in done.reviewed


def test_locked_results_edited_in_the_workbook_are_refused(period, tmp_path):
    _, _, _, history, _, _ = period
    hist = tmp_path / "history.sqlite"
    hist.write_bytes(history.read_bytes())
    (path,) = [p for p in xl_kpi.calibrate(hist, tmp_path).paths if "销售一部" in p.name]
    _, rows = _meta(path)
    sheet = next(r for r in rows if r[0] == "sheet")
    cols, first = json.loads(sheet[3]), int(sheet[4])
    eid = next(r[2] for r in rows if r[0] == "person")
    type_value(path, f"{_col(cols['total'])}{first + 1}", 99.0)
    done = xl_kpi.collect_calibration(path, hist, tmp_path / "out")
    assert [f.code for f in done.findings if f.employee_id == eid] == ["calibration-edited"]


def test_a_workbook_of_something_else_is_a_usage_error(period, tmp_path):
    _, _, build, history, _, _ = period
    some_return = next(build.rglob("*.xlsx"))
    with pytest.raises(UsageError, match="calibration"):
        xl_kpi.collect_calibration(some_return, history, tmp_path)


@settings(max_examples=6, deadline=None)
@given(st.data())
def test_calibrated_grades_reach_pay_and_history(period, tmp_path_factory, data):
    _, _, _, history, _, _ = period
    tmp = tmp_path_factory.mktemp("prop")
    hist = tmp / "history.sqlite"
    hist.write_bytes(history.read_bytes())
    (path,) = [p for p in xl_kpi.calibrate(hist, tmp).paths if "销售一部" in p.name]
    people = sorted((p for p in load_candidates(hist, "2026-Q3")[0] if p.department == "销售一部"), key=lambda p: p.employee_id)
    chosen = data.draw(st.lists(st.sampled_from(people), unique_by=lambda p: p.employee_id, max_size=5))
    moves = {p.employee_id: (data.draw(st.sampled_from([g.label for g in p.spec.grades])), "理由充分", "王经理") for p in chosen}
    _fill(path, moves)
    xl_kpi.collect_calibration(path, hist, tmp / "out")
    pay = xl_kpi.final_pay(hist).set_index("employee_id")
    for p in people:
        grade = moves.get(p.employee_id, (p.grade,))[0]
        coefficient = p.spec.grades[p.spec.grade_ranks[grade] - 1].coefficient
        assert pay.loc[p.employee_id, "final_grade"] == grade and pay.loc[p.employee_id, "grade"] == p.grade
        expected = pay_for(p.bonus_base, coefficient)
        got = pay.loc[p.employee_id, "final_pay"]
        assert (expected is None and (got is None or got != got)) or got == pytest.approx(expected)  # NaN: no pay


@pytest.mark.parametrize(("lang", "shown"), [("zh", "规则被改动"), ("en", "rules changed")])
def test_who_is_left_out_of_calibration_is_listed_with_why_in_the_sheets_words(tmp_path, lang, shown):
    import openpyxl

    from xl_kpi.followup.calibration import Excluded, Group
    from xl_kpi.followup.calibration_book import write_calibration_book
    from xl_kpi.spec.scales import grade_scales

    person = _person()
    (scale,) = grade_scales([person.spec], lang)
    path = write_calibration_book(tmp_path / "c.xlsx", "销售一部", [Group("销售一部", scale, [person])], {}, "2026-Q4", lang,
                                  excluded=[Excluded("E9", "李四", "销售一部", "tampered")])
    ws = openpyxl.load_workbook(path).worksheets[1]
    assert [c.value for c in ws[2]] == ["E9", "李四", "销售一部", shown]  # the status in words, never the code 'tampered'
