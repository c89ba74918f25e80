"""结果应用: how the grade reached is applied (the grade scale's text for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Block, Span

if TYPE_CHECKING:
    from ..person import PersonLayout


class Application(Block):
    name, order, before, after = "application", 800, 0, 0

    def height(self, layout: PersonLayout) -> int:
        return 1

    def keep(self, layout: PersonLayout) -> list[Span]:
        return []  # kept with the results


BLOCK = Application()
