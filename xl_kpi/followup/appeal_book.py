"""The appeal record (绩效申诉表): one workbook per appeal, from the result it appeals.

The person's part: when the appeal came, why, the evidence. HR's part: the decision (upheld, changed,
withdrawn, pending), and for a changed result either corrected inputs — an indicator's actual, a rater's
rating, a veto item, the adjustment — which the engine scores again, or a grade of the person's own card
set directly; who decided and when. Inputs and the decision are validated drop-downs where they can be.
A very hidden sheet records whose appeal it is and the result appealed, so collecting it can check it.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.text import Lang
from ..sheet.printing import lines_needed
from ..spec.model import Spec
from ..workbook.styles import Styles
from .books import finish_book, new_book

__all__ = ["AppealSubject", "write_appeal_form", "APPEAL_SHEET", "APPEAL_FORMAT", "DECISION_WORDS"]

APPEAL_SHEET = "_xlkpi_appeal"
APPEAL_FORMAT = "xl-kpi appeal"
DECISION_WORDS = {"upheld": ("维持原结果", "upheld"), "changed": ("变更结果", "changed"), "withdrawn": ("撤回", "withdrawn"),
                  "pending": ("处理中", "pending")}
WIDTHS = (24, 16, 10, 16, 17)
_W = {"title": ("绩效申诉表", "Performance appeal"), "name": ("姓名", "Name"), "employee_id": ("员工编号", "Employee ID"),
      "department": ("部门", "Department"), "period": ("考核周期", "Period"), "result": ("申诉的结果", "Result appealed"),
      "total": ("总分", "total"), "grade": ("等级", "grade"), "pay": ("绩效工资", "pay"),
      "part1": ("一、申诉人填写", "1. The person appealing"), "received": ("申诉日期", "Date of the appeal"),
      "reason": ("申诉理由(哪项结果、为什么)", "Reason (which result, and why)"), "evidence": ("证据或附件", "Evidence, attachments"),
      "part2": ("二、人力资源部填写", "2. HR"), "item": ("考核项", "Item"), "original": ("原填写", "As recorded"),
      "score": ("原得分", "Score"), "corrected": ("更正后(如有)", "Corrected (if any)"),
      "adjustment": ("加减分合计", "Adjustment (points)"), "decision": ("处理结果", "Decision"),
      "final_grade": ("直接确定的等级(可选)", "Grade set directly (optional)"), "decided_by": ("处理人", "Decided by"),
      "decided_on": ("处理日期", "Date of the decision"), "note": ("处理说明", "Explanation"),
      "hint": ("变更结果时:在“更正后”列填写更正的实际值或评分(系统按规则重新计分),或直接选择等级。",
               "For a changed result: enter corrected actuals or ratings (scored again by the rules), or pick a grade directly."),
      "veto": ("一票否决", "veto"), "yes_no": ("是,否", "Yes,No")}


def _w(key: str, lang: Lang) -> str:
    zh, en = _W[key]
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class AppealSubject:
    """The result a person appeals, as the history holds it (after calibration)."""

    period: str
    employee_id: str
    name: str
    department: str
    spec: Spec
    total: float
    grade: str
    pay: float | None
    inputs: dict[str, tuple[str, str, Any, float | None]]  # key (actual:<id>, rating:<id>:<rater>, veto:<id>) → (label, shown, raw, score)
    adjustment: float | None = None


def write_appeal_form(path: Path, subject: AppealSubject, lang: Lang) -> Path:
    """Write one appeal form; returns its path."""
    wb, tmp = new_book(path, lang)
    s = Styles(wb)
    ws = wb.add_worksheet(_w("title", lang))
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    entry = wb.add_format({"border": 1, "valign": "top", "text_wrap": True, "bg_color": "#DDEBF7", "locked": False})
    w = lambda key: _w(key, lang)  # noqa: E731
    cells: dict[str, Any] = {}
    ws.merge_range(0, 0, 0, 4, w("title"), s.get("title"))
    ws.set_row(0, 28)
    row = 2
    for pair in ((("name", subject.name), ("employee_id", subject.employee_id)), (("department", subject.department), ("period", subject.period))):
        ws.merge_range(row, 0, row, 1, f"{w(pair[0][0])}:{pair[0][1]}", s.get("text"))
        ws.merge_range(row, 2, row, 4, f"{w(pair[1][0])}:{pair[1][1]}", s.get("text"))
        row += 1
    pay = "" if subject.pay is None else f",{w('pay')} {subject.pay:,.2f}"
    ws.merge_range(row, 0, row, 4, f"{w('result')}:{w('total')} {subject.total:.2f},{w('grade')} {subject.grade}{pay}", s.get("label"))
    row += 2

    def field(key: str, height: float = 20, first: int = 0) -> None:
        nonlocal row
        ws.write_string(row, first, w(key), s.get("label"))
        ws.merge_range(row, first + 1, row, 4, "", entry)
        cells[key] = f"{chr(66 + first)}{row + 1}"
        ws.set_row(row, height)
        row += 1

    ws.merge_range(row, 0, row, 4, w("part1"), s.get("section_row"))
    row += 1
    field("received")
    field("reason", 90)
    field("evidence", 40)
    row += 1
    ws.merge_range(row, 0, row, 4, w("part2"), s.get("section_row"))
    row += 1
    ws.merge_range(row, 0, row, 4, w("hint"), s.get("note"))
    ws.set_row(row, 13 * sum(lines_needed(x, sum(WIDTHS)) for x in [w("hint")]) + 6)
    row += 1
    for c, key in enumerate(("item", "original", "score", "corrected")):
        if c == 3:
            ws.merge_range(row, 3, row, 4, w(key), s.get("header"))
        else:
            ws.write_string(row, c, w(key), s.get("header"))
    row += 1
    inputs: dict[str, str] = {}
    yes_no = w("yes_no").split(",")
    for key, (name, shown, _, score) in subject.inputs.items():
        ws.write_string(row, 0, name, s.get("text"))
        ws.write_string(row, 1, shown, s.get("value"))
        (ws.write_number if score is not None else ws.write_string)(row, 2, score if score is not None else "—", s.get("value", "0.00"))
        ws.merge_range(row, 3, row, 4, "", entry)
        inputs[key] = f"D{row + 1}"
        ind = next((i for i in subject.spec.indicators if key.split(":")[1] == i.id), None)
        if key.startswith("veto:"):
            ws.data_validation(row, 3, row, 3, {"validate": "list", "source": yes_no})
        elif ind is not None and ind.takes_label:
            ws.data_validation(row, 3, row, 3, {"validate": "list", "source": [label for label, _ in ind.method.choices(ind) or []][:20]})
        row += 1
    if subject.spec.adjustments:
        ws.write_string(row, 0, w("adjustment"), s.get("text"))
        ws.write_string(row, 1, "—" if subject.adjustment is None else f"{subject.adjustment:+g}", s.get("value"))
        ws.write_string(row, 2, "", s.get("value"))
        ws.merge_range(row, 3, row, 4, "", entry)
        adj = subject.spec.adjustments
        ws.data_validation(row, 3, row, 3, {"validate": "decimal", "criteria": "between", "minimum": adj.min, "maximum": adj.max})
        inputs["adjustment"] = f"D{row + 1}"
        row += 1
    cells["inputs"] = inputs
    row += 1
    ws.write_string(row, 0, w("decision"), s.get("label"))
    ws.merge_range(row, 1, row, 4, "", entry)
    ws.data_validation(row, 1, row, 1, {"validate": "list", "source": [DECISION_WORDS[k][0 if lang == "zh" else 1] for k in DECISION_WORDS]})
    cells["decision"] = f"B{row + 1}"
    row += 1
    ws.write_string(row, 0, w("final_grade"), s.get("label"))
    ws.merge_range(row, 1, row, 4, "", entry)
    ws.data_validation(row, 1, row, 1, {"validate": "list", "source": [g.label for g in subject.spec.grades]})
    cells["grade"] = f"B{row + 1}"
    row += 1
    field("decided_by")
    field("decided_on")
    field("note", 60)
    ws.set_paper(9)
    ws.set_portrait()
    ws.set_print_scale(100)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.print_area(0, 0, row, 4)
    ws.hide_gridlines(2)
    ws.protect("")
    rows = [("format", APPEAL_FORMAT), ("format_version", "1"), ("period", subject.period), ("employee_id", subject.employee_id),
            ("name", subject.name), ("template", subject.spec.id), ("total", repr(subject.total)), ("grade", subject.grade),
            ("lang", lang), ("cells", json.dumps(cells)), ("written", datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"))]
    return finish_book(wb, tmp, path, APPEAL_SHEET, rows)
