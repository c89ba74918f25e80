"""一票否决: an item per row (the supervisor's mark) and a row saying which applied."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..formulas import veto_count_formula, veto_marks
from ..person import name_id
from .base import Block

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Veto(Block):
    name, order, before, after = "veto", 500, 1, 1
    columns = ("veto",)

    def present(self, layout: PersonLayout) -> bool:
        return bool(layout.veto)

    def height(self, layout: PersonLayout) -> int:
        return len(layout.veto) + 2

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        return {"veto": {v: layout.veto_cell(v) for v in layout.veto}, "veto_count": layout.veto_count_cell,
                "veto_names": layout.veto_names_cell}

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        return {f"KPI_VETO_{name_id(v)}": ref for v, ref in cells.get("veto", {}).items()}

    def formulas(self, spec: Spec, layout: PersonLayout, mode: str, format_version: int) -> dict[str, str]:
        return {layout.veto_count_cell: veto_count_formula(layout, veto_marks(format_version))}

    def results(self, cells: dict[str, Any]) -> list[str]:
        return [cells["veto_count"], *cells["veto"].values()]


BLOCK = Veto()
