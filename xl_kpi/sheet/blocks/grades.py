"""The grade scale: each grade's label, minimum, coefficient (a card with pay) and how it is applied."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.refs import a1
from ...core.text import Text
from .base import Block, RuleCheck
from .shown import shown

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Grades(Block):
    name, order, before, after = "grades", 900, 0, 1

    def height(self, layout: PersonLayout) -> int:
        return 2 + layout.grades  # its title, the headings, a row per grade

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        out: dict[str, Any] = {"grade_min": [a1(layout.grade_table_row(g), 1) for g in range(layout.grades)]}
        if layout.coefficients:
            out["grade_coefficient"] = [a1(layout.grade_table_row(g), layout.grade_cols["coefficient"]) for g in range(layout.grades)]
        return out

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        return {f"KPI_GRADE_MIN_{g + 1}": ref for g, ref in enumerate(cells["grade_min"])}

    def rules(self, spec: Spec, cells: dict[str, Any]) -> list[RuleCheck]:
        number = shown(None)
        checks: list[RuleCheck] = [("changed-rule", cell, g.coefficient, Text(f"{g.label} 系数", f"{g.label} coefficient"), number)
                                   for g, cell in zip(spec.grades, cells.get("grade_coefficient", []))]
        checks += [("changed-rule", cell, g.min, Text(f"{g.label} 最低分", f"{g.label} minimum"), number)
                   for g, cell in zip(spec.grades, cells["grade_min"])]
        return checks


BLOCK = Grades()
