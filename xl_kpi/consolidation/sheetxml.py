"""Read what the checks need from a returned workbook's XML, and nothing more.

A sheet's declared dimension or one far cell never decides what is allocated: the workbook's
structure (sheets with their ids, sheet-scoped defined names, the shared strings) is read from
its small parts, and a worksheet's cells are found by their ``r="…"`` reference — each wanted
cell's value and formula in one pass over the (bounded) part. Parts too large, or written in
markup the fast path does not expect (a namespace prefix, shared formulas), are streamed by a
defusedxml parse that keeps only the wanted cells.
"""

from __future__ import annotations

import functools
import math
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from defusedxml import ElementTree

from ..core.refs import a1, col_index, parse_a1
from .xmlscan import _ATTRS, _REL_EL, _SHEET_EL, _TAG_END, _attrs, _unescape, shift_formula, xml_text

__all__ = ["Book", "SheetEntry", "SheetCells", "read_book", "shared_strings", "read_cells", "read_grid", "Cell", "FAST_BYTES",
           "single_cell"]

FAST_BYTES = 2 * 1024 * 1024  # a scorecard sheet is ~20-60 KB; anything larger is streamed
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DEFINED = re.compile(r"<(?:\w+:)?definedName\s([^>]*?)>(.*?)</(?:\w+:)?definedName>", re.S)
_SI = re.compile(r"<(?:\w+:)?si(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_T = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_RPH = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_V = re.compile(r"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_F = re.compile(r"<(?:\w+:)?f((?:\s+[\w:]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_IS = re.compile(r"<(?:\w+:)?is>(.*?)</(?:\w+:)?is>", re.S)
_CELL = re.compile(r"<c\s([^>]*?)(/?)>")
_SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

Cell = tuple[Any, "str | None"]  # (value, formula text without '='); value None when blank


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as workbook.xml lists it: its position (what ``localSheetId`` counts), name, id and part."""

    index: int
    name: str
    sheet_id: str
    part: str
    state: str = "visible"


@dataclass(frozen=True)
class Book:
    """A workbook's structure: its sheets in order, every defined name, where its shared strings are."""

    sheets: tuple[SheetEntry, ...]
    names: tuple[tuple[str, int | None, str], ...]  # (name, sheet index or None for a global name, reference text)
    sst_part: str | None

    def sheet(self, name: str) -> SheetEntry | None:
        return next((s for s in self.sheets if s.name == name), None)

    def local_names(self, index: int) -> dict[str, str]:
        """The names scoped to the sheet at ``index`` → their cell (``J12``), for single-cell references."""
        out: dict[str, str] = {}
        for name, local, text in self.names:
            if local == index:
                cell = single_cell(text)
                if cell:
                    out[name.upper()] = cell
        return out


_SINGLE = re.compile(r"^(?:'(?:[^']|'')+'|[^'!]+)!\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


def single_cell(text: str) -> str | None:
    """``'Sheet'!$J$12`` → ``J12``; None for ranges, formulas and anything else."""
    m = _SINGLE.match(text.strip().lstrip("="))
    return f"{m.group(1)}{m.group(2)}" if m else None


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)


def _clean(text: str) -> str:
    """XML as the regular expressions here may read it: comments gone (a commented-out ``<sheet>`` or
    ``<c>`` is not there for Excel either) and CDATA sections as the escaped text they stand for."""
    if "<!--" in text:
        text = _COMMENT.sub("", text)
    if "<![CDATA[" in text:
        text = _CDATA.sub(lambda m: m.group(1).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), text)
    return text


def read_book(package: Any) -> Book:
    """The structure of the workbook in ``package`` (anything with ``read(name) -> bytes``)."""
    return _book(package.read("xl/_rels/workbook.xml.rels"), package.read("xl/workbook.xml"))


@functools.lru_cache(maxsize=64)
def _book(rels: bytes, workbook: bytes) -> Book:
    targets: dict[str, str] = {}
    sst = None
    for m in _REL_EL.finditer(_clean(xml_text(rels))):
        a = _attrs(m.group(1))
        target = a.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[a.get("Id", "")] = path
        if a.get("Type") == _SST_TYPE:
            sst = path
    text = _clean(xml_text(workbook))
    sheets = []
    for k, m in enumerate(_SHEET_EL.finditer(text)):
        a = _attrs(m.group(1))
        rid = next((v for key, v in a.items() if key.endswith(":id")), "")
        sheets.append(SheetEntry(k, a.get("name", ""), a.get("sheetId", ""), targets.get(rid, ""), a.get("state", "visible")))
    names = []
    for m in _DEFINED.finditer(text):
        a = _attrs(m.group(1))
        local = a.get("localSheetId")
        names.append((a.get("name", ""), int(local) if local and local.isdigit() else None, _unescape(m.group(2))))
    return Book(tuple(sheets), tuple(names), sst)


class SharedStrings:
    """The shared strings, decoded when first asked for (a return reads a few dozen of its hundreds)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.general: list[str] | None = None
        self.parts: list[str] = []
        if "<si>" not in text or ":si" in text or "<si " in text:
            self.general = _strings_general(text)
        else:
            self.parts = text.split("<si>")[1:]  # each begins with its string's markup
        self.decoded: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.general) if self.general is not None else len(self.parts)

    def __getitem__(self, i: int) -> str:
        if self.general is not None:
            return self.general[i]
        if i < 0:
            raise IndexError(i)
        found = self.decoded.get(i)
        if found is None:
            part = self.parts[i]
            end = part.find("</si>")
            body = part[: end if end >= 0 else len(part)]
            if body.startswith("<t>") and body.endswith("</t>") and "<" not in body[3:-4]:
                found = _unescape(body[3:-4])  # one plain run: how XlsxWriter and Excel write most strings
            else:
                found = _unescape("".join(t.group(1) or "" for t in _T.finditer(_RPH.sub("", body))))
            self.decoded[i] = found
        return found


def shared_strings(package: Any, part: str | None) -> SharedStrings:
    """The workbook's shared strings (rich text joined, phonetic runs left out); empty without any."""
    if not part or part not in package.entries:
        return SharedStrings("")
    package.keep(part)  # inflated once: the DTD check reads the kept copy
    package.check_prolog(part)
    return SharedStrings(_clean(xml_text(package.read(part))))


def _strings_general(text: str) -> list[str]:
    """Shared strings in any markup (prefixes, attributes on ``<si>``): rich runs joined, phonetic runs left out."""
    return [_unescape("".join(t.group(1) or "" for t in _T.finditer(_RPH.sub("", m.group(1) or "")))) for m in _SI.finditer(text)]


def _value(kind: str | None, v: str | None, inline: str | None, sst: Any) -> Any:
    """A cell's value as the reader sees it: a shared or inline string, a number, a boolean, an error text."""
    if kind == "inlineStr":
        return _unescape("".join(t.group(1) or "" for t in _T.finditer(inline or ""))) if inline is not None else None
    if v is None:
        return None
    if kind == "s":
        try:
            return sst[int(v)]
        except (ValueError, IndexError):
            return None
    if kind in ("str", "e", "d"):
        return _unescape(v)
    if kind == "b":
        return v.strip() in ("1", "true")
    try:
        number = float(v)
    except ValueError:
        return _unescape(v)
    # inf, NaN, 1e309, a 400-digit number: text a script wrote, never a number a sheet can hold
    return number if math.isfinite(number) else _unescape(v)


def _parse_cell(xml: str, at: int, attrs_text: str, empty: bool, sst: Any) -> Cell | None:
    """The value and formula of the cell whose start tag ends at ``at``; None when unusual (shared formula)."""
    if empty:
        return None, None
    end = xml.find("</c>", at)
    if end < 0:
        return None
    body = xml[at:end]
    kind = _kind(attrs_text)
    # The shapes XlsxWriter, Excel and LibreOffice write, read with string operations alone.
    if body.startswith("<v>") and body.endswith("</v>") and "<" not in body[3:-4]:
        return _value(kind, body[3:-4], None, sst), None
    if body.startswith("<f>"):
        f_end = body.find("</f>")
        rest = body[f_end + 4 :] if f_end >= 0 else ""
        if f_end >= 0 and "<" not in body[3:f_end] and (not rest or (rest.startswith("<v>") and rest.endswith("</v>")
                                                                      and "<" not in rest[3:-4])):
            return _value(kind, rest[3:-4] if rest else None, None, sst), _unescape(body[3:f_end])
    f = _F.search(body)
    formula = None
    if f is not None:
        if re.search(r"""\st\s*=\s*["']shared["']""", f.group(1) or "") and not f.group(2):
            return None
        formula = _unescape(f.group(2) or "")
    v = _V.search(body)
    inline = _IS.search(body)
    if inline is not None:  # an inline string whatever the type attribute says
        kind = "inlineStr"
    return _value(kind, v.group(1) if v else None, inline.group(1) if inline else None, sst), formula


@functools.lru_cache(maxsize=256)
def _kind(attrs_text: str) -> str | None:
    for m in _ATTRS.finditer(attrs_text):
        if m.group(1) == "t":
            return m.group(2) if m.group(2) is not None else m.group(3)
    return None


@functools.lru_cache(maxsize=4096)
def _row_major(ref: str) -> tuple[int, int]:
    return parse_a1(ref)


_REF_SHAPE = re.compile(r"^[A-Z]{1,3}[0-9]{1,7}$")


def _valid(ref: str) -> bool:
    return bool(_REF_SHAPE.match(ref))


_ROW = re.compile(r'<row r="([0-9]{1,7})"')


def _index(xml: str) -> dict[int, tuple[int, int]] | None:
    """Where each row's cells are, by 0-based row number, in one pass over the row tags; None when
    the markup is not the one this pass reads (``r`` not the first attribute, a namespace prefix) —
    the part then goes to the parser."""
    if xml.count("<c ") != xml.count('<c r="') or xml.count("<row ") != xml.count('<row r="'):
        return None
    starts = [(int(m.group(1)) - 1, m.start()) for m in _ROW.finditer(xml)]
    index: dict[int, tuple[int, int]] = {}
    for k, (r, at) in enumerate(starts):
        index.setdefault(r, (at, starts[k + 1][1] if k + 1 < len(starts) else len(xml)))
    return index


def _fast(xml: str, wanted: Iterable[str], sst: Any, index: dict[int, tuple[int, int]] | None = None) -> dict[str, Cell] | None:
    """Each wanted cell found within its row's span; None sends the part to the parser."""
    index = _index(xml) if index is None else index
    if index is None:
        return None
    found: dict[str, Cell] = {}
    for ref in wanted:
        span = index.get(_row_major(ref)[0])
        at = xml.find(f'<c r="{ref}"', span[0], span[1]) if span is not None else -1
        if at < 0:
            found[ref] = (None, None)
            continue
        at += len(ref) + 7
        if xml.startswith("/>", at):
            found[ref] = (None, None)
            continue
        tag_end = _TAG_END.match(xml, at)  # quoted attribute values may hold '>'
        if tag_end is None:
            return None
        close = tag_end.end() - 1
        cell = _parse_cell(xml, close + 1, xml[at:close], xml[close - 1] == "/", sst)
        if cell is None:
            return None
        found[ref] = cell
    return found


class SheetCells:
    """One worksheet part, read on demand: its index of cells is built once, however many reads follow."""

    def __init__(self, package: Any, part: str, sst: Any) -> None:
        self.package, self.part, self.sst = package, part, sst
        self._xml: str | None = None
        self._index: dict[int, tuple[int, int]] | None = None
        self._streamed = package.getinfo(part).file_size > FAST_BYTES
        if not self._streamed:
            self._xml = _clean(xml_text(package.read(part)))
            self._index = _index(self._xml)
            self._streamed = self._index is None

    def cells(self, wanted: Iterable[str]) -> dict[str, Cell]:
        """The (value, formula) of each wanted cell; (None, None) when absent."""
        if not self._streamed:
            assert self._xml is not None and self._index is not None
            fast = _fast(self._xml, wanted, self.sst, self._index)
            if fast is not None:
                return fast
            self._streamed = True
        return _streamed(self.package, self.part, set(wanted), self.sst)

    def values(self, wanted: Iterable[str]) -> dict[str, Any]:
        """Each wanted cell's value, "" read as blank (None)."""
        return {ref: (None if value == "" else value) for ref, (value, _) in self.cells(wanted).items()}


def read_cells(package: Any, part: str, wanted: Iterable[str], sst: Any) -> dict[str, Cell]:
    """The (value, formula) of each wanted cell of a worksheet part; (None, None) when absent."""
    wanted = set(wanted)
    if package.getinfo(part).file_size <= FAST_BYTES:
        fast = _fast(_clean(xml_text(package.read(part))), wanted, sst)
        if fast is not None:
            return fast
    return _streamed(package, part, wanted, sst)


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
                    col = _row_major(ref)[1]
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
                        value = text
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


def read_grid(package: Any, part: str, sst: Any, max_rows: int, max_cols: int) -> list[list[Any]]:
    """A small sheet (the metadata) as rows of values from A1, no larger than ``max_rows`` × ``max_cols``
    whatever the sheet declares or holds beyond: cells outside the bound are never read."""
    if package.getinfo(part).file_size <= FAST_BYTES:
        xml = _clean(xml_text(package.read(part)))
        simple = _simple_grid(xml, sst, max_rows, max_cols)
        if simple is not None:
            return simple
        index = _index(xml)
        if index is not None:
            refs = [m.group(1) for r, (start, end) in index.items() if r < max_rows
                    for m in re.finditer(r'<c r="([A-Z]{1,3}[0-9]{1,7})"', xml[start:end])]
            cells = _fast(xml, [ref for ref in refs if _inside(ref, max_rows, max_cols)], sst, index)
            if cells is not None:
                return _rows(cells, max_cols)
    return _rows(_streamed(package, part, None, sst, (max_rows, max_cols)), max_cols)


_SIMPLE_CELL = re.compile(r'<c r="([A-Z]{1,3})([0-9]{1,7})"((?: [a-z]+="[^"]*")*)(?:/>|><v>([^<]*)</v></c>)')


def _simple_grid(xml: str, sst: Any, max_rows: int, max_cols: int) -> list[list[Any]] | None:
    """A sheet of plain values (no formulas, no inline strings: the metadata as written) in one pass;
    None when any cell is written otherwise."""
    by_row: dict[int, dict[int, Any]] = {}
    count = 0
    for m in _SIMPLE_CELL.finditer(xml):
        count += 1
        r, c = int(m.group(2)) - 1, col_index(m.group(1))
        if r >= max_rows or c >= max_cols or m.group(4) is None:
            continue
        kind = _kind(m.group(3)) if 't="' in m.group(3) else None
        value = _value(kind, m.group(4), None, sst)
        if value is not None and value != "":
            by_row.setdefault(r, {})[c] = value
    if count != xml.count("<c "):
        return None
    rows: list[list[Any]] = []
    for r in range(max(by_row, default=-1) + 1):
        cols = by_row.get(r, {})
        rows.append([cols.get(c, "") for c in range(max(cols, default=-1) + 1)])
    return rows


def _inside(ref: str, max_rows: int, max_cols: int) -> bool:
    r, c = _row_major(ref)
    return r < max_rows and c < max_cols


def _rows(cells: dict[str, Cell], max_cols: int) -> list[list[Any]]:
    """Values by row from A1, each row as long as its last value."""
    by_row: dict[int, dict[int, Any]] = {}
    for ref, (value, _) in cells.items():
        if value is not None and value != "":
            r, c = _row_major(ref)
            by_row.setdefault(r, {})[c] = value
    rows: list[list[Any]] = []
    for r in range(max(by_row, default=-1) + 1):
        cols = by_row.get(r, {})
        rows.append([cols.get(c, "") for c in range(max(cols, default=-1) + 1)])
    return rows
