"""总分 and 等级: the total (weighted score, adjustments and veto applied) and the grade it reaches, with the
grade's rank in the scale beside it (1 = the best: what department summaries count)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..formulas import grade_formula, total_formula
from .base import Block, Span

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Result(Block):
    name, order, before, after = "result", 600, 0, 0
    columns = ("total", "grade")

    def height(self, layout: PersonLayout) -> int:
        return 2

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        return {"total": layout.total_cell, "grade": layout.grade_cell, "grade_rank": layout.grade_rank_cell}

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        out = {"KPI_TOTAL": cells["total"], "KPI_GRADE": cells["grade"]}
        if "grade_rank" in cells:
            out["KPI_GRADE_RANK"] = cells["grade_rank"]
        return out

    def formulas(self, spec: Spec, layout: PersonLayout, mode: str, format_version: int) -> dict[str, str]:
        return {layout.total_cell: total_formula(layout, mode), layout.grade_cell: grade_formula(layout, mode)}

    def keep(self, layout: PersonLayout) -> list[Span]:
        """The results, from here to how the result is applied, on one page (from the weighted score when there is one)."""
        return [] if layout.has("weighted") else [(layout.total_row, layout.application_row)]


BLOCK = Result()
