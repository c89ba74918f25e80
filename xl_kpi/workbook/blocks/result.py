"""总分 and 等级: the total beside the sum of the weights (or points), a note when raters rate in workbooks of
their own, and the grade; last, the grade's rank beside it (1 = the best: what department summaries count)."""

from __future__ import annotations

from ...sheet import formulas as F
from ..card_sheet import CardSheet, blank
from ..labels import label
from . import BlockWriter


def write(w: CardSheet) -> None:
    layout, c, ws, s, spec, result = w.layout, w.c, w.ws, w.s, w.spec, w.result
    tr, gr = layout.total_row, layout.grade_row
    for r in (tr, gr):
        w.set_row(r, 22)
    ws.merge_range(tr, c.NO, tr, c.TARGET, w.L("total"), s.get("label"))
    if layout.sections:
        ws.write_formula(tr, c.WEIGHT, f"=SUM({layout.section_weight_cell(spec.sections[0].id, False)}:"
                                       f"{layout.section_weight_cell(spec.sections[-1].id, False)})",
                         s.get("value", "0.##" if spec.summed else "0%"), spec.full_marks if spec.summed else 1.0)
    else:
        ws.write_formula(tr, c.WEIGHT, f"=SUM({layout.column_span(c.WEIGHT)})", s.get("value", "0.##" if spec.by_points else "0%"),
                         spec.full_marks if spec.by_points else sum(ind.weight for ind in spec.indicators))
    awaited: list[str] = [role for role in ("supervisor", "reviewer", "peer") if role in w.awaiting]
    ws.merge_range(tr, c.STANDARD, tr, c.SCORE, awaiting_note(awaited, w.lang), s.get("note" if awaited else "text"))
    w.result_cell(tr, s.get("total", "0.00"), blank(result.total))
    ws.merge_range(gr, c.NO, gr, c.SCORE, w.L("grade"), s.get("label"))
    w.result_cell(gr, s.get("total"), result.grade.label if result.grade else "")


def finish(w: CardSheet) -> None:
    """The grade's rank (1 = the best), in the parameters' columns: what a department summary counts, whatever
    the language of the labels."""
    gr, c = w.layout.grade_row, w.c
    w.ws.write_string(gr, c.PARAMS, w.L("grade_rank"), w.s.get("param"))
    w.ws.write_formula(gr, c.PARAMS + 1, F.rank_formula(w.layout), w.s.get("param"), w.rank)


def awaiting_note(roles: list[str], lang: str) -> str:
    """What the total row says on an employee's workbook whose raters rate in their own workbooks."""
    if not roles:
        return ""
    who = "、".join(label(f"role_{r}", "zh") for r in roles) if lang == "zh" else ", ".join(label(f"role_{r}", "en") for r in roles)
    return (f"※ 待{who}在各自的评分表中评分后,由 HR 汇总得出总分" if lang == "zh"
            else f"※ the total is worked out by HR once the {who} have rated in their own workbooks")


WRITER = BlockWriter("result", write, finish)
