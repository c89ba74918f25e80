"""Read what the checks need from a returned workbook's XML, and nothing more.

A sheet's declared dimension or one far cell never decides what is allocated: the workbook's
structure (sheets with their ids, sheet-scoped defined names, the shared strings) is read from
its small parts, and a worksheet's cells are found by their ``r="…"`` reference — each wanted
cell's value and formula in one pass over the (bounded) part. Parts too large, or written in
markup the fast path does not expect (a namespace prefix, shared formulas), are streamed by a
defusedxml parse that keeps only the wanted cells.
"""

from __future__ import annotations

import codecs
import functools
import math
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from defusedxml import ElementTree

from ..core.protection import Protection
from ..core.refs import a1, col_index, parse_a1
from .xmlscan import _ATTRS, _REL_EL, _SHEET_EL, _attrs, _unescape, shift_formula, xml_text

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
_STYLES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_CELL_XFS = re.compile(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(r"<(?:\w+:)?xf\s([^>]*?)/?>")
_NUM_FMT = re.compile(r"<(?:\w+:)?numFmt\s([^>]*?)/?>")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, escaped characters and [colour]/[condition] sections
_PERCENT_IDS = frozenset({9, 10})  # Excel's built-in 0% and 0.00%
_PROTECTION_B = re.compile(rb"<(?:\w+:)?(sheetProtection|protectedRange)\b([^>]*?)/?>")

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
    styles_part: str | None = None
    _local: dict[int, dict[str, str]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def sheet(self, name: str) -> SheetEntry | None:
        return next((s for s in self.sheets if s.name == name), None)

    def local_names(self, index: int) -> dict[str, str]:
        """The names scoped to the sheet at ``index`` → their cell (``J12``), for single-cell references
        (worked out once: returns of one template share their Book)."""
        found = self._local.get(index)
        if found is None:
            found = self._local[index] = {}
            for name, local, text in self.names:
                if local == index:
                    cell = single_cell(text)
                    if cell:
                        found[name.upper()] = cell
        return dict(found)


_SINGLE = re.compile(r"^(?:'(?:[^']|'')+'|[^'!]+)!\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


def single_cell(text: str) -> str | None:
    """``'Sheet'!$J$12`` → ``J12``; None for ranges, formulas and anything else."""
    m = _SINGLE.match(text.strip().lstrip("="))
    return f"{m.group(1)}{m.group(2)}" if m else None


_COMMENT_B = re.compile(rb"<!--.*?-->", re.S)
_CDATA_B = re.compile(rb"<!\[CDATA\[(.*?)\]\]>", re.S)


def xml_bytes(data: bytes) -> bytes:
    """A part as UTF-8 markup the searches here read: comments gone (a commented-out ``<sheet>`` or
    ``<c>`` is not there for Excel either) and CDATA sections as the escaped text they stand for.

    Markup is ASCII, so searching the bytes finds what searching the decoded text would, at a
    byte per character and without decoding what is never read; only the values found are decoded.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<"):
        data = xml_text(data).encode("utf-8")
    if b"<!" not in data:  # neither a comment nor CDATA: one scan of the part, and it is used as it is
        return data
    if b"<!--" in data:
        data = _COMMENT_B.sub(b"", data)
    if b"<![CDATA[" in data:
        data = _CDATA_B.sub(lambda m: m.group(1).replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;"), data)
    return data


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def read_book(package: Any) -> Book:
    """The structure of the workbook in ``package`` (anything with ``read(name) -> bytes``)."""
    return _book(package.read("xl/_rels/workbook.xml.rels"), package.read("xl/workbook.xml"))


@functools.lru_cache(maxsize=64)
def _book(rels: bytes, workbook: bytes) -> Book:
    targets: dict[str, str] = {}
    sst = styles = None
    for m in _REL_EL.finditer(_text(xml_bytes(rels))):
        a = _attrs(m.group(1))
        target = a.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[a.get("Id", "")] = path
        if a.get("Type") == _SST_TYPE:
            sst = path
        elif a.get("Type") == _STYLES_TYPE:
            styles = path
    text = _text(xml_bytes(workbook))
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
    return Book(tuple(sheets), tuple(names), sst, styles)


def percent_styles(package: Any, part: str | None) -> frozenset[int]:
    """The cell styles (``s="…"`` indexes) whose number format shows a percentage: a number in such a
    cell is what its holder typed as one (300% is stored as 3)."""
    if not part or part not in package.entries:
        return frozenset()
    package.keep(part)
    package.check_prolog(part)
    return _percent_styles(package.read(part))


@functools.lru_cache(maxsize=64)
def _percent_styles(data: bytes) -> frozenset[int]:
    text = _text(xml_bytes(data))
    custom = set()
    for m in _NUM_FMT.finditer(text):
        a = _attrs(m.group(1))
        code = _QUOTED.sub("", a.get("formatCode", ""))
        if "%" in code and a.get("numFmtId", "").isdigit():
            custom.add(int(a["numFmtId"]))
    xfs = _CELL_XFS.search(text)
    out = set()
    for k, m in enumerate(_XF.finditer(xfs.group(1) if xfs else "")):
        fmt = _attrs(m.group(1)).get("numFmtId", "0")
        if fmt.isdigit() and (int(fmt) in _PERCENT_IDS or int(fmt) in custom):
            out.add(k)
    return frozenset(out)


class SharedStrings:
    """The shared strings, decoded when first asked for (a return reads a few dozen of its hundreds)."""

    def __init__(self, xml: bytes) -> None:
        self.general: list[str] | None = None
        self.parts: list[bytes] = []
        if b"<si>" not in xml or b":si" in xml or b"<si " in xml:
            self.general = _strings_general(_text(xml))
        else:
            self.parts = xml.split(b"<si>")[1:]  # each begins with its string's markup
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
            found = _DECODED.get(part)
            if found is None:
                found = _decode_si(part)
                if len(part) <= 4096:
                    if len(_DECODED) >= 2048:  # at most ~8 MB
                        _DECODED.clear()
                    _DECODED[part] = found
            self.decoded[i] = found
        return found


# Strings decoded in this process, by their markup: returns of one template share most of them (the
# metadata's keys, rules and cell map), so each is decoded once rather than once a file.
_DECODED: dict[bytes, str] = {}


def _decode_si(part: bytes) -> str:
    end = part.find(b"</si>")
    body = part[: end if end >= 0 else len(part)]
    if body.startswith(b"<t>") and body.endswith(b"</t>") and b"<" not in body[3:-4]:
        return excel_text(_unescape(_text(body[3:-4])))  # one plain run: how XlsxWriter and Excel write most strings
    return excel_text(_unescape("".join(t.group(1) or "" for t in _T.finditer(_RPH.sub("", _text(body))))))


_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def excel_text(text: str) -> str:
    """A string as Excel means it: its ``_xHHHH_`` escapes decoded (``_x000D_`` is a carriage return,
    ``_x005F_`` an underscore, so ``_x005F_x000D_`` is the text "_x000D_"), as Excel writes characters
    XML cannot hold and as XlsxWriter writes them too."""
    return _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def shared_strings(package: Any, part: str | None) -> SharedStrings:
    """The workbook's shared strings (rich text joined, phonetic runs left out); empty without any."""
    if not part or part not in package.entries:
        return SharedStrings(b"")
    package.keep(part)  # inflated once: the DTD check reads the kept copy
    package.check_prolog(part)
    return SharedStrings(xml_bytes(package.read(part)))


def _strings_general(text: str) -> list[str]:
    """Shared strings in any markup (prefixes, attributes on ``<si>``): rich runs joined, phonetic runs left out."""
    return [excel_text(_unescape("".join(t.group(1) or "" for t in _T.finditer(_RPH.sub("", m.group(1) or "")))))
            for m in _SI.finditer(text)]


def _value(kind: str | None, v: str | None, inline: str | None, sst: Any) -> Any:
    """A cell's value as the reader sees it: a shared or inline string, a number, a boolean, an error text."""
    if kind == "inlineStr":
        return excel_text(_unescape("".join(t.group(1) or "" for t in _T.finditer(inline or "")))) if inline is not None else None
    if v is None:
        return None
    if kind == "s":
        try:
            return sst[int(v)]
        except (ValueError, IndexError):
            return None
    if kind == "str":
        return excel_text(_unescape(v))
    if kind in ("e", "d"):
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


@functools.lru_cache(maxsize=256)
def _kind_of(attrs: bytes) -> str | None:
    return _kind(_text(attrs)) if b"t" in attrs else None


@functools.lru_cache(maxsize=4096)
def _row_major(ref: str) -> tuple[int, int]:
    return parse_a1(ref)


@functools.lru_cache(maxsize=4096)
def _needle(ref: str) -> bytes:
    return f'<c r="{ref}"'.encode("ascii")


_REF_SHAPE = re.compile(r"^[A-Z]{1,3}[0-9]{1,7}$")


def _valid(ref: str) -> bool:
    return bool(_REF_SHAPE.match(ref))


# A cell as XlsxWriter, Excel and LibreOffice write it: attributes, then an optional formula (its
# attributes as LibreOffice's aca="false") and an optional value, each plain text.
_CELL_AT = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"((?:\s+[A-Za-z]+="[^"]*")*)\s*'
                      rb'(?:/>|>(?:<f((?:\s+[A-Za-z]+="[^"]*")*)>([^<]*)</f>)?(?:<v>([^<]*)</v>)?</c>)')
_TAG_END_B = re.compile(rb"""(?:[^>"']|"[^"]*"|'[^']*')*>""")


_UNSEARCHABLE = re.compile(rb'<c(?=[\s>/])(?! r=")')  # a cell whose start tag does not begin with its reference


def _searchable(xml: bytes) -> bool:
    """Every cell's start tag is ``<c r="…"``: a search by reference then finds each cell there is."""
    return _UNSEARCHABLE.search(xml) is None


def _fast(xml: bytes, wanted: Iterable[str], sst: Any, checked: bool = False) -> dict[str, Cell] | None:
    """Each wanted cell found by its reference; None sends the part to the parser (``checked``: the
    part is known to be searchable). Cells are stored in row order, so each search starts where the
    last one was found (and looks before it only if not)."""
    if not checked and not _searchable(xml):
        return None
    found: dict[str, Cell] = {}
    after = 0
    for ref, needle in _in_order(wanted if type(wanted) is tuple else tuple(wanted)):
        at = xml.find(needle, after)
        if at < 0:
            at = xml.find(needle, 0, after + len(needle))
            if at < 0:
                found[ref] = (None, None)
                continue
        else:
            after = at
        variants = _SEEN_CELLS.get(needle)
        if variants is not None:  # inlined _seen_cell: a scorecard has 60 to 150 wanted cells
            for markup, known, shared, known_formula in variants:
                if xml.startswith(markup, at):
                    if shared >= 0:
                        try:
                            known = sst[shared]
                        except IndexError:
                            known = None
                    found[ref] = (known, known_formula)
                    break
            else:
                variants = None
            if variants is not None:
                continue
        m = _CELL_AT.match(xml, at)
        if m is None:
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
                kind = _kind_of(attrs)
                value = _value(kind, _text(v), None, sst)
        formula = None if f_text is None else _unescape(_text(f_text))
        found[ref] = (value, formula)
        if kind != "s":
            _remember(needle, xml[at : m.end()], value, -1, formula)
        elif v is not None and v.isdigit():  # an index as written; any other text reads through this file's strings
            _remember(needle, xml[at : m.end()], None, int(v), formula)
    return found


# Cells read in this process, by the start of their tag, with what they read as: returns of one template
# share most of their cells byte for byte (rules, formulas, labels), so each is parsed once. A cell is
# taken from here only when its markup is the same to the last byte; a shared string is looked up anew
# in the file's own strings.
_SEEN_CELLS: dict[bytes, list[tuple[bytes, Any, int, str | None]]] = {}
VARIANTS, SEEN_CELLS = 4, 4096  # a template's plan wants 60–150 cells; at most ~8 MB however varied the returns


def _remember(needle: bytes, markup: bytes, value: Any, shared: int, formula: str | None) -> None:
    if len(markup) > 512:
        return  # long texts and formulas: rarely the same twice
    if len(_SEEN_CELLS) >= SEEN_CELLS:
        _SEEN_CELLS.clear()
    variants = _SEEN_CELLS.setdefault(needle, [])
    if len(variants) >= VARIANTS:
        variants.pop(0)
    variants.append((markup, value, shared, formula))


@functools.lru_cache(maxsize=64)
def _in_order(wanted: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    """The wanted cells in row order, each with the text its start tag begins with (a plan's, once)."""
    return tuple((ref, _needle(ref)) for ref in sorted(wanted, key=_row_major))


def _general_cell(xml: bytes, at: int, sst: Any) -> Cell | None:
    """A cell in any other markup (inline strings, rich text, attributes in other quotes), read from
    its own decoded text; None when unusual (a shared formula)."""
    tag_end = _TAG_END_B.match(xml, at + 2)  # quoted attribute values may hold '>'
    if tag_end is None:
        return None
    close = tag_end.end() - 1
    if xml[close - 1 : close] == b"/":
        return None, None
    end = xml.find(b"</c>", close)
    if end < 0:
        return None
    return _parse_cell(_text(xml[close + 1 : end + 4]), 0, _text(xml[at + 2 : close]), False, sst)


class SheetCells:
    """One worksheet part, read on demand: inflated and checked once, however many reads follow."""

    def __init__(self, package: Any, part: str, sst: Any) -> None:
        self.package, self.part, self.sst = package, part, sst
        self._xml: bytes | None = None
        self._streamed = package.getinfo(part).file_size > FAST_BYTES
        if not self._streamed:
            self._xml = xml_bytes(package.read(part))
            self._streamed = not _searchable(self._xml)

    def cells(self, wanted: Iterable[str]) -> dict[str, Cell]:
        """The (value, formula) of each wanted cell; (None, None) when absent."""
        if not self._streamed:
            assert self._xml is not None
            fast = _fast(self._xml, wanted, self.sst, checked=True)
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
                    found = re.search(rb'\ss\s*=\s*["\'](\d{1,6})["\']', self._xml[at:end.end()])
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

    def protection(self) -> Protection:
        """The sheet's protection as stored: on or off, its password's hash, each edit range's (a hash Excel
        writes in another algorithm reads as itself, so it never equals a legacy one)."""
        if not self._streamed and self._xml is not None:
            end = self._xml.rfind(b"sheetData>")  # the schema puts protection after the cells: only the tail is read
            return _protection_in(self._xml[max(end, 0):])  # returns of a template share it, byte for byte
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
        """The rows (0-based, ``first``..``last``) holding a cell of ``column`` (letters), found in one pass over
        the part; None when the part is streamed (the caller then asks for the cells it must look at)."""
        if self._streamed or self._xml is None:
            return None
        rows = (int(m.group(1)) - 1 for m in re.finditer(rb'<c r="' + column.encode("ascii") + rb'(\d{1,7})"', self._xml))
        return [r for r in rows if first <= r <= last]

    def values(self, wanted: Iterable[str]) -> dict[str, Any]:
        """Each wanted cell's value, "" read as blank (None)."""
        return {ref: (None if value == "" else value) for ref, (value, _) in self.cells(wanted).items()}


@functools.lru_cache(maxsize=128)
def _protection_in(tail: bytes) -> Protection:
    return _protection([(m.group(1).decode("ascii"), _attrs(_text(m.group(2)))) for m in _PROTECTION_B.finditer(tail)])


def _protection(found: list[tuple[str, dict[str, str]]]) -> Protection:
    on, password, ranges = False, "", {}
    for tag, a in found:
        secret = (a.get("password") or (f"{a.get('algorithmName', '')}:{a.get('hashValue', '')}" if a.get("hashValue") else "")).upper()
        if tag == "sheetProtection":
            on, password = a.get("sheet", "0").lower() in ("1", "true"), secret
        else:
            ranges[a.get("name", "")] = secret
    return Protection(on, password, ranges)


def read_cells(package: Any, part: str, wanted: Iterable[str], sst: Any) -> dict[str, Cell]:
    """The (value, formula) of each wanted cell of a worksheet part; (None, None) when absent."""
    wanted = set(wanted)
    if package.getinfo(part).file_size <= FAST_BYTES:
        fast = _fast(xml_bytes(package.read(part)), wanted, sst)
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


def read_grid(package: Any, part: str, sst: Any, max_rows: int, max_cols: int) -> list[list[Any]]:
    """A small sheet (the metadata) as rows of values from A1, no larger than ``max_rows`` × ``max_cols``
    whatever the sheet declares or holds beyond: cells outside the bound are never read."""
    if package.getinfo(part).file_size <= FAST_BYTES:
        raw = package.read(part)
        skeleton = _skeleton(raw, max_rows, max_cols)
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
            cells = _fast(xml, refs, sst, checked=True)
            if cells is not None:
                return _rows(cells, max_cols)
    return _rows(_streamed(package, part, None, sst, (max_rows, max_cols)), max_cols)


_REF_IN = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"')
_SIMPLE_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"((?: [a-z]+="[^"]*")*)(?:/>|><v>([^<]*)</v></c>)')
# (row, column, type, raw value, shared string index or -1) of each cell holding a value
Skeleton = tuple[tuple[int, int, "str | None", str, int], ...]
_SKELETONS: dict[tuple[bytes, int, int], Skeleton | None] = {}
SKELETON_BYTES = 65_536  # metadata sheets up to this size are parsed once per process (every return of a template shares one)


def _skeleton(raw: bytes, max_rows: int, max_cols: int) -> Skeleton | None:
    """The cells of a sheet of plain values (no formulas, no inline strings: the metadata as written),
    parsed once for each distinct part (``raw``: as stored); None when any cell is written otherwise.
    The values stay raw (a shared string's index): each file resolves them against its own strings."""
    key = (raw, max_rows, max_cols)
    if len(raw) <= SKELETON_BYTES and key in _SKELETONS:
        return _SKELETONS[key]
    xml = xml_bytes(raw)
    cells = []
    count = 0
    for m in _SIMPLE_CELL.finditer(xml):
        count += 1
        r, c = int(m.group(2)) - 1, col_index(_text(m.group(1)))
        if r >= max_rows or c >= max_cols or m.group(4) is None:
            continue
        kind, value = _kind_of(m.group(3)), _text(m.group(4))
        cells.append((r, c, kind, value, int(value) if kind == "s" and value.isdigit() and value.isascii() else -1))
    skeleton = tuple(cells) if count == xml.count(b'<c r="') and _searchable(xml) else None
    if len(raw) <= SKELETON_BYTES:
        if len(_SKELETONS) >= 16:
            _SKELETONS.clear()
        _SKELETONS[key] = skeleton
    return skeleton


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
    return _by_row(by_row)


def _by_row(by_row: dict[int, dict[int, Any]]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for r in range(max(by_row, default=-1) + 1):
        cols = by_row.get(r, {})
        rows.append([cols.get(c, "") for c in range(max(cols, default=-1) + 1)])
    return rows
