"""The goal-setting round's people (seed 000): three sales reps of 销售一部 with history, and what each employee and
their supervisor type into a goals sheet — shared by the goals tests."""

from __future__ import annotations

from xl_kpi.goals.layout import GoalsLayout

ROSTER = ("employee_id,name,department,position,manager,template,period\n"
          "E1,张三,销售一部,销售代表,李四,sales_rep,2026-Q3\n"
          "E2,王五,销售一部,销售代表,李四,sales_rep,2026-Q3\n"
          "E3,赵六,销售一部,销售代表,李四,sales_rep,2026-Q3\n")
HISTORY = {("E1", "new_customers"): [10, 10, 10], ("E2", "new_customers"): [8, 9, 10], ("E3", "new_customers"): [10, 10, 10],
           ("E1", "repurchase_rate"): [0.3, 0.3, 0.3], ("E2", "repurchase_rate"): [0.3, 0.3, 0.3]}
LAYOUT = GoalsLayout(role=4, personal=1, splits=3)  # sales_rep's four indicators, one personal row, a quarter's three months

# What each employee and supervisor types: row → {column: value}.
E1 = {0: {"proposed": 1.0, "text": "第三季度销售额完成率达到100%", "agreement": "同意"},
      1: {"proposed": 12, "text": "第三季度新增有效客户12个", "agreement": "调整", "sup_target": 13, "sup_note": "有新渠道和培训支持"},
      2: {"proposed": 0.33, "text": "第三季度客户复购率达到33%", "agreement": "同意"},
      3: {"proposed": 0.95, "text": "第三季度销售费用控制在预算的95%以内", "agreement": "同意"}}
E2 = {0: {"proposed": 1.0, "text": "提升销售业绩", "agreement": "同意"},  # vague: no number, no period
      1: {"proposed": 9, "text": "第三季度新增客户9个", "agreement": "同意"},  # below the baseline of 10, no reason
      2: {"proposed": 0.33, "text": "第三季度客户复购率达到33%", "agreement": "同意", "weight": 0.15},
      3: {"proposed": 0.95, "text": "第三季度销售费用控制在预算的95%以内", "agreement": "同意"}}
E2_PERSONAL = {"ind_name": "新渠道试点", "kind": "过程", "definition": "开通并产生订单的新渠道数", "unit": "个", "source": "按比例",
               "weight": 0.05, "proposed": 1, "text": "第三季度完成新渠道试点1个", "agreement": "同意"}
E3 = {0: {"proposed": 1.0, "text": "第三季度销售额完成率达到100%", "agreement": "同意"},
      1: {"proposed": 10, "reason": "无新渠道支持,争取10个并附加新渠道试点1个", "text": "第三季度新增客户10个", "agreement": "同意"},
      2: {"proposed": 0.3, "text": "第三季度客户复购率保持30%", "agreement": "同意"},
      3: {"proposed": 1.0, "text": "第三季度销售费用不超过预算", "agreement": "同意"}}


def fill_sheet(ws, rows, personal=None, supervisor="李四"):
    """What the employee and the supervisor type into a goals sheet (row → {column: value}), and both sign."""
    cols = {k: i + 1 for i, k in enumerate(LAYOUT.columns)}
    for k, values in rows.items():
        for key, value in values.items():
            ws.cell(LAYOUT.role_row(k) + 1, cols[key]).value = value
    for key, value in (personal or {}).items():
        ws.cell(LAYOUT.personal_row(0) + 1, cols[key]).value = value
    ws.cell(LAYOUT.signoff_row("employee") + 1, LAYOUT.SIGN_COL + 1).value = ws["G4"].value  # the employee's name, as shown above
    ws.cell(LAYOUT.signoff_row("supervisor") + 1, LAYOUT.SIGN_COL + 1).value = supervisor
    ws.cell(LAYOUT.signoff_row("supervisor") + 1, LAYOUT.DATE_COL + 1).value = "2026-07-03"
