"""What HR and employees see: sign-off, page setup, widths and fonts, messages written for people,
grades counted by rank across languages, summary.xlsx for HR, rosters as HR keeps them."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest

import xl_kpi
from xl_kpi.consolidation import consolidate
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.spec.model import Person
from xl_kpi.tabular.roster import load_roster
from xl_kpi.workbook import BuildOptions, build_department_workbook, build_employee_workbook

from .conftest import TEMPLATES

SEED = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}
BEST = {"sales_rate": 1.2, "new_customers": 12, "repurchase_rate": 0.4, "expense_rate": 0.8}
WORST = {"sales_rate": 0.5, "new_customers": 1, "repurchase_rate": 0.1, "expense_rate": 1.5}


def _person(eid: str, template: str = "sales_rep", name: str | None = None, dept: str = "销售一部") -> Person:
    return Person(eid, name or f"员工{eid}", dept, "销售代表", "李四", template, "2026-Q3")


def _sheet(path: Path, index: int = 0):
    return openpyxl.load_workbook(path).worksheets[index]


# --- the scorecard ------------------------------------------------------------------------------
def test_every_scorecard_ends_with_a_sign_off_block(tmp_path, specs):
    path = build_employee_workbook(tmp_path / "a.xlsx", specs["sales_rep"], _person("E1"))
    ws = _sheet(path)
    lay = PersonLayout.for_spec(specs["sales_rep"])
    roles = [ws.cell(lay.signoff_row(r) + 1, 1).value for r in lay.SIGN_ROLES]
    assert roles == ["被考核人", "考核人(直接上级)", "复核人", "HR"]
    headers = [ws.cell(lay.signoff_header_row + 1, c + 1).value for c in (2, 4, 6, 7)]
    assert headers == ["目标确认签字", "日期", "结果确认签字", "日期"]
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    cells = lay.cell_map(specs["sales_rep"])["signoff"]
    assert dates and all(cells[r][p] in str(dates[0].sqref) for r in lay.SIGN_ROLES for p in ("plan_date", "result_date"))
    en = _sheet(build_employee_workbook(tmp_path / "b.xlsx", specs["sales_rep_en"], _person("E2", "sales_rep_en")))
    assert en.cell(lay.signoff_row("supervisor") + 1, 1).value == "Assessor (direct supervisor)"


def test_every_sheet_prints_on_a4_one_page_wide_with_a_footer(tmp_path, specs):
    for build in (lambda: build_employee_workbook(tmp_path / "e.xlsx", specs["sales_supervisor"], _person("E1", "sales_supervisor")),
                  lambda: build_department_workbook(tmp_path / "d.xlsx", "销售一部",
                                                    [(_person("E1"), specs["sales_rep"]), (_person("E2", "sales_rep_en"), specs["sales_rep_en"])])):
        path = build()
        wb = openpyxl.load_workbook(path)
        names = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            assert ws.page_setup.paperSize == 9, ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            # one page wide, or as many as keep the text at 8 pt (the plan's months), the first columns on each
            assert ws.page_setup.fitToWidth in (None, 1) or ws.print_title_cols, ws.title
            # a print area: cells, or (the ledger) one that ends at the last row in use
            assert ws.print_area or f"{ws.title}'!$A$1:INDEX(" in names, ws.title
            assert "&P" in (ws.oddFooter.right.text or ""), ws.title


def test_the_printed_form_ends_at_the_sign_off_and_the_chart_stays_on_screen_below_it(tmp_path, specs):
    path = build_employee_workbook(tmp_path / "a.xlsx", specs["sales_rep"], _person("E1"))
    lay = PersonLayout.for_spec(specs["sales_rep"])
    ws = _sheet(path)
    area = ws.print_area.split("!")[-1].replace("$", "")
    assert area == f"A1:L{lay.last_signoff_row + 1}"  # the form's twelve columns: no scoring parameter, no chart on paper
    assert lay.chart_row > lay.last_signoff_row
    drawing = zipfile.ZipFile(path).read("xl/drawings/drawing1.xml").decode()
    anchor_row = int(drawing.split("<xdr:from>")[1].split("<xdr:row>")[1].split("<")[0])
    assert anchor_row == lay.chart_row


def test_english_columns_are_wide_enough_for_their_words(tmp_path, specs):
    zh = _sheet(build_employee_workbook(tmp_path / "zh.xlsx", specs["sales_rep"], _person("E1")))
    en = _sheet(build_employee_workbook(tmp_path / "en.xlsx", specs["sales_rep_en"], _person("E2", "sales_rep_en")))
    for column, word in (("D", "Dept."), ("A", "Unsatisfactory"), ("K", "target")):  # words do not wrap: every one fits its column
        assert en.column_dimensions[column].width >= len(word), (column, word)
    assert zh.column_dimensions["D"].width >= 4  # 工号, 部门: two wide characters


def test_fonts_are_named_for_the_language(tmp_path, specs):
    zh = build_employee_workbook(tmp_path / "zh.xlsx", specs["sales_rep"], _person("E1"))
    en = build_employee_workbook(tmp_path / "en.xlsx", specs["sales_rep_en"], _person("E2", "sales_rep_en"))
    assert "等线" in zipfile.ZipFile(zh).read("xl/styles.xml").decode()
    # Arial, whose metric twins (Liberation Sans, Nimbus Sans) come with LibreOffice and Linux: the form prints to the
    # same widths there as in Excel (Calibri's twin is often missing, and DejaVu Sans, 20% wider, takes its place)
    assert "Arial" in zipfile.ZipFile(en).read("xl/styles.xml").decode()


def test_validation_messages_are_written_for_people(tmp_path, specs):
    path = build_employee_workbook(tmp_path / "a.xlsx", specs["customer_service"], _person("E1", "customer_service"))
    prompts = {str(dv.sqref): (dv.prompt or "", dv.error or "") for dv in _sheet(path).data_validations.dataValidation}
    text = " ".join(p + " " + e for p, e in prompts.values())
    assert "e+" not in text and "1e" not in text
    assert "请输入不小于 0 的整数" in text  # complaints: a count with no upper bound
    spec = specs["customer_service"]
    for ind in spec.indicators:
        if isinstance(ind.target, float) and ind.target:
            example = ind.show(ind.target) if ind.is_percent else f"{ind.target:g}"
            assert f"例如 {example}" in text, ind.id


def test_text_in_a_number_cell_is_highlighted_and_explained(tmp_path, specs):
    path = build_employee_workbook(tmp_path / "a.xlsx", specs["sales_rep"], _person("E1"),
                                   BuildOptions(actuals={"E1": dict(SEED, sales_rate="一百零五")}))
    ws = _sheet(path)
    lay = PersonLayout.for_spec(specs["sales_rep"])
    progress = ws.cell(lay.FIRST_ROW + 1, lay.col.PROGRESS + 1)
    assert "⚠" in progress.value  # the formula's note
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "NOT(ISNUMBER(H8))" in xml  # the highlight rule over the numeric inputs


# --- grades on their own scale ------------------------------------------------------------------
def test_department_summary_counts_grades_on_each_scale_and_pools_only_a_declared_one(tmp_path, specs):
    import dataclasses

    from xl_kpi.sheet.layouts import DepartmentLayout

    def counts(zh, en):
        members = [(_person("E1"), zh), (_person("E2", "sales_rep_en"), en), (_person("E3"), zh)]
        path = build_department_workbook(tmp_path / "d.xlsx", "销售一部", members,
                                         BuildOptions(actuals={"E1": SEED, "E2": SEED, "E3": BEST}))
        lay = DepartmentLayout.for_members([spec for _, spec in members])
        ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
        formulas = openpyxl.load_workbook(path).worksheets[0]
        shown = [str(c.value) for row in formulas.iter_rows() for c in row if "SUMPRODUCT((" in str(c.value)]
        assert shown and all(f"({lay.span('grade_rank')}=" in f for f in shown)  # ranks within a scale, compared exactly
        return {ws.cell(lay.grade_row(k) + 1, lay.STATS_COL + 1).value: ws.cell(lay.grade_row(k) + 1, lay.stat_value_col + 1).value
                for k in range(lay.grades)}

    # 优秀 and Excellent are different grades until HR says they are one
    assert counts(specs["sales_rep"], specs["sales_rep_en"]) == {"优秀": 1, "良好": 1, "合格": 0, "不合格": 0, "Excellent": 0,
                                                                 "Good": 1, "Satisfactory": 0, "Unsatisfactory": 0}
    zh, en = (dataclasses.replace(specs[t], grade_scale="company_4") for t in ("sales_rep", "sales_rep_en"))
    assert counts(zh, en) == {"优秀": 1, "良好": 2, "合格": 0, "不合格": 0}


# --- summary.xlsx --------------------------------------------------------------------------------
def _consolidated(tmp_path, specs, lang="zh", monkeypatch=None):
    folder = tmp_path / "returns"
    folder.mkdir()
    people = {"E1": ("sales_rep", SEED), "E2": ("sales_rep_en", SEED), "E3": ("sales_rep", BEST), "E4": ("sales_rep", WORST)}
    texts = {"E1": {"comment": "表现良好,继续保持。", "goal_review": "目标 100 万,完成 105 万。"}}
    roster = []
    for eid, (template, actuals) in people.items():
        person = _person(eid, template)
        roster.append(person)
        build_employee_workbook(folder / f"{eid}.xlsx", specs[template], person, BuildOptions(actuals={eid: actuals}, texts=texts))
    roster.append(_person("E9", name="未交者", dept="销售二部"))
    if monkeypatch is not None:
        monkeypatch.setenv("XL_KPI_LANG", lang)
    return consolidate([folder], tmp_path / "out", specs, roster, workers=1)


def test_summary_is_for_hr_people_first_every_roster_person_present(tmp_path, specs, monkeypatch):
    _, paths = _consolidated(tmp_path, specs, "zh", monkeypatch)
    wb = openpyxl.load_workbook(paths["summary"])
    scores = wb["成绩"]
    header = [c.value for c in scores[1]]
    assert header[:6] == ["员工编号", "姓名", "部门", "总分", "等级", "状态"]
    assert "销售额完成率" not in header  # two templates: everyone's card here, each template's indicators on its own sheet
    rows = {r[0]: r for r in scores.iter_rows(min_row=2, values_only=True)}
    assert rows["E9"][5] == "未提交" and rows["E1"][5] == "正常"
    assert wb.sheetnames[:2] == ["概览", "成绩"] and set(wb.sheetnames[2:4]) == {"成绩-销售代表", "成绩-Sales Representative"}
    own = wb["成绩-销售代表"]
    header = [c.value for c in own[1]]
    assert header[:6] == ["员工编号", "姓名", "部门", "总分", "等级", "状态"]
    assert "销售额完成率" in header and "销售额完成率得分" in header and "Sales target attainment" not in header
    assert "文件" not in header  # where a result came from is on the Scores sheet
    actual = header.index("销售额完成率")
    assert own.cell(2, actual + 1).number_format == "0.0%"  # 105%, as the scorecard shows it
    assert [r[0] for r in own.iter_rows(min_row=2, values_only=True)] == ["E1", "E3", "E4", "E9"]  # its people, the missing too
    application = {r[0]: r for r in wb["结果应用"].iter_rows(min_row=2, values_only=True)}
    assert application["E3"][4] == "优秀" and "奖金" in application["E3"][5]
    assert application["E4"][4] == "不合格" and "改进" in application["E4"][5]
    assert "E1" not in application  # 良好 carries no application
    reviews = {r[0]: r for r in wb["评语与自评"].iter_rows(min_row=2, values_only=True)}
    assert reviews["E1"][4] == "表现良好,继续保持。"
    csv_rows = list(csv.DictReader(paths["reviews"].open(encoding="utf-8-sig")))
    assert csv_rows[0]["comment"] == "表现良好,继续保持。" and csv_rows[0]["goal_review"].startswith("目标 100 万")
    grades = {(r[0], r[1]): r[2] for r in wb["等级分布"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert grades[("优秀/良好/合格/不合格", "良好")] == 1  # 良好 (zh) and Good (en): each on its own scale, never pooled by rank
    assert grades[("Excellent/Good/Satisfactory/Unsatisfactory", "Good")] == 1
    for ws in wb.worksheets:  # every table repeats its header on each page; the overview is one page
        assert ws.page_setup.paperSize == 9 and (ws.print_title_rows or ws.title == "概览"), ws.title
    overview = [[c for c in row if c is not None] for row in wb["概览"].iter_rows(values_only=True)]
    assert overview[0] == ["考核汇总 — 概览"] and [5, 4, 1, 4] == overview[4][:4]  # on the roster, returned, not returned, complete
    assert ["销售一部", 4, 4, 0, 4] == overview[8][:5] and ["销售二部", 1, 0, 1, 0] == overview[9][:5]


def test_summary_speaks_english_in_an_english_run(tmp_path, specs, monkeypatch):
    _, paths = _consolidated(tmp_path, specs, "en", monkeypatch)
    wb = openpyxl.load_workbook(paths["summary"])
    assert wb.sheetnames[:2] == ["Overview", "Scores"] and wb.sheetnames[-7:-4] == ["Departments", "Grades", "Application"]
    header = [c.value for c in wb["Scores"][1]]
    assert header[:6] == ["Employee ID", "Name", "Department", "Total", "Grade", "Status"]
    assert "Sales target attainment" in [c.value for c in wb["Scores-Sales Representative"][1]]
    grades = {(r[0], r[1]): r[2] for r in wb["Grades"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert grades[("Excellent/Good/Satisfactory/Unsatisfactory", "Good")] == 1  # each grade named by its own template
    assert grades[("优秀/良好/合格/不合格", "良好")] == 1 and [c.value for c in wb["Grades"][1]][0] == "Grade scale"


def test_changed_rules_are_reported_as_the_sheet_shows_them(tmp_path, specs):
    import re

    from .zipedit import rewrite_part

    path = build_employee_workbook(tmp_path / "r" / "a.xlsx", specs["sales_rep"], _person("E1"), BuildOptions(actuals={"E1": SEED}))
    cell = PersonLayout.for_spec(specs["sales_rep"]).cell_map(specs["sales_rep"])["param_keys"]["sales_rate"][0]
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rf'(<c r="{cell}"[^>]*><v>)[^<]*', r"\g<1>1.3", xml))
    result, _ = consolidate([tmp_path / "r"], tmp_path / "out", specs, workers=1)
    (issue,) = [i for i in result.issues if i.code == "changed-threshold"]
    assert "130%" in issue.message("zh") and "110%" in issue.message("zh")


def test_a_file_that_is_not_a_workbook_says_what_it_is(tmp_path, specs):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "scan.xlsx").write_bytes(b"%PDF-1.7\n" + b"x" * 100)
    result, _ = consolidate([folder], tmp_path / "out", specs, workers=1)
    assert "PDF" in result.issues[0].message("zh") and "PDF" in result.issues[0].message("en")


# --- rosters as HR keeps them ----------------------------------------------------------------------
def test_a_gb18030_roster_with_a_title_row_and_chinese_headers(tmp_path, specs):
    path = tmp_path / "花名册.csv"
    path.write_bytes(("2026年第三季度考核花名册\r\n工号,姓名,部门,岗位,直接上级,考核模板\r\n"
                      "E001,张三,销售一部,销售代表,李四,sales_rep\r\nE002,王芳,销售一部,销售代表,李四,sales_rep\r\n").encode("gb18030"))
    people = load_roster(path, specs)
    assert [(p.employee_id, p.name, p.template) for p in people] == [("E001", "张三", "sales_rep"), ("E002", "王芳", "sales_rep")]


def test_roster_problems_name_the_files_own_line_numbers(tmp_path, specs):
    path = tmp_path / "roster.csv"
    path.write_text("花名册\n工号,姓名,部门,岗位,直接上级,考核模板\nE001,张三,一部,代表,李四,sales_rep\nE001,李雷,一部,代表,李四,sales_rep\n",
                    encoding="utf-8-sig")
    with pytest.raises(xl_kpi.InputFileError) as caught:
        load_roster(path, specs)
    (problem,) = caught.value.findings
    assert problem.code == "roster-duplicate-id" and problem.field == "line 4" and "3" in problem.message("zh")


def test_an_xlsx_roster_with_a_title_row(tmp_path, specs):
    import xlsxwriter

    path = tmp_path / "roster.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet()
        ws.write_row(0, 0, ["销售部花名册"])
        ws.write_row(2, 0, ["员工编号", "员工姓名", "所属部门", "职位", "上级", "模板"])
        ws.write_row(3, 0, ["E001", "张三", "销售一部", "销售代表", "李四", "sales_rep"])
    assert [p.name for p in load_roster(path, specs)] == ["张三"]


@pytest.fixture
def specs():
    return xl_kpi.load_templates(TEMPLATES)


def test_a_rule_gets_the_lines_its_unbreakable_runs_wrap_into(tmp_path, specs):
    """≤90%得100分;90%–100%得80分;… breaks only between its runs (90%–, 100%得, …), and ≤ – print two columns wide
    in a CJK font: the seed card's cost-control row was built four lines high and printed its first and last lines
    cut off in LibreOffice; it is five now, and every standard's row holds the lines its wrap takes."""
    from xl_kpi.sheet.printing import LINE_POINTS, lines_needed

    assert lines_needed("≤90%得100分;90%–100%得80分;100%–110%得60分;>110%得0分", 17) == 4
    assert lines_needed("≤90%得100分;90%–100%得80分;100%–110%得60分;>110%得0分", 15) == 5
    assert lines_needed("一二三四五六七八九十", 11) == 2 and lines_needed("", 5) == 1
    person = Person("E001", "张三", "销售一部", "销售代表", "李四", "sales_rep")
    path = build_employee_workbook(tmp_path / "card.xlsx", specs["sales_rep"], person, BuildOptions())
    ws = openpyxl.load_workbook(path).worksheets[0]
    standards = [cell for row in ws.iter_rows() for cell in row if isinstance(cell.value, str) and cell.value.startswith(("≥", "≤"))]
    assert len(standards) == 4
    for cell in standards:
        lines = lines_needed(cell.value, ws.column_dimensions[cell.column_letter].width)
        assert ws.row_dimensions[cell.row].height >= lines * LINE_POINTS, (cell.coordinate, lines)
