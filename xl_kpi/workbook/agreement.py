"""The agreement sheet (目标确认记录): the targets the scorecard was built with, as the goal-setting round agreed
them — proposed, agreed, who agreed and when, the version — so "年初不是这么说的" has its answer in the file."""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.worksheet import Worksheet

from ..sheet.printing import page_setup
from ..spec.model import Spec
from .styles import Styles

__all__ = ["write_agreement", "AGREEMENT_SHEET", "AgreedRow"]

# (indicator id or name, proposed, agreed target, agreed by, agreed on, version): xl_kpi.tabular.agreements.Agreed
AgreedRow = tuple[str, float | None, float | None, str, str, str]

AGREEMENT_SHEET = {"zh": "目标确认记录", "en": "Agreed goals"}
HEADERS = {"zh": ("指标", "本人提出的目标", "确认的目标", "确认人", "确认日期", "版本"),
           "en": ("Indicator", "Proposed", "Agreed target", "Agreed by", "Agreed on", "Version")}
NOTE = {"zh": "考核表中的目标即期初目标设定时双方确认的目标(xl-kpi goals collect);期中经批准的目标变更记入 HR 的登记册,汇总时按批准后的目标计分并列出变更记录。",
        "en": "The scorecard's targets are those agreed in the goal-setting round (xl-kpi goals collect); a target changed mid-period "
              "with approval is recorded in HR's register, scored against at consolidation and listed there."}


def write_agreement(ws: Worksheet, styles: Styles, lang: str, spec: Spec, rows: Sequence[AgreedRow], password: str = "") -> None:
    """One person's agreed targets, locked."""
    s = styles
    names = {ind.id: ind for ind in spec.indicators} | {ind.name: ind for ind in spec.indicators}
    ws.merge_range(0, 0, 0, 5, AGREEMENT_SHEET["zh" if lang == "zh" else "en"], s.get("title_left"))
    ws.merge_range(1, 0, 1, 5, NOTE["zh" if lang == "zh" else "en"], s.get("note"))
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
    ws.set_column(0, 0, 18)
    ws.set_column(1, 5, 13)
    ws.protect(password)
    page_setup(ws, lang, landscape=False, area=(0, 0, 3 + max(len(rows), 1), 5))
