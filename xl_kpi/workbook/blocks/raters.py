"""评分人权重: each rater and their weight."""

from __future__ import annotations

from ..card_sheet import CardSheet, fill
from . import BlockWriter


def write(w: CardSheet) -> None:
    layout, c, ws, s = w.layout, w.c, w.ws, w.s
    rh = layout.raters_header_row
    ws.write_string(rh, 0, w.L("rater"), s.get("header"))
    ws.write_string(rh, 1, w.L("rater_weight"), s.get("header"))
    fill(ws, rh, 2, c.LAST_TABLE, s.get("header"))
    for rater in w.spec.raters:
        r = layout.rater_row(rater.id)
        ws.write_string(r, 0, rater.name, s.get("value"))
        ws.write_number(r, 1, rater.weight, s.get("param", "0%"))
        fill(ws, r, 2, c.LAST_TABLE, s.get("text"))


WRITER = BlockWriter("raters", write)
