"""确认签字: a role per row (employee, supervisor, reviewer, HR), each signing and dating the plan and the result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.refs import a1
from .base import Block

if TYPE_CHECKING:
    from ...spec.model import Spec
    from ..person import PersonLayout

SIGNED = ("plan_sign", "plan_date", "result_sign", "result_date")


class Signoff(Block):
    name, order, before, after = "signoff", 1300, 1, 1

    def height(self, layout: PersonLayout) -> int:
        return 2 + len(layout.SIGN_ROLES)  # its title, the headings, a row per role

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        cols = layout.signoff_cols
        return {"signoff": {role: {part: a1(layout.signoff_row(role), cols[part][0]) for part in SIGNED} for role in layout.SIGN_ROLES}}


BLOCK = Signoff()
