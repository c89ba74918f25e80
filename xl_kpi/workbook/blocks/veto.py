"""一票否决 on the form's grid: an item per row, the supervisor's mark under the actuals, and which applied."""

from __future__ import annotations

from ...sheet import formulas as F
from ..card_sheet import CardSheet, fill, span, write_input
from ..validation import veto_validation
from . import BlockWriter


def write(w: CardSheet) -> None:
    """一票否决: an item per row, the supervisor's mark under the actuals, and which applied."""
    inputs, result = w.inputs, w.result
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    hr = layout.veto_header_row
    ws.merge_range(hr, c.NO, hr, c.STANDARD, w.L("veto"), s.get("header"))
    span(ws, hr, c.ACTUAL, c.SCORE - 1, w.L("veto_mark"), s.get("header"))
    fill(ws, hr, c.SCORE, c.LAST_TABLE, s.get("header"))
    for item in spec.veto:
        r = layout.veto_row(item.id)
        ws.merge_range(r, c.NO, r, c.STANDARD, item.name, s.get("text"))
        if not w.awaited("supervisor", r, c.ACTUAL):
            write_input(w, r, c.ACTUAL, inputs.veto.get(item.id), w.review_style())
            w.review_cell("supervisor", r, c.ACTUAL)
        fill(ws, r, c.ACTUAL + 1, c.LAST_TABLE, s.get("text"))
    first = layout.veto_row(spec.veto[0].id)  # one rule for every mark
    if "supervisor" not in w.awaiting:
        ws.data_validation(first, c.ACTUAL, first, c.ACTUAL,
                           {**veto_validation(w.lang), "multi_range": " ".join(layout.veto_cell(v.id) for v in spec.veto)})
    rr = layout.veto_result_row
    ws.merge_range(rr, c.NO, rr, c.STANDARD, w.L("veto_result"), s.get("label"))
    fill(ws, rr, c.ACTUAL, c.SCORE - 1, s.get("subtotal"))
    count = '[=0]"未否决";0"项否决"' if w.lang == "zh" else '[=0]"none";0" applied"'  # never a bare 0
    ws.write_formula(rr, c.SCORE, w.formula(rr, c.SCORE), s.get("subtotal", count), float(len(result.vetoed)))
    names = " ".join(item.name for item in spec.veto if item.id in result.vetoed)
    ws.merge_range(rr, c.WEIGHTED, rr, c.LAST_TABLE, "", s.get("subtotal"))
    ws.write_formula(rr, c.WEIGHTED, F.veto_names_formula(layout), s.get("subtotal"), names)


WRITER = BlockWriter("veto", write)
