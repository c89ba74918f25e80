"""结果应用: how the grade reached is applied (its text in the grade scale)."""

from __future__ import annotations

from ...sheet import formulas as F
from ..card_sheet import CardSheet
from . import BlockWriter


def write(w: CardSheet) -> None:
    layout, c, ws, s, result = w.layout, w.c, w.ws, w.s, w.result
    ar = layout.application_row
    w.set_row(ar, 22)
    ws.merge_range(ar, c.NO, ar, c.SCORE, w.L("application"), s.get("label"))
    ws.merge_range(ar, c.WEIGHTED, ar, c.LAST_TABLE, "", s.get("text"))
    ws.write_formula(ar, c.WEIGHTED, F.application_formula(layout), s.get("text"), result.grade.application if result.grade else "")


WRITER = BlockWriter("application", write)
