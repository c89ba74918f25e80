"""加权得分: the weighted score before adjustments and veto (a card with sections, adjustments or veto items)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..formulas import weighted_score_formula
from .base import Block, Span

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Weighted(Block):
    name, order, before, after = "weighted", 300, 0, 0
    columns = ("weighted",)

    def present(self, layout: PersonLayout) -> bool:
        return bool(layout.sections or layout.adjustments or layout.veto)

    def height(self, layout: PersonLayout) -> int:
        return 1

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        return {"weighted": layout.weighted_cell}

    def formulas(self, spec: Spec, layout: PersonLayout, mode: str, format_version: int) -> dict[str, str]:
        return {layout.weighted_cell: weighted_score_formula(layout, mode)}

    def results(self, cells: dict[str, Any]) -> list[str]:
        return [cells["weighted"]]

    def keep(self, layout: PersonLayout) -> list[Span]:
        """The results, from here to how the result is applied, on one page."""
        return [(layout.weighted_row, layout.application_row)]


BLOCK = Weighted()
