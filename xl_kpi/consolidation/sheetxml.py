"""Read what the checks need from a returned .xlsx worksheet, and nothing more.

A sheet's declared dimension or one far cell never decides what is allocated: a worksheet's cells are
found by their ``r="…"`` reference — each wanted cell's value and formula in one pass over the
(bounded) part, searched as bytes. Parts too large, or written in markup the fast path does not expect
(a namespace prefix, shared formulas), are streamed by a defusedxml parse that keeps only the wanted
cells. A cell whose markup is the same to the last byte as one read before (returns of one template
share their rules, formulas and labels) is taken as read, through the reader's cache.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from defusedxml import ElementTree

from ..core.protection import Protection
from ..core.refs import a1, parse_a1
from .caches import Bounded, ReaderCache
from .cellvalue import _TAG_END_B, _general_cell, _kind_of, _value
from .masking import NONE, Masking
from .returned import Cell
from .workbookxml import _text, excel_text, xml_bytes
from .xmlscan import _attrs, _unescape, shift_formula

__all__ = ["SheetCells", "Cell", "FAST_BYTES"]

FAST_BYTES = 2 * 1024 * 1024  # a scorecard sheet is ~20-60 KB; anything larger is streamed
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PROTECTION_B = re.compile(rb"<(?:\w+:)?(sheetProtection|protectedRange)\b([^>]*?)/?>")
_STYLE_B = re.compile(rb'\ss\s*=\s*["\'](\d{1,6})["\']')


def _needle(ref: str) -> bytes:
    return f'<c r="{ref}"'.encode("ascii")


_REF_SHAPE = re.compile(r"^[A-Z]{1,3}[0-9]{1,7}$")


def _valid(ref: str) -> bool:
    return bool(_REF_SHAPE.match(ref))


# A cell as XlsxWriter, Excel and LibreOffice write it: attributes, then an optional formula (its
# attributes as LibreOffice's aca="false") and an optional value, each plain text.
_CELL_AT = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"((?:\s+[A-Za-z]+="[^"]*")*)\s*'
                      rb'(?:/>|>(?:<f((?:\s+[A-Za-z]+="[^"]*")*)>([^<]*)</f>)?(?:<v>([^<]*)</v>)?</c>)')
# An inline string of one plain run, as openpyxl writes every text it saves: read as text, remembered like any cell.
_INLINE_AT = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?:\s+[A-Za-z]+="[^"]*")*\s*><is><t(?:\s+xml:space="preserve")?>([^<]*)</t></is></c>')


# A cell whose start tag does not begin with its reference: "<c" not followed by ' r="', then a space, ">" or "/" (the
# test that fails at almost every "<c" first: ~20% fewer instructions than the lookahead for the space first)
_UNSEARCHABLE = re.compile(rb'<c(?! r=")[\s>/]')


def _searchable(xml: bytes) -> bool:
    """Every cell's start tag is ``<c r="…"``: a search by reference then finds each cell there is (a sheet whose
    elements carry a namespace prefix, ``<x:worksheet>…<x:c r="…">``, is read by the parser)."""
    return b":worksheet" not in xml[:4096] and _UNSEARCHABLE.search(xml) is None


def _fast(xml: bytes, wanted: Iterable[str], sst: Any, cache: ReaderCache, checked: bool = False) -> dict[str, Cell] | None:
    """Each wanted cell found by its reference; None sends the part to the parser (``checked``: the
    part is known to be searchable). Cells are stored in row order, so each search starts where the
    last one was found (and looks before it only if not)."""
    if not checked and not _searchable(xml):
        return None
    found: dict[str, Cell] = {}
    after = 0
    seen = cache.cells
    for ref, needle in _in_order(wanted if type(wanted) is tuple else tuple(wanted), cache.orders):
        at = xml.find(needle, after)
        if at < 0:
            at = xml.find(needle, 0, after + len(needle))
            if at < 0:
                found[ref] = (None, None)
                continue
        else:
            after = at
        variants = seen.get(needle)
        if variants is not None:  # inlined _seen_cell: a scorecard has 60 to 150 wanted cells
            for markup, known, shared in variants:
                if xml.startswith(markup, at):
                    if shared >= 0:
                        try:
                            known = (sst[shared], known[1])
                        except IndexError:
                            known = (None, known[1])
                    found[ref] = known  # (a cell read as it was: its value and formula, one tuple shared)
                    break
            else:
                variants = None
                misses = cache.misses.get(needle, 0) + 1  # a cell that differs in every return (an input, a result, a text)
                cache.misses.put(needle, misses)
                if misses >= VOLATILE:
                    del seen[needle]  # is no longer looked for among the cells read before, nor remembered
            if variants is not None:
                continue
        m = _CELL_AT.match(xml, at)
        if m is None:
            inline = _INLINE_AT.match(xml, at)
            if inline is not None:
                text = excel_text(_unescape(_text(inline.group(1))))
                found[ref] = (text, None)
                if cache.misses.get(needle, 0) < VOLATILE:
                    _remember(seen, needle, xml[at : inline.end()], text, -1, None)
                continue
            cell = _general_cell(xml, at, sst)
            if cell is None:
                return None
            found[ref] = cell
            continue
        attrs, f_attrs, f_text, v = m.groups()
        if f_attrs and b"shared" in f_attrs and not f_text:
            return None
        value: Any = None
        kind = None
        if v is not None:
            if b"t=" not in attrs:  # a number, the common case: read from the bytes
                try:
                    value = float(v)
                except ValueError:
                    value = None
                if value is None or not math.isfinite(value):
                    value = _value(None, _text(v), None, sst)  # whatever else the text is, as _value reads it
            else:
                kind = _kind_of(attrs, cache.kinds)
                value = _value(kind, _text(v), None, sst)
        formula = None if f_text is None else _unescape(_text(f_text))
        found[ref] = (value, formula)
        if cache.misses.get(needle, 0) >= VOLATILE:
            continue
        if kind != "s":
            _remember(seen, needle, xml[at : m.end()], value, -1, formula)
        elif v is not None and v.isdigit():  # an index as written; any other text reads through this file's strings
            _remember(seen, needle, xml[at : m.end()], None, int(v), formula)
    return found


# Cells read before by this reader (its cache), by the start of their tag, with what they read as: returns of
# one template share most of their cells byte for byte (rules, formulas, labels), so each is parsed once. A
# cell is taken from there only when its markup is the same to the last byte; a shared string is looked up
# anew in the file's own strings.
VARIANTS = 4  # a template's plan wants 60–150 cells; the cache holds at most 4,096 of them (~8 MB)
VOLATILE = 16  # a cell missed this often among the ones remembered differs from return to return: parsed, never remembered


def _remember(seen: Bounded[bytes, list[tuple[bytes, Cell, int]]], needle: bytes, markup: bytes, value: Any,
              shared: int, formula: str | None) -> None:
    if len(markup) > 512:
        return  # long texts and formulas: rarely the same twice
    variants = seen.get(needle)
    if variants is None:
        variants = seen.put(needle, [])
    if len(variants) >= VARIANTS:
        variants.pop(0)
    variants.append((markup, (value, formula), shared))


def _in_order(wanted: tuple[str, ...], orders: Bounded[tuple[str, ...], Any]) -> tuple[tuple[str, bytes], ...]:
    """The wanted cells in row order, each with the text its start tag begins with (a plan's, once)."""
    found = orders.get(wanted)
    if found is None:
        found = orders.put(wanted, tuple((ref, _needle(ref)) for ref in sorted(wanted, key=parse_a1)))
    return found


class SheetCells:
    """One worksheet part, read on demand: inflated and checked once, however many reads follow. ``percent``
    gives the workbook's percentage styles (read only when a cell's format is asked for)."""

    def __init__(self, package: Any, part: str, sst: Any, cache: ReaderCache | None = None,
                 percent: Callable[[], frozenset[int]] = frozenset, masking: Callable[[], Masking] = lambda: NONE) -> None:
        self.package, self.part, self.sst = package, part, sst
        self.cache = cache if cache is not None else ReaderCache()
        self.percent, self.masking = percent, masking
        self._xml: bytes | None = None
        self._streamed = package.getinfo(part).file_size > FAST_BYTES
        if not self._streamed:
            self._xml = xml_bytes(package.read(part))
            self._streamed = not _searchable(self._xml)

    def cells(self, wanted: Iterable[str]) -> dict[str, Cell]:
        """The (value, formula) of each wanted cell; (None, None) when absent."""
        if not self._streamed:
            assert self._xml is not None
            fast = _fast(self._xml, wanted, self.sst, self.cache, checked=True)
            if fast is not None:
                return fast
            self._streamed = True
        return _streamed(self.package, self.part, set(wanted), self.sst)

    def styles(self, wanted: Iterable[str]) -> dict[str, int]:
        """Each wanted cell's style index (``s="…"``, 0 when it has none or is absent)."""
        wanted = set(wanted)
        out = dict.fromkeys(wanted, 0)
        if not self._streamed and self._xml is not None:
            for ref in wanted:
                at = self._xml.find(_needle(ref))
                end = _TAG_END_B.match(self._xml, at) if at >= 0 else None
                if end is not None:
                    found = _STYLE_B.search(self._xml[at:end.end()])
                    out[ref] = int(found.group(1)) if found else 0
            return out
        with self.package.open(self.part) as fh:
            for _, elem in ElementTree.iterparse(fh, events=("end",), forbid_dtd=True):
                if elem.tag == f"{_NS}c" and elem.get("r", "") in wanted:
                    s = elem.get("s", "0")
                    out[elem.get("r", "")] = int(s) if s.isdigit() else 0
                elif elem.tag == f"{_NS}row":
                    elem.clear()
        return out

    def percent_cells(self, wanted: Iterable[str]) -> frozenset[str]:
        """The wanted cells formatted as a percentage."""
        styles = self.styles(wanted)
        formats = self.percent()
        return frozenset(ref for ref, style in styles.items() if style in formats)

    def masked_cells(self, wanted: Iterable[str]) -> dict[str, str]:
        """The wanted cells whose number format shows other than they hold, with the format (``""``: a conditional
        format that does, wherever it applies); the cells' styles read only when the workbook has such a format."""
        masking = self.masking()
        if not masking:
            return {}
        out = {ref: masking.styles[style] for ref, style in self.styles(wanted).items() if style in masking.styles}
        if masking.conditional:
            out[""] = masking.conditional[0]
        return out

    def protection(self) -> Protection:
        """The sheet's protection as stored: on or off, its password's hash, each edit range's (a hash Excel
        writes in another algorithm reads as itself, so it never equals a legacy one)."""
        if not self._streamed and self._xml is not None:
            end = self._xml.rfind(b"sheetData>")  # the schema puts protection after the cells: only the tail is read
            return _protection_in(self._xml[max(end, 0):], self.cache)
        found: list[tuple[str, dict[str, str]]] = []
        with self.package.open(self.part) as fh:
            for _, elem in ElementTree.iterparse(fh, events=("end",), forbid_dtd=True):
                tag = elem.tag.rsplit("}", 1)[-1]
                if tag in ("sheetProtection", "protectedRange"):
                    found.append((tag, dict(elem.attrib)))
                elif tag == "row":
                    elem.clear()
        return _protection(found)

    def rows_in_column(self, column: str, first: int, last: int) -> list[int] | None:
        """Rows (0-based, ``first``..``last``) holding a cell of ``column``, in one pass; None when streamed."""
        if self._streamed or self._xml is None:
            return None
        return [r for m in re.finditer(rb'<c r="' + column.encode("ascii") + rb'(\d{1,7})"', self._xml) if first <= (r := int(m.group(1)) - 1) <= last]

    def values(self, wanted: Iterable[str]) -> dict[str, Any]:
        """Each wanted cell's value, "" read as blank (None)."""
        return {ref: (None if value == "" else value) for ref, (value, _) in self.cells(wanted).items()}


def _protection_in(tail: bytes, cache: ReaderCache) -> Protection:
    """The protection written in a sheet's tail (returns of a template share its elements, byte for byte: each
    distinct markup read once, whatever else the tail holds, such as a footer naming the person)."""
    elements = _PROTECTION_B.findall(tail, *_protection_span(tail))
    key = b"\0".join(tag + b" " + attrs for tag, attrs in elements)
    found = cache.protections.get(key)
    if found is None:
        found = cache.protections.put(key, _protection([(tag.decode("ascii"), _attrs(_text(attrs))) for tag, attrs in elements]))
    return found


def _protection_span(tail: bytes) -> tuple[int, int]:
    """Where in the tail its protection elements can be: from the "<" before the first of their names to the ">" after
    the last (a tail holds kilobytes of merged cells, conditional formats and validations the search need not step
    through). Exact: a match starts at a "<" followed by the name (a prefix holds no "<") and ends at the first ">" after it."""
    first = min((at for at in (tail.find(b"sheetProtection"), tail.find(b"protectedRange")) if at >= 0), default=-1)
    if first < 0:
        return 0, 0
    last = max(tail.rfind(b"sheetProtection"), tail.rfind(b"protectedRange"))
    end = tail.find(b">", last)
    return max(tail.rfind(b"<", 0, first), 0), len(tail) if end < 0 else end + 1


def _protection(found: list[tuple[str, dict[str, str]]]) -> Protection:
    on, password, ranges = False, "", {}
    for tag, a in found:
        secret = (a.get("password") or (f"{a.get('algorithmName', '')}:{a.get('hashValue', '')}" if a.get("hashValue") else "")).upper()
        if tag == "sheetProtection":
            on, password = a.get("sheet", "0").lower() in ("1", "true"), secret
        else:
            ranges[a.get("name", "")] = secret
    return Protection(on, password, ranges)


def _streamed(package: Any, part: str, wanted: set[str] | None, sst: Any,
              bounds: tuple[int, int] | None = None) -> dict[str, Cell]:
    """The wanted cells (or every cell within ``bounds``) by a streaming parse: each row dropped once
    read, shared formulas expanded."""
    found: dict[str, Cell] = {ref: (None, None) for ref in wanted or ()}
    masters: dict[str, tuple[str, str]] = {}
    pending: dict[str, str] = {}
    row, col = 0, -1  # where a cell without r="…" is: after the previous one (the schema allows it)
    with package.open(part) as fh:
        for event, elem in ElementTree.iterparse(fh, events=("start", "end"), forbid_dtd=True):
            tag = elem.tag
            if event == "start":
                if tag == f"{_NS}row":
                    r = elem.get("r", "")
                    row, col = (int(r) if r.isdigit() else row + 1), -1
                continue
            if tag == f"{_NS}c":
                ref = elem.get("r", "") or (a1(row - 1, col + 1) if row > 0 else "")
                if _valid(ref):
                    col = parse_a1(ref)[1]
                f = elem.find(f"{_NS}f")
                formula = None
                if f is not None:
                    if f.get("t") == "shared" and f.get("si") is not None:
                        if f.text:
                            masters[f.get("si", "")] = (ref, f.text)
                        elif wanted is not None and ref in wanted:
                            pending[ref] = f.get("si", "")
                    formula = f.text or ("" if f.get("t") != "shared" else None)
                keep = ref in found if wanted is not None else bounds is not None and _valid(ref) and _inside(ref, *bounds)
                if keep:
                    v = elem.find(f"{_NS}v")
                    inline = elem.find(f"{_NS}is")
                    text = "".join(t.text or "" for t in inline.iter(f"{_NS}t")) if inline is not None else None
                    value = _value(elem.get("t"), (v.text or "") if v is not None else None, None, sst)
                    if elem.get("t") == "inlineStr":
                        value = None if text is None else excel_text(text)
                    found[ref] = (value, formula)
                elem.clear()
            elif tag == f"{_NS}row":
                elem.clear()
    for ref, si in pending.items():
        if si in masters:
            master_ref, text = masters[si]
            (mr, mc), (r, c) = parse_a1(master_ref), parse_a1(ref)
            found[ref] = (found[ref][0], shift_formula(text, r - mr, c - mc))
    return found


def _inside(ref: str, max_rows: int, max_cols: int) -> bool:
    r, c = parse_a1(ref)
    return r < max_rows and c < max_cols
