"""Returns as Excel saves them (.xlsx, .xlsm): the format generated workbooks are issued in, and the one a
file is opened as when no other format recognises it (its checks then name what the file is).

The package is checked before any parser sees it (:func:`~xl_kpi.core.packages.open_package`: sizes,
ratio, entries, encryption, duplicate parts, the prologs of the parts read on opening); every other part
is inflated within its declared size, checked against its CRC and its prolog checked here, just before it
is read — the workbook's structure and shared strings on opening, a sheet when it is asked for, the
styles only when a cell's number format is. Cells are read by :mod:`..sheetxml` (a search by reference
over the bytes, a streaming parse for anything unusual), the metadata grid by :mod:`..gridxml`.
"""

from __future__ import annotations

from typing import Any

from ...core.findings import Finding
from ...core.packages import Package, Rejected, open_package
from ..brought import brought_in
from ..caches import ReaderCache
from ..gridxml import read_grid
from ..masking import NONE, Masking, masking_formats
from ..returned import Format, SheetEntry
from ..safety import Limits
from ..sheetxml import SheetCells
from ..workbookxml import Book, SharedStrings, percent_styles, read_book, shared_strings
from ..xmlscan import xml_text

__all__ = ["FORMAT", "XlsxBook"]


class XlsxBook:
    """A checked .xlsx package, read through the seam (:class:`~..returned.ReturnedBook`)."""

    format = "xlsx"
    index = "xl/workbook.xml"

    def __init__(self, package: Package, cache: ReaderCache) -> None:
        self.package, self.cache = package, cache
        self.structure: Book = read_book(package, cache.books)
        self._sst: SharedStrings | None = None
        self._percent: frozenset[int] | None = None
        self._masking: Masking | None = None

    @property
    def sst(self) -> SharedStrings:
        """The shared strings, checked and read when a sheet is first read."""
        if self._sst is None:
            self._sst = shared_strings(self.package, self.structure.sst_part, self.cache.strings, self.cache.long_strings)
        return self._sst

    @property
    def sheets(self) -> tuple[SheetEntry, ...]:
        return self.structure.sheets

    def sheet(self, name: str) -> SheetEntry | None:
        return self.structure.sheet(name)

    def local_names(self, sheet: SheetEntry) -> dict[str, str]:
        return self.structure.local_names(sheet.index)

    def readable(self, sheet: SheetEntry) -> bool:
        return sheet.part in self.package.entries

    def _checked(self, sheet: SheetEntry) -> str:
        """The sheet's part, inflated (when small) and its prolog checked."""
        if sheet.part not in self.package.entries:
            raise Rejected("corrupt-file", detail=f"{sheet.name}: the sheet's part is missing")
        self.package.keep(sheet.part)
        self.package.check_prolog(sheet.part)
        return sheet.part

    def grid(self, sheet: SheetEntry, max_rows: int, max_cols: int) -> list[list[Any]]:
        return read_grid(self.package, self._checked(sheet), self.sst, max_rows, max_cols, self.cache)

    def cells(self, sheet: SheetEntry) -> SheetCells:
        return SheetCells(self.package, self._checked(sheet), self.sst, self.cache, self.percent_styles, self.masking_styles)

    def percent_styles(self) -> frozenset[int]:
        """The workbook's styles that show a percentage (its styles part read only when first asked)."""
        if self._percent is None:
            self._percent = percent_styles(self.package, self.structure.styles_part, self.cache.percent)
        return self._percent

    def masking_styles(self) -> Masking:
        """The workbook's number formats that show other than a cell holds (:mod:`..masking`; by the styles part's bytes)."""
        if self._masking is None:
            part = self.structure.styles_part
            if not part or part not in self.package.entries:
                self._masking = NONE
            else:
                data = self.package.xml(part)
                found = self.cache.masking.get(data)
                self._masking = found if found is not None else self.cache.masking.put(data, masking_formats(xml_text(data)))
        return self._masking

    def macro_digest(self) -> str:
        return self.package.macro_digest() if self.package.macros else ""

    def brought_in(self, file: str) -> list[Finding]:
        return brought_in(self.package, file)


def _open(data: bytes, limits: Limits, cache: ReaderCache) -> XlsxBook:
    return XlsxBook(open_package(data, limits, cache.parts), cache)


FORMAT = Format("xlsx", lambda data: data.startswith(b"PK\x03\x04"), _open, order=90, fallback=True, suffixes=(".xlsx", ".xlsm"))
