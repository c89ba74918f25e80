"""Refuse hostile or broken packages before any parser sees them.

Checks run on bytes and on the zip's central directory only: format by the first bytes (an
encrypted workbook is an OLE file, not a zip), declared sizes, entry count and compression
ratio (a zip bomb is rejected before it is inflated), and a DOCTYPE/ENTITY scan of every
parsed XML part's head (charts, drawings and themes are never parsed). No macro is ever run; their presence is reported.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

__all__ = ["Limits", "Package", "Rejected", "open_package"]

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


class Rejected(Exception):
    """The file cannot be read safely; ``code`` and ``fields`` name the issue."""

    def __init__(self, code: str, **fields: Any) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields


def _parsed(name: str) -> bool:
    """Parts that calamine or our own checks parse; charts, drawings and themes are never opened."""
    return (name.endswith(".rels") or name in ("xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml")
            or (name.startswith("xl/worksheets/") and name.endswith(".xml")))


def _head(data: bytes, info: zipfile.ZipInfo, size: int = 4096) -> bytes:
    """The first bytes of an entry, inflated straight from the package bytes (no full read)."""
    at = info.header_offset
    if data[at : at + 4] != b"PK\x03\x04":
        raise Rejected("corrupt-file", detail=f"{info.filename}: bad local header")
    name_len, extra_len = struct.unpack("<HH", data[at + 26 : at + 30])
    start = at + 30 + name_len + extra_len
    raw = data[start : start + min(info.compress_size, size * 4 + 1024)]
    if info.compress_type == zipfile.ZIP_STORED:
        return raw[:size]
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise Rejected("corrupt-file", detail=f"{info.filename}: unsupported compression {info.compress_type}")
    try:
        return zlib.decompressobj(-15).decompress(raw, size)
    except zlib.error as exc:
        raise Rejected("corrupt-file", detail=f"{info.filename}: {exc}") from None


@dataclass
class Package:
    """A checked package: the zip, whether it carries macros, and small parts already inflated."""

    zip: zipfile.ZipFile
    macros: bool
    small_parts: dict[str, bytes]

    def macro_digest(self) -> str:
        """SHA-256 of the VBA project ("" without one), to compare with what was issued."""
        return hashlib.sha256(self.zip.read("xl/vbaProject.bin")).hexdigest() if self.macros else ""

    def read(self, name: str) -> bytes:
        return self.small_parts[name] if name in self.small_parts else self.zip.read(name)


def open_package(data: bytes, limits: Limits) -> Package:
    """Check a returned file's bytes; returns the opened package."""
    if not data:
        raise Rejected("empty-file")
    if len(data) > limits.max_file_bytes:
        raise Rejected("too-large", size=len(data), limit=limits.max_file_bytes)
    if data.startswith(_OLE):
        raise Rejected("encrypted" if _ENCRYPTED in data else "legacy-xls")
    if not data.startswith(b"PK\x03\x04"):
        head = data[:8].hex(" ")
        raise Rejected("not-a-workbook", head=head)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Rejected("corrupt-file", detail=str(exc)) from None
    if len(infos) > limits.max_entries:
        raise Rejected("zip-bomb", detail=f"{len(infos)} entries > {limits.max_entries}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_entry_bytes:
            raise Rejected("zip-bomb", detail=f"{info.filename}: {info.file_size} bytes > {limits.max_entry_bytes}")
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            raise Rejected("zip-bomb", detail=f"{info.filename}: ratio {info.file_size / info.compress_size:.0f} > {limits.max_ratio:.0f}")
        if info.flag_bits & 0x1:
            raise Rejected("encrypted")
    if total > limits.max_total_bytes:
        raise Rejected("zip-bomb", detail=f"{total} bytes uncompressed > {limits.max_total_bytes}")
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise Rejected("corrupt-file", detail="missing [Content_Types].xml or xl/workbook.xml")
    small: dict[str, bytes] = {}
    for info in infos:
        if _parsed(info.filename):
            head = _head(data, info)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise Rejected("xml-entities", part=info.filename)
            if info.file_size <= len(head):
                small[info.filename] = head
    return Package(zf, "xl/vbaProject.bin" in names, small)
