"""The change notice (目标变更确认单): what the person receives when HR records an approved change mid-period.

The scorecard the person holds was built before the change and keeps its target (a card is never edited behind
the person's back; consolidation scores it against the approved target). ``goals change`` therefore writes a
notice beside the register, ``目标变更/<id>_<name>_目标变更_v<version>.xlsx``: one locked sheet with who and which card,
every approved change of the period so far (version, indicator, old → new, new deadline, reason, approver,
date — the new one last), what it means for scoring, and lines for the employee's and approver's signatures.
HR sends it with the follow-up; ``build --changes`` issues the card again with the change log on it.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..followup.books import finish_book, new_book
from ..sheet.printing import page_setup
from ..sheet.register import TargetChange, load_register
from ..spec.canonical import spec_from_canonical
from ..workbook.agreement import write_change_log
from ..workbook.filenames import safe_name
from ..workbook.styles import Styles
from .change import issued_card
from .layout import pick

__all__ = ["write_change_notice", "NOTICE_FOLDER"]

NOTICE_FOLDER = "目标变更"
_W = {"title": ("目标变更确认单", "Target change notice"), "sheet": ("目标变更", "Target change"),
      "employee_id": ("员工编号", "Employee ID"), "name": ("姓名", "Name"), "department": ("部门", "Department"),
      "card": ("考核表", "Scorecard"), "period": ("考核期间", "Period"), "file": ("考核表文件", "Scorecard file"),
      "note": ("以下目标变更已经批准。你手中的考核表不必修改:汇总时按批准后的目标计分,并在结果中列出变更记录。"
               "请核对后签字确认,交回 HR 存档。",
               "The changes below were approved. The scorecard you hold needs no edit: it is scored against the approved target "
               "at consolidation, and the change is listed with the results. Check, sign and return this notice to HR."),
      "sign_employee": ("员工确认", "Employee"), "sign_approver": ("批准人", "Approved by"), "date": ("日期", "Date")}


def _w(key: str, lang: str) -> str:
    return pick(_W, key, lang)


def write_change_notice(register: Path, change: TargetChange, folder: Path) -> Path:
    """Write the person's change notice for ``change`` (with every approved change of the period) into ``folder``."""
    book = load_register(register)
    issued = issued_card(book, change.employee_id, change.period)
    spec = spec_from_canonical(json.loads(book.specs[issued.spec_hash]))
    lang = spec.language
    log = [(c.version, c.indicator_id, c.old, c.new, c.deadline, c.reason, c.approver, c.date)
           for c in book.changes.get((change.employee_id, change.period), ())]
    path = folder / (safe_name(f"{change.employee_id}_{issued.name}_{_w('sheet', 'zh')}_v{change.version}") + ".xlsx")
    wb, tmp = new_book(path, "en" if lang == "en" else "zh")
    s = Styles(wb)
    ws = wb.add_worksheet(_w("sheet", lang))
    ws.merge_range(0, 0, 0, 7, f"{_w('title', lang)} — {issued.name} — {change.period}", s.get("title"))
    ws.set_row(0, 26)
    info = [("employee_id", change.employee_id), ("name", issued.name), ("department", issued.department),
            ("card", spec.title), ("period", change.period), ("file", issued.file)]
    for k, (key, value) in enumerate(info):
        r, c = 2 + k // 2, (k % 2) * 4
        ws.merge_range(r, c, r, c + 1, _w(key, lang), s.get("label"))
        ws.merge_range(r, c + 2, r, c + 3, value, s.get("text"))
    ws.merge_range(6, 0, 6, 7, _w("note", lang), s.get("note"))
    ws.set_row(6, 36)
    last = write_change_log(ws, s, lang, spec, log, 8)
    for k, who in enumerate(("sign_employee", "sign_approver")):
        r = last + 2 + k
        ws.merge_range(r, 0, r, 1, _w(who, lang), s.get("label"))
        ws.merge_range(r, 2, r, 4, "", s.get("input_text"))
        ws.write_string(r, 5, _w("date", lang), s.get("label"))
        ws.merge_range(r, 6, r, 7, "", s.get("input_text"))
        ws.set_row(r, 26)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 4, 11)
    ws.set_column(5, 5, 30)
    ws.set_column(6, 7, 12)
    ws.protect("", {"format_rows": True, "format_columns": True})
    page_setup(ws, lang, landscape=True, area=(0, 0, last + 3, 7), who=(_w("title", lang), f"{issued.name} {change.employee_id}"))
    return finish_book(wb, tmp, path, "_xlkpi_change", [["format", "xl-kpi change notice"], ["employee_id", change.employee_id],
                                                        ["period", change.period], ["version", str(change.version)]])
