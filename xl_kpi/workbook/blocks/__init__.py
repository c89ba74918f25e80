"""The scorecard blocks' writers: every module in this package that defines ``WRITER`` writes the block of
:mod:`xl_kpi.sheet.blocks` of the same name. The sheet's writer (:mod:`xl_kpi.workbook.kpi_sheet`) writes
the present blocks top to bottom, then gives each a last word (``finish``: cells that refer to what later
blocks wrote). Adding a block is a module there and its writer here (see ``docs/architecture.md``)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from ..card_sheet import CardSheet

__all__ = ["REGISTRY", "BlockWriter"]


@dataclass(frozen=True)
class BlockWriter:
    """How a block writes itself on a person's sheet."""

    name: str  # the block's (xl_kpi.sheet.blocks)
    write: Callable[[CardSheet], None]
    finish: Callable[[CardSheet], None] | None = None  # after every block is written


def _discover() -> dict[str, BlockWriter]:
    found: dict[str, BlockWriter] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        writer = getattr(importlib.import_module(f"{__name__}.{info.name}"), "WRITER", None)
        if isinstance(writer, BlockWriter):
            if writer.name in found:
                raise RuntimeError(f"two writers of the scorecard block {writer.name!r}")
            found[writer.name] = writer
    return found


REGISTRY: dict[str, BlockWriter] = _discover()
