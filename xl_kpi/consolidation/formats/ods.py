"""Returns re-saved as OpenDocument spreadsheets (.ods): what LibreOffice and WPS offer when a user saves.

Read through the same seam, with the same integrity checks, as an .xlsx: the package's sizes, ratio,
entries and duplicate parts (:func:`~xl_kpi.core.packages.open_zip`), an encrypted document refused, and
``content.xml`` inflated within its declared size, checked against its CRC and its prolog checked for a
DTD before a (defusedxml) parser sees it. One streaming pass keeps the filled cells of every sheet —
values as stored (a percentage as its fraction), formulas translated to A1 (:mod:`..odf_formula`) — and
each sheet's scoped names and protection; a row or column repeated a million times is never expanded,
and a file holding more filled cells than any scorecard is refused.

A sheet's password is kept in an .ods as the SHA-1 of Excel's 16-bit hash; that hash is recovered (one
of 65,536) so the protection compares with what was issued exactly as an .xlsx's does. An .ods has no
"allow users to edit" ranges: a range issued with a password is reported as lost.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from defusedxml import ElementTree

from ...core.findings import Finding, finding
from ...core.packages import Package, Rejected, open_zip
from ...core.protection import Protection
from ...core.refs import parse_a1
from ...core.text import Text
from ...core.visible import visible
from ..caches import ReaderCache
from ..odf_formula import a1_formula
from ..returned import Cell, Format, SheetEntry
from ..safety import Limits
from .ods_styles import DATA_STYLES, OdsStyles

__all__ = ["FORMAT", "OdsBook"]

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_ROWS, MAX_COLS = 1_048_576, 16_384  # Excel's grid: nothing beyond is kept
MAX_CELLS = 500_000  # filled cells kept (a department workbook of 500 cards holds ~100,000)
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALC = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_LOEXT = "{urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}style"
_LEGACY = "http://docs.oasis-open.org/office/ns/table/legacy-hash-excel"
_SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
_EPOCH = datetime.datetime(1899, 12, 30)
_CELLS = (f"{_T}table-cell", f"{_T}covered-table-cell")
_LINKS = (f"{_T}table-source", f"{_T}cell-range-source", f"{_O}dde-source")
_QUERIES = (f"{_T}database-source-sql", f"{_T}database-source-table", f"{_T}database-source-query")


class _Sheet:
    """One table of the document: its filled cells (row, column) → (value, formula, percent), names, protection."""

    def __init__(self, name: str, attrs: dict[str, str]) -> None:
        self.name = name
        self.attrs = attrs
        self.cells: dict[tuple[int, int], tuple[Any, str | None, bool]] = {}
        self.names: dict[str, str] = {}
        self.styles: dict[tuple[int, int], str] = {}  # a filled cell's style (its own, else its row's default)
        self.columns: list[tuple[int, int, str]] = []  # (first, past the last, default cell style) of each column run


class OdsSheet:
    """One sheet's cells, read through the seam (:class:`~..returned.SheetReader`)."""

    def __init__(self, sheet: _Sheet, cache: ReaderCache, styles: Callable[[], OdsStyles] = OdsStyles) -> None:
        self.sheet, self.cache, self.styles = sheet, cache, styles

    def _at(self, ref: str) -> tuple[Any, str | None, bool]:
        try:
            return self.sheet.cells.get(parse_a1(ref), (None, None, False))
        except ValueError:
            return None, None, False

    def cells(self, wanted: Iterable[str]) -> dict[str, Cell]:
        return {ref: self._at(ref)[:2] for ref in wanted}

    def values(self, wanted: Iterable[str]) -> dict[str, Any]:
        return {ref: (None if value == "" else value) for ref, (value, _) in self.cells(wanted).items()}

    def percent_cells(self, wanted: Iterable[str]) -> frozenset[str]:
        return frozenset(ref for ref in wanted if self._at(ref)[2])

    def masked_cells(self, wanted: Iterable[str]) -> dict[str, str]:
        """The wanted cells whose number format shows other than they hold, with the format (:mod:`.ods_styles`)."""
        styles, out = self.styles(), {}
        for ref in wanted:
            try:
                at = parse_a1(ref)
            except ValueError:
                continue
            name = self.sheet.styles.get(at) or next((d for a, b, d in self.sheet.columns if a <= at[1] < b), "")
            shown = styles.masking(name) if name else None
            if shown is not None:
                out[ref] = shown
        return out

    def protection(self) -> Protection:
        a = self.sheet.attrs
        on = a.get(f"{_T}protected", "false") == "true"
        key = a.get(f"{_T}protection-key", "")
        if not key:
            return Protection(on, "", {})
        algorithm, second = a.get(f"{_T}protection-key-digest-algorithm", ""), a.get(f"{_LOEXT}protection-key-digest-algorithm-2", "")
        if algorithm == _LEGACY:
            legacy = _legacy_hash(key, second, self.cache)
            if legacy:
                return Protection(on, legacy, {})
        return Protection(on, f"{algorithm or _SHA1}:{key}".upper(), {})


def _legacy_hash(key: str, second: str, cache: ReaderCache) -> str:
    """Excel's 16-bit password hash (``CF75``) an .ods keeps hashed again (SHA-1 of its two bytes): found by
    trying the 65,536 hashes there are (once per key)."""
    try:
        digest = base64.b64decode(key, validate=True)
    except ValueError:
        return ""
    if not second:
        return digest.hex().upper() if len(digest) == 2 else ""
    if second != _SHA1 or len(digest) != 20:
        return ""
    found = cache.passwords.get(key)
    if found is None:
        found = cache.passwords.put(key, next((f"{n:X}" for n in range(1 << 16)
                                               if hashlib.sha1(n.to_bytes(2, "big")).digest() == digest), ""))
    return found


class OdsBook:
    """A checked .ods package, read through the seam (:class:`~..returned.ReturnedBook`)."""

    format = "ods"
    index = "content.xml"

    def __init__(self, package: Package, cache: ReaderCache) -> None:
        self.package, self.cache = package, cache
        self.links: list[str] = []
        self.queries = 0
        self.styles, self._common = OdsStyles(), False
        self._tables = self._read_content()
        self._entries = tuple(SheetEntry(k, t.name, str(k + 1), "content.xml") for k, t in enumerate(self._tables))

    @property
    def sheets(self) -> tuple[SheetEntry, ...]:
        return self._entries

    def sheet(self, name: str) -> SheetEntry | None:
        return next((s for s in self._entries if s.name == name), None)

    def local_names(self, sheet: SheetEntry) -> dict[str, str]:
        return dict(self._tables[sheet.index].names)

    def readable(self, sheet: SheetEntry) -> bool:
        return True

    def grid(self, sheet: SheetEntry, max_rows: int, max_cols: int) -> list[list[Any]]:
        by_row: dict[int, dict[int, Any]] = {}
        for (r, c), (value, _, _) in self._tables[sheet.index].cells.items():
            if r < max_rows and c < max_cols and value is not None and value != "":
                by_row.setdefault(r, {})[c] = value
        rows: list[list[Any]] = []
        for r in range(max(by_row, default=-1) + 1):
            cols = by_row.get(r, {})
            rows.append([cols.get(c, "") for c in range(max(cols, default=-1) + 1)])
        return rows

    def cells(self, sheet: SheetEntry) -> OdsSheet:
        return OdsSheet(self._tables[sheet.index], self.cache, self._all_styles)

    def _all_styles(self) -> OdsStyles:
        """The document's styles: content.xml's (read with the cells) and, when first asked, styles.xml's."""
        if not self._common and "styles.xml" in self.package.entries:
            self._common = True
            for _, elem in _parse(self.package, "styles.xml"):
                self.styles.add(elem)
        return self.styles

    def macro_digest(self) -> str:
        parts = sorted(n for n in self.package.entries if n.startswith(("Basic/", "Scripts/")) and not n.endswith("/"))
        if not parts:
            return ""
        digest = hashlib.sha256()
        for name in parts:
            digest.update(name.encode("utf-8") + b"\0" + self.package.read(name))
        return digest.hexdigest()

    def brought_in(self, file: str) -> list[Finding]:
        found = []
        if self.links:
            target = self.links[0] if len(self.links[0]) <= 120 else self.links[0][:117] + "…"
            found.append(finding("external-links", file=file, count=len(self.links), target=visible(target) or "?"))
        objects = self._objects()
        if objects:
            found.append(finding("ole-objects", file=file, count=objects))
        if self.queries:
            found.append(finding("data-connections", file=file, detail=Text(f"{self.queries} 个数据库区域", f"{self.queries} database range(s)")))
        return found

    def _objects(self) -> int:
        """Embedded objects other than charts (a chart is an .ods's own drawing of its cells)."""
        if "META-INF/manifest.xml" not in self.package.entries:
            return 0
        count = 0
        for _, elem in _parse(self.package, "META-INF/manifest.xml"):
            if elem.tag == f"{_MANIFEST}file-entry":
                path, kind = elem.get(f"{_MANIFEST}full-path", ""), elem.get(f"{_MANIFEST}media-type", "")
                if path.count("/") == 1 and path.endswith("/") and path.startswith("Object") and not kind.endswith(".chart"):
                    count += 1
        return count

    def _read_content(self) -> list[_Sheet]:
        """Every table's filled cells, names and protection, in one streaming pass over content.xml."""
        if "content.xml" not in self.package.entries:
            raise Rejected("corrupt-file", detail="content.xml is missing")
        tables: list[_Sheet] = []
        stack: list[Any] = []
        row = rows_repeated = col = kept = columns = 0
        row_style = ""
        for event, elem in _parse(self.package, "content.xml", ("start", "end")):
            tag = elem.tag
            if event == "start":
                stack.append(elem)
                if tag == f"{_T}table":
                    tables.append(_Sheet(elem.get(f"{_T}name", ""), dict(elem.attrib)))
                    row = columns = 0
                elif tag == f"{_T}table-row":
                    rows_repeated, col = _repeat(elem, f"{_T}number-rows-repeated"), 0
                    row_style = elem.get(f"{_T}default-cell-style-name", "")
                continue
            stack.pop()
            if tag in _CELLS and tables:
                cols_repeated = _repeat(elem, f"{_T}number-columns-repeated")
                cell = _cell(elem)
                if cell is not None and row < MAX_ROWS and col < MAX_COLS:
                    rows, cols = range(row, min(row + rows_repeated, MAX_ROWS)), range(col, min(col + cols_repeated, MAX_COLS))
                    kept += len(rows) * len(cols)
                    if kept > MAX_CELLS:  # counted before a repeated value is spread: never a loop over a billion cells
                        raise Rejected("zip-bomb", detail=f"content.xml: more than {MAX_CELLS:,} filled cells")
                    style = elem.get(f"{_T}style-name") or row_style
                    for r in rows:
                        for c in cols:
                            tables[-1].cells[(r, c)] = cell
                            if style:
                                tables[-1].styles[(r, c)] = style
                col += cols_repeated
            elif tag == f"{_T}table-row":
                row += rows_repeated
            elif tag == f"{_T}table-column" and tables:
                repeated = _repeat(elem, f"{_T}number-columns-repeated")
                default = elem.get(f"{_T}default-cell-style-name", "")
                if default:
                    tables[-1].columns.append((columns, columns + repeated, default))
                columns += repeated
            elif tag in DATA_STYLES or tag == _STYLE:
                self.styles.add(elem)
            elif tag == f"{_T}named-range":
                single = _single(elem.get(f"{_T}cell-range-address", ""))
                inside = next((t for t in reversed(stack) if t.tag == f"{_T}table"), None)
                if single and inside is not None and tables:
                    tables[-1].names[elem.get(f"{_T}name", "").upper()] = single
            elif tag in _LINKS:
                self.links.append(elem.get(f"{_XLINK}href", "") or elem.get(f"{_O}dde-application", ""))
            elif tag in _QUERIES:
                self.queries += 1
            if stack and tag in (f"{_T}table-row", *_CELLS):
                stack[-1].remove(elem)  # a row read is dropped whole: millions of rows never pile up
        return tables


def _parse(package: Package, part: str, events: tuple[str, ...] = ("end",)) -> Iterable[tuple[str, Any]]:
    """A part parsed by defusedxml, once it is inflated within its declared size, its CRC matched and its
    prolog checked for a DTD."""
    data = package.xml(part)
    try:
        yield from ElementTree.iterparse(io.BytesIO(data), events=events, forbid_dtd=True)
    except ElementTree.ParseError as exc:
        raise Rejected("corrupt-file", detail=f"{part}: {exc}") from None


def _repeat(elem: Any, attr: str) -> int:
    text = elem.get(attr, "1")
    return max(1, min(int(text), MAX_ROWS)) if text.isdigit() and len(text) <= 8 else 1


def _single(address: str) -> str | None:
    """``$KPI考核表.$H$11`` → ``H11``; None for a range."""
    if ":" in address.replace("':'", ""):
        return None
    cell = address.rpartition(".")[2].replace("$", "")
    try:
        parse_a1(cell)
    except ValueError:
        return None
    return cell


def _cell(elem: Any) -> tuple[Any, str | None, bool] | None:
    """(value, formula in A1, formatted as a percentage) of a cell; None when it holds nothing."""
    formula = elem.get(f"{_T}formula")
    kind = elem.get(f"{_O}value-type")
    value: Any = None
    if elem.get(f"{_CALC}value-type") == "error":
        value = _paragraphs(elem)
    elif kind in ("float", "percentage", "currency"):
        value = _number(elem.get(f"{_O}value", ""))
    elif kind == "boolean":
        value = elem.get(f"{_O}boolean-value", "false") == "true"
    elif kind == "date":
        value = _date(elem.get(f"{_O}date-value", ""))
    elif kind == "time":
        value = _time(elem.get(f"{_O}time-value", ""))
    elif kind == "string":
        value = elem.get(f"{_O}string-value")
        if value is None:
            value = _paragraphs(elem)
    elif len(elem):
        value = _paragraphs(elem) or None
    if value is None and formula is None:
        return None
    return value, (a1_formula(formula) if formula is not None else None), kind == "percentage"


def _number(text: str) -> Any:
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text  # what no cell can hold stays the text it was


def _date(text: str) -> Any:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    return (moment - _EPOCH).total_seconds() / 86_400


def _time(text: str) -> Any:
    """``PT12H30M00S`` → the fraction of a day Excel stores."""
    m = re.fullmatch(r"-?PT(\d+)H(\d+)M([\d.]+)S", text)
    return (int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) / 86_400 if m else text


def _paragraphs(elem: Any) -> str:
    """A cell's text: its paragraphs joined by line breaks, spaces, tabs and breaks as written."""
    return "\n".join(_text(p) for p in elem if p.tag == f"{_X}p")


def _text(node: Any) -> str:
    out = [node.text or ""]
    for child in node:
        tag = child.tag
        if tag == f"{_X}s":
            count = child.get(f"{_X}c", "1")
            out.append(" " * (min(int(count), 1_000) if count.isdigit() else 1))
        elif tag == f"{_X}tab":
            out.append("\t")
        elif tag == f"{_X}line-break":
            out.append("\n")
        elif tag not in (f"{_O}annotation",):  # a comment is not the cell's text
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _sniff(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04") and data[30:38] == b"mimetype" and MIMETYPE in data[38:120]


def _open(data: bytes, limits: Limits, cache: ReaderCache) -> OdsBook:
    package = open_zip(data, limits, cache.parts)
    if "META-INF/manifest.xml" in package.entries:
        for _, elem in _parse(package, "META-INF/manifest.xml"):
            if elem.tag == f"{_MANIFEST}encryption-data":
                raise Rejected("encrypted")
    return OdsBook(package, cache)


FORMAT = Format("ods", _sniff, _open, order=10, suffixes=(".ods",))
