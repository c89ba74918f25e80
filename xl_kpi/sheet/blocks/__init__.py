"""The scorecard's blocks: every module in this package that defines ``BLOCK`` is a block of a person's
sheet, stacked in ``BLOCK.order``. Adding a block is adding one module here and its writer in
``xl_kpi/workbook/blocks/`` (see ``docs/architecture.md``)."""

from __future__ import annotations

import importlib
import pkgutil

from .base import Block, RuleCheck, Span

__all__ = ["REGISTRY", "stacked", "Block", "RuleCheck", "Span"]


def _discover() -> dict[str, Block]:
    found: dict[str, Block] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "base":
            continue
        block = getattr(importlib.import_module(f"{__name__}.{info.name}"), "BLOCK", None)
        if isinstance(block, Block):
            if block.name in found:
                raise RuntimeError(f"two scorecard blocks are named {block.name!r}")
            found[block.name] = block
    return found


REGISTRY: dict[str, Block] = _discover()


def stacked() -> list[Block]:
    """Every registered block, top to bottom."""
    return sorted(REGISTRY.values(), key=lambda b: b.order)
