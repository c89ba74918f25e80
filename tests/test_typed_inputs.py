"""One reading of every typed input (issue 22): counts, marks, actuals and ratings are read the same
way by ``score``, the API and consolidation; what cannot be read leaves the person not ok and their
total, grade and pay blank; where the sheet's own formulas read a cell otherwise, consolidation says
so, naming the cell; a percent-formatted cell is read as typed; a formula is compared by meaning."""

from __future__ import annotations

import csv
import re
import shutil
import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xl_kpi
from xl_kpi.cli import run
from xl_kpi.consolidation import consolidate
from xl_kpi.consolidation.inputs import Source
from xl_kpi.consolidation.reader import read_source
from xl_kpi.consolidation.xmlscan import normalise_formula
from xl_kpi.office.gnumeric import recalc
from xl_kpi.office.libreoffice import convert
from xl_kpi.scoring.engine import CardInputs
from xl_kpi.scoring.inputs import read_card, read_count, read_mark
from xl_kpi.scoring.normalize import normalise_actual, normalise_finding
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_employee_workbook

from .conftest import TEMPLATES
from .zipedit import rewrite_part

SHEET = "xl/worksheets/sheet1.xml"
RATED = {"coaching": {"self": "A", "supervisor": "A"}, "planning": {"self": "A", "supervisor": "B"},
         "teamwork": {"self": "B", "supervisor": "A"}}
CARD = CardInputs({"team_sales_rate": 1.12, "new_customers": 33, "expense_rate": 0.9}, RATED)  # weighted 94.08


@pytest.fixture(scope="module")
def sup(specs):
    return specs["sales_supervisor"]


def _person(eid: str, base: float = 6000.0) -> Person:
    return Person(eid, f"员工{eid}", "销售一部", "销售主管", "李四", "sales_supervisor", bonus_base=base)


def _typed(path, cell: str, text: str | None, number: str | None = None) -> None:
    """What a person typed in ``cell``, kept in the cell's own style: text as an inline string, or a number."""
    body = f'<v>{number}</v>' if number is not None else f'<is><t>{text}</t></is>'
    kind = "" if number is not None else ' t="inlineStr"'

    def change(xml: str) -> str:
        new, n = re.subn(rf'<c r="{cell}"((?: s="\d+")?)[^>]*?(?:/>|>.*?</c>)', rf'<c r="{cell}"\1{kind}>{body}</c>', xml, count=1)
        assert n == 1
        return new
    rewrite_part(path, SHEET, change)


# --- counts and marks: one reading ---------------------------------------------------------------
@pytest.mark.parametrize(("typed", "value", "error"), [
    ("4", 4, None), ("4次", 4, None), ("四", 4, None), ("４", 4, None), ("两次", 2, None), ("3 times", 3, None), (None, 0, None),
    ("", 0, None), (2.0, 2, None), ("1.5", None, "not-whole"), (-1, None, "negative"), ("-1", None, "negative"),
    ("几次", None, "not-a-number"), ("三五次", None, "not-a-number"), ("50%", None, "not-a-number"), (True, None, "boolean"),
])
def test_a_count_is_a_whole_number_of_times_as_people_type_it(typed, value, error):
    norm = read_count(typed)
    assert norm.error == error and (error is not None or norm.value == value)


@pytest.mark.parametrize("typed", ["是", "有", "Y", "yes", "YES", "√", "✓", "✔", "☑", " 是 "])
def test_every_yes_mark_applies_the_veto(typed):
    assert read_mark(typed).value is True


@pytest.mark.parametrize("typed", ["否", "无", "没有", "N", "No", "×", None, "", 0])
def test_every_no_mark_and_a_blank_do_not(typed):
    assert read_mark(typed).value is False


@pytest.mark.parametrize("typed", ["x", "可能", "1", 1, True, "是的吧"])
def test_an_unknown_mark_is_not_guessed(typed):
    assert read_mark(typed).error == "unknown-mark"


def _returns(tmp_path, sup, typed: dict[str, tuple[str, str]]) -> tuple:
    """One return per person, each with one cell typed as given (key: "adj:<item>" or "veto:<item>")."""
    folder = tmp_path / "returns"
    cells = PersonLayout.for_spec(sup).cell_map(sup)
    people = []
    for eid, (key, text) in typed.items():
        people.append(_person(eid))
        path = build_employee_workbook(folder / f"{eid}.xlsx", sup, people[-1], BuildOptions(actuals={eid: CARD}))
        kind, item = key.split(":")
        ref = cells["adjustment"]["count"][item] if kind == "adj" else cells["veto"][item]
        if text is not None:
            _typed(path, ref, text)
    return folder, people, cells


def test_supervisor_inputs_typed_as_people_type_them_are_read_or_reported_never_scored_as_blank(tmp_path, sup):
    typed = {"P1": ("adj:praise", "2次"), "P2": ("adj:praise", "四"), "P3": ("adj:praise", "２"), "P4": ("veto:safety", "√"),
             "P5": ("veto:safety", "有"), "P6": ("adj:praise", "4.5"), "P7": ("adj:complaint", "-1"), "P8": ("veto:fraud", "也许"),
             "P9": ("adj:praise", None)}
    folder, people, cells = _returns(tmp_path, sup, typed)
    result, paths = consolidate([folder], tmp_path / "out", {"sales_supervisor": sup}, people, workers=1)
    got = {r.employee_id: (r.total, r.grade, r.status, r.pay) for r in result.records}
    assert got == {
        "P1": (98.08, "优秀", "ok", 7200.0),  # 94.08 + 2 × 2
        "P2": (99.08, "优秀", "ok", 7200.0),  # 4 × 2 = 8, capped at 6, the block at +5
        "P3": (98.08, "优秀", "ok", 7200.0),
        "P4": (0.0, "不合格", "ok", 3000.0),  # vetoed: 0.5 × 6000
        "P5": (0.0, "不合格", "ok", 3000.0),
        "P6": (None, None, "invalid", None),  # never a guessed 94.08 or 99.08
        "P7": (None, None, "invalid", None),
        "P8": (None, None, "invalid", None),
        "P9": (94.08, "优秀", "ok", 7200.0),
    }
    errors = {(i.employee_id, i.code, i.cell) for i in result.issues if i.severity == "error"}
    assert errors == {("P6", "invalid-count", cells["adjustment"]["count"]["praise"]),
                      ("P7", "invalid-count", cells["adjustment"]["count"]["complaint"]),
                      ("P8", "invalid-mark", cells["veto"]["fraud"])}
    # text the sheet's formulas cannot read is named with its cell: the sheet and the results never differ in silence
    differs = {(i.employee_id, i.cell) for i in result.issues if i.code == "sheet-reads-otherwise"}
    assert differs == {("P1", "H28"), ("P2", "H28"), ("P3", "H28")} == {(e, cells["adjustment"]["count"]["praise"]) for e in ("P1", "P2", "P3")}
    notes = {i.employee_id for i in result.issues if i.code == "normalised-actual"}
    assert notes == {"P1", "P2", "P3"}
    pay = {row["employee_id"]: row for row in csv.DictReader(paths["pay"].open(encoding="utf-8-sig"))}
    assert pay["P6"]["pay"] == "" and pay["P6"]["no_pay_reason"] == "invalid: invalid-count"
    assert pay["P8"]["no_pay_reason"] == "invalid: invalid-mark" and pay["P1"]["pay"] == "7200.0"


@pytest.mark.libreoffice
def test_libreoffice_computes_the_marks_the_engine_reads(tmp_path, sup):
    """The sheet's own veto formula knows every yes mark: LibreOffice recalculates the same total."""
    folder, people, _ = _returns(tmp_path, sup, {f"P{k}": ("veto:safety", mark) for k, mark in enumerate(["√", "有", "✔", "否"])})
    saved = convert(sorted(folder.glob("*.xlsx")), tmp_path / "lo")
    for path in saved:
        shutil.copy(path, folder / path.name)
    result, _ = consolidate([folder], tmp_path / "out", {"sales_supervisor": sup}, people, workers=1)
    assert {r.employee_id: r.total for r in result.records} == {"P0": 0.0, "P1": 0.0, "P2": 0.0, "P3": 94.08}
    assert not [i for i in result.issues if i.code in ("cached-mismatch", "sheet-reads-otherwise")]


def test_score_and_the_api_read_counts_and_marks_as_consolidation_does(tmp_path, sup, capsys):
    rows = [("E1", ind, "", v) for ind, v in CARD.actuals.items()]
    rows += [("E1", ind, rater, v) for ind, by in RATED.items() for rater, v in by.items()]
    rows += [("E1", "adj:praise", "", "1.5"), ("E1", "adj:complaint", "", "-1"), ("E1", "bonus_base", "", "6000")]
    path = tmp_path / "a.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([("employee_id", "indicator_id", "rater", "actual"), *rows])
    assert run(["score", str(TEMPLATES / "sales_supervisor.yaml"), "--actuals", str(path), "--format", "json"]) == 1
    out = capsys.readouterr()
    assert '"total": null' in out.out and "invalid-count" not in out.out  # the codes are on stderr, the total is blank
    assert "1.5" in out.err and "-1" in out.err
    frame = pd.DataFrame(rows, columns=["employee_id", "indicator_id", "rater", "actual"])
    result = xl_kpi.score(sup, frame)
    assert pd.isna(result.loc[0, "total"]) and result.loc[0, "grade"] is None
    assert {f.code for f in result.attrs["findings"]} == {"invalid-count"}


def test_a_missing_actual_in_score_is_named_per_person_and_indicator(tmp_path, specs):
    frame = pd.DataFrame({"employee_id": ["E1", "E2"], "sales_rate": [1.05, None], "new_customers": [11, 12],
                          "repurchase_rate": [0.32, 0.3], "expense_rate": [0.95, 0.9]})
    result = xl_kpi.score(specs["sales_rep"], frame)
    assert result.loc[0, "total"] == 80 and pd.isna(result.loc[1, "total"])
    (missing,) = [f for f in result.attrs["findings"] if f.code == "missing-actual"]
    assert missing.employee_id == "E2" and "销售额完成率" in missing.message.en and result.loc[1, "problems"]


ALPHABET = st.sampled_from(list("0123456789.-%,次个四两十是否有√YNyn× １２"))
TYPED = st.one_of(st.none(), st.text(ALPHABET, max_size=6), st.sampled_from(["ten", "Yes", "No", "3 times", "1,200"]), st.integers(-3, 12), st.floats(-2, 12, allow_nan=False).map(lambda x: round(x, 1)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(count=TYPED, mark=TYPED, actual=TYPED)
def test_score_the_api_and_consolidation_read_any_typed_value_alike(tmp_path_factory, sup, count, mark, actual):
    """For any typed count, mark and actual: the same values, the same codes, the same total — whichever way it comes in."""
    tmp = tmp_path_factory.mktemp("typed")
    cells = PersonLayout.for_spec(sup).cell_map(sup)
    path = build_employee_workbook(tmp / "E1.xlsx", sup, _person("E1"), BuildOptions(actuals={"E1": CARD}))
    for ref, value in ((cells["adjustment"]["count"]["praise"], count), (cells["veto"]["fraud"], mark),
                       (cells["actual"]["new_customers"], actual)):
        if value is None:
            _typed(path, ref, "")
        elif isinstance(value, str):
            _typed(path, ref, value.replace("&", "&amp;").replace("<", "&lt;"))
        else:
            _typed(path, ref, None, repr(float(value)))
    (record,) = read_source(Source(str(path)), {"sales_supervisor": sup}).records

    frame = pd.DataFrame([("E1", "team_sales_rate", "", 1.12), ("E1", "new_customers", "", actual), ("E1", "expense_rate", "", 0.9),
                          *[("E1", ind, rater, v) for ind, by in RATED.items() for rater, v in by.items()],
                          ("E1", "adj:praise", "", count), ("E1", "veto:fraud", "", mark), ("E1", "bonus_base", "", 6000)],
                         columns=["employee_id", "indicator_id", "rater", "actual"])
    api = xl_kpi.score(sup, frame)
    total = api.loc[0, "total"]
    assert (record.total is None and pd.isna(total)) or record.total == total
    assert record.vetoed == (tuple(api.loc[0, "veto"].split()) if api.loc[0, "veto"] else ())

    direct = read_card(sup, CardInputs({**CARD.actuals, "new_customers": float(actual) if isinstance(actual, int) else actual}, RATED,
                                       {"praise": float(count) if isinstance(count, int) else count}, {"fraud": mark}),
                       lambda key: {"field": key})
    assert record.actuals["new_customers"] == direct.inputs.actuals["new_customers"]
    assert record.adjustment_counts.get("praise") == direct.inputs.adjustments["praise"]
    api_codes = {f.code for f in api.attrs["findings"] if f.severity == "error"}
    assert api_codes == {f.code for f in direct.findings if f.severity == "error"}


# --- a percent-formatted cell is read as typed -------------------------------------------------------
def test_a_number_in_a_percent_cell_is_the_percentage_it_shows(tmp_path, specs):
    spec = specs["sales_rep"]
    ref = PersonLayout.for_spec(spec).cell_map(spec)["actual"]["sales_rate"]
    folder = tmp_path / "returns"
    person = Person("E1", "张三", "销售一部", "", "", "sales_rep")
    path = build_employee_workbook(folder / "E1.xlsx", spec, person,
                                   BuildOptions(actuals={"E1": {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32,
                                                                "expense_rate": 0.95}}))
    _typed(path, ref, None, "3")  # 300% typed in the percent cell (what Excel and LibreOffice store)
    result, _ = consolidate([folder], tmp_path / "out", {"sales_rep": spec}, workers=1)
    (record,) = result.records
    assert record.actuals["sales_rate"] == 3.0 and record.scores["sales_rate"] == 100.0 and record.status == "ok"
    assert not [i for i in result.issues if i.code in ("ambiguous-percent", "sheet-reads-otherwise")]
    # the ambiguity rule stays where nothing says it is a percentage: a table, or a cell without the format
    assert xl_kpi.score(spec, pd.DataFrame({"employee_id": ["E1"], "sales_rate": [3], "new_customers": [11],
                                            "repurchase_rate": [0.32], "expense_rate": [0.95]})).attrs["findings"][0].code == "ambiguous-percent"
    rewrite_part(path, SHEET, lambda xml: re.sub(rf'<c r="{ref}" s="\d+"', f'<c r="{ref}"', xml))
    result, _ = consolidate([folder], tmp_path / "out2", {"sales_rep": spec}, workers=1)
    assert {i.code for i in result.issues if i.severity == "error"} == {"ambiguous-percent"}


# --- a formula typed into an input cell, a number no percentage can mean -------------------------------
def test_a_formula_in_an_input_cell_is_read_by_its_saved_result_and_named(tmp_path, specs):
    spec = specs["sales_rep"]
    cells = PersonLayout.for_spec(spec).cell_map(spec)["actual"]
    folder = tmp_path / "returns"
    path = build_employee_workbook(folder / "E1.xlsx", spec, Person("E1", "张三", "销售一部", "", "", "sales_rep"),
                                   BuildOptions(actuals={"E1": {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32,
                                                                "expense_rate": 0.95}}))

    def formula(cell: str, text: str, cached: str) -> None:  # as LibreOffice saves =TRUE() or =NOW()*0+0.95 typed in a cell
        rewrite_part(path, SHEET, lambda xml: re.sub(rf'(<c r="{cell}"(?: s="\d+")?)[^>]*?(?:/>|>.*?</c>)',
                                                     rf'\1><f>{text}</f><v>{cached}</v></c>', xml, count=1))
    formula(cells["new_customers"], "TRUE()", "1")
    formula(cells["expense_rate"], "NOW()*0+0.95", "0.95")
    result, _ = consolidate([folder], tmp_path / "out", {"sales_rep": spec}, workers=1)
    warned = {i.cell: i for i in result.issues if i.code == "input-formula"}
    assert set(warned) == {cells["new_customers"], cells["expense_rate"]}  # the two typed as formulas, not the two typed as values
    assert "=TRUE()" in warned[cells["new_customers"]].message.zh and warned[cells["new_customers"]].severity == "warning"
    (record,) = result.records
    assert record.actuals["expense_rate"] == 0.95 and record.total is not None


def test_a_number_too_large_for_any_percentage_is_not_offered_as_one(tmp_path, specs):
    spec = specs["sales_rep"]
    ind = spec.indicator("sales_rate")
    for raw, offered in ((112.0, True), (1e308, False)):  # 112 in a percent cell meant 112%; 1e308 meant no percentage
        norm = normalise_actual(ind, raw, percent_cell=True)
        found = normalise_finding(ind, raw, norm)
        assert found is not None and found.code == "out-of-range"
        assert ("1.12" in found.hint.zh) is offered and len(found.message.zh) < 80


# --- formulas compared by meaning ------------------------------------------------------------------
@pytest.mark.parametrize(("ours", "saved"), [
    ("=IF(COUNT(K18:K18)=1,ROUND(SUMPRODUCT(F18:F18,K18:K18)/SUM(F18:F18),2),\"\")",
     "IF(COUNT(K18)=1,ROUND(SUMPRODUCT(F18,K18)/SUM(F18),2),\"\")"),  # Gnumeric 1.12 on save
    ("=SUM(A1:A3)*$B$2", "sum(a1:a3) * B2"),  # absolute and relative, case, spaces
    ("=IF(A1>=0.5,TRUE,\"\")", "IF(A1>=.5,TRUE(),\"\")"),  # LibreOffice's TRUE(), a number written another way
    ("=IFERROR(A1,0)", "_xlfn.IFERROR(A1, 0)"),  # Excel's future-function prefix
    ("='KPI考核表'!J12", "KPI考核表!$J$12"),  # quotes a sheet name does not need
])
def test_what_spreadsheets_rewrite_on_save_reads_the_same(ours, saved):
    assert normalise_formula(ours) == normalise_formula(saved)


@pytest.mark.parametrize(("ours", "changed"), [
    ("=IF(A1>=0.5,100,0)", "=IF(A1>=0.6,100,0)"), ("=SUM(A1:A3)", "=SUM(A1:A2)"), ("=IF(TRIM(H35)=\"是\",1,0)", "=IF(TRIM(H35)=\"否\",1,0)"),
    ("=MAX(A1,B1)", "=MIN(A1,B1)"), ("=A1:A2", "=A1"), ("=IF(A1,\"a b\",\"\")", "=IF(A1,\"ab\",\"\")"), ("=Sheet1!A1", "=Sheet2!A1"),
])
def test_an_edit_is_never_folded_away(ours, changed):
    assert normalise_formula(ours) != normalise_formula(changed)


@given(st.text(string.printable, max_size=40))
def test_the_meaning_of_a_formula_is_a_formula_with_the_same_meaning(text):
    once = normalise_formula(text)
    assert normalise_formula(once) == once


@pytest.mark.libreoffice
@pytest.mark.gnumeric
def test_every_template_saved_by_libreoffice_and_gnumeric_without_an_edit_is_untouched(tmp_path, specs):
    """Returns of every bundled template re-saved by LibreOffice and by Gnumeric, no edit: nothing is tampered."""
    built = []
    for k, (sid, spec) in enumerate(sorted(specs.items())):
        person = Person(f"E{k}", "张三", "销售一部", "", "", sid, bonus_base=5000.0)
        built.append(build_employee_workbook(tmp_path / "src" / f"{sid}.xlsx", spec, person, BuildOptions()))
    for program, saved in (("libreoffice", convert(built, tmp_path / "lo")), ("gnumeric", recalc(built, tmp_path / "gn"))):
        result, _ = consolidate([saved[0].parent], tmp_path / f"out-{program}", specs, workers=1)
        assert len(result.records) == len(specs), program
        bad = [(i.file, i.cell, i.code) for i in result.issues if i.code in ("formula-changed", "formula-deleted")]
        assert not bad and {r.status for r in result.records} == {"incomplete"}, (program, bad)


def test_plain_numbers_in_an_actuals_file_are_numbers_not_text_to_report(tmp_path, sup, capsys):
    """A CSV holds every value as text: 1.12 there is a number as typed, not "a number stored as text" on each line."""
    rows = [("E1", ind, "", v) for ind, v in CARD.actuals.items()]
    rows += [("E1", ind, rater, v) for ind, by in RATED.items() for rater, v in by.items()]
    rows += [("E1", "adj:praise", "", "1"), ("E1", "bonus_base", "", "6000")]
    path = tmp_path / "a.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([("employee_id", "indicator_id", "rater", "actual"), *rows])
    assert run(["score", str(TEMPLATES / "sales_supervisor.yaml"), "--actuals", str(path), "--format", "json"]) == 0
    out = capsys.readouterr()
    assert "normalised-actual" not in out.err and "1.12" not in out.err, out.err
    assert '"total": null' not in out.out


def test_a_count_read_from_text_says_how_in_the_runs_language(sup):
    reading = read_card(sup, CardInputs(dict(CARD.actuals), RATED, {"praise": "２次"}), lambda key: {"field": key})
    (note,) = [f for f in reading.findings if f.code == "normalised-actual"]
    assert "全角字符" in note.message.zh and "full-width" not in note.message.zh
    assert "full-width" in note.message.en
