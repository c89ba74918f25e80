"""What a block of a person's scorecard sheet says about itself (:class:`Block`).

The sheet is a stack of blocks, top to bottom in ``order``: each one present on a card says how many
rows it takes, and the layout (:class:`~xl_kpi.sheet.person.PersonLayout`) stacks the present ones with
``max(above.after, below.before)`` blank rows between two of them. A block then names the cells it puts
in the cell map (what the metadata records and consolidation reads), the sheet-scoped names on them,
the scoring formulas it holds (what the writer writes and the consolidator checks), the cells that hold
rules and the cells whose cached results and inputs consolidation reads, and how it prints. How it is
written is its writer's (``xl_kpi/workbook/blocks/``, by the same name): the rules import no Excel library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ...core.text import Text
    from ...spec.model import Spec
    from ..person import PersonLayout

__all__ = ["Block", "Span", "RuleCheck"]

Span = tuple[int, int]  # (first, last) row, 0-based
RuleCheck = tuple[str, str, Any, "str | Text", "Callable[[Any], str]"]  # (issue code, cell, expected value, what, how it reads)


class Block:
    """One block of the scorecard: the defaults suit a block of rows that prints whole and holds nothing
    consolidation reads."""

    name: ClassVar[str] = ""
    order: ClassVar[int] = 0  # its place in the stack: 0 info … 100 table … 1400 chart
    before: ClassVar[int] = 1  # blank rows it wants above it
    after: ClassVar[int] = 1  # … and below it
    printed: ClassVar[bool] = True  # inside the print area (the chart stays on screen)
    columns: ClassVar[tuple[str, ...]] = ()  # the result columns it adds (keys of xl_kpi.scoring.columns; "<section>": each section id)

    def present(self, layout: PersonLayout) -> bool:
        """Whether a card with this layout has the block (``layout.spec`` is the card's spec)."""
        return True

    def height(self, layout: PersonLayout) -> int:
        raise NotImplementedError

    def cells(self, layout: PersonLayout, spec: Spec) -> dict[str, Any]:
        """Its entries of the cell map (JSON-ready; A1 references)."""
        return {}

    def names(self, spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
        """Its sheet-scoped defined names → cells, from a cell map (also one recorded by an earlier version)."""
        return {}

    def formulas(self, spec: Spec, layout: PersonLayout, mode: str, format_version: int) -> dict[str, str]:
        """Its scoring formulas by cell."""
        return {}

    def rules(self, spec: Spec, cells: dict[str, Any]) -> list[RuleCheck]:
        """The cells holding rules of the scoring (each with the value it must hold), from a cell map."""
        return []

    def results(self, cells: dict[str, Any]) -> list[str]:
        """The cells whose values consolidation reads: inputs and cached results (besides the indicators')."""
        return []

    def content(self, layout: PersonLayout) -> list[int]:
        """Its rows that print with content (the others are thin spacers)."""
        first, last = layout.span(self.name)
        return list(range(first, last + 1))

    def keep(self, layout: PersonLayout) -> list[Span]:
        """Row spans kept on one printed page."""
        return [layout.span(self.name)]
