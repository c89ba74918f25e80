"""员工自评: the employee's own review (goals, key actions, results, gaps)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.refs import a1
from ..person import name_id
from .base import Block

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Reviews(Block):
    name, order, before, after = "reviews", 1200, 1, 1

    def height(self, layout: PersonLayout) -> int:
        return 1 + len(layout.REVIEW_KEYS)

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        return {"review": {k: a1(layout.review_row(i), 1) for i, k in enumerate(layout.REVIEW_KEYS)}}

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        return {f"KPI_REVIEW_{name_id(k)}": ref for k, ref in cells["review"].items()}


BLOCK = Reviews()
