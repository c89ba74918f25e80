"""HR's own tables as grids of cells: every sheet of an .xlsx/.xls/.ods (merged areas filled with
their top-left value, so a merged header or category reads in every cell it spans) or a CSV in
UTF-8, UTF-8 with BOM, GB18030 or UTF-16. Coordinates stay the sheet's own, for messages."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..core.errors import InputFileError, UsageError
from ..core.files import TABLE_SUFFIXES, decode_csv
from ..core.refs import a1
from ..core.tablefiles import table_bytes
from ..core.text import Text
from ..core.visible import visible

__all__ = ["Grid", "read_grids", "TABLE_SUFFIXES", "MAX_ROWS", "MAX_COLUMNS"]

MAX_ROWS, MAX_COLUMNS = 2000, 60  # a KPI table is a few dozen rows; a stray far cell is not read
MAX_CSV_BYTES = 5 * 1024 * 1024
KPI_TABLE = Text("考核表", "KPI table")


@dataclass
class Grid:
    """One sheet: ``cells[r][c]`` is the value at row ``top + r``, column ``left + c`` (0-based)."""

    file: str
    sheet: str
    cells: list[list[Any]]
    top: int = 0
    left: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # merged areas (r0, c0, r1, c1), grid coordinates

    @property
    def height(self) -> int:
        return len(self.cells)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)

    def value(self, r: int, c: int) -> Any:
        row = self.cells[r] if 0 <= r < len(self.cells) else []
        return row[c] if 0 <= c < len(row) else ""

    def text(self, r: int, c: int) -> str:
        """The cell as text: numbers without a spurious ``.0``, dates as ISO, blanks as ""."""
        return cell_text(self.value(r, c))

    def ref(self, r: int, c: int) -> str:
        """The cell's address as Excel shows it (``G5``)."""
        return a1(self.top + r, self.left + c)

    def rows(self) -> Iterator[int]:
        return iter(range(self.height))

    def merged(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        """The merged area the cell belongs to, or None."""
        for area in self.merges:
            if area[0] <= r <= area[2] and area[1] <= c <= area[3]:
                return area
        return None

    def continues(self, r: int, c: int) -> bool:
        """The cell belongs to a merged area that starts on an earlier row (its text is the row above's)."""
        area = self.merged(r, c)
        return area is not None and area[0] < r


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()


def read_grids(path: str | Path) -> list[Grid]:
    """Every sheet of the table at ``path`` (a CSV is one sheet named after the file)."""
    path = Path(path)
    if not path.exists():  # a pipe or folder: refused by name where it is read
        raise UsageError("file-not-found", path=path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise UsageError("import-format", file=str(path), suffix=suffix or "(-)")
    if suffix in (".csv", ".txt", ".tsv"):
        return [_csv(path)]
    return _workbook(path)


def _workbook(path: Path) -> list[Grid]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(table_bytes(path, KPI_TABLE)))
    except InputFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure: the file is not a workbook we can read
        raise InputFileError("import-unreadable-file", file=str(path), detail=exc) from None
    grids = []
    with book:
        for meta in book.sheets_metadata:
            if str(getattr(meta, "visible", "")).endswith("Hidden") or "Chart" in str(getattr(meta, "typ", "")):
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=True, nrows=MAX_ROWS)
                top, left = sheet.start or (0, 0)
                merged = sheet.merged_cell_ranges or []
            except Exception as exc:  # noqa: BLE001
                raise InputFileError("import-unreadable-file", file=str(path), detail=f"{meta.name}: {exc}") from None
            cells = [[visible(v) if isinstance(v, str) else v for v in r[:MAX_COLUMNS]] for r in rows]
            areas = _fill_merged(cells, merged, top, left)
            grids.append(Grid(str(path), meta.name, cells, top, left, areas))
    return grids


def _fill_merged(cells: list[list[Any]], merged: list[Any], top: int, left: int) -> list[tuple[int, int, int, int]]:
    """Give every cell of a merged area the value of its top-left cell; the areas in grid coordinates."""
    areas = []
    for (r0, c0), (r1, c1) in merged:
        r0, r1, c0, c1 = r0 - top, min(r1 - top, MAX_ROWS - 1), c0 - left, min(c1 - left, MAX_COLUMNS - 1)
        if r0 < 0 or c0 < 0 or r0 >= len(cells):
            continue
        areas.append((r0, c0, r1, c1))
        value = cells[r0][c0] if c0 < len(cells[r0]) else ""
        for r in range(r0, min(r1, len(cells) - 1) + 1):
            row = cells[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if row[c] in ("", None):
                    row[c] = value
    return areas


def _csv(path: Path) -> Grid:
    raw = table_bytes(path, KPI_TABLE)
    if len(raw) > MAX_CSV_BYTES:
        raise InputFileError("import-too-large", file=str(path), size=len(raw), limit=MAX_CSV_BYTES)
    text = _decode(raw, path)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    rows = [[visible(c.strip()) for c in row[:MAX_COLUMNS]] for _, row in zip(range(MAX_ROWS), csv.reader(io.StringIO(text), dialect))]
    return Grid(str(path), visible(path.stem), rows)


def _decode(raw: bytes, path: Path) -> str:
    """UTF-8, UTF-16 with BOM or GB18030 (:func:`decode_csv`); anything else is a clear error."""
    text = decode_csv(raw)
    if text is None:
        raise InputFileError("import-encoding", file=str(path))
    return text
