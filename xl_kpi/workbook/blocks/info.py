"""The title and the person's info: labels and values on the form's grid."""

from __future__ import annotations

from ...sheet.printing import row_height
from ..card_sheet import CardSheet, span
from . import BlockWriter

# The info block on the form's grid: each label's and each value's (first, last) column, by the KPI table's columns.
INFO_SPANS = {"name": (("NO", "NO"), ("INDICATOR", "DEFINITION")), "employee_id": (("UNIT", "UNIT"), ("TARGET", "WEIGHT")),
              "period": (("STANDARD", "STANDARD"), ("ACTUAL", "LAST_TABLE")), "position": (("NO", "NO"), ("INDICATOR", "DEFINITION")),
              "department": (("UNIT", "UNIT"), ("TARGET", "WEIGHT")), "manager": (("STANDARD", "STANDARD"), ("ACTUAL", "LAST_TABLE")),
              "responsibilities": (("NO", "NO"), ("INDICATOR", "LAST_TABLE"))}
INFO_LABEL_KEYS = {"employee_id": "info_employee_id", "department": "info_department"}  # short words for the narrow column


def write(w: CardSheet) -> None:
    person = w.person
    layout, c, ws, s, spec = w.layout, w.c, w.ws, w.s, w.spec
    ws.merge_range(layout.TITLE_ROW, c.NO, layout.TITLE_ROW, c.LAST_TABLE, spec.title, s.get("title"))
    w.set_row(layout.TITLE_ROW, 28)
    values = {"name": person.name, "employee_id": person.employee_id, "period": person.period or spec.period,
              "position": person.position or spec.position, "department": person.department,
              "manager": person.manager_shown, "responsibilities": spec.responsibilities}
    shown: dict[int, list[tuple[str, float]]] = {}
    for key, ((lf, ll), (vf, vl)) in INFO_SPANS.items():
        vr, vc = layout.INFO[key]
        first, last = getattr(c, lf), getattr(c, ll)
        span(ws, vr, first, last, w.L(INFO_LABEL_KEYS.get(key, key)), s.get("label"))
        value_last = getattr(c, vl)
        assert getattr(c, vf) == vc, key  # the value's cell is the one the cell map records
        span(ws, vr, vc, value_last, values[key], s.get("text"))
        shown.setdefault(vr, []).extend([(values[key], w.width(vc, value_last)), (w.L(INFO_LABEL_KEYS.get(key, key)), w.width(first, last))])
    for r, texts in shown.items():
        w.set_row(r, row_height(texts, 20))


WRITER = BlockWriter("info", write)
