"""KPI tables written the way HR writes them, for the import tests: the seed's two tables as printed
and more from sales, customer service, R&D, operations, warehouse, finance and administration, in
Chinese and English, with title rows, merged headers, notes columns, full-width symbols, every
standard form the importer reads — and tables it must refuse, with the cell it must name.

``python -m tests.import_corpus OUT`` writes them all to OUT to open them in Excel or WPS.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

SEED_BANDS = "≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分"


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]  # from A1; None leaves a cell empty
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, first col, last row, last col)


@dataclass
class Table:
    """One file of the corpus and what importing it must give."""

    name: str  # file name
    sheets: list[Sheet]
    expect: dict[str, Any] = field(default_factory=dict)  # spec id → {indicator id or "*": {field: value}}
    refuse: list[str] = field(default_factory=list)  # the cells ("Sheet!G5") an import must name as unreadable
    encoding: str = "utf-8"  # for .csv

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        if path.suffix == ".csv":
            sep = "\t" if self.name.endswith(".tsv.csv") else ","
            lines = [sep.join(_csv(v) for v in row) for row in self.sheets[0].rows]
            path.write_bytes(("\r\n".join(lines) + "\r\n").encode(self.encoding))
            return path
        wb = xlsxwriter.Workbook(str(path))
        percent = wb.add_format({"num_format": "0%"})
        for sheet in self.sheets:
            ws = wb.add_worksheet(sheet.name)
            for r0, c0, r1, c1 in sheet.merges:
                ws.merge_range(r0, c0, r1, c1, sheet.rows[r0][c0] if c0 < len(sheet.rows[r0]) else "")
            for r, row in enumerate(sheet.rows):
                for c, value in enumerate(row):
                    if value is None or any(r0 <= r <= r1 and c0 <= c <= c1 for r0, c0, r1, c1 in sheet.merges):
                        continue
                    if isinstance(value, Pct):
                        ws.write_number(r, c, value.value, percent)
                    elif isinstance(value, (int, float)):
                        ws.write_number(r, c, value)
                    else:
                        ws.write_string(r, c, str(value))  # "=100%得100分" is text, as HR types it ('=…)
        wb.close()
        return path


@dataclass(frozen=True)
class Pct:
    """A number in a percent-formatted cell: what Excel stores when HR types 40%."""

    value: float


def _csv(value: Any) -> str:
    text = "" if value is None else str(value)
    return f'"{text}"' if any(ch in text for ch in ',"\n') else text


SEED_STANDARDS = Table("seed_standards.xlsx", [Sheet("评分标准", [
    ["指标名称", "目标值", "评分标准", "权重"],
    ["销售额完成率", "100%", SEED_BANDS, "40%"],
    ["客户满意度", "90分", "≥95分得100分;90-95分得80分;85-90分得60分;<85分得0分", "30%"],
    ["新客户开发数", "10个/季度", "≥12个得100分;10-12个得80分;8-10个得60分;<8个得0分", "20%"],
    ["回款及时率", "95%", "=100%得100分;95%-100%得80分;90%-95%得60分;<90%得0分", "10%"],
])], expect={"*": {"sales_rate": {"target": 1.0, "weight": 0.4, "unit": "%", "bands": [[1.1, 100], [1.0, 80], [0.9, 60]]},
                   "satisfaction": {"target": 90.0, "weight": 0.3, "bands": [[95, 100], [90, 80], [85, 60]]},
                   "new_customers": {"target": 10.0, "unit": "个", "bands": [[12, 100], [10, 80], [8, 60]]},
                   "on_time_collection": {"target": 0.95, "weight": 0.1, "bands": [[1.0, 100], [0.95, 80], [0.9, 60]]}}})

# The worked example as printed: info block, the 实际完成 and 得分 columns, a total row and a comment row.
SEED_EXAMPLE = Table("seed_example.xlsx", [Sheet("Sheet1", [
    ["销售代表岗季度KPI考核表"],
    [],
    ["基础信息"],
    ["员工姓名", "张三"],
    ["部门", "销售一部"],
    ["直接上级", "李四(销售经理)"],
    ["考核周期", "2026年第三季度"],
    [],
    ["KPI指标", "指标定义", "目标值", "权重", "评分标准", "实际完成", "得分"],
    ["销售额完成率", "实际销售额/目标销售额×100%", "100%", "40%", "≥110%100分;100%-110%80分;90%-100%60分;<90%0分", "105%", 80],
    ["新客户开发数", "季度新增有效客户数量", "10个", "25%", "≥12个100分;10-12个80分;8-10个60分;<8个0分", "11个", 80],
    ["客户复购率", "复购客户数/总客户数×100%", "30%", "20%", "≥35%100分;30%-35%80分;25%-30%60分;<25%0分", "32%", 80],
    ["销售费用控制率", "实际销售费用/预算费用×100%", "≤100%", "15%", "≤90%100分;90%-100%80分;100%-110%60分;>110%0分", "95%", 80],
    ["考核总分", "——", "——", "100%", "加权得分计算示例:(80×40%)+(80×25%)+(80×20%)+(80×15%)=80分", "——", 80],
    [],
    ["上级评语", "——", None, None, "“销售额完成率及新客户开发表现良好,建议下季度提升客户复购率,重点关注高价值客户维护。”", "——", "——"],
], merges=[(0, 0, 0, 6)])], expect={"*": {
    "sales_rate": {"target": 1.0, "weight": 0.4, "bands": [[1.1, 100], [1.0, 80], [0.9, 60]], "direction": "higher"},
    "new_customers": {"target": 10.0, "weight": 0.25, "unit": "个"},
    "repurchase_rate": {"target": 0.3, "weight": 0.2, "bands": [[0.35, 100], [0.3, 80], [0.25, 60]]},
    "expense_rate": {"target": 1.0, "weight": 0.15, "direction": "lower", "bands": [[0.9, 100], [1.0, 80], [1.1, 60]]},
    "_spec": {"period": "2026年第三季度", "id": "sales_rep"}}})
SEED_ACTUALS = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}

# A GB18030 CSV as Excel saves it on a Chinese Windows: title row, full-width symbols, 以上/不足/至/到.
SALES_GBK = Table("销售专员考核表.csv", [Sheet("csv", [
    ["华东区销售专员月度KPI考核表", None, None, None, None],
    ["岗位:销售专员", None, "考核周期:2026年10月", None, None],
    ["序号", "考核指标", "目标", "权重(%)", "计分方法"],
    ["1", "销售额达成率", "100%", "50", "110%以上得100分，100%（含）－110%得80分，90%至100%得60分，不足90%得0分"],
    ["2", "新签客户数", "8个", "30", "12个及以上得100分；8到12个得80分；低于8个不得分"],
    ["3", "回款率", "９５％", "20", "≧95％得100分；90％～95％得70分；＜90％得0分"],
])], encoding="gb18030", expect={"sales_specialist": {
    "sales_attainment": {"weight": 0.5, "bands": [[1.1, 100], [1.0, 80], [0.9, 60]]},
    "new_customer_count": {"target": 8.0, "weight": 0.3, "bands": [[12, 100], [8, 80]]},
    "collection_rate": {"target": 0.95, "weight": 0.2, "bands": [[0.95, 100], [0.9, 70]]},
    "_spec": {"period": "2026年10月", "position": "销售专员"}}})

# Customer service: two header rows (目标 over 目标值|单位), a lower-is-better time, deductions, notes column.
CUSTOMER_SERVICE = Table("客服专员.xlsx", [Sheet("客服", [
    ["客服专员岗季度绩效考核表"],
    ["部门:客户服务部", None, None, "岗位:客服专员"],
    ["指标名称", "计算方式", "目标", None, "权重", "评分规则", "数据来源", "备注"],
    [None, None, "目标值", "单位", None, None, None, None],
    ["平均响应时长", "总响应时长/会话数", 15, "分钟", "30%", "≤10分钟得100分;10-15分钟得80分;15-20分钟得60分;>20分钟得0分", "客服系统", "工作日"],
    ["客户满意度", "满意评价/全部评价", "90%", "%", "30%", "≥95%得100分;90%-95%得80分;不足90%得0分", "回访问卷", ""],
    ["有效投诉", "经核实的客户投诉", 0, "次", "20%", "每发生1次扣20分,扣完为止", "质检", "以质检认定为准"],
    ["工单一次解决率", "一次解决工单/全部工单", "85%", "%", "20%", "得分=实际/目标×100,最高110分", "工单系统", ""],
], merges=[(0, 0, 0, 7), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 2, 3), (2, 4, 3, 4), (2, 5, 3, 5), (2, 6, 3, 6), (2, 7, 3, 7)])],
    expect={"customer_service": {
        "response_time": {"direction": "lower", "target": 15.0, "unit": "分钟", "bands": [[10, 100], [15, 80], [20, 60]]},
        "satisfaction": {"bands": [[0.95, 100], [0.9, 80]], "unit": "%"},
        "valid_complaints": {"method": "deduction", "per_unit": 20.0, "floor": 0.0, "direction": "lower", "unit": "次"},
        "ticket_first_time_resolution_rate": {"method": "linear", "cap": 110.0, "target": 0.85},
        "_spec": {"position": "客服专员"}}})

# R&D in English: weights as percent numbers under "Weight (%)", English standards, a rating, a notes column.
RD_EN = Table("rd_engineer.xlsx", [Sheet("R&D", [
    ["R&D Engineer — Quarterly KPI Scorecard"],
    ["Position", "R&D Engineer", None, "Review period", "2026-Q3"],
    [],
    ["No.", "KPI", "Definition", "Target", "Weight (%)", "Scoring rule", "Data source", "Notes"],
    [1, "On-time delivery", "Stories done by the sprint end / committed", Pct(0.9), 40,
     "≥95%: 100 pts; 90%–95%: 80 pts; 80%–90%: 60 pts; below 80%: 0 pts", "Jira", ""],
    [2, "Escaped defects", "Defects found in production", 2, 30, "start at 100, minus 10 per defect, not below 0", "Bug tracker", "P1/P2 only"],
    [3, "Code review", "Quality of reviews given", "B", 30, "A: 100 pts (thorough, teaches others); B: 80 pts (catches real issues); "
     "C: 60 pts; D: 0 pts", "Tech lead", ""],
])], expect={"r_d_engineer": {
    "on_time_delivery": {"weight": 0.4, "target": 0.9, "bands": [[0.95, 100], [0.9, 80], [0.8, 60]]},
    "escaped_defects": {"method": "deduction", "per_unit": 10.0, "unit": "defect"},
    "code_review": {"method": "rating", "target": "B", "labels": ["A", "B", "C", "D"]},
    "_spec": {"language": "en", "period": "2026-Q3"}}})

# Operations: merged 考核维度 cells, indicator weights over the whole form, 自评(30%)/上级评分(70%) columns for judged items.
OPERATIONS = Table("运营专员.xlsx", [Sheet("运营", [
    ["运营专员岗绩效考核表"],
    ["考核维度", "指标名称", "指标定义", "目标值", "权重", "评分标准", "自评(30%)", "上级评分(70%)"],
    ["业绩", "新增注册用户数", "当季新增有效注册用户", "5000个", "40%", "≥6000个得100分;5000-6000个得80分;4000-5000个得60分;<4000个得0分", None, None],
    ["业绩", "活动转化率", "参与用户中完成转化的比例", "8%", "30%", "按完成比例计分,最高120分", None, None],
    ["能力", "内容策划", "选题与文案质量", "B", "20%", "A:100分(爆款频出);B:80分(稳定产出);C:60分;D:0分", None, None],
    ["态度", "团队协作", "跨部门协作表现", "良", "10%", "优:100;良:80;中:60;差:0", None, None],
], merges=[(0, 0, 0, 7), (2, 0, 3, 0)])], expect={"operations_specialist": {
    "new_registered_users_count": {"target": 5000.0, "unit": "个", "section": "results"},
    "campaign_conversion_rate": {"method": "linear", "cap": 120.0, "target": 0.08},
    "content_planning": {"method": "rating", "raters": ("self", "supervisor")},
    "_sections": {"results": 0.7, "ability": 0.2, "attitude": 0.1},
    "_raters": {"self": 0.3, "supervisor": 0.7}}})

# Warehouse: shortfall deductions (每低于目标1%扣2分), incidents, a lower-is-better variance, a grade table with coefficients.
WAREHOUSE = Table("仓库管理员.xlsx", [Sheet("仓储", [
    ["仓库管理员月度考核表"],
    ["岗位", "仓库管理员", None, "考核周期", "2026年11月"],
    ["序号", "考核指标", "考核内容", "目标值", "权重", "评分标准", "考核依据"],
    [1, "库存准确率", "账实相符的库位/全部库位", "99%", "40%", "达到目标得100分,每低于目标1%扣2分,扣完为止", "盘点表"],
    [2, "发货差错", "错发、漏发的单数", "0单", "30%", "出现1次扣5分,最低0分", "客诉记录"],
    [3, "盘点差异率", "差异金额/库存金额", "≤0.5%", "20%", "≤0.5%得100分;0.5%-1%得80分;>1%不得分", "财务"],
    [4, "5S检查", "现场5S检查得分", "90分", "10%", "≥95分得100分;90-95分得80分;<90分得60分", "行政"],
    [],
    ["等级", "分数区间", "绩效系数", "结果应用"],
    ["优秀", "≥90", 1.2, "发放额外绩效奖金"],
    ["良好", "80-89", 1.0, ""],
    ["合格", "60-79", 0.8, ""],
    ["不合格", "<60", 0.5, "绩效改进计划"],
], merges=[(0, 0, 0, 6)])], expect={"warehouse_keeper": {
    "inventory_accuracy": {"method": "step", "step": 0.01, "below": 2.0, "above": 0.0, "target": 0.99},
    "shipping_errors": {"method": "deduction", "per_unit": 5.0, "unit": "单"},
    "stocktake_variance_rate": {"direction": "lower", "target": 0.005, "bands": [[0.005, 100], [0.01, 80]]},
    "_grades": [("优秀", 90, 1.2), ("良好", 80, 1.0), ("合格", 60, 0.8), ("不合格", 0, 0.5)]}})

# A warehouse manager's form as published: a weight merged over each dimension's rows, targets with ≤/≥, rules that
# say how the figure is computed first (按…计算), name the row between the verb and the points (扣除该指标5分),
# 最低得0分, 最高扣15分 on an amount per 10 元, a count of discrepancies found (每发现1处不符).
WAREHOUSE_MANAGER = Table("仓储经理.xlsx", [Sheet("考核表", [
    ["物流公司仓储经理库存管理与成本控制绩效评定表"],
    ["员工姓名:", None, "直接上级:", None, "所在部门:", None],
    ["考核维度", "指标名称", "权重", "目标值", "评分标准", "得分"],
    ["库存准确性管理", "库存盘点误差率", "35%", "≤2%", "按盘点误差率计算,误差率每高于目标值1%,扣除该指标5分,最低得0分"],
    [None, "呆滞库存占比", None, "≤5%", "按月度呆滞库存金额/总库存金额计算,占比每高于目标值1%,扣除该指标3分,最高扣15分"],
    [None, "库存周转率", None, "≥8次/年", "按年库存周转次数计算,每低于目标值0.5次,扣除该指标2分,最低得0分"],
    [None, "紧急补货及时率", None, "≥95%", "按紧急补货订单按时到货率计算,每低于目标值1%,扣除该指标2分,最低得0分"],
    [None, "库存数据不符", None, "0处", "每月抽查库存记录与实物核对,每发现1处不符,扣除该指标1分,最低得0分"],
    ["仓储成本控制", "单位仓储成本", "30%", "≤500元/平米/月", "按月度仓储总成本/总存储面积计算,每高于目标值10元,扣除该指标2分,最高扣15分"],
    [None, "人力成本占比", None, "≤20%", "按月度人力成本/总运营成本计算,占比每高于目标值1%,扣除该指标1.5分,最高扣15分"],
    [None, "设备维护费用率", None, "≤3%", "按月度设备维护费用/总运营成本计算,占比每高于目标值0.5%,扣除该指标1分,最高扣15分"],
    ["仓库运营效率", "订单拣选准确率", "35%", "≥99%", "按月度订单拣选错误数/总订单数计算,每低于目标值0.1%,扣除该指标2分,最低得0分"],
    [None, "货物入库及时率", None, "≥98%", "每低于目标值1%,扣除该指标2分,最低得0分"],
], merges=[(3, 0, 7, 0), (3, 2, 7, 2), (8, 0, 10, 0), (8, 2, 10, 2), (11, 0, 12, 0), (11, 2, 12, 2)])], expect={"*": {
    "inventory_stocktake_wucha_rate": {"method": "step", "step": 0.01, "below": 5.0, "floor": 0.0, "target": 0.02, "weight": 0.07},
    "daizhi_inventory_zhanbi": {"method": "step", "step": 0.01, "below": 3.0, "floor": 85.0, "target": 0.05},
    "inventory_zhouzhuan_rate": {"method": "step", "step": 0.5, "below": 2.0, "target": 8.0},
    "inventory_data_bufu": {"method": "deduction", "per_unit": 1.0, "floor": 0.0, "target": 0.0},
    "danweicangchu_cost": {"method": "step", "step": 10.0, "below": 2.0, "floor": 85.0, "target": 500.0, "weight": 0.1},
    "equipment_weihu_expense_rate": {"method": "step", "step": 0.005, "below": 1.0, "floor": 85.0, "target": 0.03},
    "order_jianxuan_accuracy": {"method": "step", "step": 0.001, "below": 2.0, "weight": 0.175},
    "_sections": {"inventory_accurate_xingguanli": 0.35, "cangchu_cost_control": 0.3, "warehouse_operations_xiao_rate": 0.35}}})

# HR and admin, a card of points as published: bands in whole percents (80% - 89% up to 90%), 无差错得5分 then a
# deduction per error, no target column (the best band's threshold on a row of 10 points: no band is worth 80).
HR_ADMIN = Table("人事行政.xlsx", [Sheet("人事行政", [
    ["人事行政岗位绩效考核指标"],
    ["考核项目", "考核指标", "分值", "评分标准"],
    ["招聘与入职", "招聘计划完成率", 10, "每月招聘计划完成率达到90%及以上得10分。完成率在80% - 89%得8分,70% - 79%得6分,低于70%得0分。"],
    ["招聘与入职", "入职流程效率", 10, "新员工入职手续在规定时间内完成,且无错误和遗漏,得10分。每出现一次延误或错误扣2分,扣完为止。"],
    ["员工关系与福利", "员工满意度", 10, "员工满意度调查得分在80分及以上得10分。得分在70 - 80分得8分,60 - 70分得6分,低于60分得0分。"],
    ["员工关系与福利", "福利管理准确性", 5, "福利发放无差错得5分,每出现一次错误扣2分,扣完为止。"],
    ["行政事务管理", "行政文件管理", 65, "文件归档及时、准确,无遗漏,得65分。每发现一次文件管理不当扣5分,扣完为止。"],
])], expect={"*": {
    "recruiting_plan_rate": {"method": "bands", "bands": [[0.9, 10.0], [0.8, 8.0], [0.7, 6.0]], "otherwise": 0.0, "target": 0.9},
    "ruzhi_process_xiao_rate": {"method": "deduction", "per_unit": 2.0, "start": 10.0, "floor": 0.0, "target": 0.0},
    "yuangong_satisfaction": {"method": "bands", "bands": [[80.0, 10.0], [70.0, 8.0], [60.0, 6.0]], "target": 80.0},
    "fuliguanli_accurate_xing": {"method": "deduction", "per_unit": 2.0, "start": 5.0}}})

# Finance: amounts in 万元, an over-achievement bonus (每超1%加1分,封顶110分), numbers typed in percent cells.
FINANCE = Table("应收会计.xlsx", [Sheet("财务", [
    ["应收会计季度考核表"],
    ["指标名称", "指标定义", "单位", "目标值", "权重", "评分标准", "数据来源"],
    ["回款金额", "季度实际回款", "万元", 50, Pct(0.4), "≥50万元得100分;40-50万元得80分;30-40万元得60分;<30万元得0分", "财务系统"],
    ["回款及时率", "按期回款/应回款", "%", Pct(1.0), Pct(0.3), "完成率100%得100分,每超1%加1分,封顶110分;每低1%扣2分,扣完为止", "财务系统"],
    ["坏账率", "坏账/应收账款", "%", Pct(0.01), Pct(0.3), "得分=目标/实际×100,最高100分", "财务系统"],
])], expect={"receivable_accountant": {
    "collection_amount": {"unit": "万元", "target": 50.0, "weight": 0.4, "bands": [[50, 100], [40, 80], [30, 60]]},
    "on_time_collection": {"method": "step", "above": 1.0, "below": 2.0, "cap": 110.0, "target": 1.0},
    "bad_debt_rate": {"method": "linear", "direction": "lower", "target": 0.01}}})

# Administration: heading rows across the table with section weights, 加分项/扣分项/一票否决 rows, a grade sentence.
ADMIN = Table("行政专员.xlsx", [Sheet("行政", [
    ["行政专员季度考核表"],
    ["考核维度", "指标名称", "目标值", "权重", "评分标准"],
    ["一、工作业绩(80%)"] * 5,
    [None, "办公采购及时率", "98%", "60%", "≥98%得100分;95%-98%得80分;<95%得0分"],
    [None, "行政费用控制率", "≤100%", "40%", "≤95%得100分;95%-100%得80分;>100%得0分"],
    ["二、工作态度(20%)"] * 5,
    [None, "服务态度", "良", "100%", "优100分;良80分;中60分;差0分"],
    ["加分项", "公司通报表扬", None, None, "每次加2分,最多加6分"],
    ["扣分项", "有效投诉", None, None, "每次扣3分,最多扣9分"],
    ["一票否决", "重大安全事故", None, None, "发生即考核为0分"],
    [],
    ["考核结果:90分以上为优秀,80-89分为良好,65-79分为合格,65分以下为不合格"],
], merges=[(0, 0, 0, 4), (2, 0, 2, 4), (5, 0, 5, 4), (11, 0, 11, 4)])], expect={"admin_specialist": {
    "office_purchasing_on_time_rate": {"section": "work_results", "weight": 0.6},
    "service_attitude": {"method": "rating", "target": "良"},
    "_sections": {"work_results": 0.8, "work_attitude": 0.2},
    "_grades": [("优秀", 90, None), ("良好", 80, None), ("合格", 65, None), ("不合格", 0, None)],
    "_adjustments": [("公司通报表扬", 2.0, 6.0), ("有效投诉", -3.0, 9.0)],
    "_veto": ["重大安全事故"]}})

# Ranges in every spelling, one per indicator, in a UTF-8 CSV with BOM.
RANGES = Table("门店店长.csv", [Sheet("csv", [
    ["门店店长KPI考核表"],
    ["指标", "目标值", "权重", "评分细则"],
    ["营业额完成率", "100%", "40%", "[110%,+∞)得100分;100%~110%得80分;90%~100%得60分;其他得0分"],
    ["毛利率", "30%", "30%", "毛利率≥35%得100分;30%≤毛利率<35%得80分;毛利率<30%得0分"],
    ["客单价", "200元", "20%", "≥220元得100分;200元-220元得80分;<200元得40分"],
    ["损耗率", "1%", "10%", "损耗率≤1%得100分;1%-2%得60分;2%以上不得分"],
])], encoding="utf-8-sig", expect={"store_manager": {
    "gross_margin": {"bands": [[0.35, 100], [0.3, 80]]},
    "order_value": {"unit": "元", "bands": [[220, 100], [200, 80]], "otherwise": 40.0},
    "loss_rate": {"direction": "lower", "bands": [[0.01, 100], [0.02, 60]]}}})

# English customer service, CSV with BOM, lower-is-better in words.
CS_EN = Table("support_agent.csv", [Sheet("csv", [
    ["Support Agent KPI scorecard"],
    ["Indicator", "Target", "Weight", "Scoring standard", "Source"],
    ["First response time", "2 min", "40%", "2 min or less: 100 pts; 2–5 min: 80 pts; 5–10 min: 60 pts; above 10 min: 0 pts", "Helpdesk"],
    ["CSAT", "90%", "40%", "at least 95%: 100 pts; 90%–95%: 80 pts; below 90%: 0 pts", "Survey"],
    ["Reopened tickets", "0", "20%", "start at 100, minus 25 per ticket, not below 0", "Helpdesk"],
])], encoding="utf-8-sig", expect={"support_agent": {
    "first_response_time": {"direction": "lower", "unit": "min", "bands": [[2, 100], [5, 80], [10, 60]]},
    "csat": {"bands": [[0.95, 100], [0.9, 80]]},
    "reopened_tickets": {"method": "deduction", "per_unit": 25.0},
    "_spec": {"language": "en"}}})

# Two roles in one workbook, one per sheet, with a shared grade table on its own sheet.
TWO_ROLES = Table("销售部考核表.xlsx", [
    Sheet("销售代表", [["岗位", "销售代表"], [], ["指标名称", "目标值", "权重", "评分标准"],
                       ["销售额完成率", "100%", "60%", SEED_BANDS], ["新客户开发数", "10个", "40%", "≥12个得100分;10-12个得80分;8-10个得60分;<8个得0分"]]),
    Sheet("销售助理", [["岗位", "销售助理"], [], ["指标名称", "目标值", "权重", "评分标准"],
                       ["订单录入准确率", "99%", "50%", "≥99%得100分;98%-99%得80分;<98%得0分"], ["合同归档及时率", "100%", "50%", "=100%得100分;95%-100%得80分;<95%得0分"]]),
    Sheet("等级", [["等级", "最低分"], ["优秀", 90], ["良好", 75], ["合格", 60], ["不合格", 0]]),
], expect={"sales_rep": {"_grades": [("优秀", 90, None), ("良好", 75, None), ("合格", 60, None), ("不合格", 0, None)]},
           "sales_assistant": {"order_entry_accuracy": {"target": 0.99}}})

# A tab-separated UTF-16 export (what "Unicode text" in Excel writes) of a small table.
UTF16 = Table("unicode_text.tsv.csv", [Sheet("csv", [
    ["指标名称", "目标值", "权重", "评分标准"],
    ["培训完成率", "100%", "50%", "≥100%得100分;90%-100%得80分;<90%得0分"],
    ["课程满意度", "4.5分", "50%", "≥4.8分得100分;4.5-4.8分得80分;<4.5分得0分"],
])], encoding="utf-16", expect={"*": {"course_satisfaction": {"target": 4.5, "bands": [[4.8, 100], [4.5, 80]]}}})

# Grade scale as a sentence under the table, targets without a target column, relative bands.
RELATIVE = Table("区域经理.xlsx", [Sheet("区域经理", [
    ["区域经理年度考核表"],
    ["指标名称", "目标值", "权重", "评分标准"],
    ["区域销售额", "1200万元", "70%", "≥目标的110%得100分;目标的100%-110%得80分;目标的90%-100%得60分;<目标的90%得0分"],
    ["团队流失率", "10%", "30%", "≤10%得100分;10%-15%得80分;>15%得0分"],
    [],
    ["等级说明:优秀(90分以上)、良好(80-89分)、合格(60-79分)、不合格(60分以下)"],
])], expect={"regional_manager": {"regional_sales": {"relative": True, "target": 1200.0, "unit": "万元", "bands": [[1.1, 100], [1.0, 80], [0.9, 60]]},
                               "_grades": [("优秀", 90, None), ("良好", 80, None), ("合格", 60, None), ("不合格", 0, None)]}})

# Manufacturing quality: a pass rate in bands, misses counted per batch, a rating in one cell per line.
QUALITY = Table("质量检验员.xlsx", [Sheet("质检", [
    ["质量检验员月度KPI考核表"],
    ["岗位:质量检验员", None, None, None, "考核期间:2026年11月"],
    ["序号", "考核项目", "指标名称", "目标值", "权重", "评分标准"],
    [1, "质量", "成品检验合格率", "99.5%", "50%", "≥99.5%得100分;99%-99.5%得80分;98%-99%得60分;<98%得0分"],
    [2, "质量", "漏检批次", "0批", "30%", "每漏检1批次扣10分,扣完为止"],
    [3, "质量", "检验记录规范性", "B", "20%", "A:100分(记录完整可追溯)\nB:80分(偶有缺项)\nC:60分(多处缺项)\nD:0分(无记录)"],
])], expect={"quality_inspector": {
    "finished_goods_inspection_pass_rate": {"bands": [[0.995, 100], [0.99, 80], [0.98, 60]], "target": 0.995},
    "escaped_batches": {"method": "deduction", "per_unit": 10.0, "unit": "批"},
    "inspection_records_compliance": {"method": "rating", "labels": ["A", "B", "C", "D"]},
    "_spec": {"period": "2026年11月"}}})

# Recruiting in English: time in days (lower is better), a step standard in words, a linear one.
RECRUITER = Table("recruiter.csv", [Sheet("csv", [
    ["Recruiter — quarterly KPI scorecard"],
    ["Position: Recruiter", "", "Period: 2026-Q4"],
    ["KPI", "Definition", "Target", "Weight", "Scoring rule"],
    ["Time to fill", "Days from approval to signed offer", "30 days", "40%", "30 days or less: 100 pts; 30–45 days: 70 pts; above 45 days: 0 pts"],
    ["Offer acceptance", "Accepted / made", "85%", "30%", "100 pts at target; +1 pts per 1 percentage point above target; "
     "-2 pts per 1 percentage point below target; from 0 to 110"],
    ["Hires", "Signed hires", "12", "30%", "score = actual/target × 100, capped at 120"],
])], expect={"recruiter": {
    "time_to_fill": {"direction": "lower", "unit": "days", "bands": [[30, 100], [45, 70]]},
    "offer_acceptance": {"method": "step", "step": 0.01, "above": 1.0, "below": 2.0, "cap": 110.0},
    "hires": {"method": "linear", "cap": 120.0, "target": 12.0},
    "_spec": {"language": "en", "period": "2026-Q4", "position": "Recruiter"}}})

CORPUS = [SEED_STANDARDS, SEED_EXAMPLE, SALES_GBK, CUSTOMER_SERVICE, RD_EN, OPERATIONS, WAREHOUSE, FINANCE, ADMIN, RANGES, CS_EN,
          TWO_ROLES, UTF16, RELATIVE, QUALITY, RECRUITER, WAREHOUSE_MANAGER, HR_ADMIN]

# --- tables that must be refused, naming each bad cell -------------------------------------------------------
REFUSED = [
    Table("gap.xlsx", [Sheet("表1", [["指标名称", "目标值", "权重", "评分标准"],
                                     ["销售额完成率", "100%", "60%", "≥110%得100分;100%-105%得80分;<100%得0分"],
                                     ["回款率", "95%", "40%", "≥95%得100分;<95%得0分"]])], refuse=["表1!D2"]),
    Table("vague.xlsx", [Sheet("表1", [["指标名称", "目标值", "权重", "评分标准"],
                                       ["团队管理", "良好", "50%", "视情况酌情给分"],
                                       ["费用控制", "100%", "四成", "≤100%得100分;>100%得0分"],
                                       ["客户拜访", "20次", "", "≥20次得100分;<20次得0分"],
                                       ["报表及时率", "100%", "10%", ""]])],
          refuse=["表1!D2", "表1!C3", "表1!C4", "表1!D5"]),
    Table("overlap.csv", [Sheet("csv", [["指标名称", "目标值", "权重", "评分标准"],
                                        ["出勤率", "100%", "100%", "≥98%得100分;95%(含)-98%(含)得80分;<95%得0分"]])],
          refuse=["overlap!D2"]),
    Table("no_header.xlsx", [Sheet("说明", [["本表用于记录会议纪要"], ["时间", "地点", "主持人"], ["2026-11-01", "3楼", "王五"]])],
          refuse=[""]),
    # a rate's target with a rule that counts discrepancies: which is the actual? (the warehouse manager's form as published)
    Table("rate_counted.xlsx", [Sheet("表1", [["指标名称", "目标值", "权重", "评分标准"],
                                              ["库存数据准确率", "100%", "40%", "每月抽查库存记录与实物核对,每发现1处不符,扣除该指标1分,最低得0分"],
                                              ["库存周转率", "≥8次/年", "60%", "≥8次得100分;<8次得0分"]])],
          refuse=["表1!D2"]),
]


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "import_corpus")
    out.mkdir(parents=True, exist_ok=True)
    for table in CORPUS + REFUSED:
        print(table.write(out))
