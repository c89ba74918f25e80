"""The package's parts other than the sheets (issue 32): styles.xml, app.xml and the sheets' relationships taken from
a workbook written before when everything they are written from is equal, and every part equal byte for byte to
one written before zipped with that part's deflated bytes and CRC, as ``zipfile`` writes them (:func:`write_zip`).
``docProps/core.xml`` is written for each workbook: it carries the time of the build.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from io import StringIO
from typing import Any
from zipfile import ZIP64_LIMIT, ZIP_DEFLATED, LargeZipFile, ZipFile, ZipInfo

from ..xlsx_text import TextPackager
from .stamp import CACHES, count, enabled

__all__ = ["StampPackager", "write_zip"]

STYLES_KEPT = 4  # styles.xml of the last templates built
SMALL_KEPT = 64  # app.xml and relationships remembered
PARTS_KEPT = 64  # package parts remembered per process, with their deflated bytes
_parts: OrderedDict[tuple[str, int, int], tuple[bytes, bytes]] = OrderedDict()  # (name, size, CRC) → the part, deflated
_styles: list[tuple[Any, str]] = []  # styles.xml by everything it is written from, the latest first
_small: OrderedDict[tuple[Any, ...], tuple[tuple[str, str], ...]] = OrderedDict()  # app.xml, sheet rels: by their inputs
CACHES.extend([_parts, _styles, _small])


class StampPackager(TextPackager):
    """The packager whose styles.xml is the one written before when everything it is written from is equal: every
    attribute of every format (after the workbook numbered its fonts, fills and borders; a colour compared as the
    same object, which formats of equal properties share — see ``ScorecardWorkbook.add_format``) and the
    workbook's palette, counts and custom colours."""

    def _write_styles_file(self) -> None:
        book = self.workbook
        if not enabled():
            super()._write_styles_file()
            return
        key = ([dict(vars(f)) for f in book.xf_formats], [dict(vars(f)) for f in book.dxf_formats], list(book.palette),
               book.font_count, list(book.num_formats), book.border_count, book.fill_count, list(book.custom_colors),
               book.has_comments)
        for i, (seen, xml) in enumerate(_styles):
            if seen == key:
                count("styles_hits")
                _styles.insert(0, _styles.pop(i))
                self._filename("xl/styles.xml").write(xml)
                return
        super()._write_styles_file()
        handle, name, _ = self.filenames[-1]
        if name == "xl/styles.xml" and isinstance(handle, StringIO):
            _styles.insert(0, (key, handle.getvalue()))
            del _styles[STYLES_KEPT:]

    def _write_app_file(self) -> None:
        """docProps/app.xml: the visible sheets' names, the named ranges and the document's properties."""
        book = self.workbook
        try:
            key = ("app", tuple((ws.name, ws.hidden, ws.is_chartsheet) for ws in book.worksheets()), self.chartsheet_count,
                   tuple(self.named_ranges), tuple(sorted(book.doc_properties.items())), book.read_only)
            hash(key)
        except TypeError:
            key = None
        self._stamped(key, super()._write_app_file)

    def _write_worksheet_rels_files(self) -> None:
        """Each sheet's relationships: its hyperlinks, drawing, comments, tables (their targets, numbered in the package)."""
        key = ("sheet rels", tuple(tuple(tuple(link) for link in ws.external_hyper_links + ws.external_drawing_links
                                         + ws.external_vml_links + ws.external_background_links + ws.external_table_links
                                         + ws.external_comment_links)
                                   for ws in self.workbook.worksheets() if not ws.is_chartsheet))
        self._stamped(key, super()._write_worksheet_rels_files)

    def _stamped(self, key: tuple[Any, ...] | None, write: Callable[[], None]) -> None:
        """The parts ``write`` writes, or those it wrote for the same ``key`` (everything they are written from)."""
        if key is None or not enabled():
            write()
            return
        known = _small.get(key)
        if known is not None:
            count("small_hits")
            _small.move_to_end(key)
            for name, xml in known:
                self._filename(name).write(xml)
            return
        first = len(self.filenames)
        write()
        written = self.filenames[first:]
        if all(isinstance(handle, StringIO) and not binary for handle, _, binary in written):
            _small[key] = tuple((name, handle.getvalue()) for handle, name, _ in written)
            if len(_small) > SMALL_KEPT:
                _small.popitem(last=False)


def _deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's for ZIP_DEFLATED
    return compressor.compress(data) + compressor.flush()


def write_zip(zf: ZipFile, files: Iterable[tuple[Any, str, bool]]) -> None:
    """XlsxWriter's in-memory parts into ``zf`` as ``ZipFile.writestr`` writes them (dated 1980-01-01), each part
    equal to one written before taking its deflated bytes and CRC from it."""
    if not enabled() or not zf._seekable or zf.compression != ZIP_DEFLATED or zf.compresslevel is not None:  # type: ignore[attr-defined]
        for handle, name, binary in files:
            info = ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zf.compression
            zf.writestr(info, handle.getvalue() if binary else handle.getvalue().encode("utf-8"))
        return
    for handle, name, binary in files:
        data = handle.getvalue() if binary else handle.getvalue().encode("utf-8")
        crc = zlib.crc32(data)
        key = (name, len(data), crc)
        known = _parts.get(key)
        if known is not None and known[0] == data:
            count("part_hits")
            _parts.move_to_end(key)
            raw = known[1]
        else:
            count("part_misses")
            raw = _deflated(data)
            if name != "docProps/core.xml":
                _parts[key] = (data, raw)
                if len(_parts) > PARTS_KEPT:
                    _parts.popitem(last=False)
        _write_deflated(zf, name, len(data), crc, raw)


def _write_deflated(zf: ZipFile, name: str, size: int, crc: int, raw: bytes) -> None:
    """What ``writestr`` does for a deflated part, its bytes already deflated: the same header, data and directory."""
    info = ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.compress_type = ZIP_DEFLATED
    info.file_size = size
    info.flag_bits = 0
    info.external_attr = 0o600 << 16
    zip64 = size * 1.05 > ZIP64_LIMIT
    if zip64 and not zf._allowZip64:  # type: ignore[attr-defined]
        raise LargeZipFile("Filesize would require ZIP64 extensions")
    with zf._lock:  # type: ignore[attr-defined]
        fp = zf.fp
        assert fp is not None
        fp.seek(zf.start_dir)
        info.header_offset = fp.tell()
        zf._writecheck(info)  # type: ignore[attr-defined]
        zf._didModify = True  # type: ignore[attr-defined]
        info.CRC, info.compress_size = crc, len(raw)
        if not zip64 and len(raw) > ZIP64_LIMIT:
            raise RuntimeError("Compressed size too large, try using force_zip64")
        fp.write(info.FileHeader(zip64))
        fp.write(raw)
        zf.start_dir = fp.tell()
        zf.filelist.append(info)
        zf.NameToInfo[name] = info
