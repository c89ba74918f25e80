"""The title and the person's info (name, employee id, period, position, department, manager, responsibilities)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.refs import a1
from ..person import name_id
from .base import Block, Span

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Info(Block):
    name, order, before, after = "info", 0, 0, 0

    def height(self, layout: PersonLayout) -> int:
        return layout.HEADER_ROW  # the title, a spacer, the info rows, and the row that labels the scoring parameters

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        return {"info": {k: a1(r, c) for k, (r, c) in layout.INFO.items()}}

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        info = cells["info"]
        return {"KPI_EMPLOYEE_ID": info["employee_id"],
                **{f"KPI_INFO_{name_id(k)}": ref for k, ref in info.items() if k != "employee_id"}}

    def content(self, layout: PersonLayout) -> list[int]:
        return [layout.TITLE_ROW, *layout.INFO_ROWS]

    def keep(self, layout: PersonLayout) -> list[Span]:
        return []


BLOCK = Info()
