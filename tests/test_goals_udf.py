"""Goals workbooks in UDF mode (issue 29, item 6): ``build --phase goals --formulas udf`` writes macro-enabled goals
workbooks whose live check adds SMARTCHECK's verdict on each goal sentence. Proven in Python: the `formulas` package
computes the filled workbook with the xlwings functions registered, and each check equals the native check's
reading plus the engine's SMART line; collecting takes the .xlsm from a folder like any return."""

from __future__ import annotations

import shutil
import zipfile

import openpyxl
import pytest

from xl_kpi.advice.smart import check_smart, summary_line
from xl_kpi.cli import run
from xl_kpi.goals.rules import sheet_check

from .conftest import TEMPLATES
from .goals_cases import E1, E2, LAYOUT, ROSTER
from .udf_formulas import register

pytest.importorskip("xlwings")
formulas = pytest.importorskip("formulas")


def _fill(path, rows):
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["目标设定"]
    cols = {k: i + 1 for i, k in enumerate(LAYOUT.columns)}
    for k, values in rows.items():
        for key, value in values.items():
            ws.cell(LAYOUT.role_row(k) + 1, cols[key]).value = value
    ws.cell(LAYOUT.signoff_row("employee") + 1, LAYOUT.SIGN_COL + 1).value = ws["G4"].value
    ws.cell(LAYOUT.signoff_row("supervisor") + 1, LAYOUT.SIGN_COL + 1).value = "李四"
    wb.save(path)


def test_a_udf_goals_workbook_checks_each_sentence_with_smartcheck(tmp_path):
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    assert run(["build", str(TEMPLATES / "sales_rep.yaml"), "--roster", str(tmp_path / "roster.csv"), "-o", str(tmp_path / "goals"),
                "--phase", "goals", "--formulas", "udf"]) == 0
    books = sorted((tmp_path / "goals").rglob("*.xlsm"))
    assert [p.name for p in books] == ["E1_张三_目标设定表.xlsm", "E2_王五_目标设定表.xlsm", "E3_赵六_目标设定表.xlsm"]
    with zipfile.ZipFile(books[1]) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()
    filled = tmp_path / "filled"
    filled.mkdir()
    e2 = shutil.copy(books[1], filled / "E2.xlsm")
    _fill(e2, E2)  # the vague 提升销售业绩 among them
    register(formulas)
    solution = formulas.ExcelModel().loads(str(e2)).finish().calculate()
    cells = {key.upper(): ranges for key, ranges in solution.items()}
    for k, typed in E2.items():
        ref = f"'[E2.XLSM]目标设定'!{LAYOUT.cell('check', LAYOUT.role_row(k))}"
        native = sheet_check(typed["proposed"], typed["text"], "", None, "lower" if k == 3 else "higher", "zh")
        assert cells[ref].value[0, 0] == f"{native}\n{summary_line(check_smart(typed['text'], 'zh'))}", k
    assert "M✗" in summary_line(check_smart(E2[0]["text"], "zh"))  # the vague goal is called out in the cell
    _fill(shutil.copy(books[0], filled / "E1.xlsm"), E1)
    assert run(["goals", "collect", str(filled), "--issued", str(tmp_path / "goals" / "issued.sqlite"), "-o", str(tmp_path / "out")]) == 1
    targets = (tmp_path / "out" / "targets.csv").read_text(encoding="utf-8-sig")
    assert "E1,张三,new_customers" in targets and "E2,王五" in targets
