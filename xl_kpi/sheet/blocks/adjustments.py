"""加减分项: an item per row (points each time, cap, the supervisor's count, its contribution) and their sum
held within the card's bounds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.text import Text
from ..formulas import adjustment_formula, contribution_formula
from ..person import name_id
from .base import Block, RuleCheck
from .shown import shown

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout

PARTS = ("count", "points", "max", "contribution")


class Adjustments(Block):
    name, order, before, after = "adjustments", 400, 1, 1
    columns = ("adjustment",)

    def present(self, layout: PersonLayout) -> bool:
        return bool(layout.adjustments)

    def height(self, layout: PersonLayout) -> int:
        return len(layout.adjustments) + 2

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        out: dict[str, Any] = {what: {i: layout.adjustment_cell(i, what) for i in layout.adjustments} for what in PARTS}
        out["min"], out["max_total"] = layout.adjustment_bounds
        out["total"] = layout.adjustment_total_cell
        return {"adjustment": out}

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        if "adjustment" not in cells:
            return {}
        return {"KPI_ADJUSTMENT": cells["adjustment"]["total"],
                **{f"KPI_ADJ_{name_id(i)}": ref for i, ref in cells["adjustment"]["count"].items()}}

    def formulas(self, spec: Spec, layout: PersonLayout, mode: str, format_version: int) -> dict[str, str]:
        cells = {layout.adjustment_cell(item, "contribution"): contribution_formula(layout, item) for item in layout.adjustments}
        cells[layout.adjustment_total_cell] = adjustment_formula(layout, mode)
        return cells

    def rules(self, spec: Spec, cells: dict[str, Any]) -> list[RuleCheck]:
        assert spec.adjustments is not None
        adj, number = cells["adjustment"], shown(None)
        checks: list[RuleCheck] = []
        for item in spec.adjustments.items:
            checks.append(("changed-rule", adj["points"][item.id], item.points, Text(f"{item.name} 分值", f"{item.name} points"), number))
            checks.append(("changed-rule", adj["max"][item.id], item.max, Text(f"{item.name} 上限", f"{item.name} cap"), number))
        checks.append(("changed-rule", adj["min"], spec.adjustments.min, Text("加减分下限", "adjustment minimum"), number))
        checks.append(("changed-rule", adj["max_total"], spec.adjustments.max, Text("加减分上限", "adjustment maximum"), number))
        return checks

    def results(self, cells: dict[str, Any]) -> list[str]:
        return [*cells["adjustment"]["count"].values(), cells["adjustment"]["total"]]


BLOCK = Adjustments()
