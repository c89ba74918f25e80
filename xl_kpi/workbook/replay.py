"""Sheets replayed instead of written again when their inputs are equal (issue 32, fourth round).

A build writes the same ledger, instructions and (for people of the same targets) target plan into every person's
workbook. :mod:`~xl_kpi.workbook.stamp` already takes their XML from the workbook written before; this module
spares the writing itself: the calls ``write_ledger``, ``write_plan``, ``write_instructions`` make and the
layout they compute. A sheet is *replayed* — its whole state set at once — only when everything it is written from
is equal to what a sheet written before was written from:

- the writer's own inputs, named by the caller as a key (the writer and its arguments: language, password,
  options, the spec it is written from);
- the sheet's every setting as the workbook made it (its name, position, the workbook's options);
- the workbook's state the writer reads or changes: its formats (each one's Styles name and xf / dxf numbers, which
  a conditional format or a table takes as it is written), the shared strings (each of the sheet's texts must take
  the index it took in the sheet written before), the active and first sheets.

The record of a sheet is what writing it changed, in the workbook's terms: the sheet's attributes (cells, rows,
columns, merged ranges, validations, conditional formats, tables, protection, page setup) with each format held
as its Styles name; the Styles calls made (so the same formats are made, in the same order); the texts given to
the shared strings, in order; the formats numbered; the defined names added. Replaying sets this workbook's
sheet to that state, with this workbook's formats. Anything the record cannot hold (a format made outside
Styles, a chart, an image, an object of an unknown kind) leaves the sheet written as always, and so does any
difference in what the writer reads. The sheet's XML is then stamped, or written from the replayed state, as for
any sheet. ``tests/test_stamp.py`` proves a replayed workbook equal, byte for byte, to one written in full.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from xlsxwriter.color import Color
from xlsxwriter.format import Format
from xlsxwriter.sharedstrings import SharedStringTable

from .deferred import DEFERRED
from .stamp import CACHES, StampedSheet, StampStrings, count, enabled
from .styles import Styles

__all__ = ["replayed", "remembered", "REPLAYS_KEPT", "Digested"]

REPLAYS_KEPT = 32  # sheets' records kept per process (each the state of one sheet: a few hundred cells)
_IMMUTABLE = frozenset({int, float, str, bool, bytes, type(None), datetime.date, datetime.datetime, datetime.time,
                        datetime.timedelta, Color})  # XlsxWriter's colours are never changed in place
_SHARED = frozenset({"str_table", "stamp_book", "worksheet_meta", "workbook_add_format", "embedded_images",
                     "default_url_format"})  # the workbook's objects a sheet refers to: never changed by its writer
_OWN = frozenset({"stamp_log"})  # the sheet's record of calls: kept as it is (its formats compare as their Styles names)
_records: OrderedDict[Hashable, _Record] = OrderedDict()
CACHES.append(_records)


class _Unrecordable(Exception):
    pass


class Digested:
    """A value in a key, hashed by a digest of it (a spec: its SHA-256, kept; hashing the spec itself walks all of it):
    equal to the same value, or an equal one. Equal values must have equal digests."""

    __slots__ = ("value", "digest")

    def __init__(self, value: Any, digest: Hashable) -> None:
        self.value, self.digest = value, digest

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Digested) and (other.value is self.value or other.value == self.value)

    def __hash__(self) -> int:
        return hash(self.digest)


class _Fmt:
    """A format in a record: its Styles name."""

    __slots__ = ("token",)

    def __init__(self, token: Any) -> None:
        self.token = token

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Fmt) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)


class _Box:
    """A container in a record: its kind (list, tuple, dict, set, a named tuple or XlsxWriter's dataclass, with its
    class or default factory) and its items, frozen."""

    __slots__ = ("kind", "extra", "items")

    def __init__(self, kind: str, extra: Any, items: tuple[Any, ...]) -> None:
        self.kind, self.extra, self.items = kind, extra, items

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _Box) and other.kind == self.kind and other.extra is self.extra
                and other.items == self.items)

    __hash__ = None  # type: ignore[assignment]


def _freeze(value: Any, formats: dict[Any, Any], memo: dict[int, Any]) -> Any:
    """``value`` with every format as its Styles name (which must be the workbook's format of that name)."""
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    known = memo.get(id(value))
    if known is not None:
        return known[1]
    if isinstance(value, Format):
        token = value.__dict__.get("stamp_token")
        if token is None or formats.get(token) is not value:
            raise _Unrecordable
        out: Any = _Fmt(token)
    elif kind is list or kind is tuple or kind is set or (isinstance(value, tuple) and hasattr(kind, "_fields")):
        items = tuple(_freeze(v, formats, memo) for v in value)
        plain = all(type(v) is not _Box and type(v) is not _Fmt for v in items)
        if plain and kind is not list and kind is not set:
            out = value  # a tuple of values: itself
        else:
            out = _Box(("named" if kind not in (list, tuple, set) else kind.__name__) + ("!" if plain else ""),
                       kind if kind not in (list, tuple, set) else None, items)
    elif kind is dict or kind is defaultdict:
        pairs = tuple((_freeze(k, formats, memo), _freeze(v, formats, memo)) for k, v in value.items())
        plain = all(type(x) is not _Box and type(x) is not _Fmt for pair in pairs for x in pair)
        out = _Box("dict!" if plain else "dict", value.default_factory if kind is defaultdict else None, pairs)
    elif dataclasses.is_dataclass(value) and kind.__module__.startswith("xlsxwriter."):
        out = _Box("object", kind, tuple((k, _freeze(v, formats, memo)) for k, v in vars(value).items()))
    else:
        raise _Unrecordable
    memo[id(value)] = (value, out)  # the value kept alive while the memo is: its id stays its own
    return out


def _thaw(value: Any, formats: dict[Any, Any], memo: dict[int, Any]) -> Any:
    """The value frozen by :func:`_freeze`, with this workbook's formats. What was one object when frozen (a block of
    blanks shares its cells) is one object thawed; every list, dict and object is a new one."""
    kind = type(value)
    if kind is _Fmt:
        return formats[value.token]
    if kind is not _Box:
        return value
    known = memo.get(id(value))
    if known is not None:
        return known
    shape = value.kind
    if shape == "dict!":  # keys and values that are values: copied in one step
        out: Any = dict(value.items) if value.extra is None else defaultdict(value.extra, value.items)
    elif shape == "list!":
        out = list(value.items)
    elif shape == "dict":
        out = {_thaw(k, formats, memo): _thaw(v, formats, memo) for k, v in value.items}
        if value.extra is not None:
            out = defaultdict(value.extra, out)
    elif shape == "list":
        out = [_thaw(v, formats, memo) for v in value.items]
    elif shape == "tuple":
        out = tuple(_thaw(v, formats, memo) for v in value.items)
    elif shape == "named":
        out = value.extra._make(_thaw(v, formats, memo) for v in value.items)
    elif shape in ("set", "set!"):
        out = {_thaw(v, formats, memo) for v in value.items}
    else:
        out = value.extra.__new__(value.extra)
        out.__dict__.update((k, _thaw(v, formats, memo)) for k, v in value.items)
    memo[id(value)] = out
    return out


class _Table:
    """A sheet's cell table in a record: each distinct cell (a named tuple of values and a format) once, each row as
    its columns and the cells in them. Thawed in a few steps a row (a ledger holds a thousand formatted blanks)."""

    __slots__ = ("factory", "cells", "rows", "at")

    def __init__(self, table: Any, formats: dict[Any, Any], before: dict[int, dict[int, Any]]) -> None:
        if type(table) is not defaultdict:
            raise _Unrecordable
        self.factory = table.default_factory
        distinct: dict[Any, int] = {}
        cells: list[tuple[Any, tuple[Any, ...]]] = []
        rows = []
        for r, cols in table.items():
            if type(cols) is not dict:
                raise _Unrecordable
            old = before.get(r)
            if old is not None:  # a row written on before: the cells the writer wrote (the others are this sheet's own)
                cols = {c: cell for c, cell in cols.items() if old.get(c) is not cell}
                if not cols:
                    continue
            ids = []
            for cell in cols.values():
                kind = type(cell)
                if not (isinstance(cell, tuple) and hasattr(kind, "_fields")):
                    raise _Unrecordable
                fields = tuple(_freeze(f, formats, {}) if isinstance(f, Format) else _value(f) for f in cell)
                key = (kind, tuple((type(f), repr(f) if type(f) is float else f) for f in fields))  # -0.0 is not 0.0
                at = distinct.get(key)
                if at is None:
                    at = distinct[key] = len(cells)
                    cells.append((kind, fields))
                ids.append(at)
            rows.append((r, tuple(cols), tuple(ids)))
        self.cells, self.rows = tuple(cells), tuple(rows)
        self.at: dict[tuple[int, int], int] | None = None  # each cell's place in cells, when one is read alone

    def cell(self, row: int, col: int, formats: dict[Any, Any]) -> Any:
        """The cell at ``row``, ``col``, with this workbook's formats (None when the sheet has none there)."""
        if self.at is None:
            self.at = {(r, c): i for r, cols, ids in self.rows for c, i in zip(cols, ids, strict=True)}
        at = self.at.get((row, col))
        if at is None:
            return None
        kind, fields = self.cells[at]
        return kind._make([formats[f.token] if type(f) is _Fmt else f for f in fields])

    def thaw(self, formats: dict[Any, Any], table: Any) -> Any:
        """``table`` (the sheet's, with the cells written on it before the writer) with the writer's cells set in it."""
        cells = [kind._make([formats[f.token] if type(f) is _Fmt else f for f in fields]) for kind, fields in self.cells]
        cell = cells.__getitem__
        for r, cols, ids in self.rows:
            row = table.get(r)
            if row is None:
                table[r] = dict(zip(cols, map(cell, ids)))
            else:
                row.update(zip(cols, map(cell, ids)))
        return table


class _Later:
    """A replayed sheet's deferred state (deferred.py): set when read (all of it, or the attributes a reader reads); a
    cell of it, or the cells of a few rows, read without setting it."""

    __slots__ = ("ws", "attrs", "formats", "memo")

    def __init__(self, ws: Any, attrs: list[tuple[str, Any]], formats: dict[Any, Any], memo: dict[int, Any]) -> None:
        self.ws, self.attrs, self.formats, self.memo = ws, attrs, formats, memo

    def thaw(self, names: frozenset[str]) -> bool:
        """The attributes of ``names`` set on the sheet; whether none is left to set."""
        left = []
        for name, frozen in self.attrs:
            if name not in names:
                left.append((name, frozen))
            elif type(frozen) is _Table:
                setattr(self.ws, name, frozen.thaw(self.formats, self.ws.table))
            else:
                setattr(self.ws, name, _thaw(frozen, self.formats, self.memo))
        self.attrs = left
        return not left

    def _table(self) -> _Table | None:
        for name, frozen in self.attrs:
            if name == "table":
                return frozen
        return None

    def cell(self, row: int, col: int) -> Any:
        """The cell at ``row``, ``col`` (None when there is none); the sheet's table as it was, when not replayed."""
        table = self._table()
        cell = None if table is None else table.cell(row, col, self.formats)
        if cell is None:
            cell = self.ws.table.get(row, {}).get(col)  # a cell written before the writer, or none
        return cell

    def rows(self, first: int, last: int, left: int, right: int) -> dict[int, dict[int, Any]]:
        """The rows ``first`` to ``last`` of the sheet's table as it will be set (those it has), with their cells of the
        columns ``left`` to ``right``; the table left as it is."""
        out = {r: {c: cell for c, cell in cols.items() if left <= c <= right}
               for r, cols in self.ws.table.items() if first <= r <= last}
        table = self._table()
        if table is not None:
            for r, cols, _ in table.rows:
                if first <= r <= last:
                    out.setdefault(r, {}).update((c, table.cell(r, c, self.formats)) for c in cols if left <= c <= right)
        return out


def _value(value: Any) -> Any:
    if type(value) not in _IMMUTABLE:
        raise _Unrecordable
    return value


def _numbers(book: Any) -> tuple[Any, ...]:
    """The workbook's formats as a writer may read or change them: each one's Styles name and numbers."""
    return (tuple(book.xf_format_indices.items()), tuple(book.dxf_format_indices.items()),
            tuple((f.__dict__.get("stamp_token"), f.xf_index, f.dxf_index) for f in book.formats))


def remembered() -> int:
    """How many sheets' records this process keeps (at most :data:`REPLAYS_KEPT`)."""
    return len(_records)


@dataclasses.dataclass(slots=True, frozen=True)
class _Record:
    """What writing a sheet changed (see the module's docstring), and the workbook's state it was written in."""

    attrs: tuple[tuple[str, Any], ...]  # the sheet's attributes the writer changed, frozen
    styles: tuple[tuple[Any, ...], ...]  # the Styles calls made, in order
    texts: tuple[tuple[str, int], ...]  # each text given to the shared strings and the index it took
    numbers_before: tuple[Any, ...]  # the workbook's formats as the writer found them (_numbers)
    numbers_after: tuple[Any, ...]  # ... and left them (the same object when unchanged)
    names: tuple[tuple[Any, ...], ...]  # defined names added
    log: tuple[Any, ...]  # the sheet's record of calls (stamp.py)
    sink: bool  # the shared strings tell the sheet's record their indexes after it was written
    meta: dict[str, Any]  # the workbook's active and first sheets, as the writer found and left them
    result: Hashable  # what ``write`` returned (a value: the caller's own state the writer left, such as a card's rows' heights)


def replayed(ws: Any, styles: Styles, key: Hashable, write: Callable[[Any], Hashable],
             holds: Callable[[Any], bool] | None = None) -> Any:
    """``write(ws)``, or the state that an equal sheet written before had after it, set on ``ws`` (see the module's
    docstring); what ``write`` returned (a value, kept in the record). ``key`` names everything ``write`` writes the
    sheet from, besides the sheet and the workbook. A sheet already written on (a card's info, written for each
    person) is replayed only after the same calls: its record of calls so far is part of the key. ``holds``, given
    what ``write`` returned when the record was made, tells whether what it read besides the key reads the same now
    (the print form: the card's cells it shows)."""
    book = getattr(ws, "stamp_book", None)
    strings = getattr(book, "str_table", None)
    if not enabled() or not isinstance(ws, StampedSheet) or ws.stamp_log is None or not isinstance(strings, StampStrings) \
            or styles.workbook is not book or styles.log is not None:
        return write(ws)
    full = (key, tuple((k, v) for k, v in vars(ws).items() if type(v) in _IMMUTABLE), tuple(ws.stamp_log))
    record = _records.get(full)
    if record is not None and _fits(record, book, strings) and (holds is None or holds(record.result)):
        _records.move_to_end(full)
        _apply(record, ws, styles, book, strings)
        count("replay_hits")
        return record.result
    record, result = _written(ws, styles, book, strings, write)
    if record is not None:
        _records[full] = record
        if len(_records) > REPLAYS_KEPT:
            _records.popitem(last=False)
    return result


def _fits(record: _Record, book: Any, strings: StampStrings) -> bool:
    """Whether the workbook is as the writer found it when the record was made: its formats, its active sheet, and
    each of the sheet's texts taking the same place in the shared strings."""
    if vars(book.worksheet_meta) != record.meta or _numbers(book) != record.numbers_before:
        return False
    table, unique = strings.string_table, strings.unique_count
    added: dict[str, int] = {}
    for text, index in record.texts:
        at = table.get(text)
        if at is None:
            at = added.get(text)
            if at is None:
                at = added[text] = unique + len(added)
        if at != index:
            return False
    return True


def _apply(record: _Record, ws: Any, styles: Styles, book: Any, strings: StampStrings) -> None:
    for method, *args in record.styles:
        getattr(styles, method)(*args)
    index = SharedStringTable._get_shared_string_index
    for text, _ in record.texts:
        index(strings, text)
    if record.numbers_after is not record.numbers_before:
        xf, dxf, each = record.numbers_after
        book.xf_format_indices.clear()
        book.xf_format_indices.update(xf)
        book.dxf_format_indices.clear()
        book.dxf_format_indices.update(dxf)
        for fmt, (_, xf_index, dxf_index) in zip(book.formats, each, strict=True):
            state = fmt.__dict__  # not attributes a format's keys come from (stamp_record.KEYED)
            state["xf_index"], state["dxf_index"] = xf_index, dxf_index
    formats: dict[Any, Any] = book.stamp_formats()
    memo: dict[int, Any] = {}
    later = []
    for name, frozen in record.attrs:
        if name in DEFERRED:
            later.append((name, frozen))
        else:
            setattr(ws, name, _thaw(frozen, formats, memo))
    if later:
        ws.stamp_deferred = _Later(ws, later, formats, memo)
    ws.stamp_log = list(record.log)
    if record.sink:
        strings.sink = ws.stamp_log
    book.defined_names.extend(list(entry) for entry in record.names)


def _written(ws: Any, styles: Styles, book: Any, strings: StampStrings,
             write: Callable[[Any], Hashable]) -> tuple[_Record | None, Any]:
    """``write(ws)``, the record of what it changed (None when something of it cannot be recorded) and what it returned."""
    fresh = dict(vars(ws))
    cells = {r: dict(cols) for r, cols in ws.table.items()}  # written before the writer (a card's info)
    formats = book.stamp_formats()
    try:
        before = {k: _freeze(v, formats, {}) for k, v in fresh.items() if k not in _SHARED and k not in _OWN}
    except _Unrecordable:
        before = None
    numbers, meta, names = _numbers(book), dict(vars(book.worksheet_meta)), [list(n) for n in book.defined_names]
    sink, sunk, charts = strings.sink, len(strings.sink or ()), len(book.charts)
    styles.log, strings.texts = [], []
    try:
        result = write(ws)
        made, texts = styles.log, strings.texts
    finally:
        styles.log, strings.texts = None, None
    log = ws.stamp_log
    if before is None or log is None or vars(book.worksheet_meta) != meta or len(book.charts) != charts \
            or book.defined_names[:len(names)] != names or (sink is not None and sink is not log and len(sink) != sunk):
        return None, result
    now = vars(ws)
    if any(now.get(k) is not fresh[k] for k in _SHARED if k in fresh) or not set(fresh) <= set(now):
        return None, result
    try:
        hash(result)
    except TypeError:
        return None, result
    formats = book.stamp_formats()
    memo: dict[int, Any] = {}
    try:
        attrs = []
        for k, v in now.items():
            if k in _SHARED or k in _OWN:
                continue
            if k == "table":
                attrs.append((k, _Table(v, formats, cells)))
                continue
            frozen = _freeze(v, formats, memo)
            if k not in before or frozen != before[k]:
                attrs.append((k, frozen))
    except _Unrecordable:
        return None, result
    after = _numbers(book)
    return _Record(attrs=tuple(attrs), styles=tuple(made), texts=tuple(texts), numbers_before=numbers,
                   numbers_after=numbers if after == numbers else after, names=tuple(tuple(n) for n in book.defined_names[len(names):]),
                   log=tuple(log), sink=strings.sink is log, meta=meta, result=result), result
