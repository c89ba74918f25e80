"""The grade scale: each grade's label, minimum, coefficient (a card with pay) and how it is applied."""

from __future__ import annotations

from ..card_sheet import CardSheet
from . import BlockWriter


def write(w: CardSheet) -> None:
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    gh = layout.grade_header_row
    gc = layout.grade_cols
    ws.write_string(gh - 1, c.NO, w.L("grade_table"), s.get("section"))
    headings = [("label", "grade_label"), ("min", "grade_min")] + ([("coefficient", "coefficient")] if layout.coefficients else [])
    for key, heading in headings:
        ws.write_string(gh, gc[key], w.L(heading), s.get("header"))
    ws.merge_range(gh, gc["application"], gh, c.LAST_TABLE, w.L("application"), s.get("header"))
    for g, grade in enumerate(spec.grades):
        row = layout.grade_table_row(g)
        ws.write_string(row, gc["label"], grade.label, s.get("value"))
        ws.write_number(row, gc["min"], grade.min, s.get("value"))
        if layout.coefficients:
            ws.write_number(row, gc["coefficient"], float(grade.coefficient or 0), s.get("value", "0.00"))
        ws.merge_range(row, gc["application"], row, c.LAST_TABLE, "", s.get("text"))
        ws.write_string(row, gc["application"], grade.application, s.get("text"))


WRITER = BlockWriter("grades", write)
