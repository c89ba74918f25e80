"""The scorecard as HR really runs it: sections, raters, 加减分, 一票否决, 绩效系数 and pay, relative
bands — checked, scored, written, consolidated and rolled up, on and around every boundary."""

from __future__ import annotations

import copy
import csv
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import xl_kpi
from xl_kpi.cli import run
from xl_kpi.consolidation import consolidate
from xl_kpi.scoring.engine import CardInputs, score_card
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.spec.model import Person
from xl_kpi.spec.rules import parse_spec
from xl_kpi.workbook import BuildOptions, build_employee_workbook

from .conftest import TEMPLATES
from .zipedit import rewrite_part

SUPERVISOR = yaml.safe_load((TEMPLATES / "sales_supervisor.yaml").read_text(encoding="utf-8"))
CARD = CardInputs(actuals={"team_sales_rate": 1.05, "new_customers": 33, "expense_rate": 0.95},
                  ratings={"coaching": {"self": "A", "supervisor": "B"}, "planning": {"self": "B", "supervisor": "B"},
                           "teamwork": {"self": "A", "supervisor": "A"}},
                  adjustments={"praise": 1, "complaint": 1}, bonus_base=5000.0)


@pytest.fixture(scope="module")
def sup(specs):
    return specs["sales_supervisor"]


def _codes(data: dict) -> dict[str, str]:
    _, problems = parse_spec(data, "s.yaml")
    out: dict[str, str] = {}
    for p in problems:
        if p.severity == "error":
            out.setdefault(p.code, p.field)  # the first place each problem is found
    return out


# --- the spec: every new rule refused with its place ---------------------------------------------

def _variant(change) -> dict:
    data = copy.deepcopy(SUPERVISOR)
    change(data)
    return data


@pytest.mark.parametrize(("change", "code", "where"), [
    (lambda d: d["sections"][0].update(weight="60%"), "weight-total", "sections[*].weight"),
    (lambda d: d["indicators"][0].update(weight="40%"), "weight-total", "sections[0]"),
    (lambda d: d["indicators"][0].update(section="sales"), "unknown-section", "indicators[0].section"),
    (lambda d: d["indicators"][0].pop("section"), "section-missing", "indicators[0].section"),
    (lambda d: d["indicators"][5].update(section="ability"), "empty-section", "sections[2]"),
    (lambda d: d.pop("raters"), "rated-without-raters", "indicators[3].rated"),
    (lambda d: d["indicators"][3].update(rated=["self", "boss"]), "unknown-rater", "indicators[3].rated"),
    (lambda d: d["raters"][1].update(weight="60%"), "weight-total", "raters[*].weight"),
    (lambda d: d["raters"][1].update(role="manager"), "unknown-role", "raters[1].role"),
    (lambda d: d["adjustments"]["items"][0].pop("max"), "missing-field", "adjustments.items[0].max"),
    (lambda d: d["adjustments"]["items"][0].update(points=0), "adjustment-points", "adjustments.items[0].points"),
    (lambda d: d["adjustments"].update(min=1), "adjustment-bounds", "adjustments"),
    (lambda d: d["veto"].append({"id": "praise", "name": "重复"}), "duplicate-id", "veto[2].id"),
    (lambda d: d["grades"][2].update(coefficient=1.5), "coefficient-order", "grades[2].coefficient"),
    (lambda d: d["grades"][1].pop("coefficient"), "coefficient-missing", "grades[1].coefficient"),
    (lambda d: d["indicators"][1].update(target="B"), "not-a-number", "indicators[1].target"),
])
def test_a_bad_practice_spec_is_refused_with_its_place(change, code, where):
    assert _codes(_variant(change)).get(code) == where


def test_a_section_key_without_sections_is_refused(write_spec):
    from .conftest import sales_dict

    data = sales_dict()
    data["indicators"][0]["section"] = "results"
    assert _codes(data) == {"section-unused": "indicators[0].section"}


def test_the_bundled_practice_templates_are_clean():
    for name in ("sales_supervisor", "sales_supervisor_en"):
        spec, problems = xl_kpi.check_spec(TEMPLATES / f"{name}.yaml")
        assert spec is not None and problems == []


def test_specs_without_the_new_keys_keep_their_hash(sales):
    """Workbooks issued before sections existed still match their template."""
    assert sales.hash == "16390b68d7b872d48dd8d11b8eb7ec66900740871fe7a6d1729f34550c90f73b"


# --- the engine, rule by rule -------------------------------------------------------------------

def test_the_supervisor_card_scores_as_worked_by_hand(sup):
    r = score_card(sup, CARD)
    # coaching 0.3×100 + 0.7×80 = 86; ability 0.6×86 + 0.4×80 = 83.6; weighted 0.7×80 + 0.2×83.6 + 0.1×100 = 82.72
    assert r.scores["coaching"] == 86 and r.sections == {"results": 80, "ability": 83.6, "attitude": 100}
    assert r.weighted == 82.72 and r.adjustment == -1 and r.total == 81.72 and r.grade.label == "良好"
    assert r.coefficient == 1.0 and r.pay == 5000


@pytest.mark.parametrize(("self_", "boss", "score"), [("A", "C", 72.0), ("D", "A", 70.0), ("B", "B", 80.0), ("a ", "b", 86.0)])
def test_a_rated_indicator_is_the_raters_weighted_mean(sup, self_, boss, score):
    ratings = {**CARD.ratings, "coaching": {"self": self_, "supervisor": boss}}
    assert score_card(sup, CardInputs(CARD.actuals, ratings)).scores["coaching"] == score


def test_three_raters_combine_20_50_30_and_round_half_away(write_spec):
    data = _variant(lambda d: None)
    data["raters"] = [{"id": "self", "name": "自评", "weight": "20%"}, {"id": "supervisor", "name": "上级", "weight": "50%"},
                      {"id": "review", "name": "复核", "weight": "30%", "role": "reviewer"}]
    data["indicators"][5]["scoring"]["levels"]["C"]["score"] = 61.25
    spec = xl_kpi.load_spec(write_spec(data))
    ratings = {**CARD.ratings, "teamwork": {"self": "C", "supervisor": "C", "review": "B"}}
    # 0.2×61.25 + 0.5×61.25 + 0.3×80 = 66.875 → 66.88 (half away from zero)
    assert score_card(spec, CardInputs(CARD.actuals, ratings)).scores["teamwork"] == 66.88


def test_nothing_adds_up_until_every_rater_has_rated(sup):
    ratings = {**CARD.ratings, "teamwork": {"self": "A"}}
    r = score_card(sup, CardInputs(CARD.actuals, ratings, CARD.adjustments))
    assert r.scores["teamwork"] is None and r.sections["attitude"] is None and r.weighted is None and r.total is None
    assert r.sections["results"] == 80 and r.grade is None and r.pay is None


@pytest.mark.parametrize(("counts", "items", "total"), [
    ({"praise": 3}, {"praise": 6}, 5),                      # +6 is the item's cap, the block stops at +5
    ({"praise": 4}, {"praise": 6}, 5),                      # +8 capped at +6, then +5
    ({"suggestion": 2}, {"suggestion": 2}, 2),
    ({"suggestion": 5}, {"suggestion": 3}, 3),
    ({"complaint": 3}, {"complaint": -9}, -9),
    ({"complaint": 4, "violation": 3}, {"complaint": -9, "violation": -10}, -10),  # −19 → the block's −10
    ({"praise": 2, "complaint": 1}, {"praise": 4, "complaint": -3}, 1),
    ({}, {}, 0),
])
def test_adjustments_clamp_each_item_then_the_block(sup, counts, items, total):
    r = score_card(sup, CardInputs(CARD.actuals, CARD.ratings, counts))
    assert {k: v for k, v in r.adjustment_items.items() if v} == items and r.adjustment == total
    assert r.total == round(r.weighted + total, 2)


def test_a_total_never_goes_below_zero(sup):
    low = CardInputs({"team_sales_rate": 0.1, "new_customers": 0, "expense_rate": 2},
                     {k: {"self": "D", "supervisor": "D"} for k in ("coaching", "planning", "teamwork")},
                     {"violation": 2})
    r = score_card(sup, low)
    assert r.weighted == 0 and r.adjustment == -10 and r.total == 0 and r.grade.label == "不合格"


@pytest.mark.parametrize("mark", ["是", "Y", "y", "Yes", " YES ", "✓"])
def test_any_veto_mark_sets_the_total_to_zero(sup, mark):
    r = score_card(sup, CardInputs(CARD.actuals, CARD.ratings, {"praise": 3}, {"fraud": mark}, 5555.55))
    assert r.vetoed == ("fraud",) and r.total == 0 and r.grade.label == "不合格" and r.coefficient == 0.5
    assert r.pay == 2777.78  # 5555.55 × 0.5 = 2777.775 → 2777.78


@pytest.mark.parametrize("mark", [None, "", "否", "No", "n"])
def test_an_unmarked_veto_changes_nothing(sup, mark):
    assert score_card(sup, CardInputs(CARD.actuals, CARD.ratings, CARD.adjustments, {"fraud": mark})).total == 81.72


@pytest.mark.parametrize(("grade_total", "coefficient", "pay"), [(95, 1.2, 6666.66), (85, 1.0, 5555.55), (65, 0.8, 4444.44)])
def test_pay_is_the_base_times_the_grades_coefficient(sup, grade_total, coefficient, pay):
    grade = next(g for g in sup.grades if grade_total >= g.min)
    assert grade.coefficient == coefficient
    from xl_kpi.core.rounding import excel_round

    assert excel_round(5555.55 * coefficient, 2) == pay


def test_relative_bands_follow_each_persons_own_target(sup):
    for target, actual, score in [(20, 24, 100), (30, 24, 60), (30, 36, 100), (30, 35.99, 80), (10, 7.9, 0)]:
        own = sup.with_targets({"new_customers": target})
        assert score_card(own, CardInputs({**CARD.actuals, "new_customers": actual}, CARD.ratings)).scores["new_customers"] == score
    assert sup.with_targets({"new_customers": 20}).indicator("new_customers").describe("zh").startswith("≥24个得100分;20个–24个得80分")


def test_a_spec_in_one_section_totals_exactly_as_without_sections(sales):
    data = yaml.safe_load((TEMPLATES / "sales_rep.yaml").read_text(encoding="utf-8"))
    data["sections"] = [{"id": "all", "name": "全部", "weight": "100%"}]
    for ind in data["indicators"]:
        ind["section"] = "all"
    sectioned, problems = parse_spec(data)
    assert sectioned is not None

    @given(st.lists(st.floats(min_value=0, max_value=2, allow_nan=False), min_size=4, max_size=4))
    @settings(max_examples=300, deadline=None)
    def same(values):
        actuals = dict(zip([i.id for i in sales.indicators], values))
        assert score_card(sectioned, actuals).total == score_card(sales, actuals).total

    same()


PLUS = ("praise", "suggestion")
MINUS = ("complaint", "violation")
levels = st.sampled_from(["A", "B", "C", "D"])


@given(st.floats(min_value=0, max_value=2, allow_nan=False), st.floats(min_value=0, max_value=2, allow_nan=False),
       st.integers(0, 60), st.integers(0, 60), st.floats(min_value=0.3, max_value=2, allow_nan=False),
       st.lists(levels, min_size=6, max_size=6), st.dictionaries(st.sampled_from(PLUS + MINUS), st.integers(0, 5)),
       st.sampled_from(["team_sales_rate", "new_customers", "expense_rate"]))
@settings(max_examples=200, deadline=None)
def test_the_total_is_monotone_in_every_input(specs, a, b, c1, c2, expense, grades_, counts, which):
    sup = specs["sales_supervisor"]
    ratings = {ind: {"self": grades_[2 * k], "supervisor": grades_[2 * k + 1]} for k, ind in enumerate(("coaching", "planning", "teamwork"))}
    base = {"team_sales_rate": min(a, b), "new_customers": min(c1, c2), "expense_rate": expense}
    better = dict(base, **{which: {"team_sales_rate": max(a, b), "new_customers": max(c1, c2), "expense_rate": expense * 0.9}[which]})
    total = score_card(sup, CardInputs(base, ratings, counts)).total
    assert score_card(sup, CardInputs(better, ratings, counts)).total >= total
    for item in PLUS:
        assert score_card(sup, CardInputs(base, ratings, {**counts, item: counts.get(item, 0) + 1})).total >= total
    for item in MINUS:
        assert score_card(sup, CardInputs(base, ratings, {**counts, item: counts.get(item, 0) + 1})).total <= total
    assert score_card(sup, CardInputs(base, ratings, counts, {"safety": "是"})).total <= total
    improved = {**ratings, "coaching": {"self": "A", "supervisor": ratings["coaching"]["supervisor"]}}
    assert score_card(sup, CardInputs(base, improved, counts)).total >= total


# --- the workbook: protection, relative bands in a real engine ------------------------------------

def _build(tmp: Path, spec, inputs=CARD, **options) -> Path:
    person = Person("E031", "钱进", "销售一部", "销售主管", "李四", spec.id, bonus_base=inputs.bonus_base)
    return build_employee_workbook(tmp / "E031.xlsx", spec, person, BuildOptions(actuals={"E031": inputs}, **options))


def test_the_supervisors_cells_are_locked_behind_their_own_password(tmp_path, sup):
    import openpyxl

    path = _build(tmp_path, sup, reviewer_password="boss", password="hr")
    layout = PersonLayout.for_spec(sup)
    ws = openpyxl.load_workbook(path).worksheets[0]
    cells = layout.cell_map(sup)
    employee = [cells["actual"]["team_sales_rate"], cells["rating"]["coaching"]["self"]]
    supervisor = [cells["rating"]["coaching"]["supervisor"], cells["adjustment"]["count"]["praise"], cells["veto"]["fraud"],
                  cells["comment"]]
    assert all(ws[c].protection.locked is False for c in employee)
    assert all(ws[c].protection.locked is not False for c in supervisor)
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    ranges = re.findall(r'<protectedRange [^>]*password="([0-9A-F]+)"[^>]*sqref="([^"]+)"', xml)
    supervisor_range, reviewer_range = (set(r[1].split()) for r in ranges)  # the reviewer's: sign-off of reviewer and HR
    signoff = cells["signoff"]
    assert set(supervisor) | {signoff["supervisor"]["result_sign"]} <= supervisor_range
    assert {signoff["reviewer"]["result_date"], signoff["hr"]["plan_sign"]} <= reviewer_range
    assert not (set(employee) | {signoff["employee"]["result_sign"]}) & (supervisor_range | reviewer_range)
    assert ws[signoff["employee"]["result_date"]].protection.locked is False  # the employee signs and dates their own


def test_without_a_reviewer_password_the_supervisors_cells_stay_open(tmp_path, sup):
    import openpyxl

    path = _build(tmp_path, sup)
    cells = PersonLayout.for_spec(sup).cell_map(sup)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws[cells["rating"]["coaching"]["supervisor"]].protection.locked is False
    assert "password=" not in re.findall(r"<protectedRange [^>]*>", zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode())[0]


@pytest.mark.libreoffice
def test_relative_bands_use_each_persons_target_in_libreoffice(tmp_path, sup):
    import openpyxl

    from xl_kpi.office.libreoffice import convert

    targets = {f"R{k}": {"new_customers": t} for k, t in enumerate((20, 24, 30, 40))}
    actuals = [24, 24, 24, 31.99]
    paths = []
    for k, eid in enumerate(targets):
        person = Person(eid, f"测试{k}", "测试部", "", "", sup.id)
        inputs = CardInputs({**CARD.actuals, "new_customers": actuals[k]}, CARD.ratings)
        paths.append(build_employee_workbook(tmp_path / f"{eid}.xlsx", sup, person,
                                             BuildOptions(actuals={eid: inputs}, targets=targets)))
    cell = PersonLayout.for_spec(sup).cell_map(sup)["score"]["new_customers"]
    for out, (eid, own), actual in zip(convert(paths, tmp_path / "lo"), targets.items(), actuals):
        want = score_card(sup.with_targets(own), CardInputs({**CARD.actuals, "new_customers": actual}, CARD.ratings))
        assert openpyxl.load_workbook(out, data_only=True).worksheets[0][cell].value == want.scores["new_customers"], eid
    assert [score_card(sup.with_targets(t), CardInputs({**CARD.actuals, "new_customers": a}, CARD.ratings)).scores["new_customers"]
            for t, a in zip(targets.values(), actuals)] == [100, 80, 60, 0]


# --- consolidation --------------------------------------------------------------------------------

def _returns(tmp: Path, sup, **cards) -> Path:
    folder = tmp / "returns"
    for eid, inputs in cards.items():
        person = Person(eid, f"员工{eid}", "销售一部", "销售主管", "李四", sup.id, bonus_base=inputs.bonus_base)
        build_employee_workbook(folder / f"{eid}.xlsx", sup, person, BuildOptions(actuals={eid: inputs}, reviewer_password="boss"))
    return folder


def test_a_supervisor_return_consolidates_to_the_engines_result(tmp_path, specs, sup):
    vetoed = CardInputs(CARD.actuals, CARD.ratings, {"praise": 4}, {"safety": "是"}, 5555.55)
    folder = _returns(tmp_path, sup, E1=CARD, E2=vetoed)
    result, paths = consolidate([folder], tmp_path / "out", specs, workers=1)
    by_id = {r.employee_id: r for r in result.records}
    assert by_id["E1"].total == 81.72 and by_id["E1"].sections["ability"] == 83.6 and by_id["E1"].pay == 5000
    assert by_id["E2"].total == 0 and by_id["E2"].vetoed == ("safety",) and by_id["E2"].pay == 2777.78
    assert all(r.status == "ok" for r in result.records)
    codes = [(i.employee_id, i.code) for i in result.issues]
    assert ("E2", "veto-applied") in codes and ("E2", "adjustment-capped") in codes and ("E1", "adjustment-applied") in codes
    with open(paths["scores"], encoding="utf-8-sig") as fh:
        rows = {r["employee_id"]: r for r in csv.DictReader(fh)}
    assert rows["E1"]["coaching_self"] == "A" and rows["E1"]["coaching_supervisor"] == "B" and rows["E1"]["ability_score"] == "83.6"
    assert rows["E1"]["adjustment"] == "-1.0" and rows["E2"]["veto"] == "safety" and rows["E1"]["pay"] == "5000.0"
    with open(paths["pay"], encoding="utf-8-sig") as fh:
        pay = list(csv.DictReader(fh))
    assert [(r["employee_id"], r["grade"], r["coefficient"], r["bonus_base"], r["pay"]) for r in pay] == [
        ("E1", "良好", "1.0", "5000.0", "5000.0"), ("E2", "不合格", "0.5", "5555.55", "2777.78")]
    with sqlite3.connect(paths["history"]) as db:
        row = db.execute("SELECT weighted, adjustment, veto, coefficient, pay FROM totals WHERE employee_id='E2'").fetchone()
        assert row == (82.72, 5.0, "safety", 0.5, 2777.78)
        assert db.execute("SELECT COUNT(*) FROM templates").fetchone() == (1,)


def _set(path: Path, cell: str, xml: str) -> None:
    rewrite_part(path, "xl/worksheets/sheet1.xml",
                 lambda x: re.sub(rf'<c r="{cell}"([^>]*?)(/>|>.*?</c>)', rf'<c r="{cell}"\1>{xml}</c>', x, count=1))


@pytest.mark.parametrize("what", ["section_weight", "rater_weight", "points", "adj_max", "coefficient", "bonus_base",
                                  "section_formula", "rated_formula", "total_formula"])
def test_tampering_with_any_new_rule_is_caught(tmp_path, specs, sup, what):
    folder = _returns(tmp_path, sup, E1=CARD)
    cells = PersonLayout.for_spec(sup).cell_map(sup)
    target, xml, code = {
        "section_weight": (cells["section_weight"]["results"], "<v>0.9</v>", "changed-rule"),
        "rater_weight": (cells["rater_weight"]["self"], "<v>0.5</v>", "changed-rule"),
        "points": (cells["adjustment"]["points"]["complaint"], "<v>-1</v>", "changed-rule"),
        "adj_max": (cells["adjustment"]["max_total"], "<v>50</v>", "changed-rule"),
        "coefficient": (cells["grade_coefficient"][1], "<v>1.5</v>", "changed-rule"),
        "bonus_base": (cells["bonus_base"], "<v>50000</v>", "changed-rule"),
        "section_formula": (cells["section"]["ability"], "<v>100</v>", "formula-deleted"),
        "rated_formula": (cells["score"]["coaching"], "<f>100</f><v>100</v>", "formula-changed"),
        "total_formula": (cells["total"], "<f>100</f><v>100</v>", "formula-changed"),
    }[what]
    _set(folder / "E1.xlsx", target, xml)
    result, _ = consolidate([folder], tmp_path / "out", specs, workers=1)
    assert code in [i.code for i in result.issues if i.cell == target]
    assert result.records[0].status == "tampered" and result.records[0].total == 81.72  # scored with the issued rules


def test_an_unreadable_rating_count_or_mark_is_reported(tmp_path, specs, sup):
    folder = _returns(tmp_path, sup, E1=CARD)
    cells = PersonLayout.for_spec(sup).cell_map(sup)
    _set(folder / "E1.xlsx", cells["rating"]["teamwork"]["supervisor"], '<is><t>E</t></is>')
    _set(folder / "E1.xlsx", cells["adjustment"]["count"]["praise"], "<v>1.5</v>")
    _set(folder / "E1.xlsx", cells["veto"]["fraud"], '<is><t>也许</t></is>')
    rewrite_part(folder / "E1.xlsx", "xl/worksheets/sheet1.xml",
                 lambda x: re.sub(r'<c r="([A-Z]+\d+)"([^>]*?)><is>', r'<c r="\1"\2 t="inlineStr"><is>', x))
    result, _ = consolidate([folder], tmp_path / "out", specs, workers=1)
    bad = {(i.code, i.cell) for i in result.issues if i.severity == "error"}
    assert bad == {("invalid-level", cells["rating"]["teamwork"]["supervisor"]), ("invalid-count", cells["adjustment"]["count"]["praise"]),
                   ("invalid-mark", cells["veto"]["fraud"])}
    (record,) = result.records
    assert record.status == "invalid" and record.total is None and record.grade is None and record.pay is None  # never a guess


# --- score, rollup ----------------------------------------------------------------------------------

def test_score_takes_raters_adjustments_veto_and_the_base_from_a_long_table(tmp_path, capsys):
    rows = [("E1", "team_sales_rate", "", "105%"), ("E1", "new_customers", "", "33"), ("E1", "expense_rate", "", "0.95")]
    for ind, (s, b) in {"coaching": ("A", "B"), "planning": ("B", "B"), "teamwork": ("A", "A")}.items():
        rows += [("E1", ind, "self", s), ("E1", ind, "supervisor", b)]
    rows += [("E1", "adj:praise", "", "1"), ("E1", "adj:complaint", "", "1"), ("E1", "veto:fraud", "", "否"),
             ("E1", "bonus_base", "", "5,000")]
    path = tmp_path / "a.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([("employee_id", "indicator_id", "rater", "actual"), *rows])
    assert run(["score", str(TEMPLATES / "sales_supervisor.yaml"), "--actuals", str(path), "--format", "json"]) == 0
    (card,) = json.loads(capsys.readouterr().out)
    assert card["total"] == 81.72 and card["sections"]["ability"] == 83.6 and card["adjustment"] == -1 and card["pay"] == 5000
    path.write_text("employee_id,indicator_id,rater,actual\nE1,coaching,boss,A\n", encoding="utf-8")
    assert run(["score", str(TEMPLATES / "sales_supervisor.yaml"), "--actuals", str(path)]) == 1
    assert "boss" in capsys.readouterr().err


def _history(tmp: Path, specs, sup, quarters: dict[str, list[float]]) -> Path:
    """Consolidate one quarter after another into one history: E1's team sales attainment per quarter."""
    history = tmp / "history.sqlite"
    for q, rates in quarters.items():
        folder = tmp / q
        for k, rate in enumerate(rates):
            eid = f"E{k + 1}"
            person = Person(eid, f"员工{k}", "销售一部", "", "", sup.id, period=f"2026-{q}", bonus_base=5000.0)
            build_employee_workbook(folder / f"{eid}.xlsx", sup, person,
                                    BuildOptions(actuals={eid: CardInputs({**CARD.actuals, "team_sales_rate": rate}, CARD.ratings)}))
        consolidate([folder], tmp / f"out-{q}", specs, workers=1, history=history)
    return history


def test_rollup_averages_the_periods_and_reports_the_missing_ones(tmp_path, specs, sup, capsys):
    history = _history(tmp_path, specs, sup, {"Q1": [1.1, 1.1], "Q2": [1.0, 1.0], "Q3": [0.9, 0.9], "Q4": [1.1]})
    totals = {q: score_card(sup, CardInputs({**CARD.actuals, "team_sales_rate": r}, CARD.ratings)).total
              for q, r in (("Q1", 1.1), ("Q2", 1.0), ("Q3", 0.9))}
    annual = xl_kpi.rollup(history, 2026).set_index("employee_id")
    assert annual.loc["E1", "annual_total"] == round((totals["Q1"] + totals["Q2"] + totals["Q3"] + totals["Q1"]) / 4, 2)
    assert annual.loc["E1", "missing"] == "" and annual.loc["E2", "missing"] == "Q4"
    assert annual.loc["E2", "annual_total"] == round(sum(totals.values()) / 3, 2)
    grade = next(g for g in sup.grades if annual.loc["E1", "annual_total"] >= g.min)
    assert annual.loc["E1", "grade"] == grade.label and annual.loc["E1", "coefficient"] == grade.coefficient  # from the history
    weighted = xl_kpi.rollup(history, 2026, "1,1,1,2").set_index("employee_id")
    assert weighted.loc["E1", "annual_total"] == round((totals["Q1"] * 3 + totals["Q2"] + totals["Q3"]) / 5, 2)
    out = tmp_path / "annual.csv"
    assert run(["rollup", "--history", str(history), "--year", "2026", "-o", str(out)]) == 1  # E2 misses Q4
    assert "Q4" in capsys.readouterr().out and pd.read_csv(out)["employee_id"].tolist() == ["E1", "E2"]
    assert run(["rollup", "--history", str(history), "--year", "2026", "-o", str(out), "--weights", "1,2"]) == 2
    assert run(["rollup", "--history", str(tmp_path / "none.sqlite"), "--year", "2026", "-o", str(out)]) == 2
