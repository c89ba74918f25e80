"""Personal specs for cards of sections or points (issue 29, item 5).

On a card of sections the goals sheet weighs each indicator as its share of the whole card (业绩 70% × 50% = 35%),
so the employee's weights total 100% as on any card; an agreed card with a personal indicator becomes a spec of the
person's own whose sections weigh what their indicators were agreed to, and the importer accepts it. A card of
points is HR's fixed form: its people propose targets only."""

from __future__ import annotations

import csv

import openpyxl
import pytest

import xl_kpi
from xl_kpi.goals.layout import GoalsLayout
from xl_kpi.scoring.engine import score_card

from .conftest import TEMPLATES

ROSTER = ("employee_id,name,department,position,manager,template,period\n"
          "S1,孙一,销售部,销售主管,周总,sales_supervisor,2026-Q3\n")
LAYOUT = GoalsLayout(role=6, personal=1, splits=3)
SENTENCES = ["第三季度团队销售额完成率达到100%", "第三季度新增有效客户30个", "第三季度销售费用控制在预算的95%以内",
             "第三季度每月辅导组员2次", "第三季度每周一提交周计划", "第三季度跨部门协作项目完成1个"]
# 孙一 moves 10 points from the team's sales (35% of the card) to a process indicator of their own
WEIGHTS = {0: 0.25}
PERSONAL = {"ind_name": "大客户拜访", "kind": "过程", "definition": "拜访重点客户的次数", "unit": "次", "source": "按比例",
            "weight": 0.10, "proposed": 24, "text": "第三季度拜访重点客户24次", "agreement": "同意"}


@pytest.fixture(scope="module")
def agreed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("personal")
    (tmp / "roster.csv").write_text(ROSTER, encoding="utf-8")
    spec = xl_kpi.load_spec(TEMPLATES / "sales_supervisor.yaml")
    (book,) = xl_kpi.build_goals(spec, tmp / "roster.csv", tmp / "goals", ratings="inline")
    wb = openpyxl.load_workbook(book)
    ws = wb["目标设定"]
    cols = {k: i + 1 for i, k in enumerate(LAYOUT.columns)}
    for k, ind in enumerate(spec.indicators):
        r = LAYOUT.role_row(k) + 1
        if not ind.takes_label:
            ws.cell(r, cols["proposed"]).value = ind.target if ind.id != "expense_rate" else 0.95
        ws.cell(r, cols["text"]).value = SENTENCES[k]
        ws.cell(r, cols["agreement"]).value = "同意"
        if k in WEIGHTS:
            ws.cell(r, cols["weight"]).value = WEIGHTS[k]
    for key, value in PERSONAL.items():
        ws.cell(LAYOUT.personal_row(0) + 1, cols[key]).value = value
    ws.cell(LAYOUT.signoff_row("employee") + 1, LAYOUT.SIGN_COL + 1).value = "孙一"
    ws.cell(LAYOUT.signoff_row("supervisor") + 1, LAYOUT.SIGN_COL + 1).value = "周总"
    wb.save(book)
    done = xl_kpi.collect_goals(book, tmp / "goals" / "issued.sqlite", tmp / "collected")
    return tmp, spec, book, done


def test_a_card_of_sections_shows_each_weight_as_its_share_of_the_card(agreed):
    _, spec, book, _ = agreed
    ws = openpyxl.load_workbook(book)["目标设定"]
    shown = [ws.cell(LAYOUT.role_row(k) + 1, LAYOUT.col("hr_weight") + 1).value for k in range(6)]
    assert shown == pytest.approx([0.35, 0.21, 0.14, 0.12, 0.08, 0.10])  # 70% × 50/30/20, 20% × 60/40, 10% × 100
    assert sum(shown) == pytest.approx(1.0)


def test_the_agreed_card_of_sections_becomes_a_personal_spec_the_importer_accepts(agreed):
    tmp, spec, _, done = agreed
    assert [a.employee_id for a in done.agreed] == ["S1"]
    assert not [f for f in done.findings if f.code == "goals-card" and "100%" in f.message.en]  # the weights total 100%
    path = tmp / "collected" / "personal_specs" / "sales_supervisor_s1.yaml"
    assert path.is_file()
    own = xl_kpi.load_templates(path)["sales_supervisor_s1"]
    sections = {s.id: s.weight for s in own.sections}
    assert sections == pytest.approx({"results": 0.70, "ability": 0.20, "attitude": 0.10})
    personal = own.indicator("personal_1")
    assert personal.section == "results" and personal.kind == "process"  # the first section holding a process indicator
    shares = {i.id: sections[i.section] * i.weight for i in own.indicators}
    assert shares == pytest.approx({"team_sales_rate": 0.25, "new_customers": 0.21, "expense_rate": 0.14, "personal_1": 0.10,
                                    "coaching": 0.12, "planning": 0.08, "teamwork": 0.10}, abs=1e-6)  # to 0.0001%
    roster = {r["employee_id"]: r["template"] for r in csv.DictReader((tmp / "collected" / "roster.csv").open(encoding="utf-8-sig"))}
    assert roster == {"S1": "sales_supervisor_s1"}
    # scored as agreed: the personal indicator met in full moves the card by its 10%
    values = {"team_sales_rate": 1.0, "new_customers": 30, "expense_rate": 0.95, "personal_1": 24,
              "coaching": {"self": "B", "supervisor": "B"}, "planning": {"self": "B", "supervisor": "B"},
              "teamwork": {"self": "B", "supervisor": "B"}}
    assert score_card(own, values).scores["personal_1"] > 0


def test_a_card_of_points_lets_its_people_propose_targets_only(tmp_path):
    (tmp_path / "roster.csv").write_text("employee_id,name,department,position,manager,template,period\n"
                                         "C1,钱出纳,财务部,出纳,王经理,cashier,2026-Q3\n", encoding="utf-8")
    (book,) = xl_kpi.build_goals(xl_kpi.load_spec(TEMPLATES / "cashier.yaml"), tmp_path / "roster.csv", tmp_path / "goals", ratings="inline")
    ws = openpyxl.load_workbook(book)["目标设定"]
    names = [r[1] for r in ws.iter_rows(values_only=True)]
    assert "个人指标(可选)" not in [r[0] for r in ws.iter_rows(values_only=True)]  # no personal rows
    assert "帐表管理" in names
    lay = GoalsLayout(role=6, personal=0, splits=3)
    row = lay.role_row(1) + 1
    assert ws.cell(row, lay.col("weight") + 1).protection.locked  # the points' weights are HR's
    assert ws.cell(row, lay.col("hr_weight") + 1).value == pytest.approx(0.15)  # 15 points of 100
