"""The print form (打印表, issue 27): a practice or points card printed on one page, a read-only mirror of the card.

Every value on the form is a formula pointing at the card's cell; after LibreOffice recalculates a filled card, each
shows what its card cell shows. The plain cards get no form; the form is locked, carries no defined name and no input
cell, and a return that carries it consolidates as the card alone would.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from xl_kpi.office.libreoffice import convert
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_employee_workbook
from xl_kpi.workbook.print_form import FORM_SHEET, legend_text, needs_print_form, short_standard

from .printed import build_cards

PAGE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"

_REF = re.compile(r"^=IF\('((?:[^']|'')+)'!([A-Z]+\d+)=\"\",\"\",'(?:[^']|'')+'!\2\)$")


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
    return build_cards(tmp_path_factory.mktemp("form"))


def test_the_practice_and_points_cards_get_a_print_form_and_the_plain_cards_none(cards):
    for card in cards:
        names = openpyxl.load_workbook(card.book, read_only=True).sheetnames
        has = FORM_SHEET[card.lang] in names
        assert has == needs_print_form(card.spec), card.template
        if has:
            assert names.index(FORM_SHEET[card.lang]) == 1  # right after the card, which stays first and opens
    assert sum(needs_print_form(c.spec) for c in cards) == 6


def test_the_form_is_locked_and_every_value_is_a_formula_pointing_at_the_card(cards):
    for card in (c for c in cards if needs_print_form(c.spec)):
        wb = openpyxl.load_workbook(card.book)
        form, sheet = wb[FORM_SHEET[card.lang]], wb.worksheets[0]
        assert form.protection.sheet and not form.defined_names
        refs = [cell for row in form.iter_rows() for cell in row if isinstance(cell.value, str) and cell.value.startswith("=")]
        assert len(refs) > 60
        for cell in refs:
            m = _REF.match(cell.value) or re.match(r"^='((?:[^']|'')+)'!([A-Z]+\d+)$", cell.value)
            assert m and m.group(1) == sheet.title, (card.template, cell.coordinate, cell.value)
            assert cell.protection.locked
        assert not any(cell.protection.locked is False for row in form.iter_rows() for cell in row)


def test_a_short_standard_leaves_the_levels_descriptions_to_the_legend(specs):
    coaching = specs["sales_supervisor"].indicator("coaching")
    assert short_standard(coaching, "zh") == "A得100分;B得80分;C得60分;D得0分"
    assert legend_text(coaching, "zh").startswith("A:每月为每位组员做1次以上一对一辅导")
    rate = specs["sales_supervisor"].indicator("team_sales_rate")
    assert short_standard(rate, "zh") == rate.describe("zh") and legend_text(rate, "zh") == ""
    en = specs["sales_supervisor_en"].indicator("coaching")
    assert legend_text(en, "en").startswith("A: Monthly one-to-one") and legend_text(en, "en").endswith("D: Hardly any coaching")


@pytest.mark.libreoffice
def test_after_libreoffice_recalculates_the_form_shows_what_the_card_shows(cards, tmp_path):
    formed = [c for c in cards if needs_print_form(c.spec)]
    converted = convert([c.book for c in formed], tmp_path / "recalc", to="xlsx")
    for card, book in zip(formed, converted):
        formulas = openpyxl.load_workbook(card.book)[FORM_SHEET[card.lang]]
        values = openpyxl.load_workbook(book, data_only=True)
        form, sheet = values[FORM_SHEET[card.lang]], values.worksheets[0]
        checked = 0
        for row in formulas.iter_rows():
            for cell in row:
                m = _REF.match(str(cell.value)) or re.match(r"^='((?:[^']|'')+)'!([A-Z]+\d+)$", str(cell.value))
                if not m:
                    continue
                want, got = sheet[m.group(2)].value, form[cell.coordinate].value
                assert (want if want is not None else "") == (got if got is not None else ""), (card.template, cell.coordinate, want, got)
                checked += 1
        assert checked > 60
        assert form.cell(1, 1).value == sheet.cell(1, 1).value  # the title


def test_a_return_that_carries_the_print_form_consolidates_as_the_card_alone(tmp_path, specs):
    from xl_kpi.api import consolidate
    from xl_kpi.scoring.engine import CardInputs, score_card

    spec = specs["sales_supervisor"]
    person = Person("E001", "张三", "销售一部", spec.position, "李四", spec.id, "2026-Q3", 6000.0)
    values = {"team_sales_rate": 1.05, "new_customers": 33, "expense_rate": 0.95, "coaching": {"self": "A", "supervisor": "B"},
              "planning": {"self": "B", "supervisor": "B"}, "teamwork": {"self": "A", "supervisor": "A"}}
    book = build_employee_workbook(tmp_path / "in" / "E001.xlsx", spec, person, BuildOptions(actuals={"E001": values}))
    assert FORM_SHEET["zh"] in openpyxl.load_workbook(book, read_only=True).sheetnames
    result = consolidate([book], tmp_path / "out", {spec.id: spec})
    scores = result.scores
    assert len(scores) == 1
    errors = result.issues[result.issues["severity"] == "error"] if len(result.issues) else result.issues
    assert len(errors) == 0, errors.to_dict("records")
    total = [c for c in scores.columns if c in ("total", "总分")][0]
    assert float(scores.iloc[0][total]) == pytest.approx(score_card(spec, CardInputs.of(spec, values, 6000.0)).total)


@pytest.mark.libreoffice
def test_a_department_workbook_prints_each_practice_or_points_card_as_its_form_on_one_page(tmp_path, specs):
    import random

    from xl_kpi.demo import simulate_card
    from xl_kpi.workbook import build_department_workbook
    from xl_kpi.workbook.print_form import DETAILS

    from .printed import pages_of, read_pdf

    members = [(Person("E001", "张三", "销售一部", "销售主管", "李四", "sales_supervisor", "2026-Q3", 6000.0), specs["sales_supervisor"]),
               (Person("E002", "王五", "销售一部", "出纳", "李四", "cashier", "2026-Q3"), specs["cashier"]),
               (Person("E003", "赵六", "销售一部", "销售代表", "李四", "sales_rep", "2026-Q3"), specs["sales_rep"])]
    actuals = {p.employee_id: simulate_card(s, random.Random(k)) for k, (p, s) in enumerate(members)}
    book = build_department_workbook(tmp_path / "dept.xlsx", "销售一部", members, BuildOptions(actuals=actuals))
    names = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert names[1:6] == ["张三_E001", "王五_E002", "赵六_E003", "打印_张三_E001", "打印_王五_E002"]  # the cards, then the forms
    wb = openpyxl.load_workbook(book)
    for form, card in (("打印_张三_E001", "张三_E001"), ("打印_王五_E002", "王五_E002")):
        sheets = {m.group(1) for row in wb[form].iter_rows() for c in row if (m := _REF.match(str(c.value)))}
        assert sheets == {card}
    (pdf,) = convert([book], tmp_path / "pdf", to="pdf")
    pages = read_pdf(pdf)
    for person, _ in members:
        printed = [p for p in pages_of(pages, person.name, person.employee_id) if DETAILS["zh"] not in p.footer]
        assert len(printed) == 1 and min(w.height for w in printed[0].body) >= 9.0, person.name


def test_a_viewer_that_does_not_calculate_shows_the_cards_values_on_the_form(cards):
    """The form's cached values are the card's as written (read from the workbook XlsxWriter wrote, unrecalculated)."""
    for card in (c for c in cards if needs_print_form(c.spec)):
        formulas = openpyxl.load_workbook(card.book)[FORM_SHEET[card.lang]]
        values = openpyxl.load_workbook(card.book, data_only=True)
        form, sheet = values[FORM_SHEET[card.lang]], values.worksheets[0]
        pairs = [(sheet[m.group(2)].value, form[c.coordinate].value) for row in formulas.iter_rows() for c in row
                 if (m := _REF.match(str(c.value)))]
        assert len(pairs) > 60 and any(isinstance(want, float) for want, _ in pairs)
        assert all((want if want is not None else "") == (got if got is not None else "") for want, got in pairs), card.template


def test_a_block_added_to_the_card_prints_on_the_form_too(tmp_path, specs, monkeypatch):
    """The toy block of docs/architecture.md (本期亮点, after the self-review), registered as a new block module would
    be: the form shows its row, label and text, as formulas pointing at the card, before the sign-off."""
    from xl_kpi.sheet import blocks as sheet_blocks
    from xl_kpi.workbook import blocks as block_writers
    from xl_kpi.workbook import card_sheet

    from .docblocks import page_module

    block = page_module(PAGE, "class Highlights(Block)", "xl_kpi.sheet.blocks.highlights", monkeypatch)
    writer = page_module(PAGE, 'BlockWriter("highlights"', "xl_kpi.workbook.blocks.highlights", monkeypatch)
    monkeypatch.setitem(sheet_blocks.REGISTRY, "highlights", block.BLOCK)
    monkeypatch.setitem(block_writers.REGISTRY, "highlights", writer.WRITER)
    monkeypatch.setattr(card_sheet, "_RULES", {})
    spec = specs["sales_supervisor"]
    person = Person("E001", "张三", "销售一部", spec.position, "李四", spec.id, "2026-Q3")
    book = build_employee_workbook(tmp_path / "card.xlsx", spec, person, BuildOptions(texts={"E001": {"highlights": "签下两家大客户"}}))
    wb = openpyxl.load_workbook(book, data_only=True)
    form = wb[FORM_SHEET["zh"]]
    rows = [values for row in form.iter_rows() if (values := [c.value for c in row if c.value not in (None, "")])]
    at = rows.index(["本期亮点", "签下两家大客户"])
    assert rows[at - 1][0] == "不足与改进" and rows[at + 1][0] == "确认签字"  # after the self-review, before the sign-off
