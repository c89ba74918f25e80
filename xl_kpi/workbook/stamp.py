"""Parts written once and stamped for every next workbook whose inputs prove them equal (issue 32).

A build writes the same template for hundreds of people: the ledger, the instructions, most of the person's
card, the styles and the package's small parts come out the same byte for byte from one person to the next.
XlsxWriter assembles each part's XML again for every workbook and compresses it again. Here a worksheet's XML
is taken from the workbook written before **only when everything that feeds it is equal**:

- every call made on the sheet, with its arguments (a format as the :class:`~xl_kpi.workbook.styles.Styles`
  name it was made from; a chart as "a chart", whose own part is written as always), recorded as the sheet is
  written (:class:`StampedSheet`). A text written to a cell is recorded as the index XlsxWriter gave it in
  the shared strings, which is all the sheet's XML holds of it: the text itself goes to the person's own
  ``sharedStrings.xml``. So a name of the same place in the strings gives the same sheet, a name equal to a
  label (one string fewer, every index after it shifted) does not;
- every scalar setting of the sheet when its XML is assembled (its name, position, selection, visibility,
  the workbook's options it was given);
- the workbook's cell formats numbered so far, and its conditional formats' numbers: the sheet's ``s=``
  and ``dxfId`` attributes. The formats the sheet numbers as it is written are numbered again, in the same
  order, on the same formats of this workbook, and the numbering that results must be the one recorded.

A sheet for which one of these cannot be recorded (a format made outside ``Styles``, an argument of an
unknown kind, a method that reads its texts back such as ``autofit``) is written by XlsxWriter as always.
A formula's cached result (the print form shows the card's name and values through formulas), the sheet's
header and footer (the card's footer names the person) are slots: the sheet is taken with them written for
this workbook, by XlsxWriter's own code. The package's other parts are in :mod:`~xl_kpi.workbook.stamp_package`.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import inspect
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from io import StringIO
from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.worksheet import CellFormulaTuple

from .deferred import UNTOUCHED, DeferredState
from .stamp_record import NamedFormat, StampStrings

__all__ = ["NamedFormat", "StampedSheet", "StampStrings", "clear", "forget_sheets", "disabled", "stats", "enabled", "count", "SHEETS_KEPT", "SHEETS_RECORDED", "CACHES"]

SHEETS_KEPT = 64  # sheets remembered per process (each a few tens of kB of XML and its key)
SHEETS_RECORDED = 16  # a workbook's first sheets are recorded; a department's further sheets (one per person, each
#                       named for them: never the same as a sheet before) are written as always, unrecorded
_SCALARS = frozenset({int, float, str, bool, type(None)})
# Where a cell's text sits, by position: write_string always stores it as a shared string; write and merge_range
# do when the workbook turns no text into a formula, URL or number (else the text is recorded as it is).
_STRING_ARGS = {"write_string": 2, "write": 2, "merge_range": 4}
_SLOTS = ("header", "footer")  # settings written into the sheet's XML as they are: filled in for each workbook
# A formula's cached result, by position: the cell is a slot. A number is not (on a card it is a target, a threshold
# or the bonus base, the same for everyone of a template, and a slot costs a cell written for every workbook).
_SLOT_CELLS = {"write_formula": 4}
MISSES_BEFORE_PAUSE = 8  # sheets of a name that missed in a row: the next ones are not recorded (a build of cards
PAUSE = 32  # pre-filled with every person's own texts), but one in PAUSE is, to see whether they match again
_READS_TEXTS = frozenset({"autofit"})  # methods whose effect depends on the texts themselves, not their indexes


class _Unrecordable(Exception):
    pass


class _Marker:
    """In a recorded call, in place of an argument: a cell's text (its shared-string index follows in the record),
    or a value written in a slot."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


TEXT = _Marker("text")
SLOT = _Marker("slot")
_sheets: OrderedDict[tuple[Any, ...], _SheetPart] = OrderedDict()
_missed: dict[str, int] = {}  # sheet name → sheets of that name written in full in a row
CACHES: list[Any] = []  # the package's parts remembered (workbook/stamp_package.py), cleared with the sheets
_counts = {"sheet_hits": 0, "sheet_misses": 0, "part_hits": 0, "part_misses": 0, "styles_hits": 0, "small_hits": 0,
           "replay_hits": 0}


class _SheetPart:
    """A sheet's XML as pieces of text and the names of the slots between them; how its formats were numbered."""

    __slots__ = ("pieces", "numbered", "after", "cells")

    def __init__(self, pieces: tuple[Any, ...], numbered: tuple[Any, ...], after: tuple[tuple[str, int], ...],
                 cells: dict[Any, tuple[Any, str]]) -> None:
        self.pieces, self.numbered, self.after = pieces, numbered, after
        self.cells = cells  # each formula's slot as last written: what it was written from, its text


_on = [True]


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Every part written in full inside the block, nothing remembered (tests that compare writers)."""
    clear()
    _on[0] = False
    try:
        yield
    finally:
        _on[0] = True


def clear() -> None:
    """Forget every part remembered (tests build the same workbook with and without stamps)."""
    _sheets.clear()
    _missed.clear()
    for cache in CACHES:
        cache.clear()
    for k in _counts:
        _counts[k] = 0


def forget_sheets() -> None:
    """Forget the sheets' XML, keeping the sheets to replay and the package's parts (tests: a replayed sheet written
    from its state)."""
    _sheets.clear()
    _missed.clear()


def enabled() -> bool:
    """Whether parts are stamped (not inside :func:`disabled`)."""
    return _on[0]


def count(what: str) -> None:
    _counts[what] += 1


def stats() -> dict[str, int]:
    """How many sheets and parts were stamped or written since :func:`clear`."""
    return dict(_counts)


def _token(value: Any) -> Any:
    kind = type(value)
    if kind in _SCALARS or value is TEXT or value is SLOT or kind is NamedFormat:
        return value
    if kind is Format or isinstance(value, Format):
        token = value.__dict__.get("stamp_token")
        if token is None:
            raise _Unrecordable
        return token
    if kind is tuple or kind is list:
        return (kind.__name__, *(_token(v) for v in value))
    if kind is dict:
        return ("dict", *((k, _token(v)) for k, v in value.items()))
    if kind in (datetime.date, datetime.datetime, datetime.time, datetime.timedelta):
        return value
    if isinstance(value, Chart):
        return ("chart",)  # the chart's own XML is its own part; the sheet holds only a reference to its drawing
    raise _Unrecordable


def _recorded(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` recording each call on the sheet (see the module's docstring); the shared strings tell the sheet's
    record the index each text of the call got. A call made by another recorded method is part of that one's effect
    (set_row calls set_row_pixels) and is not recorded again."""
    position = _STRING_ARGS.get(name)

    def unrecordable(self: StampedSheet, *args: Any, **kwargs: Any) -> Any:
        if self.stamp_deferred is not None:
            self.stamp_thaw()
        self.stamp_log = None
        return method(self, *args, **kwargs)

    def call(self: StampedSheet, *args: Any, **kwargs: Any) -> Any:
        if self.stamp_deferred is not None and thaws:
            self.stamp_thaw()
        log = self.stamp_log
        if log is None or self.stamp_depth:  # not recorded, or called by another recorded method (set_row's set_row_pixels)
            return method(self, *args, **kwargs)
        try:
            shown = [a if a.__class__ in _SCALARS or a.__class__ is NamedFormat else _token(a) for a in args]
            if position is not None and len(args) > position and type(args[position]) is str and args[position] \
                    and type(args[0]) is int and (name == "write_string" or not (
                        self.strings_to_formulas or self.strings_to_urls or self.strings_to_numbers)):
                shown[position] = TEXT  # its shared-string index follows
            elif slot_text and args and type(args[0]) is str and "&G" not in args[0] and "&[Picture]" not in args[0]:
                shown[0] = SLOT  # the text itself is written in its slot (no picture in it)
            elif slot_cell and len(args) > slot_cell and type(args[0]) is int and type(args[1]) is int:
                shown[slot_cell] = SLOT  # a formula's cached result: the cell is written in its slot
                self.stamp_cells.add((args[0], args[1]))
            log.append((name, *shown, _token(kwargs) if kwargs else ()))
        except _Unrecordable:
            self.stamp_log = None
            return method(self, *args, **kwargs)
        strings = self.str_table
        if strings.sink is not log:
            strings.sink = log
        self.stamp_depth = 1
        try:
            return method(self, *args, **kwargs)
        finally:
            self.stamp_depth = 0

    slot_text, slot_cell = name in ("set_header", "set_footer"), _SLOT_CELLS.get(name, 0)
    thaws = name not in UNTOUCHED  # the others leave a replayed sheet's state deferred
    wrapper = unrecordable if name in _READS_TEXTS else call
    return functools.wraps(method)(wrapper)


class StampedSheet(DeferredState):
    """A worksheet that records what is written on it and takes its XML from an equal sheet written before."""

    def __init__(self) -> None:
        super().__init__()
        self.stamp_log: list[Any] | None = []
        self.stamp_depth = 0
        self.stamp_book: Any = None  # the workbook: its formats' numbering
        self.stamp_slots: list[tuple[int, int, Any]] | None = None  # where the slots were written, while assembling
        self.stamp_cells: set[tuple[int, int]] = set()  # cells written in slots: formulas (their cached results)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if not name.startswith(("_", "stamp_")) and not getattr(member, "stamp_recorded", False):
                wrapped = _recorded(name, member)
                wrapped.stamp_recorded = True  # type: ignore[attr-defined]
                setattr(cls, name, wrapped)

    def _initialize(self, init_data: dict[str, Any]) -> None:
        super()._initialize(init_data)
        missed = _missed.get(self.name, 0)
        if not isinstance(self.str_table, StampStrings):  # a workbook that does not tell the sheets their texts' indexes
            self.stamp_log = None
        elif missed >= MISSES_BEFORE_PAUSE and missed % PAUSE:  # not worth recording (its XML is written as always)
            _missed[self.name] = missed + 1
            self.stamp_log = None

    def stamp_key(self) -> tuple[Any, ...] | None:
        """Everything the sheet's XML is made of, or None when something of it was not recorded."""
        book = self.stamp_book
        if self.stamp_log is None or book is None or self.constant_memory or not _on[0]:
            return None
        settings = tuple((k, bool(v) if k in _SLOTS else v) for k, v in vars(self).items()
                         if type(v) in _SCALARS and not k.startswith("stamp_"))
        return (type(self).__qualname__, tuple(self.stamp_log), settings, _numbering(book.xf_format_indices),
                _numbering(book.dxf_format_indices), tuple(sorted(book.default_format_properties.items())))

    fh: Any  # XlsxWriter's: the part's StringIO in memory

    def _assemble_xml_file(self) -> None:
        key = self.stamp_key() if isinstance(self.fh, StringIO) else None
        if key is None:
            self.stamp_thaw()
            super()._assemble_xml_file()
            return
        known = _sheets.get(key)
        if known is not None and _renumber(self.stamp_book, known):
            _missed.pop(self.name, None)
            _sheets.move_to_end(key)
            _counts["sheet_hits"] += 1
            self._write_pieces(known.pieces, known.cells)
            self._xml_close()
            return
        self.stamp_thaw()
        _counts["sheet_misses"] += 1
        if len(_missed) > 4096:  # a department's sheets, each named for its person
            _missed.clear()
        _missed[self.name] = _missed.get(self.name, 0) + 1
        indices = self.stamp_book.xf_format_indices
        before = len(indices)
        start = self.fh.tell()
        self.stamp_slots = []
        try:
            super()._assemble_xml_file()
            xml, slots = self.fh.getvalue()[start:], self.stamp_slots
        finally:
            self.stamp_slots = None
        numbered = _tokens_of(self.stamp_book, list(indices.items())[before:])
        if numbered is None:
            return
        pieces, at = [], 0
        for first, end, name in slots:
            pieces += [xml[at:first - start], name]
            at = end - start
        pieces.append(xml[at:])
        check = StringIO()
        self.fh, written = check, self.fh
        cells: dict[Any, tuple[Any, str]] = {}
        try:
            self._write_pieces(pieces, cells)
        finally:
            self.fh = written
        if check.getvalue() == xml:  # the pieces and slots give back the sheet written
            _sheets[key] = _SheetPart(tuple(pieces), numbered, _numbering(indices), cells)
            if len(_sheets) > SHEETS_KEPT:
                _sheets.popitem(last=False)

    def _write_pieces(self, pieces: Iterable[Any], cells: dict[Any, tuple[Any, str]]) -> None:
        """The sheet's XML from its pieces, each slot written for this workbook. A formula's cell whose formula,
        format number and cached result are those of its slot when last written is that text again (``cells``)."""
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                self.fh.write(piece)
            elif piece == "header":
                super()._write_odd_header()
            elif piece == "footer":
                super()._write_odd_footer()
            else:
                _, row, col = piece
                cell = self.stamp_cell(row, col)
                fmt = cell.format
                index = -1 if fmt is None else fmt.xf_index  # -1: the row's or column's format (the sheet's key)
                if type(cell) is not CellFormulaTuple or index is None:
                    self._write_cell(row, col, cell)
                    continue
                value = cell.value
                key = (cell.formula, index, type(value), repr(value) if type(value) is float else value)  # -0.0 is not 0.0
                known = cells.get(piece)
                if known is not None and known[0] == key:
                    self.fh.write(known[1])
                    continue
                fh, self.fh = self.fh, StringIO()
                try:
                    self._write_cell(row, col, cell)
                    text = self.fh.getvalue()
                finally:
                    self.fh = fh
                fh.write(text)
                cells[piece] = (key, text)

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        if self.stamp_slots is not None and (row, col) in self.stamp_cells:
            first = self.fh.tell()
            super()._write_cell(row, col, cell)
            self.stamp_slots.append((first, self.fh.tell(), ("cell", row, col)))
            return
        super()._write_cell(row, col, cell)

    def _write_odd_header(self) -> None:
        self._slot("header", super()._write_odd_header)

    def _write_odd_footer(self) -> None:
        self._slot("footer", super()._write_odd_footer)

    def _slot(self, name: str, write: Callable[[], None]) -> None:
        if self.stamp_slots is None:
            write()
            return
        first = self.fh.tell()
        write()
        self.stamp_slots.append((first, self.fh.tell(), name))


def _numbering(indices: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(indices.items())


def _tokens_of(book: Any, added: list[tuple[str, int]]) -> tuple[Any, ...] | None:
    """The Styles names of the formats a sheet numbered as it was written (None if one has none)."""
    if not added:
        return ()
    numbered = {f.xf_index: f for f in book.formats if f.xf_index is not None}
    out = []
    for _, index in added:
        token = getattr(numbered.get(index), "stamp_token", None)
        if token is None:
            return None
        out.append(token)
    return tuple(out)


def _renumber(book: Any, known: _SheetPart) -> bool:
    """Number this workbook's formats as the sheet written before numbered its own; False (nothing changed) if the
    numbering that results is not the one recorded."""
    if not known.numbered:
        return True
    formats = book.stamp_formats()
    touched = []
    for token in known.numbered:
        fmt = formats.get(token)
        if fmt is None or fmt.xf_index is not None:
            break
        fmt._get_xf_index()
        touched.append(fmt)
    else:
        if _numbering(book.xf_format_indices) == known.after:
            return True
    indices = book.xf_format_indices
    for fmt in touched:  # undo: the sheet is written as always
        indices.pop(fmt._get_format_key(), None)
        fmt.xf_index = None
    return False
