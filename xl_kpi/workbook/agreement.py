"""The agreement sheet (目标确认记录): the targets the scorecard was built with, as the goal-setting round agreed
them — proposed, agreed, who agreed and when, the version — so "年初不是这么说的" has its answer in the file."""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.worksheet import Worksheet

from ..sheet.printing import page_setup
from ..spec.model import Spec
from .styles import Styles

__all__ = ["write_agreement", "write_change_log", "AGREEMENT_SHEET", "AgreedRow", "ChangeRow"]

# (indicator id or name, proposed, agreed target, agreed by, agreed on, version): xl_kpi.tabular.agreements.Agreed
AgreedRow = tuple[str, float | None, float | None, str, str, str]
# (version, indicator id, old target, new target, new deadline, reason, approver, date): an approved change (goals change)
ChangeRow = tuple[int, str, float | None, float, str, str, str, str]
CHANGES_TITLE = {"zh": "期中目标变更(经批准)", "en": "Approved changes mid-period"}
CHANGE_HEADERS = {"zh": ("版本", "指标", "原目标", "新目标", "新期限", "变更理由", "批准人", "批准日期"),
                  "en": ("Version", "Indicator", "Was", "Now", "New deadline", "Reason", "Approved by", "Date")}

AGREEMENT_SHEET = {"zh": "目标确认记录", "en": "Agreed goals"}
HEADERS = {"zh": ("指标", "本人提出的目标", "确认的目标", "确认人", "确认日期", "版本"),
           "en": ("Indicator", "Proposed", "Agreed target", "Agreed by", "Agreed on", "Version")}
NOTE = {"zh": "考核表中的目标即期初目标设定时双方确认的目标(xl-kpi goals collect);期中经批准的目标变更记入 HR 的登记册,汇总时按批准后的目标计分并列出变更记录。",
        "en": "The scorecard's targets are those agreed in the goal-setting round (xl-kpi goals collect); a target changed mid-period "
              "with approval is recorded in HR's register, scored against at consolidation and listed there."}
NOTE_CHANGED = {"zh": "本考核表按期中经批准的目标变更重新生成:考核表中的目标是批准后的目标;期初确认的目标和每次变更列于下方。",
                "en": "This scorecard was issued again after approved changes mid-period: its targets are the approved ones; the targets "
                      "agreed at the start and every change are listed below."}


def write_change_log(ws: Worksheet, styles: Styles, lang: str, spec: Spec, changes: Sequence[ChangeRow], row: int) -> int:
    """The approved changes from ``row`` on (a title, a header, a row each, oldest first); returns the last row used."""
    s, zh = styles, lang == "zh"
    names = {ind.id: ind for ind in spec.indicators}
    ws.merge_range(row, 0, row, 7, CHANGES_TITLE["zh" if zh else "en"], s.get("section"))
    for c, text in enumerate(CHANGE_HEADERS["zh" if zh else "en"]):
        ws.write_string(row + 1, c, text, s.get("header"))
    r = row + 1
    for r, (version, iid, old, new, deadline, reason, approver, date) in enumerate(changes, start=row + 2):
        ind = names.get(iid)
        fmt = s.get("value", "0.0%" if ind is not None and ind.is_percent else "General")
        ws.write_number(r, 0, version, s.get("value"))
        ws.write_string(r, 1, ind.name if ind is not None else iid, s.get("text"))
        if old is None:
            ws.write_blank(r, 2, None, fmt)
        else:
            ws.write_number(r, 2, old, fmt)
        ws.write_number(r, 3, new, fmt)
        for c, text in ((4, deadline), (5, reason), (6, approver), (7, date)):
            if text:
                ws.write_string(r, c, text, s.get("text" if c == 5 else "value"))
            else:
                ws.write_blank(r, c, None, s.get("value"))
    return r


def write_agreement(ws: Worksheet, styles: Styles, lang: str, spec: Spec, rows: Sequence[AgreedRow], password: str = "",
                    changes: Sequence[ChangeRow] = ()) -> None:
    """One person's agreed targets, and the changes approved since (``changes``), locked."""
    s = styles
    names = {ind.id: ind for ind in spec.indicators} | {ind.name: ind for ind in spec.indicators}
    ws.merge_range(0, 0, 0, 5, AGREEMENT_SHEET["zh" if lang == "zh" else "en"], s.get("title_left"))
    ws.merge_range(1, 0, 1, 5, (NOTE_CHANGED if changes else NOTE)["zh" if lang == "zh" else "en"], s.get("note"))
    ws.set_row(1, 44)
    for c, text in enumerate(HEADERS["zh" if lang == "zh" else "en"]):
        ws.write_string(3, c, text, s.get("header"))
    for r, (indicator, proposed, target, agreed_by, agreed_on, version) in enumerate(rows, start=4):
        ind = names.get(indicator)
        fmt = s.get("value", "0.0%" if ind is not None and ind.is_percent else "General")
        ws.write_string(r, 0, ind.name if ind is not None else indicator, s.get("text"))
        for c, value in ((1, proposed), (2, target)):
            if value is None:
                ws.write_blank(r, c, None, fmt)
            else:
                ws.write_number(r, c, value, fmt)
        for c, text in ((3, agreed_by), (4, agreed_on), (5, version)):
            ws.write_string(r, c, text, s.get("value"))
    last, right = 3 + max(len(rows), 1), 5
    if changes:
        last, right = write_change_log(ws, s, lang, spec, changes, last + 2), 7
        ws.set_column(5, 5, 28)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 4, 13)
    if not changes:
        ws.set_column(5, 5, 13)
    ws.set_column(6, 7, 12)
    ws.protect(password)
    page_setup(ws, lang, landscape=bool(changes), area=(0, 0, last, right))
