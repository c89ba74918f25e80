"""Generated workbooks: the contract other tools rely on, protection, validation, portability."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree
from python_calamine import CalamineWorkbook

from xl_kpi.cli import run
from xl_kpi.scoring.engine import score_card
from xl_kpi.sheet.person import META_SHEET, PersonLayout, name_id
from xl_kpi.spec.model import Person
from xl_kpi.tabular.roster import load_roster
from xl_kpi.workbook import BuildOptions, build_all, build_employee_workbook

from .conftest import ROSTER, ROSTER_SIZE, SALES_CELLS, TEMPLATES
from .workbook_cases import contract_names

DATA = Path(__file__).parent / "data"
PORTABLE = {"IF", "ISNUMBER", "ROUND", "MIN", "MAX", "TRIM", "COUNT", "SUMPRODUCT", "SUM", "INDEX", "MATCH", "AND",
            "OR", "COUNTA", "COUNTIF", "AVERAGE", "LEN", "ABS", "INT", "MOD", "SIGN"}
SEED = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}


@pytest.fixture(scope="module")
def built(tmp_path_factory, specs):
    out = tmp_path_factory.mktemp("built")
    people = load_roster(ROSTER, specs)
    employee = build_all(specs, people, out / "employee")
    department = build_all(specs, people, out / "department", BuildOptions(layout="department"))
    return people, employee, department


def _formulas(path: Path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    yield ws.title, cell.coordinate, cell.value


def test_one_file_per_person_under_department_and_one_per_department(built):
    people, employee, department = built
    assert len(employee) == len(people) == ROSTER_SIZE
    assert {p.parent.name for p in employee} == {"销售一部", "客服部", "产品研发部"}
    assert sorted(p.name for p in department) == ["产品研发部.xlsx", "客服部.xlsx", "销售一部.xlsx"]


def test_every_part_is_well_formed_xml(built):
    _, employee, department = built
    for path in employee[:5] + department:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.endswith((".xml", ".rels")):
                    ElementTree.fromstring(zf.read(name))  # raises on malformed XML


def test_defined_names_contract_resolves_on_every_person_sheet(built, specs):
    people, employee, department = built
    for path in [employee[0], department[0]]:
        wb = openpyxl.load_workbook(path)
        person_sheets = [ws for ws in wb.worksheets if "KPI_TOTAL" in ws.defined_names]
        assert person_sheets
        for ws in person_sheets:
            names = ws.defined_names
            eid_sheet, eid_cell = next(iter(names["KPI_EMPLOYEE_ID"].destinations))
            person = next(p for p in people if p.employee_id == wb[eid_sheet][eid_cell].value)
            spec = specs[person.template]
            assert set(names) == contract_names(spec)
            for name in names.values():
                ((sheet, cell),) = list(name.destinations)
                assert sheet == ws.title and wb[sheet][cell.replace("$", "")] is not None


def test_only_input_cells_are_unlocked_and_every_sheet_is_protected(built, specs):
    people, employee, _ = built
    path = employee[0]
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert all(sheet.protection.sheet for sheet in wb.worksheets)
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False}
    actual_cells = {next(iter(dn.destinations))[1].replace("$", "") for n, dn in ws.defined_names.items() if n.startswith("KPI_ACTUAL_")}
    assert actual_cells <= unlocked
    formula_cells = {coord for sheet, coord, _ in _formulas(path) if sheet == ws.title}
    assert not (formula_cells & unlocked)
    # Everything else unlocked lies in the merged comment and self-review input rows, and the sign-off rows.
    layout = PersonLayout.for_spec(specs[people[0].template])
    text_rows = {layout.comment_row + 1} | {layout.review_row(k) + 1 for k in range(4)}
    text_rows |= {layout.signoff_row(role) + 1 for role in layout.SIGN_ROLES}
    assert all(c in actual_cells or int(re.sub(r"[A-Z]", "", c)) in text_rows for c in unlocked)
    with zipfile.ZipFile(path) as zf:
        assert b'lockStructure="1"' in zf.read("xl/workbook.xml")


def test_password_protects_sheets_and_structure(tmp_path, sales):
    path = build_employee_workbook(tmp_path / "p.xlsx", sales, Person("E1", "张三", "销售一部", "", "", "sales_rep"),
                                   BuildOptions(password="s3cret"))
    with zipfile.ZipFile(path) as zf:
        assert b'workbookPassword="' in zf.read("xl/workbook.xml")
        assert b'password="' in zf.read("xl/worksheets/sheet1.xml")


def test_every_actual_has_validation_with_message_and_stop_alert(built, specs):
    people, employee, _ = built
    by_template = {}
    for person, path in zip(people, employee):
        by_template.setdefault(person.template, path)
    for template, path in by_template.items():
        ws = openpyxl.load_workbook(path).worksheets[0]
        rules = {cell: dv for dv in ws.data_validations.dataValidation for cell in str(dv.sqref).split()}  # a rule may cover cells
        for ind in specs[template].indicators:
            name = f"KPI_RATING_{name_id(ind.id)}_{name_id(ind.raters[0])}" if ind.rated else f"KPI_ACTUAL_{name_id(ind.id)}"
            cell = next(iter(ws.defined_names[name].destinations))[1].replace("$", "")
            dv = rules[cell]
            assert dv.showInputMessage and dv.prompt and dv.showErrorMessage and dv.error
            assert dv.errorStyle in (None, "stop")
            if ind.takes_label:  # the drop-down reads the levels from cells beside the row
                first, last = dv.formula1.replace("$", "").split(":")
                assert dv.type == "list" and [c.value for row in ws[f"{first}:{last}"] for c in row] == [
                    lv.label for lv in ind.scoring.levels]
            elif ind.is_percent:  # the example is the indicator's own target, typed as a percentage
                example = ind.show(float(ind.target))
                assert dv.type == "decimal" and (f"例如 {example}" in dv.prompt or f"e.g. {example}" in dv.prompt) and "e+" not in dv.prompt
            else:
                assert dv.type in ("decimal", "whole")


def test_formulas_use_only_portable_non_volatile_functions(built):
    _, employee, department = built
    seen = set()
    for path in [employee[0], employee[-1], department[0]]:
        for _, _, formula in _formulas(path):
            assert "_xlfn" not in formula
            seen |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", formula))
    assert seen <= PORTABLE, seen - PORTABLE
    assert {"IF", "ROUND", "SUMPRODUCT"} <= seen


def test_cached_values_are_the_engine_results_without_recalculation(tmp_path, sales):
    person = Person("E001", "张三", "销售一部", "销售代表", "李四", "sales_rep")
    path = build_employee_workbook(tmp_path / "seed.xlsx", sales, person, BuildOptions(actuals={"E001": SEED}))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("KPI考核表").to_python(skip_empty_area=False)
    ws = openpyxl.load_workbook(path).worksheets[0]

    def cached(name):
        cell = next(iter(ws.defined_names[name].destinations))[1].replace("$", "")
        col, row = re.match(r"([A-Z]+)(\d+)", cell).groups()
        return rows[int(row) - 1][ord(col) - 65]

    assert [cached(f"KPI_SCORE_{name_id(i)}") for i in SEED] == [80, 80, 80, 80]
    assert cached("KPI_TOTAL") == score_card(sales, SEED).total == 80
    assert cached("KPI_GRADE") == "良好"
    assert cached("KPI_EMPLOYEE_ID") == "E001"


def test_blank_workbook_caches_blank_scores_not_zero(built):
    _, employee, _ = built
    wb = openpyxl.load_workbook(employee[0])
    ws = wb.worksheets[0]
    cell = next(iter(ws.defined_names["KPI_TOTAL"].destinations))[1].replace("$", "")
    values = openpyxl.load_workbook(employee[0], data_only=True).worksheets[0]
    assert values[cell].value in (None, "")


def test_metadata_sheet_is_very_hidden_and_records_spec_hash_and_cells(built, specs):
    people, employee, _ = built
    wb = openpyxl.load_workbook(employee[0])
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden" and meta.protection.sheet
    values = [[c.value for c in row] for row in meta.iter_rows()]
    spec = specs[people[0].template]
    spec_row = next(r for r in values if r[0] == "spec")
    assert ["spec", spec.id, spec.version, spec.hash] == spec_row[:4]
    assert ["formulas", "native"] == next(r for r in values if r[0] == "formulas")[:2]
    person_row = next(r for r in values if r[1] == people[0].employee_id)
    assert person_row[6] == spec.hash and '"total": "J' in person_row[8]


def test_seed_standard_sentence_appears_in_the_sheet(built):
    _, employee, _ = built
    ws = openpyxl.load_workbook(employee[0]).worksheets[0]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "≥110%得100分;100%–110%得80分;90%–100%得60分;<90%得0分" in texts
    assert "≤90%得100分;90%–100%得80分;100%–110%得60分;>110%得0分" in texts


def test_english_workbook_speaks_english(tmp_path, specs):
    spec = specs["sales_rep_en"]
    path = build_employee_workbook(tmp_path / "en.xlsx", spec, Person("E8", "Emily", "Sales", "", "", spec.id))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["Scorecard", "PDCA ledger", "Target plan", "Instructions"]
    texts = {c.value for row in wb["Scorecard"].iter_rows() for c in row if isinstance(c.value, str)}
    assert {"Indicator", "Actual", "Score", "Total score", "Grade"} <= texts


def test_roster_text_never_becomes_a_formula(tmp_path, sales):
    path = build_employee_workbook(tmp_path / "inj.xlsx", sales, Person("E9", "=HYPERLINK(\"http://x\")", "D", "", "", "sales_rep"))
    assert all("HYPERLINK" not in f for _, _, f in _formulas(path))
    cell = openpyxl.load_workbook(path).worksheets[0][SALES_CELLS["info"]["name"]]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_build_cli_bad_layout_and_bad_roster(tmp_path, capsys):
    assert run(["build", str(TEMPLATES), "--roster", str(ROSTER), "-o", str(tmp_path), "--layout", "grid"]) == 2
    bad = tmp_path / "roster.csv"
    bad.write_text("employee_id,name,department,position,manager,template\nE1,张三,D,,,nope\n", encoding="utf-8")
    assert run(["build", str(TEMPLATES), "--roster", str(bad), "-o", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: 第 2 行:" in err and "'nope'" in err and "sales_rep" in err
    assert not (tmp_path / "o").exists()  # nothing half-built


def test_build_cli_department_layout(tmp_path):
    assert run(["build", str(TEMPLATES), "--roster", str(ROSTER), "-o", str(tmp_path), "--layout", "department"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "销售一部.xlsx")
    assert wb.sheetnames[0] == "部门汇总" and "张三_E001" in wb.sheetnames
    summary = wb["部门汇总"]
    formulas = [c.value for row in summary.iter_rows() for c in row if c.data_type == "f"]
    assert any("'张三_E001'!J" in f for f in formulas) and any(f.startswith("=SUMPRODUCT((") for f in formulas)


def test_the_worksheet_speed_ups_write_exactly_what_xlsxwriter_would(tmp_path, specs, monkeypatch):
    """PortableWorksheet short-cuts three XlsxWriter internals (formula rewrites, attribute escaping,
    blank cells); every part of the workbook must come out byte for byte as without them."""
    from xl_kpi.workbook import book, build_department_workbook, stamp

    members = [(Person(f"E{k}", f"员工{k}", "销售一部", "", "", s.id, bonus_base=5000.0), s)
               for k, s in enumerate([specs["sales_rep"], specs["sales_supervisor"], specs["manager"]])]
    monkeypatch.setattr("uuid.uuid4", lambda: __import__("uuid").UUID(int=7))  # the workbook id: the same in both builds
    fast = build_department_workbook(tmp_path / "fast.xlsx", "销售一部", members)
    for name in ("_write_cell", "_escape_attributes"):
        monkeypatch.delattr(book.PortableWorksheet, name)
    with stamp.disabled():  # XlsxWriter's own methods write every sheet: none taken from the fast build
        plain = build_department_workbook(tmp_path / "plain.xlsx", "销售一部", members)
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(plain) as b:
        assert a.namelist() == b.namelist()
        assert [n for n in a.namelist() if n != "docProps/core.xml" and a.read(n) != b.read(n)] == []


def test_a_manager_given_by_their_employee_id_is_named_on_the_card(tmp_path, specs):
    """HR's roster often names the supervisor by id (直接上级 = M01, who is on the roster): the employee's card shows
    王经理, while the rating workbooks still find their rater by the id."""
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,department,position,manager,template\n"
                      "M01,王经理,销售部,销售经理,,sales_rep\nE01,张三,销售部,销售代表,M01,sales_rep\n"
                      "E02,李四,销售部,销售代表,赵总,sales_rep\n", encoding="utf-8")
    people = load_roster(roster, specs)
    assert [(p.manager, p.manager_shown) for p in people] == [("", ""), ("M01", "王经理"), ("赵总", "赵总")]
    built = build_all(specs, people, tmp_path / "out")
    by_id = {p.stem.split("_")[0]: p for p in built}
    for eid, manager in (("E01", "王经理"), ("E02", "赵总")):
        info = {c.value for row in openpyxl.load_workbook(by_id[eid]).worksheets[0].iter_rows(max_row=6) for c in row}
        assert manager in info and "M01" not in info
