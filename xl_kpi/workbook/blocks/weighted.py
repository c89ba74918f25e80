"""加权得分: the weighted score before adjustments and veto."""

from __future__ import annotations

from ..card_sheet import CardSheet, blank
from . import BlockWriter


def write(w: CardSheet) -> None:
    c, r = w.c, w.layout.weighted_row
    w.ws.merge_range(r, c.NO, r, c.SCORE, w.L("weighted_score"), w.s.get("label"))
    w.result_cell(r, w.s.get("subtotal", "0.00"), blank(w.result.weighted))
    w.set_row(r, 22)


WRITER = BlockWriter("weighted", write)
