"""The addresses other tools rely on, pinned: the only test with literal cell addresses.

Macros, Power Query and other people's scripts fill and read scorecards through the
sheet-scoped defined names; consolidation of files issued earlier reads the cell map in their
metadata. A change here breaks them: change these literals only on purpose, and say so in the
release notes and docs/workbook.md.
"""

from __future__ import annotations

import openpyxl

from xl_kpi.sheet.formulas import expected_formulas
from xl_kpi.sheet.person import PersonLayout
from xl_kpi.spec.model import Person
from xl_kpi.workbook import build_employee_workbook

# Ids are upper-cased in names since 0.2 (KPI_ACTUAL_SALES_RATE; it was KPI_ACTUAL_sales_rate): Excel compares names
# without case, so formulas and macros that used either spelling still resolve.
SALES_NAMES = {
    "KPI_ACTUAL_SALES_RATE": "$H$8", "KPI_ACTUAL_NEW_CUSTOMERS": "$H$9", "KPI_ACTUAL_REPURCHASE_RATE": "$H$10",
    "KPI_ACTUAL_EXPENSE_RATE": "$H$11", "KPI_SCORE_SALES_RATE": "$I$8", "KPI_SCORE_NEW_CUSTOMERS": "$I$9",
    "KPI_SCORE_REPURCHASE_RATE": "$I$10", "KPI_SCORE_EXPENSE_RATE": "$I$11", "KPI_TOTAL": "$J$12", "KPI_GRADE": "$J$13", "KPI_GRADE_RANK": "$N$13",
    "KPI_EMPLOYEE_ID": "$E$3",
    # since 0.2 every block consolidation reads carries a name, so inserted rows and columns are found
    "KPI_INFO_NAME": "$B$3", "KPI_INFO_PERIOD": "$H$3", "KPI_INFO_POSITION": "$B$4", "KPI_INFO_DEPARTMENT": "$E$4",
    "KPI_INFO_MANAGER": "$H$4", "KPI_INFO_RESPONSIBILITIES": "$B$5",
    "KPI_TARGET_SALES_RATE": "$E$8", "KPI_TARGET_NEW_CUSTOMERS": "$E$9", "KPI_TARGET_REPURCHASE_RATE": "$E$10",
    "KPI_TARGET_EXPENSE_RATE": "$E$11", "KPI_WEIGHT_SALES_RATE": "$F$8", "KPI_WEIGHT_NEW_CUSTOMERS": "$F$9",
    "KPI_WEIGHT_REPURCHASE_RATE": "$F$10", "KPI_WEIGHT_EXPENSE_RATE": "$F$11",
    "KPI_GRADE_MIN_1": "$B$17", "KPI_GRADE_MIN_2": "$B$18", "KPI_GRADE_MIN_3": "$B$19", "KPI_GRADE_MIN_4": "$B$20",
    "KPI_COMMENT": "$B$22", "KPI_REVIEW_GOAL_REVIEW": "$B$25", "KPI_REVIEW_KEY_ACTIONS": "$B$26",
    "KPI_REVIEW_RESULTS": "$B$27", "KPI_REVIEW_GAPS": "$B$28",
}
SALES_CELL_MAP = {
    "actual": {"sales_rate": "H8", "new_customers": "H9", "repurchase_rate": "H10", "expense_rate": "H11"},
    "score": {"sales_rate": "I8", "new_customers": "I9", "repurchase_rate": "I10", "expense_rate": "I11"},
    "target": {"sales_rate": "E8", "new_customers": "E9", "repurchase_rate": "E10", "expense_rate": "E11"},
    "weight": {"sales_rate": "F8", "new_customers": "F9", "repurchase_rate": "F10", "expense_rate": "F11"},
    "params": {"sales_rate": ["N8", "P8", "R8", "T8"], "new_customers": ["N9", "P9", "R9", "T9"],
               "repurchase_rate": ["N10", "P10", "R10", "T10"], "expense_rate": ["N11", "P11", "R11", "T11"]},
    "param_keys": {"sales_rate": ["M8", "O8", "Q8", "S8"], "new_customers": ["M9", "O9", "Q9", "S9"],
                   "repurchase_rate": ["M10", "O10", "Q10", "S10"], "expense_rate": ["M11", "O11", "Q11", "S11"]},
    "total": "J12", "grade": "J13", "grade_min": ["B17", "B18", "B19", "B20"],
    "info": {"name": "B3", "employee_id": "E3", "period": "H3", "position": "B4", "department": "E4", "manager": "H4",
             "responsibilities": "B5"},
    "comment": "B22", "review": {"goal_review": "B25", "key_actions": "B26", "results": "B27", "gaps": "B28"},
    "grade_rank": "N13",
    "signoff": {role: {"plan_sign": f"C{row}", "plan_date": f"E{row}", "result_sign": f"G{row}", "result_date": f"H{row}"}
                for role, row in (("employee", 32), ("supervisor", 33), ("reviewer", 34), ("hr", 35))},
}
SALES_FORMULAS = {  # what docs/workbook.md quotes
    "I8": '=IF(ISNUMBER(H8),IF(ROUND(H8,9)>=M8,N8,IF(ROUND(H8,9)>=O8,P8,IF(ROUND(H8,9)>=Q8,R8,T8))),"")',
    "I11": '=IF(ISNUMBER(H11),IF(ROUND(H11,9)<=M11,N11,IF(ROUND(H11,9)<=O11,P11,IF(ROUND(H11,9)<=Q11,R11,T11))),"")',
    "J12": '=IF(COUNT(I8:I11)=4,ROUND(SUMPRODUCT(F8:F11,I8:I11)/SUM(F8:F11),2),"")',
    "J13": '=IF(ISNUMBER(J12),IF(J12>=$B$17,$A$17,IF(J12>=$B$18,$A$18,IF(J12>=$B$19,$A$19,IF(J12>=$B$20,$A$20,"")))),"")',
}
SALES_UDF_FORMULAS = {
    "I8": '=KPISCORE(H8,M8:O8,Q8:S8,"higher",T8)', "I11": '=KPISCORE(H11,M11:O11,Q11:S11,"lower",T11)',
    "J12": "=WEIGHTED_TOTAL(I8:I11,F8:F11)", "J13": "=KPIGRADE(J12,$B$17:$B$20,$A$17:$A$20)",
}


def test_the_sales_scorecard_keeps_its_defined_names(tmp_path, sales):
    path = build_employee_workbook(tmp_path / "s.xlsx", sales, Person("E1", "张三", "销售一部", "", "", "sales_rep"))
    ws = openpyxl.load_workbook(path).worksheets[0]
    names = {name: next(iter(dn.destinations)) for name, dn in ws.defined_names.items()}
    assert {name: cell for name, (_, cell) in names.items()} == SALES_NAMES
    assert {sheet for sheet, _ in names.values()} == {ws.title}


def test_the_sales_scorecard_keeps_its_cell_map_and_formulas(sales):
    assert PersonLayout.for_spec(sales).cell_map(sales) == SALES_CELL_MAP
    native = expected_formulas(sales, PersonLayout.for_spec(sales))
    assert {cell: native[cell] for cell in SALES_FORMULAS} == SALES_FORMULAS
    udf = expected_formulas(sales, PersonLayout.for_spec(sales, "udf"), "udf")
    assert {cell: udf[cell] for cell in SALES_UDF_FORMULAS} == SALES_UDF_FORMULAS
