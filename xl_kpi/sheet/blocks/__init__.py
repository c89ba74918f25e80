"""The scorecard's blocks: every module in this package that defines ``BLOCK`` is a block of a person's
sheet, stacked in ``BLOCK.order``. Adding a block is adding one module here and its writer in
``xl_kpi/workbook/blocks/`` (see ``docs/architecture.md``)."""

from __future__ import annotations

from ...core.registry import discover
from .base import Block, RuleCheck, Span

__all__ = ["REGISTRY", "stacked", "Block", "RuleCheck", "Span"]


REGISTRY: dict[str, Block] = discover(__name__, __path__, "BLOCK", Block, "scorecard blocks")


def stacked() -> list[Block]:
    """Every registered block, top to bottom."""
    return sorted(REGISTRY.values(), key=lambda b: b.order)
