"""UDF-mode workbooks (`xl-kpi build --formulas udf`): cells call KPISCORE, WEIGHTED_TOTAL and
KPIGRADE. Proven in Python: the `formulas` package computes the workbook with the xlwings
functions registered as custom functions, and every result must equal the engine's."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from xl_kpi.consolidation import consolidate
from xl_kpi.core.refs import col_letter
from xl_kpi.sheet.formulas import expected_formulas
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.spec.model import Person
from xl_kpi.workbook import BuildOptions, build_employee_workbook

from .oracle import SPECS, build_filled, mismatches
from .udf_formulas import register

pytest.importorskip("xlwings")
formulas = pytest.importorskip("formulas")


@pytest.mark.parametrize("spec_id", ["sales_rep", "all_methods", "customer_service", "sales_supervisor"])
def test_udf_workbook_computes_like_the_engine(tmp_path, spec_id):
    register(formulas)
    spec = SPECS[spec_id]
    filled, all_cases, names = build_filled(spec, tmp_path, BuildOptions(formulas="udf"), suffix=".xlsm")
    solution = formulas.ExcelModel().loads(str(filled)).finish().calculate()
    cells = {key.upper(): ranges for key, ranges in solution.items()}
    book = filled.name.upper()

    def value_of(sheet, cell):
        v = cells[f"'[{book}]{sheet.upper()}'!{cell}"].value[0, 0]
        return None if str(v) == "empty" else (v if isinstance(v, str) else float(v))

    found = mismatches(spec, value_of, all_cases, names)
    assert not found, "\n".join(found)
    sheets = list(names)
    score_column = col_letter(PersonLayout.for_spec(spec, "udf").col.SCORE)
    text = [c.value for c in openpyxl.load_workbook(filled, keep_vba=True)[sheets[0]][score_column] if c.data_type == "f"]
    if any(ind.method.name == "bands" for ind in spec.indicators):
        assert any(str(f).startswith("=KPISCORE(") for f in text)


def test_udf_workbook_is_macro_enabled_with_xlwings_conf(tmp_path, specs):
    person = Person("E1", "张三", "销售一部", "", "", "sales_rep")
    path = build_employee_workbook(tmp_path / "u.xlsm", specs["sales_rep"], person, BuildOptions(formulas="udf"))
    with zipfile.ZipFile(path) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
        assert b"macroEnabled" in zf.read("[Content_Types].xml")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb["xlwings.conf"]["A1"].value == "UDF Modules" and wb["xlwings.conf"]["B1"].value == "xl_kpi.udf.functions"
    ws = wb["KPI考核表"]
    layout = PersonLayout.for_spec(specs["sales_rep"], "udf")
    for cell, formula in expected_formulas(specs["sales_rep"], layout, "udf").items():
        assert ws[cell].value == formula  # the exact texts are pinned in tests/test_layout_golden.py
    assert ws[layout.total_cell].value.startswith("=WEIGHTED_TOTAL(") and ws[layout.grade_cell].value.startswith("=KPIGRADE(")


def test_udf_returns_consolidate_cleanly_and_their_tampering_is_caught(tmp_path, specs):
    seed = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}
    folder = tmp_path / "r"
    person = Person("E1", "张三", "销售一部", "", "", "sales_rep")
    build_employee_workbook(folder / "E1.xlsm", specs["sales_rep"], person, BuildOptions(formulas="udf", actuals={"E1": seed}))
    result, _ = consolidate([folder], tmp_path / "o", specs, workers=1)
    assert result.clean and result.records[0].total == 80
    from .zipedit import rewrite_part as _rewrite_part

    row = PersonLayout.for_spec(specs["sales_rep"], "udf").cells_for(0)  # skip the top band: its key range loses a cell
    genuine, forged = f"KPISCORE({row.actual},{row.key_span(0, 2)}", f"KPISCORE({row.actual},{row.key_span(1, 2)}"
    _rewrite_part(folder / "E1.xlsm", "xl/worksheets/sheet1.xml", lambda x: x.replace(genuine, forged, 1))
    result, _ = consolidate([folder], tmp_path / "o2", specs, workers=1)
    assert [i.code for i in result.issues] == ["formula-changed"]


def test_udf_mode_without_xlwings_is_a_usage_error(tmp_path, specs, monkeypatch):
    import builtins

    from xl_kpi.core.errors import UsageError

    real = builtins.__import__

    def no_xlwings(name, *a, **k):
        if name == "xlwings":
            raise ImportError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_xlwings)
    with pytest.raises(UsageError, match="xlwings"):
        build_employee_workbook(tmp_path / "u.xlsm", specs["sales_rep"], Person("E1", "x", "D", "", "", "sales_rep"),
                                BuildOptions(formulas="udf"))
