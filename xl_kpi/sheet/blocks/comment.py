"""主管评语: the supervisor's comment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.refs import a1
from .base import Block

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Comment(Block):
    name, order, before, after = "comment", 1100, 1, 1

    def height(self, layout: PersonLayout) -> int:
        return 1

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        return {"comment": a1(layout.comment_row, 1)}

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        return {"KPI_COMMENT": cells["comment"]}


BLOCK = Comment()
