"""The scorecard blocks' writers: every module in this package that defines ``WRITER`` writes the block of
:mod:`xl_kpi.sheet.blocks` of the same name. The sheet's writer (:mod:`xl_kpi.workbook.kpi_sheet`) writes
the present blocks top to bottom, then gives each a last word (``finish``: cells that refer to what later
blocks wrote). Adding a block is a module there and its writer here (see ``docs/architecture.md``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...core.registry import discover
from ..card_sheet import CardSheet

__all__ = ["REGISTRY", "BlockWriter"]


@dataclass(frozen=True)
class BlockWriter:
    """How a block writes itself on a person's sheet."""

    name: str  # the block's (xl_kpi.sheet.blocks)
    write: Callable[[CardSheet], None]
    finish: Callable[[CardSheet], None] | None = None  # after every block is written


REGISTRY: dict[str, BlockWriter] = discover(__name__, __path__, "WRITER", BlockWriter, "writers of scorecard blocks")
