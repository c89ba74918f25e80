"""The seam every returned file is read through: a :class:`ReturnedBook` and its sheets' :class:`SheetReader`.

A file format is one module in :mod:`xl_kpi.consolidation.formats` defining ``FORMAT`` (a :class:`Format`):
how to recognise its bytes and how to open them. What it opens answers the few questions consolidation
asks of any workbook — its sheets, their sheet-scoped names, a small sheet as a grid, chosen cells with
their values and formulas (in Excel's A1 notation, as the generator writes them), which of them are
formatted as percentages, the sheet's protection, the macros it carries and what else it brings in.

The safety checks are the format's, not the caller's: every part a format reads is inflated no further
than its declared size, checked against its CRC, and its XML prolog checked for a DTD before any parser
sees it — a caller cannot forget them. A file that cannot be read safely raises
:class:`~xl_kpi.core.packages.Rejected` with the finding's code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from ..core.findings import Finding
from ..core.protection import Protection
from .caches import ReaderCache
from .safety import Limits

__all__ = ["Cell", "SheetEntry", "SheetReader", "ReturnedBook", "Format"]

Cell = tuple[Any, "str | None"]  # (value, formula text without '=' in A1 notation); value None when blank


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook lists it: its position (what a sheet-scoped name counts), name, id and part."""

    index: int
    name: str
    sheet_id: str
    part: str
    state: str = "visible"


class SheetReader(Protocol):
    """One sheet of a returned workbook, read on demand (each part inflated and checked once)."""

    def cells(self, wanted: Iterable[str]) -> dict[str, Cell]:
        """The (value, formula) of each wanted cell (``J12``); (None, None) when absent."""
        ...

    def values(self, wanted: Iterable[str]) -> dict[str, Any]:
        """Each wanted cell's value, "" read as blank (None)."""
        ...

    def percent_cells(self, wanted: Iterable[str]) -> frozenset[str]:
        """The wanted cells whose number format shows a percentage (300% is stored as 3)."""
        ...

    def protection(self) -> Protection:
        """The sheet's protection as stored: on or off, its password's hash, each edit range's."""
        ...


class ReturnedBook(Protocol):
    """A returned workbook, opened and checked."""

    format: str  # "xlsx", "ods", …: the format it was opened as
    index: str  # the part that lists its sheets (``xl/workbook.xml``), for a message naming it

    @property
    def sheets(self) -> tuple[SheetEntry, ...]:
        """Every sheet in order."""
        ...

    def sheet(self, name: str) -> SheetEntry | None:
        """The sheet named exactly ``name``."""
        ...

    def local_names(self, sheet: SheetEntry) -> dict[str, str]:
        """The names scoped to ``sheet`` (upper case) → the one cell each refers to (``J12``)."""
        ...

    def readable(self, sheet: SheetEntry) -> bool:
        """The sheet's cells are in the file (a listed sheet's part may be missing)."""
        ...

    def grid(self, sheet: SheetEntry, max_rows: int, max_cols: int) -> list[list[Any]]:
        """A small sheet as rows of values from A1, never more than ``max_rows`` × ``max_cols``."""
        ...

    def cells(self, sheet: SheetEntry) -> SheetReader:
        """The sheet's cells (raises Rejected when its part is missing or unsafe)."""
        ...

    def macro_digest(self) -> str:
        """SHA-256 of the macros the workbook carries ("" without any), to compare with what was issued."""
        ...

    def brought_in(self, file: str) -> list[Finding]:
        """One finding per kind of thing it brings in besides its cells (links, objects, controls, connections)."""
        ...


@dataclass(frozen=True)
class Format:
    """A file format returns can come back in: how its bytes are recognised, how they are opened."""

    name: str
    sniff: Callable[[bytes], bool]
    open: Callable[[bytes, Limits, ReaderCache], ReturnedBook]
    order: int = 50  # formats are tried in this order (a more specific one first); the fallback opens what none sniffs
    fallback: bool = False
    suffixes: tuple[str, ...] = ()  # what files of this format are named: folders and archives are searched for them
