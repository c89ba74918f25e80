"""The result letter (绩效结果通知书) and the review-talk record (绩效面谈记录): one workbook per person.

The letter states the result in the person's workbook's language — each indicator's target, actual and
score, the sections, adjustments and veto, the total and grade, a calibration if there was one, the
coefficient and pay, the supervisor's comment, the deadline to appeal — with signature lines, on one A4
page at 100% (10-point text, nothing shrunk below 9 points). The talk record has the cells the supervisor
fills in during the talk (strengths, gaps, next period's goals, agreed actions, both signatures and the
date); :mod:`.letters` reads them back into the history. A very hidden sheet says whose letter it is.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..consolidation.decisions import FinalResult
from ..consolidation.reader import PersonRecord
from ..core.text import Lang
from ..sheet.printing import lines_needed
from ..spec.model import Spec
from ..workbook.book import ScorecardWorkbook
from ..workbook.styles import Styles
from .books import finish_book, new_book

__all__ = ["LetterData", "write_letter", "META_SHEET", "FORMAT", "TALK_FIELDS"]

META_SHEET = "_xlkpi_letter"
FORMAT = "xl-kpi letter"
TALK_FIELDS = ("strengths", "gaps", "goals", "actions")
WIDTHS = (5, 23, 7, 10, 17, 8)  # characters: inside A4 portrait's printable width at 100% in Excel, WPS and LibreOffice
_W: dict[str, tuple[str, str]] = {
    "letter": ("绩效结果通知书", "Performance result"), "talk": ("绩效面谈记录", "Performance review talk"),
    "name": ("姓名", "Name"), "employee_id": ("员工编号", "Employee ID"), "department": ("部门", "Department"),
    "position": ("岗位", "Position"), "period": ("考核周期", "Period"), "manager": ("直接上级", "Supervisor"),
    "no": ("序号", "#"), "indicator": ("考核指标", "Indicator"), "weight": ("权重", "Weight"), "target": ("目标值", "Target"),
    "actual": ("实际完成", "Actual"), "score": ("得分", "Score"), "sections": ("各维度得分", "Sections"),
    "adjustment": ("加减分", "Bonus and penalty"), "veto": ("一票否决", "Veto"), "none": ("无", "none"),
    "vetoed": ("(总分计 0 分)", "(total set to 0)"), "total": ("考核总分", "Total score"), "grade": ("考核等级", "Grade"),
    "calibrated": ("校准后等级", "Grade after calibration"), "was": ("原等级", "was"), "reason": ("理由", "reason"),
    "appeal": ("申诉结果", "Appeal"), "final_total": ("申诉后总分", "Total after appeal"), "final_grade": ("最终等级", "Final grade"),
    "coefficient": ("绩效系数", "Performance coefficient"), "bonus_base": ("绩效奖金基数", "Bonus base"),
    "pay": ("绩效工资", "Performance pay"), "comment": ("上级评语", "Supervisor's comment"),
    "appeal_note": ("如对考核结果有异议,请于 {deadline} 前向人力资源部提交书面申诉(绩效申诉表),写明理由并附证据;逾期视为无异议。",
                    "If you disagree with this result, send HR a written appeal (the appeal form) with your reasons and evidence "
                    "by {deadline}; after that date the result is final."),
    "employee_sign": ("员工签字", "Employee's signature"), "supervisor_sign": ("直接上级签字", "Supervisor's signature"),
    "date": ("日期", "Date"), "held_on": ("面谈日期", "Date of the talk"),
    "result_line": ("本期结果", "This period's result"),
    "strengths": ("1. 优点与成绩(用事实和数据说明)", "1. Strengths and achievements (facts and figures)"),
    "gaps": ("2. 不足与差距", "2. Gaps"),
    "goals": ("3. 下期目标(具体、可衡量、有期限)", "3. Goals for next period (specific, measurable, dated)"),
    "actions": ("4. 改进措施与支持(双方约定)", "4. Agreed actions and support"),
    "talk_note": ("面谈后由直接上级填写,双方签字确认后交回人力资源部。", "The supervisor fills this in after the talk; both sign it and return it to HR."),
    "upheld": ("维持原结果", "result upheld"), "changed": ("结果已变更", "result changed"), "pending": ("处理中", "pending"),
    "withdrawn": ("已撤回", "withdrawn"),
}


def _w(key: str, lang: Lang) -> str:
    zh, en = _W[key]
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class LetterData:
    """Everything a person's letter says."""

    record: PersonRecord
    spec: Spec  # the rules the record was scored with (the person's own targets in it)
    lang: Lang
    period: str
    position: str = ""
    manager: str = ""
    final: FinalResult | None = None
    calibrated: tuple[str, str] | None = None  # (the calibrated grade, the reason) when calibration moved it
    deadline: str = ""


def _shown(ind: Any, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):  # several kinds of event: each one's count, as the card lists them
        return "; ".join(f"{e.name}: {'—' if value.get(e.id) in (None, '') else _shown(ind, value.get(e.id))}" for e in ind.events)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(ind.show(float(value)))
    return str(value)


class _Letter:
    def __init__(self, wb: ScorecardWorkbook, data: LetterData) -> None:
        self.wb, self.d, self.lang = wb, data, data.lang
        self.s = Styles(wb)
        self.row = 0
        self.fmt = {"label": self.s.get("label"), "text": self.s.get("text"), "value": self.s.get("value"),
                    "num": self.s.get("value", "0.00"), "money": self.s.get("value", "#,##0.00"), "pct": self.s.get("value", "0%"),
                    "big": wb.add_format({"bold": True, "border": 2, "align": "center", "valign": "vcenter", "font_size": 12}),
                    "section": self.s.get("section_row"), "plain": wb.add_format({"valign": "top", "text_wrap": True}),
                    "sign": wb.add_format({"bottom": 1, "valign": "bottom"})}

    def w(self, key: str) -> str:
        return _w(key, self.lang)

    @property
    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "

    def span(self, ws: Any, text: str, fmt: Any, first: int = 0, last: int = 5, height: float | None = None) -> None:
        ws.merge_range(self.row, first, self.row, last, text, fmt)
        if height is not None:
            ws.set_row(self.row, height)

    def lines(self, text: str, first: int = 0, last: int = 5) -> int:
        width = sum(WIDTHS[first : last + 1])
        return sum(lines_needed(line, width) for line in (text or " ").split("\n"))

    def header(self, ws: Any, title: str) -> None:
        d, r = self.d, self.d.record
        for c, width in enumerate(WIDTHS):
            ws.set_column(c, c, width)
        self.span(ws, title, self.s.get("title"), height=28)
        self.row = 2
        pairs = [[("name", r.name), ("employee_id", r.employee_id), ("department", r.department)],
                 [("position", d.position or d.spec.position), ("period", d.period), ("manager", d.manager)]]
        for line in pairs:
            for k, (key, value) in enumerate(line):
                first = (0, 2, 4)[k]
                ws.merge_range(self.row, first, self.row, first + 1, f"{self.w(key)}{self.colon}{value or '—'}", self.fmt["text"])
            ws.set_row(self.row, 20)
            self.row += 1
        self.row += 1

    # --- the letter ----------------------------------------------------------------------------------
    def letter(self) -> None:
        ws = self.wb.add_worksheet(self.w("letter")[:31])
        self.header(ws, self.w("letter"))
        self.indicators(ws)
        self.results(ws)
        self.closing(ws)
        self.setup(ws)

    def indicators(self, ws: Any) -> None:
        d, r = self.d, self.d.record
        for c, key in enumerate(("no", "indicator", "weight", "target", "actual", "score")):
            ws.write_string(self.row, c, self.w(key), self.s.get("header"))
        ws.set_row(self.row, 20)
        self.row += 1
        groups = [(s.name, d.spec.in_section(s.id)) for s in d.spec.sections] or [("", d.spec.indicators)]
        k = 0
        for name, members in groups:
            if name:
                weight = d.spec.section_of(next(s.id for s in d.spec.sections if s.name == name)).weight
                self.span(ws, f"{name}({weight:.0%})" if self.lang == "zh" else f"{name} ({weight:.0%})",
                          self.fmt["section"], height=18)
                self.row += 1
            for ind in members:
                k += 1
                if ind.rated:
                    raters = {x.id: x.name for x in d.spec.raters}
                    actual = " / ".join(f"{raters.get(x, x)} {_shown(ind, v)}" for x, v in r.ratings.get(ind.id, {}).items())
                else:
                    read = r.actuals.get(ind.id)  # what was scored ("１１" typed is 11个), as typed only if it was not read
                    actual = _shown(ind, read if read is not None else r.raw.get(ind.id))
                score = r.scores.get(ind.id)
                values = [k, ind.name, ind.weight, _shown(ind, ind.target), actual, "—" if score is None else score]
                fmts = [self.fmt["value"], self.fmt["text"], self.fmt["pct"], self.fmt["value"], self.fmt["value"], self.fmt["num"]]
                for c, (value, fmt) in enumerate(zip(values, fmts)):
                    (ws.write_number if isinstance(value, (int, float)) else ws.write_string)(self.row, c, value, fmt)
                ws.set_row(self.row, max(18, 13 * max(self.lines(ind.name, 1, 1), self.lines(actual, 4, 4)) + 5))
                self.row += 1
        self.row += 1

    def line(self, ws: Any, label: str, value: Any, fmt: Any | None = None) -> None:
        ws.merge_range(self.row, 0, self.row, 2, label, self.fmt["label"])
        fmt = fmt or self.fmt["text"]
        ws.merge_range(self.row, 3, self.row, 5, "", fmt)
        (ws.write_number if isinstance(value, (int, float)) and not isinstance(value, bool) else ws.write_string)(self.row, 3, value, fmt)
        ws.set_row(self.row, max(20, 13 * self.lines(str(value), 3, 5) + 5))
        self.row += 1

    def results(self, ws: Any) -> None:
        d, r, spec = self.d, self.d.record, self.d.spec
        if spec.sections:
            parts = [f"{s.name} {'—' if r.sections.get(s.id) is None else format(r.sections[s.id], 'g')}({s.weight:.0%})" for s in spec.sections]
            self.line(ws, self.w("sections"), " · ".join(parts))
        if spec.adjustments:
            items = [f"{i.name}×{r.adjustment_counts.get(i.id) or 0:g}" for i in spec.adjustments.items if r.adjustment_counts.get(i.id)]
            adjustment = r.adjustment or 0.0
            self.line(ws, self.w("adjustment"), f"{adjustment:+g}" + (f"({'、'.join(items)})" if items else ""))
        if spec.veto:
            names = [v.name for v in spec.veto if v.id in r.vetoed]
            self.line(ws, self.w("veto"), ("、".join(names) + self.w("vetoed")) if names else self.w("none"))
        self.line(ws, self.w("total"), r.total if r.total is not None else "—", self.fmt["big"] if r.total is None else
                  self.wb.add_format({"bold": True, "border": 2, "align": "left", "valign": "vcenter", "font_size": 12, "num_format": "0.00"}))
        self.line(ws, self.w("grade"), r.grade or "—", self.fmt["big"])
        f = d.final
        if d.calibrated is not None:
            grade, why = d.calibrated
            reason = f";{self.w('reason')}:{why}" if why else ""
            self.line(ws, self.w("calibrated"), f"{grade}({self.w('was')} {r.grade}{reason})")
        if f is not None and f.appeal:
            self.line(ws, self.w("appeal"), self.w(f.appeal) + (f":{self.w('final_total')} {f.final_total:g},{self.w('final_grade')} {f.final_grade}"
                                                                   if f.appeal == "changed" and f.final_total is not None else ""))
        if spec.has_coefficients:
            coefficient = f.final_coefficient if f is not None else r.coefficient
            pay = f.final_pay if f is not None else r.pay
            self.line(ws, self.w("coefficient"), coefficient if coefficient is not None else "—", self.fmt["num"])
            self.line(ws, self.w("bonus_base"), r.bonus_base if r.bonus_base is not None else "—", self.fmt["money"])
            self.line(ws, self.w("pay"), pay if pay is not None else "—", self.fmt["money"])
        self.row += 1

    def closing(self, ws: Any) -> None:
        d = self.d
        self.span(ws, self.w("comment"), self.fmt["label"], height=18)
        self.row += 1
        comment = d.record.comment or "—"
        self.span(ws, comment, self.fmt["text"], height=max(36, 13 * self.lines(comment) + 8))
        self.row += 2
        note = self.w("appeal_note").format(deadline=d.deadline or "—")
        self.span(ws, note, self.fmt["plain"], height=13 * self.lines(note) + 6)
        self.row += 2
        self.signatures(ws, ("employee_sign", "supervisor_sign"))

    def signatures(self, ws: Any, roles: Sequence[str], cells: dict[str, str] | None = None, fmt: Any | None = None) -> None:
        for role in roles:
            ws.merge_range(self.row, 0, self.row, 1, f"{self.w(role)}:", self.wb.add_format({"align": "right", "valign": "bottom"}))
            ws.merge_range(self.row, 2, self.row, 3, "", fmt or self.fmt["sign"])
            ws.write_string(self.row, 4, f"{self.w('date')}:", self.wb.add_format({"align": "right", "valign": "bottom"}))
            ws.write_blank(self.row, 5, None, fmt or self.fmt["sign"])
            if cells is not None:
                cells[role] = f"C{self.row + 1}"
                cells[role + "_date"] = f"F{self.row + 1}"
            ws.set_row(self.row, 30)
            self.row += 2

    def setup(self, ws: Any) -> None:
        ws.set_paper(9)
        ws.set_portrait()
        ws.set_print_scale(100)  # never shrunk: 10-point text prints at 10 points
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.center_horizontally()
        ws.print_area(0, 0, self.row, 5)
        ws.hide_gridlines(2)
        ws.protect("")

    # --- the talk record -------------------------------------------------------------------------
    def talk(self) -> dict[str, str]:
        d, r = self.d, self.d.record
        ws = self.wb.add_worksheet(self.w("talk")[:31])
        self.header(ws, self.w("talk"))
        cells: dict[str, str] = {}
        entry = self.wb.add_format({"border": 1, "valign": "top", "text_wrap": True, "bg_color": "#DDEBF7", "locked": False})
        ws.merge_range(self.row, 0, self.row, 2, self.w("held_on"), self.fmt["label"])
        ws.merge_range(self.row, 3, self.row, 5, "", entry)
        cells["held_on"] = f"D{self.row + 1}"
        self.row += 2
        f = d.final
        grade = f.final_grade if f is not None and f.final_grade else r.grade
        result = f"{self.w('result_line')}:{self.w('total')} {'—' if r.total is None else format(r.total, '.2f')},{self.w('grade')} {grade or '—'}"
        self.span(ws, result, self.fmt["text"], height=20)
        self.row += 2
        for key in TALK_FIELDS:
            self.span(ws, self.w(key), self.fmt["label"], height=20)
            self.row += 1
            self.span(ws, "", entry, height=80)
            cells[key] = f"A{self.row + 1}"
            self.row += 2
        self.span(ws, self.w("talk_note"), self.s.get("note"), height=18)
        self.row += 2
        self.signatures(ws, ("employee_sign", "supervisor_sign"), cells,
                        self.wb.add_format({"bottom": 1, "valign": "bottom", "bg_color": "#DDEBF7", "locked": False}))
        self.setup(ws)
        return cells


def write_letter(path: Path, data: LetterData, issued_at: str | None = None) -> Path:
    """Write one person's letter and talk record; returns the path."""
    wb, tmp = new_book(path, data.lang)
    letter = _Letter(wb, data)
    letter.letter()
    letter.row = 0
    cells = letter.talk()
    rows = [("format", FORMAT), ("format_version", "1"), ("period", data.period), ("employee_id", data.record.employee_id),
            ("name", data.record.name), ("template", data.record.template), ("deadline", data.deadline),
            ("issued", issued_at or datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")),
            ("talk_sheet", _w("talk", data.lang)[:31]), ("talk_cells", json.dumps(cells))]
    return finish_book(wb, tmp, path, META_SHEET, rows)
