"""A returned .xlsx workbook's own parts: its structure (sheets, sheet-scoped defined names), its shared
strings and which of its cell styles show percentages — read from the small parts with regular
expressions over the bytes, never with a full XML parse, and remembered in the reader's cache by the
exact bytes they were read from (returns of one template share them).
"""

from __future__ import annotations

import codecs
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from .caches import Bounded
from .returned import SheetEntry
from .xmlscan import _attrs, _unescape, xml_text

__all__ = ["Book", "SheetEntry", "SharedStrings", "read_book", "shared_strings", "percent_styles", "single_cell", "xml_bytes",
           "excel_text"]

_DEFINED = re.compile(r"<(?:\w+:)?definedName\s([^>]*?)>(.*?)</(?:\w+:)?definedName>", re.S)
_SI = re.compile(r"<(?:\w+:)?si(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_T = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_RPH = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SHEET_EL = re.compile(r"<(?:\w+:)?sheet\s([^>]*?)/?>")
_REL_EL = re.compile(r"<(?:\w+:)?Relationship\s([^>]*?)/?>")
_SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_STYLES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_CELL_XFS = re.compile(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(r"<(?:\w+:)?xf\s([^>]*?)/?>")
_NUM_FMT = re.compile(r"<(?:\w+:)?numFmt\s([^>]*?)/?>")
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, escaped characters and [colour]/[condition] sections
_PERCENT_IDS = frozenset({9, 10})  # Excel's built-in 0% and 0.00%


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
    if not _declares(data):  # neither a comment nor CDATA: the part is used as it is
        return data
    if b"<!--" in data:
        data = _COMMENT_B.sub(b"", data)
    if b"<![CDATA[" in data:
        data = _CDATA_B.sub(lambda m: m.group(1).replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;"), data)
    return data


def _declares(data: bytes) -> bool:
    """Whether the part holds "<!" (a comment, CDATA). Found through its rare "!" (one fast byte search per "!"):
    a search for the two bytes together stops at every "<" of the markup, ten times slower on a sheet."""
    at = data.find(b"!")
    while at >= 0:
        if at and data[at - 1] == 0x3C:  # "<"
            return True
        at = data.find(b"!", at + 1)
    return False


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def read_book(package: Any, books: Bounded[tuple[bytes, bytes], Any] | None = None) -> Book:
    """The structure of the workbook in ``package`` (anything with ``read(name) -> bytes``), parsed once per
    distinct pair of parts when ``books`` remembers them."""
    key = (package.read("xl/_rels/workbook.xml.rels"), package.read("xl/workbook.xml"))
    found = books.get(key) if books is not None else None
    if found is None:
        found = _book(*key)
        if books is not None:
            books.put(key, found)
    return found


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


def percent_styles(package: Any, part: str | None, cache: Bounded[bytes, frozenset[int]] | None = None) -> frozenset[int]:
    """The cell styles (``s="…"`` indexes) whose number format shows a percentage: a number in such a
    cell is what its holder typed as one (300% is stored as 3). Checked before it is read."""
    if not part or part not in package.entries:
        return frozenset()
    data = package.xml(part)
    found = cache.get(data) if cache is not None else None
    if found is None:
        found = _percent_styles(data)
        if cache is not None:
            cache.put(data, found)
    return found


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
    """The shared strings, decoded when first asked for (a return reads a few dozen of its hundreds); with
    ``decoded`` (the reader's cache) a string whose markup was decoded before, byte for byte, is not decoded again."""

    def __init__(self, xml: bytes, decoded: Bounded[bytes, str] | None = None, long: Bounded[bytes, str] | None = None) -> None:
        self.general: list[str] | None = None
        self.parts: list[bytes] = []
        if b"<si>" not in xml or b":si" in xml or b"<si " in xml:
            self.general = _strings_general(_text(xml))
        else:
            self.parts = xml.split(b"<si>")[1:]  # each begins with its string's markup
        self.decoded: dict[int, str] = {}
        self.known = decoded if decoded is not None else Bounded(0)
        self.long = long if long is not None else Bounded(0)  # longer strings: a spec's rules LibreOffice saved as rich text

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
            known = self.known if len(part) <= STRING_BYTES else self.long
            found = known.get(part)
            if found is None:
                found = _decode_si(part)
                if len(part) <= (STRING_BYTES if known is self.known else LONG_STRING_BYTES) and known.size:
                    known.put(part, found)
            self.decoded[i] = found
        return found


STRING_BYTES = 4096  # a string's markup up to this size is remembered among the reader's 2,048 strings (~8 MB)
LONG_STRING_BYTES = 262_144  # a longer one up to this size among 16 of its own (≤ 4 MB): a template's rules as rich text


def _decode_si(part: bytes) -> str:
    end = part.find(b"</si>")
    body = part[: end if end >= 0 else len(part)]
    if body.startswith(b"<t>") and body.endswith(b"</t>") and b"<" not in body[3:-4]:
        return excel_text(_unescape(_text(body[3:-4])))  # one plain run: how XlsxWriter and Excel write most strings
    return excel_text(_unescape("".join(t.group(1) or "" for t in _T.finditer(_without_phonetic(_text(body))))))


def _without_phonetic(text: str) -> str:
    """Rich text without its phonetic runs (``<rPh>``: none without those three letters, so none searched for then)."""
    return _RPH.sub("", text) if "rPh" in text else text


_X_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def excel_text(text: str) -> str:
    """A string as Excel means it: its ``_xHHHH_`` escapes decoded (``_x000D_`` is a carriage return,
    ``_x005F_`` an underscore, so ``_x005F_x000D_`` is the text "_x000D_"), as Excel writes characters
    XML cannot hold and as XlsxWriter writes them too."""
    return _X_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def shared_strings(package: Any, part: str | None, decoded: Bounded[bytes, str] | None = None,
                   long: Bounded[bytes, str] | None = None) -> SharedStrings:
    """The workbook's shared strings (rich text joined, phonetic runs left out); empty without any. Checked
    before it is read."""
    if not part or part not in package.entries:
        return SharedStrings(b"")
    return SharedStrings(xml_bytes(package.xml(part)), decoded, long)


def _strings_general(text: str) -> list[str]:
    """Shared strings in any markup (prefixes, attributes on ``<si>``): rich runs joined, phonetic runs left out."""
    return [excel_text(_unescape("".join(t.group(1) or "" for t in _T.finditer(_without_phonetic(m.group(1) or "")))))
            for m in _SI.finditer(text)]


