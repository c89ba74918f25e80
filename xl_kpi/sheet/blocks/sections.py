"""The sections' summary below the table (a section's weight or points and its score), what the weighted
score reads; the sections' subtotal rows inside the table are the table's, their formulas this block's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.text import Text
from ..formulas import section_formula
from ..person import name_id
from .base import Block, RuleCheck
from .shown import shown

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Sections(Block):
    name, order, before, after = "sections", 200, 1, 0
    columns = ("<section>_score",)

    def present(self, layout: PersonLayout) -> bool:
        return bool(layout.sections)

    def height(self, layout: PersonLayout) -> int:
        return 1 + len(layout.sections)

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        return {"section": {s: layout.section_cell(s) for s in layout.sections},
                "section_weight": {s: layout.section_weight_cell(s, False) for s in layout.sections}}

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        return {f"KPI_SECTION_{name_id(s)}": ref for s, ref in cells.get("section", {}).items()}

    def formulas(self, spec: Spec, layout: PersonLayout, mode: str, format_version: int) -> dict[str, str]:
        cells: dict[str, str] = {}
        for s in layout.sections:
            cells[layout.section_cell(s)] = section_formula(spec, layout, s, mode)
            cells[layout.section_score_cell(s)] = f"={layout.section_cell(s)}"
        return cells

    def rules(self, spec: Spec, cells: dict[str, Any]) -> list[RuleCheck]:
        """Each section's weight (a card of points: its points)."""
        checks: list[RuleCheck] = []
        for section in spec.sections:
            if section.points is not None:
                checks.append(("changed-rule", cells["section_weight"][section.id], section.points,
                               Text(f"{section.name} 分值", f"{section.name} points"), shown(None)))
            else:
                checks.append(("changed-rule", cells["section_weight"][section.id], section.weight,
                               Text(f"{section.name} 权重", f"{section.name} weight"), shown("%")))
        return checks

    def results(self, cells: dict[str, Any]) -> list[str]:
        return list(cells.get("section", {}).values())


BLOCK = Sections()
