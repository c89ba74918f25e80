"""The package checks: our own zip directory reader agrees with zipfile, falls back to it for
anything unusual, and the DTD scan reads exactly the XML prolog."""

from __future__ import annotations

import io
import zipfile

import pytest

from xl_kpi.consolidation.safety import Limits, Rejected, _directory, _prolog_verdict, open_package
from xl_kpi.core.packages import SeenParts

from .conftest import declare_size


def _package(entries: dict[str, bytes], comment: bytes = b"", compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        zf.comment = comment
    return buf.getvalue()


PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
         "xl/_rels/workbook.xml.rels": b"<Relationships/>", "xl/worksheets/sheet1.xml": b"<worksheet>" + b"<row/>" * 500 + b"</worksheet>",
         "xl/名前.xml": "<a>中文</a>".encode()}


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_directory_reader_agrees_with_zipfile(compression):
    data = _package(PARTS, compression=compression)
    ours = _directory(data)
    theirs = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert ours is not None
    assert [(e.filename, e.header_offset, e.compress_size, e.file_size, e.compress_type, e.CRC) for e in ours] == \
        [(i.filename, i.header_offset, i.compress_size, i.file_size, i.compress_type, i.CRC) for i in theirs]
    package = open_package(data, Limits())
    assert all(package.read(name) == content for name, content in PARTS.items())


def test_an_archive_comment_posing_as_the_directory_end_is_skipped():
    data = _package(PARTS, comment=b"PK\x05\x06" + b"\0" * 30)
    assert _directory(data) is not None  # the real end record is the one whose comment ends the file
    assert open_package(data, Limits()).read("xl/worksheets/sheet1.xml") == PARTS["xl/worksheets/sheet1.xml"]


def test_bytes_after_the_archive_go_to_zipfiles_general_reader():
    data = _package(PARTS) + b"trailing bytes from a download tool"
    assert _directory(data) is None
    assert open_package(data, Limits()).read("xl/worksheets/sheet1.xml") == PARTS["xl/worksheets/sheet1.xml"]


def test_a_large_part_streams_through_zipfile():
    data = _package(PARTS)
    with open_package(data, Limits()).open("xl/worksheets/sheet1.xml") as fh:
        assert fh.read() == PARTS["xl/worksheets/sheet1.xml"]


@pytest.mark.parametrize(("head", "verdict"), [
    (b'<?xml version="1.0"?>\n<worksheet xmlns="x">', "root"),
    (b'\xef\xbb\xbf<?xml version="1.0"?><!-- note --><?pi x?><workbook>', "root"),
    (b'<?xml version="1.0"?><!-- <a> --><!DOCTYPE x [<!ENTITY e "1">]><a/>', "dtd"),  # a tag inside a comment is not the root
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><a/>'.encode("utf-16"), "dtd"),
    (b'<?xml version="1.0"?><!-- cut off', "more"),
    (b'<?xml version="1.0"?>  <!DOC', "more"),
    (b"", "more"),
])
def test_prolog_verdict(head, verdict):
    assert _prolog_verdict(head) == verdict


def test_a_doctype_in_a_part_nobody_parses_is_left_alone():
    parts = dict(PARTS, **{"xl/theme/theme1.xml": b'<?xml version="1.0"?><!DOCTYPE x><a/>'})
    open_package(_package(parts), Limits())  # themes are never parsed: no reason to refuse the file


def test_a_doctype_in_the_workbook_part_is_refused():
    parts = dict(PARTS, **{"xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "1">]><workbook/>'})
    with pytest.raises(Rejected) as caught:
        open_package(_package(parts), Limits())
    assert caught.value.code == "xml-entities" and caught.value.fields == {"part": "xl/workbook.xml"}


def test_a_part_declared_empty_is_never_inflated():
    import tracemalloc

    bomb = b"<a>" + b"\0" * 40_000_000 + b"</a>"  # ~40 KB compressed
    data = bytearray(_package(dict(PARTS, **{"xl/worksheets/sheet2.xml": bomb})))
    del bomb
    declare_size(data, "xl/worksheets/sheet2.xml", 0)  # declared uncompressed size 0: the ratio check sees nothing
    package = open_package(bytes(data), Limits())
    tracemalloc.start()
    try:
        with pytest.raises(Rejected) as caught:
            package.read("xl/worksheets/sheet2.xml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code == "corrupt-file" and peak < 1_000_000  # refused without inflating 40 MB


# -- parts shared by every return of a template are inflated once per process -----------------

def _forge_crc(data: bytes, name: str, crc: int) -> bytes:
    """The archive with ``name``'s CRC in the central directory replaced (the local header left as is)."""
    at = data.index(b"PK\x01\x02")
    raw = bytearray(data)
    while True:
        length = int.from_bytes(raw[at + 28 : at + 30], "little")
        if raw[at + 46 : at + 46 + length].decode() == name:
            raw[at + 16 : at + 20] = crc.to_bytes(4, "little")
            return bytes(raw)
        at += 46 + length + int.from_bytes(raw[at + 30 : at + 32], "little") + int.from_bytes(raw[at + 32 : at + 34], "little")


def test_a_part_identical_to_one_read_before_is_not_inflated_again():
    seen = SeenParts()  # what a reader keeps across its files
    first = open_package(_package(PARTS), Limits(), seen)
    second = open_package(_package(PARTS), Limits(), seen)
    part = "xl/worksheets/sheet1.xml"
    assert second.read(part) is first.read(part)  # the same object: taken from what the first file inflated


def test_a_part_that_only_claims_to_be_one_read_before_is_read_from_its_own_bytes():
    """Same name, size, compressed size and (forged) CRC, other bytes: never the part read before."""
    part = "xl/worksheets/sheet1.xml"
    seen = SeenParts()
    genuine = open_package(_package(PARTS, compression=zipfile.ZIP_STORED), Limits(), seen)
    assert genuine.read(part) == PARTS[part]
    other = PARTS[part].replace(b"<row/>", b"<rox/>", 1)
    forged = _forge_crc(_package({**PARTS, part: other}, compression=zipfile.ZIP_STORED), part, genuine.getinfo(part).CRC)
    package = open_package(forged, Limits(), seen)
    with pytest.raises(Rejected) as caught:
        package.read(part)
    assert caught.value.code == "corrupt-file"  # its own bytes, which do not match the CRC it claims


def test_a_dtd_is_refused_in_a_part_kept_whole_however_long_its_prolog():
    prolog = b'<?xml version="1.0"?>' + b"<!-- " + b"x" * 6000 + b" -->" + b'<!DOCTYPE w [<!ENTITY e "x">]><workbook/>'
    with pytest.raises(Rejected) as caught:
        open_package(_package({**PARTS, "xl/workbook.xml": prolog}), Limits())
    assert caught.value.code == "xml-entities"
