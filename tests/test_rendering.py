"""What users see on paper: workbooks rendered by LibreOffice to PDF, page by page."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import xl_kpi
from xl_kpi.office.libreoffice import convert
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_department_workbook, build_employee_workbook
from xl_kpi.workbook.print_form import needs_print_form

from .conftest import TEMPLATES
from .printed import Card, Page, measure, smallest_glyph

SEED = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}
REVIEW = {"goal_review": "季度销售额目标 100 万元,实际完成 105 万元,完成率 105%。" * 3,
          "key_actions": "每周拜访 8 家重点客户,新增有效客户 11 家。" * 3, "results": "回款 98 万元。", "gaps": "复购率 32%,下季度提升到 35%。"}


def _pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext, layout kept: the footer names the sheet's person)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def specs():
    return xl_kpi.load_templates(TEMPLATES)


@pytest.mark.libreoffice
@pytest.mark.parametrize(("template", "name"), [("sales_rep", "张三"), ("sales_rep_en", "Emily Clark"),
                                                ("customer_service", "吴婷"), ("rd_delivery", "马超")])
def test_a_four_or_five_indicator_scorecard_prints_on_one_a4_page(tmp_path, specs, template, name):
    person = Person("E001", name, "销售一部", "销售代表", "李四", template, "2026-Q3")
    book = build_employee_workbook(tmp_path / "card.xlsx", specs[template], person,
                                   BuildOptions(actuals={"E001": SEED}, texts={"E001": REVIEW}))
    (pdf,) = convert([book], tmp_path, to="pdf")
    card = [p for p in _pages(pdf) if f"{name} · E001" in p]
    assert len(card) == 1, f"{template}: {len(card)} pages"
    assert ("确认签字" in card[0] or "Sign-off" in card[0]) and ("第 1 页" in card[0] or "Page 1 of" in card[0])


@pytest.mark.libreoffice
def test_a_department_summary_of_thirty_people_prints_one_page_wide(tmp_path, specs):
    members = [(Person(f"E{k:03d}", f"员工{k}", "销售一部", "销售代表", "李四", "sales_rep", "2026-Q3"), specs["sales_rep"])
               for k in range(30)]
    book = build_department_workbook(tmp_path / "dept.xlsx", "销售一部", members)
    (pdf,) = convert([book], tmp_path, to="pdf")
    summary = [p for p in _pages(pdf) if "销售一部 · 部门汇总" in p]
    # one page wide: the first page holds the leftmost and the rightmost columns (the statistics) of the first rows
    assert "E000" in summary[0] and "查看" in summary[0] and "人数" in summary[0]
    assert len(summary) <= 2 and "部门负责人" in summary[-1] and "E029" in "".join(summary)
    assert "员工编号" in summary[-1] or len(summary) == 1  # the header row repeats on every page
    from .printed import read_pdf

    people = [w for page in read_pdf(pdf) if "销售一部 · 部门汇总" in page.footer for w in page.body
              if w.text.startswith(("E0", "员工"))]
    assert len(people) >= 60 and min(w.height for w in people) >= 8.0  # its table at 8 pt or more


@pytest.mark.libreoffice
@pytest.mark.parametrize("people", [26, 58])  # counts whose sign-off heading LibreOffice printed alone at a page's foot
def test_a_department_summarys_sign_off_heading_prints_on_the_page_of_its_signatures(tmp_path, specs, people):
    from .printed import read_pdf

    members = [(Person(f"E{k:03d}", f"员工{k}", "销售一部", "销售代表", "李四", "sales_rep", "2026-Q3"), specs["sales_rep"])
               for k in range(people)]
    (pdf,) = convert([build_department_workbook(tmp_path / "dept.xlsx", "销售一部", members)], tmp_path, to="pdf")
    summary = [page for page in read_pdf(pdf) if "销售一部 · 部门汇总" in page.footer]
    holding = {text: [k for k, page in enumerate(summary) if text in {w.text for w in page.body}] for text in ("确认签字", "部门负责人", "HR")}
    assert holding["确认签字"] == holding["部门负责人"] == holding["HR"] and len(holding["HR"]) == 1, holding
    assert any(w.text == "E000" for w in summary[0].body) and len(summary[-1].body) > 10  # a page of people first, no page of a heading


def test_the_department_chart_names_every_grade_and_keeps_its_counts_apart(tmp_path, specs):
    import zipfile

    members = [(Person(f"E{k:03d}", f"员工{k}", "销售一部", "", "李四", t, "2026-Q3"), specs[t])
               for k, t in enumerate(["sales_rep", "sales_rep_en", "customer_service_en"] * 4)]
    book = build_department_workbook(tmp_path / "dept.xlsx", "销售一部", members)
    with zipfile.ZipFile(book) as z:
        chart = z.read("xl/charts/chart1.xml").decode()  # the summary's chart comes first
    assert '<c:barDir val="bar"/>' in chart  # a bar per grade: eight grades' names side by side beside their bars
    assert '<c:tickLblSkip val="1"/>' in chart  # every grade named (a narrow column chart skipped every other)
    assert "<c:showVal" in chart and "<c:dLblPos" not in chart  # each count at its bar's end (a bar's default) ...
    assert '<c:max val="12"/>' in chart  # ... on a scale up to the headcount, which no count passes


@pytest.mark.libreoffice
@pytest.mark.parametrize(("template", "title", "first"), [("sales_rep", "填写说明", "1. 只有浅蓝色单元格"),
                                                          ("sales_rep_en", "Instructions", "1. Light-blue cells are yours")])
def test_the_instructions_print_whole_nothing_cut_at_the_left_edge(tmp_path, specs, template, title, first):
    person = Person("E001", "张三", "销售一部", "销售代表", "李四", template, "2026-Q3")
    book = build_employee_workbook(tmp_path / "card.xlsx", specs[template], person)
    (pdf,) = convert([book], tmp_path, to="pdf")
    (page,) = [p for p in _pages(pdf) if "PDCA" in p and ("颜色含义" in p or "What the colours mean" in p)]
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    assert lines[0] == title and any(line.startswith(first) for line in lines), lines[:4]


@pytest.mark.libreoffice
def test_a_supervisors_rating_workbook_prints_as_a_team_rating_sheet_on_one_a4_landscape_page(tmp_path, specs):
    people = [Person(f"E03{k}", name, "销售一部", "销售主管", "李四", "sales_supervisor", "2026-Q3")
              for k, name in enumerate(["钱进", "孙悦", "周航", "吴琳", "郑涛", "冯雪"], 1)]
    xl_kpi.build(specs["sales_supervisor"], people, tmp_path / "w")
    (pdf,) = convert([tmp_path / "w" / "评分表" / "上级评分_李四.xlsx"], tmp_path, to="pdf")
    pages = _pages(pdf)
    assert len(pages) == 1
    page = pages[0]
    for text in ("上级评分", "评分人", "李四", "钱进", "冯雪", "团队辅导", "公司通报表扬", "重大安全事故", "上级评语", "评分标准",
                 "A(100分)", "每次+2分", "评分人签字", "HR 确认", "第 1 页,共 1 页"):
        assert text in page, text
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.3" in size  # A4 landscape


# --- cards as forms (issue 27): every bundled template, the practice card with eight indicators, an imported card -----
# Pages per person as LibreOffice prints them (docs/workbook.md records the figures: `python -m tests.printed`). A card
# of plain indicators prints on one page; a practice or points card (sections, raters, bonus items, veto, pay, points)
# prints its print form (打印表), one page for up to eight indicators; its own sheet prints the indicator details only.
PAGES = {"content_ops": 1, "customer_service": 1, "customer_service_en": 1, "imported": 1, "manager": 1, "rd_delivery": 1,
         "sales_rep": 1, "sales_rep_en": 1, "cashier": 1, "production_director": 1, "sales_supervisor": 1, "sales_supervisor_8": 1,
         "sales_supervisor_en": 1, "sales_supervisor_en_8": 1}


@pytest.fixture(scope="module")
def cards(tmp_path_factory) -> list[tuple[Card, list[Page]]]:
    return measure(tmp_path_factory.mktemp("cards"))


@pytest.mark.libreoffice
def test_every_card_prints_its_body_text_at_nine_points_or_more(cards):
    sizes = {card.template: smallest_glyph(pages) for card, pages in cards}
    assert sizes.keys() == PAGES.keys()
    assert min(sizes.values()) >= 9.0, {t: pt for t, pt in sizes.items() if pt < 9.0}


@pytest.mark.libreoffice
def test_each_card_prints_on_as_many_pages_per_person_as_recorded(cards):
    printed = {card.template: len(pages) for card, pages in cards}
    assert printed == PAGES
    assert all(card.indicators <= 8 for card, _ in cards)


@pytest.mark.libreoffice
def test_a_printed_card_is_the_whole_form_and_no_helper_column(cards):
    for card, pages in cards:
        text = " ".join(page.text for page in pages)
        zh = card.lang == "zh"
        for part in (("员工姓名", "评分标准", "等级标准", "上级评语", "自我评价", "确认签字") if zh else
                     ("Name", "Scoring standard", "Grade scale", "Supervisor's comment", "Self-review", "Sign-off")):
            assert part.split()[0] in text, (card.template, part)
        for helper in (("评分参数", "条件1", "分值1", "各指标得分") if zh else ("Scoring parameters", "Condition1", "Score by indicator")):
            assert helper not in text, (card.template, helper)  # the scoring parameters and the chart stay on screen


@pytest.mark.libreoffice
def test_grades_and_labels_print_whole_in_both_languages(cards):
    for card, pages in cards:
        words = {w.text for page in pages for w in page.body}
        heads = ("序号", "单位", "目标值", "实际完成", "得分", "工号", "部门") if card.lang == "zh" else (
            "Indicator", "Definition", "Unit", "Target", "Weight", "Actual", "Score", "ID", "Dept.", "Duties")
        if needs_print_form(card.spec):  # the print form leaves the definition and the unit to the card on screen
            heads = tuple(h for h in heads if h not in ("单位", "Definition", "Unit"))
        missing = [text for text in (*card.grades, *heads) if not all(part in words for part in text.split())]
        assert not missing, (card.template, missing)  # a grade or a heading cut by its column would be missing letters
        assert card.name.split()[0] in words


@pytest.mark.libreoffice
def test_the_supervisors_comment_is_coloured_as_the_supervisors(tmp_path, specs):
    import openpyxl

    from xl_kpi.sheet.person import PersonLayout
    from xl_kpi.workbook.styles import INPUT_FILL, REVIEW_FILL

    person = Person("E001", "张三", "销售一部", "销售代表", "李四", "sales_rep", "2026-Q3")
    ws = openpyxl.load_workbook(build_employee_workbook(tmp_path / "card.xlsx", specs["sales_rep"], person)).worksheets[0]
    lay = PersonLayout.for_spec(specs["sales_rep"])
    fill = lambda row, col: ws.cell(row + 1, col + 1).fill.fgColor.rgb[-6:]  # noqa: E731
    assert fill(lay.comment_row, 1) == REVIEW_FILL[1:]  # the legend's light yellow: "your supervisor fills it in"
    assert fill(lay.review_row(0), 1) == INPUT_FILL[1:]  # the self-review is the employee's light blue
    assert fill(lay.signoff_row("employee"), 2) == INPUT_FILL[1:] and fill(lay.signoff_row("supervisor"), 2) == REVIEW_FILL[1:]
    assert not ws.cell(lay.comment_row + 1, 2).protection.locked  # open without a reviewer password, as the ratings are


@pytest.mark.libreoffice
def test_a_summary_of_several_templates_prints_every_sheet_at_eight_points_or_more(tmp_path):
    from xl_kpi.demo import run_demo

    from .printed import read_pdf

    demo = run_demo(tmp_path / "demo")
    (pdf,) = convert([demo.paths["summary"]], tmp_path / "pdf", to="pdf")
    pages = read_pdf(pdf)
    small = {p.footer: min(w.height for w in p.body) for p in pages if p.body and min(w.height for w in p.body) < 8.0}
    assert not small, small
    overview = [p for p in pages if "overview" in p.footer or "概览" in p.footer]
    assert len(overview) == 1  # one page HR reads first
    import openpyxl

    book = openpyxl.load_workbook(demo.paths["summary"])
    files = [row[0] for row in book.worksheets[-1].iter_rows(min_row=2, values_only=True) if row[0]]
    assert files and not [f for f in files if "/" in f or "\\" in f]  # file names HR can chase, not the folders they came through
    printed = " ".join(p.text for p in pages if book.worksheets[-1].title in p.footer)
    assert all(f in printed for f in files if " " not in f)  # whole, not cut by the next column
