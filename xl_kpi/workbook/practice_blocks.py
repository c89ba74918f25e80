"""The practice card's blocks below the KPI table — the sections' summary, bonus and penalty items,
the veto — on the form's grid: every block spans the table's width, each value under the column
of the table that holds its kind (rules under 评分标准, counts and marks under 实际完成, points
under 得分), blank cells framed so the block reads as one table on paper."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xlsxwriter.worksheet import Worksheet

from ..scoring.engine import CardInputs, CardResult
from ..sheet import formulas as F
from ..sheet.printing import row_height
from .validation import count_validation, veto_validation

if TYPE_CHECKING:
    from .kpi_sheet import _Sheet

__all__ = ["span", "fill", "write_input", "blank", "section_summary", "adjustments", "veto"]


def blank(value: float | None) -> float | str:
    return "" if value is None else value


def span(ws: Worksheet, r: int, first: int, last: int, value: str, fmt: Any) -> None:
    """A value across columns ``first..last`` (one cell when they are the same: Excel cannot merge one cell)."""
    if last > first:
        ws.merge_range(r, first, r, last, value, fmt)
    else:
        ws.write_string(r, first, value, fmt)


def fill(ws: Worksheet, r: int, first: int, last: int, fmt: Any) -> None:
    """Framed blank cells ``first..last`` (nothing when ``last`` < ``first``): a block's unused columns."""
    if last > first:
        ws.merge_range(r, first, r, last, "", fmt)
    elif last == first:
        ws.write_blank(r, first, None, fmt)


def write_input(w: _Sheet, r: int, col: int, value: Any, fmt: Any) -> None:
    if value is None or value == "":
        w.ws.write_blank(r, col, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        w.ws.write_number(r, col, value, fmt)
    else:
        w.ws.write_string(r, col, str(value), fmt)


def section_summary(w: _Sheet, result: CardResult) -> None:
    """The sections' weights and scores side by side: what the weighted score reads."""
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


def adjustments(w: _Sheet, inputs: CardInputs, result: CardResult) -> None:
    """加减分项: an item per row — its points each time and cap (parameters), its rule under the scoring
    standard, the supervisor's count under the actuals, its points under the scores — and their sum
    within the card's bounds."""
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


def veto(w: _Sheet, inputs: CardInputs, result: CardResult) -> None:
    """一票否决: an item per row, the supervisor's mark under the actuals, and which applied."""
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
