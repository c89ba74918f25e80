"""Refuse hostile or broken packages before any parser sees them.

Checks run on bytes and on the zip's central directory only: format by the first bytes (an
encrypted workbook is an OLE file, not a zip), declared sizes, entry count and compression
ratio (a zip bomb is rejected before it is inflated), duplicate entry names (two readers
could pick different ones), and a DOCTYPE/ENTITY scan of the prolog of every XML part a
parser opens: the four read on opening here, each worksheet by the reader before it reads
it (ledgers, charts, drawings and themes are never parsed). No macro is ever run; their
presence is reported.

The formats part (``xl/styles.xml``) is the one part that may compress beyond the ratio: a
workbook of many identical formats is ordinary, so it is bounded by size and by Excel's own
limit of 64,000 cell formats (counted as it is inflated) instead of being taken for a bomb.

The central directory of an ordinary package is read here directly (a returned file is
checked ~0.2 ms faster than through :mod:`zipfile`); anything unusual — zip64, data before
the archive, a multi-disk set — goes through :mod:`zipfile`'s general reader instead.

Returned workbooks (:mod:`xl_kpi.consolidation`) and HR's own tables (:mod:`.tables`) are
both opened through these checks.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import IO, Any

from .text import Text
from .zipdir import LOCAL as _LOCAL
from .zipdir import Entry, _directory, _general_directory

__all__ = ["Entry", "Limits", "Package", "Rejected", "SeenParts", "open_package", "open_zip", "file_kind", "EXCEL_FORMATS"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Limits:
    """Bounds for one returned file; defaults fit scorecards with plenty of room."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_entries: int = 2_000
    max_entry_bytes: int = 200 * 1024 * 1024
    max_total_bytes: int = 400 * 1024 * 1024
    max_ratio: float = 200.0  # XML compresses 10–50×; far beyond is a bomb
    seconds: int = 60
    memory_bytes: int = 2 * 1024 * 1024 * 1024
    max_formats_bytes: int = 32 * 1024 * 1024  # the formats part, at any ratio: 64,000 formats fit with room


EXCEL_FORMATS = 64_000  # cell formats Excel allows in one workbook
FORMATS_PART = "xl/styles.xml"


class Rejected(Exception):
    """The file cannot be read safely; ``code`` and ``fields`` name the issue."""

    def __init__(self, code: str, **fields: Any) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields


SMALL_PART = 65_536  # parts up to this size are inflated whole once and kept (a scorecard sheet is ~17-50 KB)
SEEN_PARTS = 64


class SeenParts:
    """Small parts already inflated and checked, by their compressed bytes: every return of a template shares
    its workbook structure, styles and metadata sheet, so a reader that keeps one of these across files inflates
    those once, not per file. A part is taken from here only when its compressed bytes equal the ones read
    before, byte for byte. Bounded: the least recently used part goes first."""

    def __init__(self, size: int = SEEN_PARTS) -> None:
        self.size = size
        self.parts: OrderedDict[tuple[int, int, int, int], list[Any]] = OrderedDict()  # key → [compressed, inflated, prolog checked]
        self.names: dict[tuple[str, ...], bool] = {}  # part names → no two are one part to a reader (checked once)

    def distinct(self, names: tuple[str, ...]) -> bool:
        found = self.names.get(names)
        if found is None:
            if len(self.names) >= self.size:
                self.names.clear()
            found = self.names[names] = _distinct_parts(names)
        return found


_OPENED = ("xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml")  # parsed on opening


class Package:
    """A checked package: its entries by name, read straight from the file's bytes."""

    def __init__(self, data: bytes, entries: dict[str, Entry], zf: zipfile.ZipFile | None = None,
                 seen: SeenParts | None = None) -> None:
        self.data = data
        self.entries = entries
        self._zip = zf
        self._cache: dict[str, bytes] = {}
        self._seen: dict[str, list[Any]] = {}  # kept parts → their entry in ``seen`` (whose prolog check is remembered)
        self._parts = seen.parts if seen is not None else OrderedDict()
        self._size = seen.size if seen is not None else 0

    @property
    def macros(self) -> bool:
        return "xl/vbaProject.bin" in self.entries

    def getinfo(self, name: str) -> Entry:
        return self.entries[name]

    def macro_digest(self) -> str:
        """SHA-256 of the VBA project ("" without one), to compare with what was issued."""
        return hashlib.sha256(self.read("xl/vbaProject.bin")).hexdigest() if self.macros else ""

    def _stream(self, entry: Entry) -> tuple[memoryview, zlib._Decompress | None]:
        """The entry's compressed bytes and, when deflated, a raw-inflate decompressor."""
        at = entry.header_offset
        if self.data[at : at + 4] != _LOCAL:
            raise Rejected("corrupt-file", detail=f"{entry.filename}: bad local header")
        name_len, extra_len = struct.unpack_from("<HH", self.data, at + 26)
        start = at + 30 + name_len + extra_len
        raw = memoryview(self.data)[start : start + entry.compress_size]
        if entry.compress_type == zipfile.ZIP_STORED:
            return raw, None
        if entry.compress_type != zipfile.ZIP_DEFLATED:
            raise Rejected("corrupt-file", detail=f"{entry.filename}: unsupported compression {entry.compress_type}")
        return raw, zlib.decompressobj(-15)

    def read(self, name: str) -> bytes:
        """A whole member, inflated no further than its declared size and checked against its CRC."""
        if name in self._cache:
            return self._cache[name]
        entry = self.entries[name]
        raw, inflater = self._stream(entry)
        small = entry.file_size <= SMALL_PART
        key = (entry.CRC, entry.file_size, entry.compress_size, entry.compress_type)
        if small:
            seen = self._parts.get(key)
            # the very bytes read and checked before: the same part (compared as bytes: memcmp, where a memoryview
            # compares byte by byte through its format, ~5 instructions a byte)
            if seen is not None and bytes(raw) == seen[0]:
                self._parts.move_to_end(key)
                self._cache[name], self._seen[name] = seen[1], seen
                return seen[1]
        try:
            if inflater is None or entry.file_size == 0:  # max_length 0 would mean "no limit" to zlib
                out = bytes(raw[: entry.file_size])
            else:
                out = inflater.decompress(raw, entry.file_size)
        except zlib.error as exc:
            raise Rejected("corrupt-file", detail=f"{name}: {exc}") from None
        if len(out) != entry.file_size or zlib.crc32(out) != entry.CRC:
            raise Rejected("corrupt-file", detail=f"{name}: contents do not match the zip directory")
        if small:
            self._cache[name] = out
            self._seen[name] = entry_seen = [bytes(raw), out, False]  # [compressed, inflated, prolog checked]
            if self._size:
                self._parts[key] = entry_seen
                if len(self._parts) > self._size:
                    self._parts.popitem(last=False)
        return out

    def xml(self, name: str) -> bytes:
        """A part as a parser may be given it: inflated no further than its declared size, checked against its
        CRC, and its prolog checked for a DTD (raises Rejected otherwise)."""
        self.keep(name)  # a small part inflated once: the prolog check reads the kept copy
        self.check_prolog(name)
        return self.read(name)

    def keep(self, name: str) -> None:
        """Inflate a small part whole and keep it: later reads and the DTD check use that copy."""
        if self.entries[name].file_size <= SMALL_PART:
            self.read(name)

    def open(self, name: str) -> IO[bytes]:
        """A member as a stream (for parts too large to read whole)."""
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self.data))
        return self._zip.open(name)

    def check_prolog(self, name: str) -> None:
        """Refuse a part that declares a DTD; only the XML before its root element is inflated."""
        entry = self.entries[name]
        if name in self._cache:
            seen = self._seen.get(name)
            if seen is not None and seen[2]:
                return
            whole = self._cache[name]
            verdict = _prolog_verdict(whole[:4096])  # a prolog is a few lines; only a long one needs the rest
            if verdict == "more":
                verdict = _prolog_verdict(whole)
            if verdict == "dtd":
                raise Rejected("xml-entities", part=name)
            if seen is not None:
                seen[2] = True
            return
        raw, inflater = self._stream(entry)
        head, fed, step = b"", 0, 512
        while fed < len(raw) and len(head) < entry.file_size:
            chunk = raw[fed : fed + step]
            fed, step = fed + len(chunk), step * 4
            try:
                head += bytes(chunk) if inflater is None else inflater.decompress(
                    inflater.unconsumed_tail + chunk, entry.file_size - len(head))
            except zlib.error as exc:
                raise Rejected("corrupt-file", detail=f"{name}: {exc}") from None
            verdict = _prolog_verdict(head)
            if verdict == "dtd":
                raise Rejected("xml-entities", part=name)
            if verdict == "root":
                return


_PROLOG_TOKEN = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)


def _prolog_verdict(head: bytes) -> str:
    """``"dtd"`` if the prolog declares a DTD, ``"root"`` once the root element starts, else ``"more"``."""
    text = head.replace(b"\0", b"")  # UTF-16/32 markup is ASCII with NULs between
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(bom):
            text = text[len(bom) :]
            break
    pos = 0
    while True:
        m = _PROLOG_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
    rest = text[pos:].lstrip()
    if rest.startswith(b"<!DOCTYPE") or rest.startswith(b"<!ENTITY"):
        return "dtd"
    if b"<!DOCTYPE".startswith(rest) or rest.startswith((b"<!--", b"<?")):
        return "more"  # a declaration or comment cut off by the end of what was inflated so far
    return "root"


_KINDS = ((b"%PDF", Text("PDF 文档", "a PDF document")), (b"\x89PNG", Text("PNG 图片", "a PNG image")),
          (b"\xff\xd8\xff", Text("JPEG 图片", "a JPEG image")), (b"{\\rtf", Text("RTF 文档", "an RTF document")),
          (b"Rar!", Text("RAR 压缩包", "a RAR archive")), (b"7z\xbc\xaf", Text("7z 压缩包", "a 7z archive")),
          (b"\x1f\x8b", Text("gzip 压缩文件", "a gzip file")))


def file_kind(data: bytes) -> Text:
    """What a file that is not a workbook looks like, in words HR can act on (not its first bytes in hex)."""
    for magic, kind in _KINDS:
        if data.startswith(magic):
            return kind
    head = data[:512].lstrip(b"\xef\xbb\xbf").lstrip()
    if head[:1] == b"<" and (b"html" in head.lower() or b"<?xml" in head.lower()):
        return Text("网页或 XML 文本", "a web page or XML text")
    try:
        head.decode("utf-8")
        return Text("纯文本(可能是改了扩展名的 CSV)", "plain text (perhaps a CSV renamed)")
    except UnicodeDecodeError:
        return Text("未知的二进制格式", "an unknown binary format")  # never its bytes: a report must not quote a file


def _distinct_parts(names: tuple[str, ...]) -> bool:
    """No two names are one part to a reader."""
    return len({_part_key(n) for n in names}) == len(names)


def _part_key(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").casefold()


_XF_TOKEN = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(cellXfs|xf)(?=[\s/>])")


def _cell_formats(package: Package, name: str) -> int:
    """How many cell formats (``<xf>`` in ``<cellXfs>``) a formats part holds, counted as it is
    inflated in steps (never whole); stops counting past Excel's limit."""
    raw, inflater = package._stream(package.entries[name])
    left, count, inside, pending = package.entries[name].file_size, 0, False, b""
    for at in range(0, max(len(raw), 1), 1 << 16):
        chunk = bytes(raw[at : at + (1 << 16)])
        try:
            out = chunk if inflater is None else inflater.decompress(inflater.unconsumed_tail + chunk, left)
        except zlib.error as exc:
            raise Rejected("corrupt-file", detail=f"{name}: {exc}") from None
        left -= len(out)
        text = pending + out
        cut = max(0, len(text) - 64)  # a token cut by the step is read with the next one
        if at + (1 << 16) >= len(raw):
            cut = len(text)
        for m in _XF_TOKEN.finditer(text, 0, cut):
            if m.group(2) == b"cellXfs":
                inside = not m.group(1)
            elif inside and not m.group(1):
                count += 1
        pending = text[cut:]
        if count > EXCEL_FORMATS or left <= 0:
            break
    return count


def open_zip(data: bytes, limits: Limits, seen: SeenParts | None = None) -> Package:
    """Check a zip package's bytes (sizes, ratio, entry count, encryption, duplicate parts); returns it
    opened, with no part inflated. :func:`open_package` adds what a workbook must hold. With ``seen``, small
    parts another package held byte for byte are taken as already inflated and checked."""
    if not data:
        raise Rejected("empty-file")
    if len(data) > limits.max_file_bytes:
        raise Rejected("too-large", size=len(data), limit=limits.max_file_bytes)
    if data.startswith(_OLE):
        raise Rejected("encrypted" if _ENCRYPTED in data else "legacy-xls")
    if not data.startswith(_LOCAL):
        raise Rejected("not-a-workbook", head=file_kind(data))
    zf = None
    formats = False
    infos = _directory(data)
    if infos is None:
        try:
            infos, zf = _general_directory(data)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise Rejected("corrupt-file", detail=str(exc)) from None
    if len(infos) > limits.max_entries:
        raise Rejected("zip-bomb", detail=f"{len(infos)} entries > {limits.max_entries}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_entry_bytes:
            raise Rejected("zip-bomb", detail=f"{info.filename}: {info.file_size} bytes > {limits.max_entry_bytes}")
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            if info.filename != FORMATS_PART or info.file_size > limits.max_formats_bytes:
                raise Rejected("zip-bomb", detail=f"{info.filename}: ratio {info.file_size / info.compress_size:.0f} > {limits.max_ratio:.0f}")
            formats = True  # many identical formats compress far: bounded by their count instead
        if info.flag_bits & 0x1:
            raise Rejected("encrypted")
    if total > limits.max_total_bytes:
        raise Rejected("zip-bomb", detail=f"{total} bytes uncompressed > {limits.max_total_bytes}")
    entries = {info.filename: info for info in infos}
    # Part names compare as readers resolve them: without case, '\\' as '/', no leading '/'. Two
    # entries one reader merges and another tells apart could show each a different part.
    if len(entries) != len(infos) or not (seen.distinct(tuple(entries)) if seen is not None else _distinct_parts(tuple(entries))):
        keys = Counter(_part_key(info.filename) for info in infos)
        dup = next(info.filename for info in infos if keys[_part_key(info.filename)] > 1)
        raise Rejected("corrupt-file", detail=f"{dup}: the archive holds this part twice")
    package = Package(data, entries, zf, seen)
    if formats and (count := _cell_formats(package, FORMATS_PART)) > EXCEL_FORMATS:
        raise Rejected("too-many-formats", count=count, limit=EXCEL_FORMATS)
    return package


def open_package(data: bytes, limits: Limits, seen: SeenParts | None = None) -> Package:
    """Check a returned workbook's bytes; returns the opened package (``seen``: as :func:`open_zip`)."""
    package = open_zip(data, limits, seen)
    entries = package.entries
    if "[Content_Types].xml" not in entries or "xl/workbook.xml" not in entries:
        raise Rejected("corrupt-file", detail="missing [Content_Types].xml or xl/workbook.xml")
    for name in _OPENED:
        if name in entries:
            package.keep(name)  # small parts whole: a template's are inflated once per reader (``seen``)
            package.check_prolog(name)
    return package
