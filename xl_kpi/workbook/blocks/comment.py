"""主管评语: the supervisor's comment, in their colour and their range (or awaited from their rating workbook)."""

from __future__ import annotations

from ...sheet.printing import row_height
from ..card_sheet import CardSheet
from . import BlockWriter


def write(w: CardSheet) -> None:
    layout, c, ws, s, texts = w.layout, w.c, w.ws, w.s, w.texts
    cr = layout.comment_row
    ws.write_string(cr, c.NO, w.L("comment"), s.get("label"))
    comment_style = w.review_style(text=True)  # the supervisor's: their colour, their range when locked
    if "supervisor" in w.awaiting:
        ws.merge_range(cr, c.INDICATOR, cr, c.LAST_TABLE, "", s.get("awaiting_text"))
        w.awaited("supervisor", cr, c.INDICATOR, text=True)
    else:
        ws.merge_range(cr, c.INDICATOR, cr, c.LAST_TABLE, "", comment_style)
        ws.write_string(cr, c.INDICATOR, texts.get("comment", ""), comment_style)
        w.review_cell("supervisor", cr, c.INDICATOR)
    w.set_row(cr, row_height([(texts.get("comment", ""), w.width(c.INDICATOR, c.LAST_TABLE))], 44))


WRITER = BlockWriter("comment", write)
