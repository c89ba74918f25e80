"""A department's goals in one workbook (issue 29, item 3): a sheet per person, and a first sheet setting the
department's targets (``--department-targets``) beside the live sum of its people's — flagged when they differ —
recalculated by LibreOffice and collected like the people's own workbooks."""

from __future__ import annotations

import csv
import shutil

import openpyxl
import pytest

from xl_kpi.cli import run
from xl_kpi.office.libreoffice import convert

from .conftest import TEMPLATES
from .goals_cases import E1, E2, E2_PERSONAL, E3, ROSTER, fill_sheet

# 销售一部 is asked for 35 new customers and 100% of its sales target; 销售二部 (one person) for 11.
ROSTER_2 = ROSTER + "E4,钱七,销售二部,销售代表,周八,sales_rep,2026-Q3\n"
DEPT_TARGETS = ("department,indicator_id,target,goal\n"
                "销售一部,new_customers,35,部门新增客户35个\n销售一部,sales_rate,1.0,部门销售额完成率100%\n"
                "销售二部,new_customers,11,部门新增客户11个\n")


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dept")
    (tmp / "roster.csv").write_text(ROSTER_2, encoding="utf-8")
    (tmp / "dept.csv").write_text(DEPT_TARGETS, encoding="utf-8")
    assert run(["build", str(TEMPLATES / "sales_rep.yaml"), "--roster", str(tmp / "roster.csv"), "-o", str(tmp / "goals"), "--phase", "goals",
                "--layout", "department", "--department-targets", str(tmp / "dept.csv")]) == 0
    book = tmp / "goals" / "销售一部_目标设定表.xlsx"
    filled = tmp / "filled"
    filled.mkdir()
    shutil.copy(book, filled / book.name)
    wb = openpyxl.load_workbook(filled / book.name)
    for sheet, rows, personal in (("E1 张三", E1, None), ("E2 王五", E2, E2_PERSONAL), ("E3 赵六", E3, None)):
        fill_sheet(wb[sheet], rows, personal)
    wb.save(filled / book.name)
    (saved,) = convert([filled / book.name], tmp / "saved")  # recalculated as the department's LibreOffice saves it
    return tmp, book, saved


def _summary(path):
    ws = openpyxl.load_workbook(path, data_only=True)["部门目标"]
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "员工编号")
    cols = {name: k for k, name in enumerate(header) if name}
    by_label = {r[0]: r for r in rows if r[0]}
    return cols, by_label


def test_one_workbook_per_department_with_a_sheet_per_person(department):
    tmp, book, _ = department
    assert sorted(p.name for p in (tmp / "goals").glob("*.xlsx")) == ["销售一部_目标设定表.xlsx", "销售二部_目标设定表.xlsx"]
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:4] == ["部门目标", "E1 张三", "E2 王五", "E3 赵六"]
    assert all(wb[s].protection.sheet for s in wb.sheetnames[:4])


def test_the_department_target_stands_beside_the_live_sum_of_its_peoples_and_a_gap_is_flagged(department):
    _, book, saved = department
    cols, rows = _summary(saved)
    customers = cols["新客户开发数(个)"]
    # E1 proposed 12, agreed 13 by the supervisor; E2 9; E3 10: the agreed targets, live
    assert [rows[e][customers] for e in ("E1", "E2", "E3")] == [13, 9, 10]
    assert rows["个人目标合计"][customers] == 32 and rows["部门目标"][customers] == 35 and rows["差额"][customers] == -3
    assert rows["检查"][customers] == "低于部门目标"
    rate = cols["销售额完成率"]
    assert rows["个人目标合计"][rate] == "比率不相加" and rows["部门目标"][rate] == 1.0
    _, blank = _summary(book)  # as issued: nothing proposed yet, the whole department target still to cover
    assert blank["检查"][customers] == "低于部门目标"


def test_a_department_workbook_is_collected_person_by_person(department, tmp_path):
    tmp, _, saved = department
    assert run(["goals", "collect", str(saved), "--issued", str(tmp / "goals" / "issued.sqlite"), "-o", str(tmp_path / "out")]) == 1
    targets = {(r["employee_id"], r["indicator_id"]): float(r["target"])
               for r in csv.DictReader((tmp_path / "out" / "targets.csv").open(encoding="utf-8-sig"))}
    assert (targets[("E1", "new_customers")], targets[("E2", "new_customers")], targets[("E3", "new_customers")]) == (13, 9, 10)
    issues = {(r["employee_id"], r["code"]) for r in csv.DictReader((tmp_path / "out" / "goals_issues.csv").open(encoding="utf-8-sig"))}
    assert ("E2", "goal-not-smart") in issues  # the vague goal, as from a workbook of their own
