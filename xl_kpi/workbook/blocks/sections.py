"""The sections' summary: each section's weight (or points) and score side by side, what the weighted score reads."""

from __future__ import annotations

from ...sheet.printing import row_height
from ..card_sheet import CardSheet, blank, fill
from . import BlockWriter


def write(w: CardSheet) -> None:
    """The sections' weights and scores side by side: what the weighted score reads."""
    result = w.result
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    hr = layout.section_summary_header_row
    ws.merge_range(hr, c.NO, hr, c.TARGET, w.L("sections"), s.get("header"))
    ws.write_string(hr, c.WEIGHT, w.L("section_points" if spec.summed else "section_weight"), s.get("header"))
    fill(ws, hr, c.STANDARD, c.SCORE - 1, s.get("header"))
    ws.write_string(hr, c.SCORE, w.L("score"), s.get("header"))
    fill(ws, hr, c.WEIGHTED, c.LAST_TABLE, s.get("header"))
    w.set_row(hr, row_height([(w.L("section_points" if spec.summed else "section_weight"), w.widths[c.WEIGHT])], 15))
    for section in spec.sections:
        r = layout.section_summary_row(section.id)
        ws.merge_range(r, c.NO, r, c.TARGET, section.name, s.get("text"))
        if section.points is not None:
            ws.write_number(r, c.WEIGHT, section.points, s.get("param", "0.##"))
        else:
            ws.write_number(r, c.WEIGHT, section.weight, s.get("param", "0%"))
        fill(ws, r, c.STANDARD, c.SCORE - 1, s.get("text"))
        ws.write_formula(r, c.SCORE, w.formula(r, c.SCORE), s.get("formula", "0.00"), blank(result.sections.get(section.id)))
        fill(ws, r, c.WEIGHTED, c.LAST_TABLE, s.get("text"))


WRITER = BlockWriter("sections", write)
