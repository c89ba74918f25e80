"""Every text a generated workbook shows, in Chinese and English."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

_LABELS: dict[str, tuple[str, str]] = {
    "name": ("员工姓名", "Name"),
    "employee_id": ("员工编号", "Employee ID"),
    "position": ("岗位", "Position"),
    "department": ("部门", "Department"),
    "manager": ("直接上级", "Supervisor"),
    "period": ("考核周期", "Period"),
    "responsibilities": ("岗位职责", "Responsibilities"),
    "no": ("序号", "#"),
    "indicator": ("KPI指标", "Indicator"),
    "definition": ("指标定义", "Definition"),
    "unit": ("单位", "Unit"),
    "target": ("目标值", "Target"),
    "weight": ("权重", "Weight"),
    "standard": ("评分标准", "Scoring standard"),
    "actual": ("实际完成", "Actual"),
    "score": ("得分", "Score"),
    "weighted": ("加权得分", "Weighted score"),
    "progress": ("达成率", "Attainment"),
    "source": ("数据来源", "Data source"),
    "params": ("评分参数(只读)", "Scoring parameters (read-only)"),
    "key": ("条件", "Condition"),
    "value": ("分值", "Points"),
    "otherwise": ("其他", "otherwise"),
    "floor": ("下限", "floor"),
    "cap": ("上限", "cap"),
    "start": ("起始分", "start"),
    "per_unit": ("每单位扣分", "per unit"),
    "total": ("考核总分", "Total score"),
    "grade": ("考核等级", "Grade"),
    "application": ("结果应用", "How the result is applied"),
    "grade_table": ("等级标准", "Grade scale"),
    "grade_label": ("等级", "Grade"),
    "grade_min": ("最低分", "Minimum"),
    "comment": ("上级评语", "Supervisor's comment"),
    "self_review": ("自我评价(用数据说话)", "Self-review (use figures, not adjectives)"),
    "goal_review": ("目标回顾", "Goal review"),
    "key_actions": ("关键行动", "Key actions"),
    "results": ("成果数据", "Result data"),
    "gaps": ("不足与改进", "Gaps and improvements"),
    "chart_title": ("各指标得分", "Score by indicator"),
    "ledger": ("PDCA跟踪台账", "PDCA ledger"),
    "plan": ("目标计划", "Target plan"),
    "instructions": ("填写说明", "Instructions"),
    "summary": ("部门汇总", "Department summary"),
    "date": ("日期", "Date"),
    "task": ("目标任务", "Task"),
    "done_pct": ("完成进度", "Progress"),
    "output": ("产出结果", "Output"),
    "issue": ("问题与对策", "Problem and countermeasure"),
    "status": ("状态", "Status"),
    "statuses": ("已完成,进行中,未开始", "Done,In progress,Not started"),
    "employee": ("员工", "Employee"),
    "annual": ("年度目标", "Annual target"),
    "quarter_share": ("季度分解比例", "Quarterly split"),
    "planned": ("计划", "Plan"),
    "actual_short": ("实际", "Actual"),
    "completion": ("全年完成率", "Annual attainment"),
    "average": ("部门平均分", "Department average"),
    "count": ("人数", "Headcount"),
    "scored": ("已评分", "Scored"),
    "distribution": ("等级分布", "Grade distribution"),
    "open_sheet": ("查看", "Open"),
    "yes": ("是", "yes"),
}


def label(key: str, lang: str) -> str:
    """A text of the workbook in ``lang``; a word with no entry (a new method's parameter) is shown as it is."""
    zh, en = _LABELS.get(key, (key, key))
    return zh if lang == "zh" else en
