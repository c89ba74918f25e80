"""A department's goals workbook (``build --phase goals --layout department``): one workbook per department.

A first sheet, 部门目标 / Department goals, sets the department's targets (``--department-targets``) beside its
people's: a row per person with each indicator's target as it stands — the agreed target once agreed, else the
proposal — read live from their sheet; below, the live sum of an additive indicator's targets, the department
target, the difference and a check (✓, or below / above the department target, coloured). A rate or score is
not added up: its row says so. Then one goals sheet per person, the same sheet as a person's own workbook
(:func:`~xl_kpi.goals.book.write_goals_sheet`), named by their id and name. The hidden record names the
department and its people; which sheet is whose is the register's word (``goals_issued.sheet``).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from ..core.refs import a1
from ..followup.books import finish_book, new_book
from ..sheet.printing import page_setup
from ..spec.model import Indicator
from ..workbook.build import _sheet_name
from ..workbook.styles import Styles, number_format
from .book import META_SHEET, GoalsIssue, add_udfs, numeric, signature, write_goals_sheet
from .layout import GoalsLayout, pick, word
from .rules import Member

__all__ = ["DEPARTMENT_FORMAT", "write_department_goals", "SUMMARY_WORDS"]

DEPARTMENT_FORMAT = "xl-kpi goals department"
SUMMARY_WORDS: dict[str, tuple[str, str]] = {
    "sheet": ("部门目标", "Department goals"), "title": ("部门目标与个人目标", "Department and personal goals"),
    "intro": ("每人每项指标的目标(已确认的按确认目标,否则按本人提出的目标)从各人的工作表实时读取;可相加的指标在下方与部门目标比较。"
              "各人在自己的工作表(按工号和姓名命名)中填写。",
              "Each person's target per indicator (the agreed one once agreed, else their proposal), read live from their sheet; "
              "an additive indicator's sum is compared with the department target below. Each person fills their own sheet "
              "(named by id and name)."),
    "person": ("员工", "Person"), "sum": ("个人目标合计", "Sum of personal targets"), "dept": ("部门目标", "Department target"),
    "diff": ("差额", "Difference"), "check": ("检查", "Check"), "not_added": ("比率不相加", "a rate: not added"),
    "below": ("低于部门目标", "below the department target"), "above": ("高于部门目标", "above the department target"),
    "no_target": ("无部门目标", "no department target"),
}


def _w(key: str, lang: str) -> str:
    return pick(SUMMARY_WORDS, key, lang)


def _indicators(members: Sequence[Member]) -> list[Indicator]:
    """Every numeric indicator of the department's cards, by id, in order of first appearance."""
    seen: dict[str, Indicator] = {}
    for m in members:
        for ind in m.spec.indicators:
            if numeric(ind) and ind.id not in seen:
                seen[ind.id] = ind
    return list(seen.values())


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def write_department_goals(path: Path, department: str, members: Sequence[Member], lang: str,
                           sources: Mapping[str, str] | None, targets: Mapping[str, float] | None, password: str = "",
                           key: bytes | None = None, udf: bool = False) -> list[GoalsIssue]:
    """Write a department's goals workbook at ``path``; returns what it issued, one entry per person."""
    wb, tmp = new_book(path, "en" if lang == "en" else "zh")
    s = Styles(wb)
    summary = wb.add_worksheet(_w("sheet", lang))
    taken = {summary.name.casefold(), META_SHEET.casefold()}
    sheets: list[tuple[Member, str, GoalsLayout]] = []
    for m in members:
        name = _sheet_name(f"{m.person.employee_id} {m.person.name}", taken)
        lay = write_goals_sheet(wb, s, m.spec, m.person, m.period, lang, m.rules, m.history, sources, password, m.separate, name, udf)
        sheets.append((m, name, lay))
    _summary(summary, s, department, sheets, lang, targets or {}, password)
    if udf:
        add_udfs(wb)
    summary.activate()
    wid = uuid.uuid4().hex
    period = members[0].period if members else ""
    rows = [["format", DEPARTMENT_FORMAT], ["format_version", "1"], ["workbook_id", wid], ["period", period], ["lang", lang],
            ["department", department], ["people", ",".join(m.person.employee_id for m in members)],
            ["generated", datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")]]
    if key is not None:
        rows.append(["signature", signature(rows, key)])
    finish_book(wb, tmp, path, META_SHEET, rows, password)
    return [GoalsIssue(wid, m.person, m.spec, m.period, path.name, lang, dict(m.history), m.rules, separate=m.separate,
                       sheet=name, place=k)
            for k, (m, name, _) in enumerate(sheets)]


def _summary(ws: Worksheet, s: Styles, department: str, sheets: Sequence[tuple[Member, str, GoalsLayout]], lang: str,
             targets: Mapping[str, float], password: str) -> None:
    inds = _indicators([m for m, _, _ in sheets])
    first_col, head, first = 2, 3, 4
    last_col = first_col + max(len(inds), 1) - 1
    period = sheets[0][0].period if sheets else ""
    ws.merge_range(0, 0, 0, last_col, f"{_w('title', lang)} — {department} — {period}", s.get("title"))
    ws.set_row(0, 26)
    ws.merge_range(1, 0, 1, last_col, _w("intro", lang), s.get("note"))
    ws.set_row(1, 44)
    ws.write_string(head, 0, word("employee_id", lang), s.get("header"))
    ws.write_string(head, 1, word("name", lang), s.get("header"))
    for j, ind in enumerate(inds):
        unit = f"({ind.unit})" if ind.unit and ind.unit != "%" else ""
        ws.write_string(head, first_col + j, f"{ind.name}{unit}", s.get("header"))
    ws.set_row(head, 32)
    for k, (m, name, lay) in enumerate(sheets):
        r = first + k
        ws.write_string(r, 0, m.person.employee_id, s.get("value"))
        ws.write_string(r, 1, m.person.name, s.get("text"))
        rows = {ind.id: lay.role_row(i) for i, ind in enumerate(m.spec.indicators)}
        for j, ind in enumerate(inds):
            if ind.id not in rows:
                ws.write_string(r, first_col + j, "—", s.get("formula"))
                continue
            agreed, proposed = (f"{_quote(name)}!{a1(rows[ind.id], lay.col(key), True)}" for key in ("agreed", "proposed"))
            ws.write_formula(r, first_col + j, f'=IF(ISNUMBER({agreed}),{agreed},IF(ISNUMBER({proposed}),{proposed},""))',
                             s.get("formula", number_format(ind)), "")
    last = first + len(sheets) - 1
    totals = last + 1
    for k, key in enumerate(("sum", "dept", "diff", "check")):
        ws.merge_range(totals + k, 0, totals + k, 1, _w(key, lang), s.get("subtotal_label"))
    ok, below, above = word("ok", lang), _w("below", lang), _w("above", lang)
    for j, ind in enumerate(inds):
        c = first_col + j
        fmt = number_format(ind)
        col = f"{a1(first, c, True)}:{a1(last, c, True)}" if sheets else ""
        target = targets.get(ind.id)
        if not ind.is_additive:
            ws.write_string(totals, c, _w("not_added", lang), s.get("formula"))
        else:
            ws.write_formula(totals, c, f"=SUM({col})" if sheets else "=0", s.get("subtotal", fmt), 0)
        if target is None:
            ws.write_string(totals + 1, c, "—", s.get("param"))
        else:
            ws.write_number(totals + 1, c, target, s.get("param", fmt))
        if ind.is_additive and target is not None:
            total, dept = a1(totals, c), a1(totals + 1, c)
            ws.write_formula(totals + 2, c, f"={total}-{dept}", s.get("formula", fmt), -target)
            ws.write_formula(totals + 3, c, f'=IF(ROUND({total}-{dept},6)=0,"{ok}",IF({total}<{dept},"{below}","{above}"))',
                             s.get("formula"), below if target > 0 else ok)
        else:
            ws.write_string(totals + 2, c, "—", s.get("formula"))
            ws.write_string(totals + 3, c, "—" if target is not None else _w("no_target", lang), s.get("formula"))
    check = totals + 3
    ws.conditional_format(check, first_col, check, last_col, {"type": "formula", "criteria": f'={a1(check, first_col)}="{below}"',
                                                               "format": s.fill("#FFC7CE", "#9C0006")})
    ws.conditional_format(check, first_col, check, last_col, {"type": "formula", "criteria": f'={a1(check, first_col)}="{above}"',
                                                               "format": s.fill("#FFEB9C", "#9C5700")})
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 10)
    ws.set_column(first_col, last_col, 14)
    ws.freeze_panes(first, first_col)
    ws.protect(password, {"format_columns": True, "format_rows": True})
    page_setup(ws, lang, landscape=len(inds) > 5, area=(0, 0, check, last_col), repeat=(head, head), who=(_w("title", lang), department))
