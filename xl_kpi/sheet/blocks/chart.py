"""The chart of scores by indicator (by section on a card with sections): on screen, outside the printed form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Block, Span

if TYPE_CHECKING:
    from ..person import PersonLayout

ROW_PIXELS = 20


def chart_height(layout: PersonLayout) -> int:
    """The chart's height in pixels (a bar per indicator, or per section)."""
    return 60 + 30 * (len(layout.sections) if layout.sections else layout.n)


class Chart(Block):
    name, order, before, after, printed = "chart", 1400, 1, 1, False

    def height(self, layout: PersonLayout) -> int:
        return 1 + -(-chart_height(layout) // ROW_PIXELS)

    def content(self, layout: PersonLayout) -> list[int]:
        return []

    def keep(self, layout: PersonLayout) -> list[Span]:
        return []


BLOCK = Chart()
