"""A grade is always its own template's: a run mixing a four-grade card, a five-grade card and an
English card names and counts every grade on its own scale — in summary.xlsx, in the live
department workbook and in the target distribution (issue 22)."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from xl_kpi.consolidation import consolidate
from xl_kpi.consolidation.distribution import parse_distribution
from xl_kpi.core.errors import UsageError
from xl_kpi.office.libreoffice import convert
from xl_kpi.sheet.layouts import DepartmentLayout
from xl_kpi.spec.model import Grade, Person
from xl_kpi.spec.scales import column_titles, grade_scales, scale_key
from xl_kpi.workbook import BuildOptions, build_department_workbook, build_employee_workbook

SEED = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}  # 80: 良好 / Good
LOW = {"sales_rate": 0.95, "new_customers": 9, "repurchase_rate": 0.27, "expense_rate": 1.05}  # 60: 合格 / Satisfactory
FAIL = {"sales_rate": 0.5, "new_customers": 1, "repurchase_rate": 0.1, "expense_rate": 2.0}  # 0: 不合格 / Unsatisfactory
CS_OK = {"response_time": 10, "complaint_rate": 0.01, "satisfaction": 4.9, "valid_complaints": 0}  # 100: 优秀
CS_SOSO = {"response_time": 18, "complaint_rate": 0.03, "satisfaction": 4.5, "valid_complaints": 1}  # 63: 待改进 (five grades)


@pytest.fixture(scope="module")
def cards(specs):
    """The bundled sales cards (zh, en) and a customer-service card with five grades."""
    cs5 = dataclasses.replace(specs["customer_service"], id="cs5",
                              grades=(Grade("优秀", 90), Grade("良好", 80), Grade("合格", 70), Grade("待改进", 60), Grade("不合格", 0)))
    return {"sales_rep": specs["sales_rep"], "sales_rep_en": specs["sales_rep_en"], "cs5": cs5}


PEOPLE = [("E1", "sales_rep", SEED), ("E2", "sales_rep", FAIL), ("E3", "sales_rep_en", SEED), ("E4", "sales_rep_en", FAIL),
          ("E5", "cs5", CS_OK), ("E6", "cs5", CS_SOSO), ("E7", "sales_rep", LOW)]


def _person(eid: str, template: str) -> Person:
    return Person(eid, f"员工{eid}", "销售一部", "", "", template)


def test_each_scale_stands_apart_and_shared_labels_name_their_scale(cards):
    scales = grade_scales([cards["sales_rep"], cards["cs5"], cards["sales_rep_en"]], "zh")
    assert [s.labels for s in scales] == [("优秀", "良好", "合格", "不合格"), ("优秀", "良好", "合格", "待改进", "不合格"),
                                          ("Excellent", "Good", "Satisfactory", "Unsatisfactory")]
    titles = [t for _, _, t in column_titles(scales, "zh")]
    assert titles[:4] == ["优秀(4级)", "良好(4级)", "合格(4级)", "不合格(4级)"]
    assert titles[4:9] == ["优秀(5级)", "良好(5级)", "合格(5级)", "待改进(5级)", "不合格(5级)"]
    assert titles[9:] == ["Excellent", "Good", "Satisfactory", "Unsatisfactory"]  # no other scale uses them


def test_a_declared_scale_counts_translations_together(cards):
    zh = dataclasses.replace(cards["sales_rep"], grade_scale="company_4")
    en = dataclasses.replace(cards["sales_rep_en"], grade_scale="company_4")
    assert scale_key(zh) == scale_key(en)
    (scale,) = grade_scales([en, zh], "zh")
    assert scale.labels == ("优秀", "良好", "合格", "不合格") and scale.templates == ("sales_rep_en", "sales_rep")
    # a declared name with another number of grades is another scale, never a rank-for-rank mapping
    assert scale_key(dataclasses.replace(cards["cs5"], grade_scale="company_4")) != scale_key(zh)


def _returns(tmp_path, cards):
    folder = tmp_path / "returns"
    for eid, template, actuals in PEOPLE:
        build_employee_workbook(folder / f"{eid}.xlsx", cards[template], _person(eid, template), BuildOptions(actuals={eid: actuals}))
    return folder


def test_summary_names_and_counts_every_grade_on_its_own_scale(tmp_path, cards, monkeypatch):
    monkeypatch.setenv("XL_KPI_LANG", "zh")
    result, paths = consolidate([_returns(tmp_path, cards)], tmp_path / "out", cards, workers=1,
                                target_distribution=parse_distribution("20,70,10"))
    book = openpyxl.load_workbook(paths["summary"])
    scores = {row[0]: row[4] for row in book["成绩"].iter_rows(min_row=2, values_only=True)}
    assert scores == {"E1": "良好", "E2": "不合格", "E3": "Good", "E4": "Unsatisfactory", "E5": "优秀", "E6": "待改进", "E7": "合格"}

    depts = list(book["部门统计"].iter_rows(values_only=True))
    counts = dict(zip(depts[0][8:], depts[1][8:]))
    assert counts == {"优秀(4级)": 0, "良好(4级)": 1, "合格(4级)": 1, "不合格(4级)": 1,
                      "Excellent": 0, "Good": 1, "Satisfactory": 0, "Unsatisfactory": 1,
                      "优秀(5级)": 1, "良好(5级)": 0, "合格(5级)": 0, "待改进(5级)": 1, "不合格(5级)": 0}

    grades = [row for row in book["等级分布"].iter_rows(min_row=2, values_only=True) if row[0]]
    by_scale = {}
    for scale, label, n, share, *target in grades:
        by_scale.setdefault(scale, {})[label] = (n, round(share, 4), tuple(round(t, 4) for t in target if t is not None))
    assert by_scale["优秀/良好/合格/不合格"] == {"优秀": (0, 0.0, ()), "良好": (1, 0.3333, ()), "合格": (1, 0.3333, ()),
                                              "不合格": (1, 0.3333, ())}  # three shares do not fit four grades
    assert by_scale["优秀/良好/合格/待改进/不合格"]["待改进"] == (1, 0.5, ())
    assert sum(n for n, _, _ in by_scale["Excellent/Good/Satisfactory/Unsatisfactory"].values()) == 2
    not_applied = sorted(i.message.en for i in result.issues if i.code == "distribution-not-applied")
    assert len(not_applied) == 3 and all("3 shares were given" in m for m in not_applied)
    assert any("优秀/良好/合格/待改进/不合格" in m and "5 grades" in m for m in not_applied)


def test_a_distribution_with_one_share_per_grade_applies_to_its_scale_only(tmp_path, cards, monkeypatch):
    monkeypatch.setenv("XL_KPI_LANG", "zh")
    _, paths = consolidate([_returns(tmp_path, cards)], tmp_path / "out", cards, workers=1,
                           target_distribution=parse_distribution("10,20,40,20,10"))
    rows = [r for r in openpyxl.load_workbook(paths["summary"])["等级分布"].iter_rows(min_row=2, values_only=True) if r[0]]
    targets = {(r[0], r[1]): r[4] for r in rows}
    assert targets[("优秀/良好/合格/待改进/不合格", "待改进")] == pytest.approx(0.2)
    assert targets[("优秀/良好/合格/不合格", "不合格")] is None  # never laid on the first grades of another scale


def test_a_distribution_that_fits_no_scale_of_the_roster_is_refused_before_reading(tmp_path, cards):
    roster = [_person(eid, template) for eid, template, _ in PEOPLE]
    with pytest.raises(UsageError) as err:
        consolidate([tmp_path], tmp_path / "out", cards, roster, workers=1, target_distribution=parse_distribution("20,70,10"))
    assert err.value.code == "distribution-mismatch" and "优秀/良好/合格/待改进/不合格(该标尺有 5 个等级,给出了 3 个占比)" in err.value.render("zh")
    assert not (tmp_path / "out" / "summary.xlsx").exists()
    with pytest.raises(UsageError):
        parse_distribution("优秀=20,70")  # named and positional shares mixed


@pytest.mark.libreoffice
def test_a_department_workbook_mixing_scales_counts_each_grade_on_its_scale_in_libreoffice(tmp_path, cards):
    members = [(_person(eid, template), cards[template]) for eid, template, _ in PEOPLE]
    path = build_department_workbook(tmp_path / "d.xlsx", "销售一部", members,
                                     BuildOptions(actuals={eid: actuals for eid, _, actuals in PEOPLE}))
    lay = DepartmentLayout.for_members([spec for _, spec in members])
    assert lay.grades == 13

    def counts(ws):
        return {ws.cell(lay.grade_row(k) + 1, lay.STATS_COL + 1).value: ws.cell(lay.grade_row(k) + 1, lay.stat_value_col + 1).value
                for k in range(lay.grades)}

    want = {"优秀(4级)": 0, "良好(4级)": 1, "合格(4级)": 1, "不合格(4级)": 1, "优秀(5级)": 1, "良好(5级)": 0, "合格(5级)": 0,
            "待改进(5级)": 1, "不合格(5级)": 0, "Excellent": 0, "Good": 1, "Satisfactory": 0, "Unsatisfactory": 1}
    assert counts(openpyxl.load_workbook(path, data_only=True).worksheets[0]) == want  # as written
    (out,) = convert([path], tmp_path / "lo")
    assert counts(openpyxl.load_workbook(out, data_only=True).worksheets[0]) == want  # as LibreOffice computes them
