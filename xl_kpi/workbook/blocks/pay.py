"""绩效系数 and 绩效工资: the grade's coefficient, the bonus base (pre-filled from the roster) and the pay."""

from __future__ import annotations

from ..card_sheet import CardSheet, blank
from . import BlockWriter


def write(w: CardSheet) -> None:
    layout, c, ws, s = w.layout, w.c, w.ws, w.s
    cr, pr = layout.coefficient_row, layout.pay_row
    w.set_row(cr, 22)
    w.set_row(pr, 22)
    ws.merge_range(cr, c.NO, cr, c.SCORE, w.L("coefficient"), s.get("label"))
    w.result_cell(cr, s.get("total", "0.00"), blank(w.result.coefficient))
    ws.merge_range(pr, c.NO, pr, c.STANDARD, w.L("pay"), s.get("label"))
    if c.SCORE - 1 > c.ACTUAL:
        ws.merge_range(pr, c.ACTUAL, pr, c.SCORE - 1, w.L("bonus_base"), s.get("label"))
    else:  # one column between: Excel cannot merge a single cell
        ws.write_string(pr, c.ACTUAL, w.L("bonus_base"), s.get("label"))
    if w.inputs.bonus_base is None:
        ws.write_blank(pr, c.SCORE, None, s.get("param", "#,##0.00"))
    else:
        ws.write_number(pr, c.SCORE, w.inputs.bonus_base, s.get("param", "#,##0.00"))
    w.result_cell(pr, s.get("total", "#,##0.00"), blank(w.result.pay))


WRITER = BlockWriter("pay", write)
