"""绩效系数 and 绩效工资: the grade's coefficient, and the pay (the bonus base × the coefficient)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..formulas import coefficient_formula, pay_formula
from .base import Block, Span

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Pay(Block):
    name, order, before, after = "pay", 700, 0, 0
    columns = ("coefficient", "bonus_base", "pay")

    def present(self, layout: PersonLayout) -> bool:
        return layout.coefficients

    def height(self, layout: PersonLayout) -> int:
        return 2

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        return {"coefficient": layout.coefficient_cell, "bonus_base": layout.base_cell, "pay": layout.pay_cell}

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        return {"KPI_COEFFICIENT": cells["coefficient"], "KPI_PAY": cells["pay"]} if "coefficient" in cells else {}

    def formulas(self, spec: Spec, layout: PersonLayout, mode: str, format_version: int) -> dict[str, str]:
        return {layout.coefficient_cell: coefficient_formula(layout, mode), layout.pay_cell: pay_formula(layout)}

    def results(self, cells: dict[str, Any]) -> list[str]:
        return [cells["coefficient"], cells["bonus_base"], cells["pay"]]

    def keep(self, layout: PersonLayout) -> list[Span]:
        return []  # kept with the results


BLOCK = Pay()
