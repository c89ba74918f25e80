"""Returned-file formats: every module here that defines ``FORMAT`` is one (``xlsx``, ``ods``).

:func:`open_returned` recognises a file by its bytes and opens it through its format; consolidation then
reads every format alike (:class:`~xl_kpi.consolidation.returned.ReturnedBook`). Adding a format is adding one module here
(see ``docs/architecture.md``).
"""

from __future__ import annotations

from ...core.registry import discover
from ..caches import ReaderCache
from ..returned import Cell, Format, ReturnedBook, SheetEntry, SheetReader
from ..safety import Limits

__all__ = ["REGISTRY", "open_returned", "Format", "ReturnedBook", "SheetReader", "SheetEntry", "Cell"]


REGISTRY: dict[str, Format] = discover(__name__, __path__, "FORMAT", Format, "return formats")


def open_returned(data: bytes, limits: Limits = Limits(), cache: ReaderCache | None = None) -> ReturnedBook:
    """The returned file in ``data``, opened through the format its bytes are (the fallback format when
    none recognises them: its checks then say what the file is — empty, too large, a PDF, an encrypted
    workbook). Raises :class:`~xl_kpi.core.packages.Rejected` for a file that cannot be read safely."""
    cache = cache if cache is not None else ReaderCache()
    formats = sorted(REGISTRY.values(), key=lambda f: f.order)
    for fmt in formats:
        if not fmt.fallback and fmt.sniff(data):
            return fmt.open(data, limits, cache)
    fallback = next(f for f in formats if f.fallback)
    return fallback.open(data, limits, cache)
