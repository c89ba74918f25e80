"""HR's own tables (rosters, actuals, targets, histories, KPI tables) opened through the same bounded
checks as returned workbooks, before any reader allocates for them.

A table is HR's, not a stranger's, but it can still hold what takes a reader down: a stray value in
XFD1048576 makes calamine allocate the whole rectangle up to it (512 GiB, and the process aborts), a
part that inflates to gigabytes, a CSV of millions of lines. :func:`table_bytes` reads the file once
(a regular file only: a named pipe would block), checks a workbook's package as returns are checked
(:mod:`.packages`: size, entry count, compression ratio, DTDs in any XML part) and measures each
sheet's extent from its XML as it inflates — the rectangle from the first to the last cell holding a
value, exactly what calamine would allocate — without building any of it. Readers then read the
checked bytes, never the path again. A legacy ``.xls`` is bounded by its format (65,536 × 256).
"""

from __future__ import annotations

import posixpath
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputFileError
from .files import read_regular
from .findings import finding
from .packages import Limits, Package, Rejected, open_zip
from .refs import a1
from .text import Text

__all__ = ["TableLimits", "TABLE_LIMITS", "table_bytes"]

CSV_SUFFIXES = (".csv", ".txt", ".tsv")


@dataclass(frozen=True)
class TableLimits:
    """Bounds for one of HR's tables; the defaults hold a roster of a few hundred thousand people."""

    package: Limits = field(default_factory=Limits)
    max_cells: int = 5_000_000  # per sheet: the rectangle a reader allocates (200,000 people × 25 columns)
    max_lines: int = 1_048_576  # a CSV's lines: what Excel can show


TABLE_LIMITS = TableLimits()


def table_bytes(path: str | Path, what: Text, limits: TableLimits = TABLE_LIMITS) -> bytes:
    """The bytes of HR's table at ``path``, checked: a reader can be given them safely.

    Raises:
        InputFileError: ``table-too-large``, ``table-unsafe`` (a package check refused it, with why)
            or ``table-far-cell`` (a sheet's values span more cells than a reader may allocate, naming
            the cell that made it so).
        UsageError: the path is missing or not a regular file.
    """
    file = str(path)
    data = read_regular(path, limits.package.max_file_bytes)
    if len(data) > limits.package.max_file_bytes:
        raise InputFileError("table-too-large", file=file, what=what, size=f"> {limits.package.max_file_bytes:,}",
                             limit=f"{limits.package.max_file_bytes:,}")
    if Path(path).suffix.lower() in CSV_SUFFIXES:
        lines = data.count(b"\n") + (not data.endswith(b"\n"))
        if lines > limits.max_lines:
            raise InputFileError("table-too-large", file=file, what=what, size=Text(f"{lines:,} 行", f"{lines:,} lines"),
                                 limit=Text(f"{limits.max_lines:,} 行", f"{limits.max_lines:,} lines"))
        return data
    if not data.startswith(b"PK\x03\x04"):
        return data  # a legacy .xls (bounded by its format) or not a table at all: the reader says which
    try:
        package = open_zip(data, limits.package)
        for name, entry in package.entries.items():
            if name.endswith((".xml", ".rels")) and entry.file_size:
                package.check_prolog(name)
            if not name.endswith("/"):
                for _ in _inflated(package, name):  # every part as declared, before a reader trusts the declaration
                    pass
        sheets = _ods_sheets if "content.xml" in package.entries and "xl/workbook.xml" not in package.entries else _xlsx_sheets
        for sheet, rows, cols, cell in sheets(package, limits.max_cells):
            raise InputFileError("table-far-cell", file=file, what=what, sheet=sheet, cell=cell, rows=f"{rows:,}",
                                 cols=f"{cols:,}", limit=f"{limits.max_cells:,}")
    except Rejected as rej:
        raise InputFileError("table-unsafe", file=file, what=what, detail=finding(rej.code, **rej.fields).message) from None
    return data


Far = tuple[str, int, int, str]  # sheet, rows, columns, the cell that made it so


def _inflated(package: Package, name: str, step: int = 1 << 20) -> Iterator[bytes]:
    """A part's bytes as it inflates, a step at a time (never whole), no further than its declared size;
    a part that inflates to more or less than the directory declares, or to other bytes, is refused
    (a reader trusting the declared size would inflate whatever it holds)."""
    entry = package.entries[name]
    raw, inflater = package._stream(entry)
    left, crc = entry.file_size, 0
    for at in range(0, len(raw), step):
        chunk = bytes(raw[at : at + step])
        try:
            out = chunk[:left] if inflater is None else inflater.decompress(inflater.unconsumed_tail + chunk, left + 1)
        except zlib.error as exc:
            raise Rejected("corrupt-file", detail=f"{name}: {exc}") from None
        left -= len(out)
        if left < 0:
            break
        crc = zlib.crc32(out, crc)
        yield out
    if left != 0 or crc != entry.CRC or (inflater is not None and (inflater.unconsumed_tail or not inflater.eof)):
        raise Rejected("corrupt-file", detail=f"{name}: contents do not match the zip directory")


_ATTRS = rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>"""


def _tags(package: Package, name: str, pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
    """Each tag ``pattern`` matches in a part, as it inflates (a tag cut by a step is read whole with the next)."""
    pending = b""
    for chunk in _inflated(package, name):
        text = pending + chunk
        cut = text.rfind(b"<")
        cut = len(text) if cut < 0 else cut
        yield from pattern.finditer(text, 0, cut)
        pending = text[cut:]
    yield from pattern.finditer(pending)


def _attr(attrs: bytes, key: bytes) -> str | None:
    m = re.search(rb"(?:^|\s)(?:[\w.-]+:)?" + key + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""", attrs)
    return None if m is None else (m.group(1) if m.group(1) is not None else m.group(2)).decode("utf-8", "replace")


class _Box:
    """The rectangle of the cells holding a value; reports the first cell that makes it too large."""

    def __init__(self, limit: int, origin: bool) -> None:
        self.limit, self.top, self.left, self.bottom, self.right = limit, 0 if origin else None, 0 if origin else None, -1, -1

    def add(self, r0: int, c0: int, r1: int, c1: int) -> tuple[int, int] | None:
        """A block of valued cells (0-based, inclusive); (rows, columns) once the rectangle is too large."""
        self.top = r0 if self.top is None else min(self.top, r0)
        self.left = c0 if self.left is None else min(self.left, c0)
        self.bottom, self.right = max(self.bottom, r1), max(self.right, c1)
        rows, cols = self.bottom - self.top + 1, self.right - self.left + 1
        return (rows, cols) if rows * cols > self.limit else None


_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship(?=\s)" + _ATTRS)
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet(?=\s)" + _ATTRS)
_XLSX_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])" + _ATTRS)
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,9})$")


def _xlsx_sheets(package: Package, limit: int) -> Iterator[Far]:
    """Each worksheet whose values span more than ``limit`` cells (as calamine allocates them: cells
    holding anything, each where its ``r`` says or after the one before)."""
    names: dict[str, str] = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in package.entries and "xl/workbook.xml" in package.entries:
        if max(package.entries[rels].file_size, package.entries["xl/workbook.xml"].file_size) > 16 * 1024 * 1024:
            raise Rejected("zip-bomb", detail="the workbook's structure is larger than any workbook's")
        targets = {}
        for m in _REL.finditer(package.read(rels)):
            rid, target = _attr(m.group(1), b"Id"), _attr(m.group(1), b"Target") or ""
            targets[rid] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        for m in _SHEET.finditer(package.read("xl/workbook.xml")):
            part = targets.get(_attr(m.group(1), b"id"))
            if part:
                names[part] = _attr(m.group(1), b"name") or part
    parts = dict.fromkeys([*names, *(n for n in package.entries if n.startswith("xl/worksheets/") and n.endswith(".xml"))])
    for part in parts:
        if part in package.entries:
            far = _xlsx_extent(package, part, limit)
            if far is not None:
                yield (names.get(part, part), *far)


def _xlsx_extent(package: Package, part: str, limit: int) -> tuple[int, int, str] | None:
    box, row, col = _Box(limit, origin=False), 0, 0
    for m in _tags(package, part, _XLSX_TAG):
        ref = _attr(m.group(2), b"r")
        if m.group(1) == b"row":
            row, col = (int(ref) if ref and ref.isdigit() else row + 1), 0
            continue
        found = _REF.match(ref or "")
        if found:
            letters = found.group(1).upper()
            col = sum((ord(ch) - 64) * 26 ** k for k, ch in enumerate(reversed(letters)))
            row = int(found.group(2))
        else:
            col += 1
        if m.group(3) != b"/" and row > 0 and col > 0:  # a cell with content (a value, a formula, a string)
            over = box.add(row - 1, col - 1, row - 1, col - 1)
            if over is not None:
                return (*over, a1(row - 1, col - 1))
    return None


def _repeat(attrs: bytes, key: bytes) -> int:
    text = _attr(attrs, key) or "1"
    return max(1, int(text)) if text.isdigit() and len(text) < 12 else 1


_ODS_TAG = re.compile(rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])" + _ATTRS)


def _ods_sheets(package: Package, limit: int) -> Iterator[Far]:
    """Each table of an OpenDocument spreadsheet whose values, repeated rows and columns counted, reach
    beyond ``limit`` cells from A1 (what calamine allocates for it)."""
    sheet, box, row, col, rows, valued = "", _Box(limit, origin=True), 0, 0, 1, -1
    for m in _tags(package, "content.xml", _ODS_TAG):
        closing, tag, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4) == b"/"
        if tag == b"table":
            if not closing:
                sheet, box, row = _attr(attrs, b"name") or "", _Box(limit, origin=True), 0
            continue
        if tag == b"table-row":
            if not closing:
                rows, col, valued = _repeat(attrs, b"number-rows-repeated"), 0, -1
            if closing or empty:
                if valued >= 0:
                    over = box.add(row, 0, row + rows - 1, valued)
                    if over is not None:
                        yield sheet, *over, a1(row + rows - 1, valued)
                        return
                row += rows
            continue
        if closing:
            continue
        repeat = _repeat(attrs, b"number-columns-repeated")
        if tag == b"table-cell" and (not empty or _attr(attrs, b"value-type") is not None):
            valued = col + repeat - 1
        col += repeat
