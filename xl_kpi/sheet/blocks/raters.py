"""The raters' weights (评分人权重), below the grade scale: what a rated indicator's score weighs each rater by."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.text import Text
from .base import Block, RuleCheck, Span
from .shown import shown

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout


class Raters(Block):
    name, order, before, after = "raters", 1000, 1, 1

    def present(self, layout: PersonLayout) -> bool:
        return bool(layout.raters)

    def height(self, layout: PersonLayout) -> int:
        return 1 + len(layout.raters)

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        return {"rater_weight": {r: layout.rater_weight_cell(r, False) for r in layout.raters}}

    def rules(self, spec: Spec, cells: dict[str, Any]) -> list[RuleCheck]:
        return [("changed-rule", cells["rater_weight"][rater.id], rater.weight, Text(f"{rater.name} 权重", f"{rater.name} weight"), shown("%"))
                for rater in spec.raters]

    def keep(self, layout: PersonLayout) -> list[Span]:
        return []


BLOCK = Raters()
