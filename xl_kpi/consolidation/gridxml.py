"""A small returned .xlsx sheet (the metadata) read as a grid of values, bounded to the rows and columns
asked for whatever the sheet declares or holds beyond. Every return of a template carries the same
metadata part but for a few values, so a sheet of plain values is parsed once per distinct part
(its cells' places and raw values, through the reader's cache) and each file resolves its own strings.
"""

from __future__ import annotations

import re
from typing import Any

from ..core.refs import col_index, parse_a1
from .caches import ReaderCache
from .cellvalue import _kind_of, _value
from .returned import Cell
from .sheetxml import FAST_BYTES, _fast, _inside, _searchable, _streamed
from .workbookxml import _text, excel_text, xml_bytes
from .xmlscan import _unescape

__all__ = ["read_grid"]


def read_grid(package: Any, part: str, sst: Any, max_rows: int, max_cols: int, cache: ReaderCache | None = None) -> list[list[Any]]:
    """A small sheet (the metadata) as rows of values from A1, no larger than ``max_rows`` × ``max_cols``
    whatever the sheet declares or holds beyond: cells outside the bound are never read."""
    if package.getinfo(part).file_size <= FAST_BYTES:
        raw = package.read(part)
        cache = cache if cache is not None else ReaderCache()
        skeleton = _skeleton(raw, max_rows, max_cols, cache)
        if skeleton is not None:
            planned = _planned(skeleton[1], sst) if skeleton[1] is not None else None
            return planned if planned is not None else _resolved(skeleton[0], sst)
        xml = xml_bytes(raw)
        if _searchable(xml):
            scanned = _scan(xml, sst, max_rows, max_cols, cache)
            if scanned is not None:
                return _by_row(scanned)
            refs = [ref for ref in (_text(m.group(1)) for m in _REF_IN.finditer(xml)) if _inside(ref, max_rows, max_cols)]
            cells = _fast(xml, refs, sst, cache, checked=True)
            if cells is not None:
                return _rows(cells, max_cols)
    return _rows(_streamed(package, part, None, sst, (max_rows, max_cols)), max_cols)


_REF_IN = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"')
_SIMPLE_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"((?: [a-z]+="[^"]*")*)(?:/>|><v>([^<]*)</v></c>)')
# (row, column, type, raw value, shared string index or -1) of each cell holding a value
Cells = tuple[tuple[int, int, "str | None", str, int], ...]
# The rows a skeleton reads as, each shared string's place empty (None), and (row, column, index) of each shared string:
# made once per skeleton whose values other than shared strings are the sheet's own (not the file's strings').
Plan = tuple[tuple[tuple[Any, ...], ...], tuple[tuple[int, int, int], ...]]
Skeleton = tuple[Cells, "Plan | None"]
SKELETON_BYTES = 65_536  # metadata sheets up to this size are parsed once per reader (every return of a template shares one)


def _skeleton(raw: bytes, max_rows: int, max_cols: int, cache: ReaderCache) -> Skeleton | None:
    """The cells of a sheet of plain values (no formulas, no inline strings: the metadata as written),
    parsed once for each distinct part (``raw``: as stored), with their :func:`_plan`; None when any cell is written
    otherwise. The values stay raw (a shared string's index): each file resolves them against its own strings."""
    key = (raw, max_rows, max_cols)
    if len(raw) <= SKELETON_BYTES and key in cache.skeletons:
        return cache.skeletons[key]
    xml = xml_bytes(raw)
    if b"<is>" in xml:
        return None  # inline strings (openpyxl's): a part of its own, read by one scan (never a skeleton to keep)
    cells = []
    count = 0
    for m in _SIMPLE_CELL.finditer(xml):
        count += 1
        r, c = int(m.group(2)) - 1, col_index(_text(m.group(1)))
        if r >= max_rows or c >= max_cols or m.group(4) is None:
            continue
        kind, value = _kind_of(m.group(3), cache.kinds), _text(m.group(4))
        cells.append((r, c, kind, value, int(value) if kind == "s" and value.isdigit() and value.isascii() else -1))
    skeleton = (tuple(cells), _plan(tuple(cells))) if count == xml.count(b'<c r="') and _searchable(xml) else None
    if len(raw) <= SKELETON_BYTES:
        cache.skeletons.put(key, skeleton)
    return skeleton


def _plan(cells: Cells) -> Plan | None:
    """The rows the cells read as when no shared string among them is missing or empty: every other value is the
    cell's own (a number, a text, a truth value), read once. None when a place is written twice or a shared string's
    index is not plain digits (each file reads those as the long way does)."""
    if len({(r, c) for r, c, *_ in cells}) != len(cells) or any(kind == "s" and shared < 0 for _, _, kind, _, shared in cells):
        return None
    by_row: dict[int, dict[int, Any]] = {}
    slots = []
    for r, c, kind, stored, shared in cells:
        if shared >= 0:
            slots.append((r, c, shared))
            by_row.setdefault(r, {})[c] = None  # filled in for each file
            continue
        value = _value(kind, stored, None, None)
        if value is not None and value != "":
            by_row.setdefault(r, {})[c] = value
    return tuple(tuple(row) for row in _by_row(by_row)), tuple(slots)


def _resolved(cells: Cells, sst: Any) -> list[list[Any]]:
    """The rows a skeleton's cells read as with this file's strings, each cell resolved anew."""
    by_row: dict[int, dict[int, Any]] = {}
    for r, c, kind, stored, shared in cells:
        if shared >= 0:
            try:
                value = sst[shared]
            except IndexError:
                continue
        else:
            value = _value(kind, stored, None, sst)
        if value is not None and value != "":
            by_row.setdefault(r, {})[c] = value
    return _by_row(by_row)


def _planned(plan: Plan, sst: Any) -> list[list[Any]] | None:
    """The rows of a planned skeleton with this file's strings; None when one is missing or empty (the row it is in
    then ends sooner, or is not there: read the long way)."""
    template, slots = plan
    rows = [list(row) for row in template]
    for r, c, shared in slots:
        try:
            value = sst[shared]
        except IndexError:
            return None
        if value is None or value == "":
            return None
        rows[r][c] = value
    return rows


# A cell of a plain value or of one plain run of inline text, as openpyxl and LibreOffice write a metadata sheet.
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"((?:\s+[A-Za-z]+="[^"]*")*)\s*'
                         rb'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?:\s+xml:space="preserve")?>([^<]*)</t></is>)?</c>)')
ROW_BYTES = 32_768  # rows up to this size are remembered (a metadata row is 0.1–5 KB; the cache holds 128: ≤ 4 MB)
LONG_TEXT = 256  # texts this long (a spec's rules, a cell map) are the same in every return of a template: decoded once


def _scan(xml: bytes, sst: Any, max_rows: int, max_cols: int, cache: ReaderCache) -> dict[int, dict[int, Any]] | None:
    """A sheet whose every cell is a plain value or one run of inline text, read in one pass (the metadata of a
    return another program saved: its part is its own, so no skeleton is shared); None when any cell is written
    otherwise (the search by reference reads it then).

    The part is read a row at a time (the bytes from one ``<row`` to the next): a row whose bytes were read before
    by this reader — all but the person's and the workbook's own rows of a template's metadata — is taken as read.
    Exact: a row's cells depend on its bytes alone (inline texts and numbers, never a shared string), and a cell
    written across two rows (a ``<row`` in an attribute's value) leaves its ``<c r="`` unmatched, which the count
    below sees: the whole part is then scanned as one (:func:`_scan_whole`)."""
    rows, texts, kinds = cache.rows, cache.texts, cache.kinds
    by_row: dict[int, dict[int, Any]] = {}
    seen: set[bytes] = set()
    start = 0
    for chunk in xml.split(b"<row"):
        end = start + len(chunk)
        known = rows.get(chunk)
        if known is None:
            known = _scan_row(xml, start, end, texts, kinds)
            if known is None:
                return _scan_whole(xml, sst, max_rows, max_cols, cache)
            if len(chunk) <= ROW_BYTES:
                rows.put(chunk, known)
        refs, cells = known
        seen.update(refs)
        for r, c, value in cells:
            if r < max_rows and c < max_cols:
                by_row.setdefault(r, {})[c] = value
        start = end + 4  # the "<row" the split took out
    if len(seen) != xml.count(b'<c r="'):
        return _scan_whole(xml, sst, max_rows, max_cols, cache)  # a cell written otherwise, twice, or across rows
    return by_row


Row = tuple[tuple[bytes, ...], tuple[tuple[int, int, Any], ...]]  # (every cell's reference, (row, column, value) of each value)


def _scan_row(xml: bytes, start: int, end: int, texts: Any, kinds: Any) -> Row | None:
    """The cells of ``xml[start:end]`` as :func:`_scan_whole` reads them; None when one is a shared string (its
    value is the file's own) or in a form :func:`_scan_whole` would not read as a value."""
    refs, cells = [], []
    for m in _PLAIN_CELL.finditer(xml, start, end):
        refs.append(m.group(1) + m.group(2))
        v, inline = m.group(4), m.group(5)
        if inline is not None:
            value = _inline(inline, texts)
        elif v is not None:
            kind = _kind_of(m.group(3), kinds)
            if kind == "s":
                return None
            value = _value(kind, _text(v), None, None)
        else:
            continue
        if value is not None and value != "":
            cells.append((int(m.group(2)) - 1, col_index(_text(m.group(1))), value))
    return tuple(refs), tuple(cells)


def _inline(inline: bytes, texts: Any) -> str:
    """One plain run of inline text, decoded (a long one, such as a spec's rules, decoded once per reader)."""
    value = texts.get(inline) if len(inline) >= LONG_TEXT else None
    if value is None:
        value = excel_text(_unescape(_text(inline)))
        if len(inline) >= LONG_TEXT:
            texts.put(inline, value)
    return value


def _scan_whole(xml: bytes, sst: Any, max_rows: int, max_cols: int, cache: ReaderCache) -> dict[int, dict[int, Any]] | None:
    """:func:`_scan` in one pass over the whole part, each cell read anew."""
    by_row: dict[int, dict[int, Any]] = {}
    seen: set[bytes] = set()
    texts = cache.texts
    for m in _PLAIN_CELL.finditer(xml):
        seen.add(m.group(1) + m.group(2))
        r, c = int(m.group(2)) - 1, col_index(_text(m.group(1)))
        if r >= max_rows or c >= max_cols:
            continue
        v, inline = m.group(4), m.group(5)
        if inline is not None:
            value = _inline(inline, texts)
        elif v is not None:
            value = _value(_kind_of(m.group(3), cache.kinds), _text(v), None, sst)
        else:
            continue
        if value is not None and value != "":
            by_row.setdefault(r, {})[c] = value
    return by_row if len(seen) == xml.count(b'<c r="') else None  # a cell written otherwise, or twice: read by reference


def _rows(cells: dict[str, Cell], max_cols: int) -> list[list[Any]]:
    """Values by row from A1, each row as long as its last value."""
    by_row: dict[int, dict[int, Any]] = {}
    for ref, (value, _) in cells.items():
        if value is not None and value != "":
            r, c = parse_a1(ref)
            by_row.setdefault(r, {})[c] = value
    return _by_row(by_row)


def _by_row(by_row: dict[int, dict[int, Any]]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for r in range(max(by_row, default=-1) + 1):
        cols = by_row.get(r, {})
        rows.append([cols.get(c, "") for c in range(max(cols, default=-1) + 1)])
    return rows
