"""确认签字: employee, supervisor, reviewer and HR sign (and date) the agreed targets and the result."""

from __future__ import annotations

import datetime

from ...core.refs import a1
from ...sheet.printing import row_height
from ..card_sheet import CardSheet, span
from . import BlockWriter


def write(w: CardSheet) -> None:
    """确认签字: employee, supervisor, reviewer and HR sign (and date) the agreed targets and the result.
    Each role's cells are theirs: the employee's are open, the supervisor's and the reviewer's (and
    HR's) are in that role's protected range when a reviewer password is given."""
    layout, c, ws, s = w.layout, w.c, w.ws, w.s
    cols = layout.signoff_cols
    ws.write_string(layout.signoff_title_row, c.NO, w.L("signoff"), s.get("section"))
    hr = layout.signoff_header_row
    for part in ("role", "plan_sign", "plan_date", "result_sign", "result_date", "note"):
        first, last = cols[part]
        span(ws, hr, first, last, w.L(f"sign_{part}"), s.get("header"))
    w.set_row(hr, row_height([(w.L(f"sign_{part}"), w.width(*cols[part])) for part in cols], 32))  # headings whole
    for role in layout.SIGN_ROLES:
        r = layout.signoff_row(role)
        w.set_row(r, 24)
        span(ws, r, *cols["role"], w.L(f"signer_{role}"), s.get("label"))
        own = role == "employee"
        for part in ("plan_sign", "plan_date", "result_sign", "result_date", "note"):
            first, last = cols[part]
            fmt = "yyyy-mm-dd" if part.endswith("date") else None
            signer = "supervisor" if role == "supervisor" else "reviewer"
            elsewhere = not own and bool(w.awaiting)  # raters sign their own workbooks; here a pen signs the printout
            style = s.get("input", fmt) if own else s.get("text", fmt) if elsewhere else w.review_style(role=signer, num_format=fmt)
            span(ws, r, first, last, "", style)
            if not own and not elsewhere:
                w.review_cell(signer, r, first)
    first_date = layout.signoff_row(layout.SIGN_ROLES[0])
    dates = [a1(layout.signoff_row(role), cols[part][0]) for role in layout.SIGN_ROLES for part in ("plan_date", "result_date")]
    ws.data_validation(first_date, cols["plan_date"][0], first_date, cols["plan_date"][0], {
        "validate": "date", "criteria": "between", "minimum": datetime.date(2000, 1, 1), "maximum": datetime.date(2100, 12, 31),
        "input_title": w.L("sign_plan_date"), "input_message": "例如 2026-07-10" if w.lang == "zh" else "e.g. 2026-07-10",
        "error_title": "日期无效" if w.lang == "zh" else "Invalid date",
        "error_message": "请输入 2000-01-01 至 2100-12-31 之间的日期。" if w.lang == "zh" else "Enter a date between 2000-01-01 and 2100-12-31.",
        "multi_range": " ".join(dates)})


WRITER = BlockWriter("signoff", write)
