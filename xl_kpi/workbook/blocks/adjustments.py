"""加减分项 on the form's grid: an item per row — its points each time and cap (parameters), its rule under the
scoring standard, the supervisor's count under the actuals, its points under the scores — and their sum."""

from __future__ import annotations

from ...sheet.printing import row_height
from ..card_sheet import CardSheet, fill, span, write_input
from ..validation import count_validation
from . import BlockWriter


def write(w: CardSheet) -> None:
    """加减分项: an item per row — its points each time and cap (parameters), its rule under the scoring
    standard, the supervisor's count under the actuals, its points under the scores — and their sum
    within the card's bounds."""
    inputs, result = w.inputs, w.result
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    assert spec.adjustments is not None
    hr = layout.adjustment_header_row
    ws.merge_range(hr, c.NO, hr, c.UNIT, w.L("adjustments"), s.get("header"))
    ws.write_string(hr, c.TARGET, w.L("points"), s.get("header"))
    ws.write_string(hr, c.WEIGHT, w.L("adj_cap"), s.get("header"))
    ws.write_string(hr, c.STANDARD, w.L("adj_rule"), s.get("header"))
    span(ws, hr, c.ACTUAL, c.SCORE - 1, w.L("times"), s.get("header"))
    ws.write_string(hr, c.SCORE, w.L("contribution"), s.get("header"))
    fill(ws, hr, c.WEIGHTED, c.LAST_TABLE, s.get("header"))
    w.set_row(hr, row_height([(w.L(k), w.widths[col]) for k, col in (("points", c.TARGET), ("adj_cap", c.WEIGHT),
                                                                     ("contribution", c.SCORE))], 15))
    for item in spec.adjustments.items:
        r = layout.adjustment_row(item.id)
        ws.merge_range(r, c.NO, r, c.UNIT, item.name, s.get("text"))
        rule = (f"每次{item.points:+g}分,合计不超过{'+' if item.points > 0 else '−'}{item.max:g}分" if w.lang == "zh"
                else f"{item.points:+g} each time, at most {'+' if item.points > 0 else '−'}{item.max:g} in all")
        ws.write_number(r, c.TARGET, item.points, s.get("param"))
        ws.write_number(r, c.WEIGHT, item.max, s.get("param"))
        ws.write_string(r, c.STANDARD, rule, s.get("text"))
        w.set_row(r, row_height([(rule, w.widths[c.STANDARD]), (item.name, w.width(c.NO, c.UNIT))], 15))
        if not w.awaited("supervisor", r, c.ACTUAL):  # the supervisor counts here, or in their own rating workbook
            write_input(w, r, c.ACTUAL, inputs.adjustments.get(item.id), w.review_style())
            w.review_cell("supervisor", r, c.ACTUAL)
        fill(ws, r, c.ACTUAL + 1, c.SCORE - 1, s.get("text"))
        ws.write_formula(r, c.SCORE, w.formula(r, c.SCORE), s.get("formula", "+0.##;-0.##;0"),
                         result.adjustment_items.get(item.id, 0.0))
        fill(ws, r, c.WEIGHTED, c.LAST_TABLE, s.get("text"))
    counts = [layout.adjustment_cell(i.id, "count") for i in spec.adjustments.items]  # one rule for every count
    first = layout.adjustment_row(spec.adjustments.items[0].id)
    if "supervisor" not in w.awaiting:
        ws.data_validation(first, c.ACTUAL, first, c.ACTUAL, {**count_validation(w.L("times"), w.lang), "multi_range": " ".join(counts)})
    tr = layout.adjustment_total_row
    ws.merge_range(tr, c.NO, tr, c.UNIT, w.L("adj_total"), s.get("label"))
    low, high = (getattr(spec.adjustments, k) for k in ("min", "max"))
    ws.write_number(tr, c.TARGET, low, s.get("param", "+0.##;-0.##;0"))  # the bounds the sum is held within (parameters)
    ws.write_number(tr, c.WEIGHT, high, s.get("param", "+0.##;-0.##;0"))
    bounds = f"合计限额:下限 {low:+g} 分,上限 {high:+g} 分" if w.lang == "zh" else f"The sum is held within {low:+g} and {high:+g}"
    span(ws, tr, c.STANDARD, c.SCORE - 1, bounds, s.get("text"))
    ws.write_formula(tr, c.SCORE, w.formula(tr, c.SCORE), s.get("subtotal", "+0.##;-0.##;0"), result.adjustment)
    fill(ws, tr, c.WEIGHTED, c.LAST_TABLE, s.get("subtotal"))


WRITER = BlockWriter("adjustments", write)
