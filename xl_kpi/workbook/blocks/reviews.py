"""员工自评: the employee's own review, a row per question."""

from __future__ import annotations

from ...sheet.printing import row_height
from ..card_sheet import CardSheet
from . import BlockWriter


def write(w: CardSheet) -> None:
    layout, c, ws, s, texts = w.layout, w.c, w.ws, w.s, w.texts
    ws.write_string(layout.review_header_row, c.NO, w.L("self_review"), s.get("section"))
    for k, key in enumerate(layout.REVIEW_KEYS):
        row = layout.review_row(k)
        ws.write_string(row, c.NO, w.L(key), s.get("label"))
        ws.merge_range(row, c.INDICATOR, row, c.LAST_TABLE, "", s.get("input_text"))
        ws.write_string(row, c.INDICATOR, texts.get(key, ""), s.get("input_text"))
        w.set_row(row, row_height([(texts.get(key, ""), w.width(c.INDICATOR, c.LAST_TABLE)), (w.L(key), w.widths[c.NO])], 40))


WRITER = BlockWriter("reviews", write)
