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
from .returned import Cell
from .sheetxml import FAST_BYTES, _fast, _inside, _kind_of, _searchable, _streamed, _value
from .workbookxml import _text, xml_bytes

__all__ = ["read_grid"]


def read_grid(package: Any, part: str, sst: Any, max_rows: int, max_cols: int, cache: ReaderCache | None = None) -> list[list[Any]]:
    """A small sheet (the metadata) as rows of values from A1, no larger than ``max_rows`` × ``max_cols``
    whatever the sheet declares or holds beyond: cells outside the bound are never read."""
    if package.getinfo(part).file_size <= FAST_BYTES:
        raw = package.read(part)
        cache = cache if cache is not None else ReaderCache()
        skeleton = _skeleton(raw, max_rows, max_cols, cache)
        if skeleton is not None:
            by_row: dict[int, dict[int, Any]] = {}
            for r, c, kind, stored, shared in skeleton:
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
        xml = xml_bytes(raw)
        if _searchable(xml):
            refs = [ref for ref in (_text(m.group(1)) for m in _REF_IN.finditer(xml)) if _inside(ref, max_rows, max_cols)]
            cells = _fast(xml, refs, sst, cache, checked=True)
            if cells is not None:
                return _rows(cells, max_cols)
    return _rows(_streamed(package, part, None, sst, (max_rows, max_cols)), max_cols)


_REF_IN = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"')
_SIMPLE_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"((?: [a-z]+="[^"]*")*)(?:/>|><v>([^<]*)</v></c>)')
# (row, column, type, raw value, shared string index or -1) of each cell holding a value
Skeleton = tuple[tuple[int, int, "str | None", str, int], ...]
SKELETON_BYTES = 65_536  # metadata sheets up to this size are parsed once per reader (every return of a template shares one)


def _skeleton(raw: bytes, max_rows: int, max_cols: int, cache: ReaderCache) -> Skeleton | None:
    """The cells of a sheet of plain values (no formulas, no inline strings: the metadata as written),
    parsed once for each distinct part (``raw``: as stored); None when any cell is written otherwise.
    The values stay raw (a shared string's index): each file resolves them against its own strings."""
    key = (raw, max_rows, max_cols)
    if len(raw) <= SKELETON_BYTES and key in cache.skeletons:
        return cache.skeletons[key]
    xml = xml_bytes(raw)
    cells = []
    count = 0
    for m in _SIMPLE_CELL.finditer(xml):
        count += 1
        r, c = int(m.group(2)) - 1, col_index(_text(m.group(1)))
        if r >= max_rows or c >= max_cols or m.group(4) is None:
            continue
        kind, value = _kind_of(m.group(3), cache.kinds), _text(m.group(4))
        cells.append((r, c, kind, value, int(value) if kind == "s" and value.isdigit() and value.isascii() else -1))
    skeleton = tuple(cells) if count == xml.count(b'<c r="') and _searchable(xml) else None
    if len(raw) <= SKELETON_BYTES:
        cache.skeletons.put(key, skeleton)
    return skeleton


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
