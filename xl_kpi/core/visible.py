"""Text from files shown as what it is: control characters, bidi overrides and undecodable bytes made visible.

A returned workbook, an HR table or a file name can hold characters that do something when shown
rather than being seen: an escape sequence retitles a terminal, U+202E turns ``gpj.xlsx`` around,
a NUL ends a string early, a file name unzipped from a Chinese Windows archive holds GBK bytes
that are not UTF-8 (Python keeps them as lone surrogates, which no UTF-8 output can hold).
:func:`visible` writes each such character as an escape (``\\x1b``, ``\\u202e``, a byte as ``\\xd6``)
so every report shows it and none acts on it; :func:`shown_path` first reads a name's undecodable
bytes as GBK when that gives common Chinese; :func:`name_part` keeps them out of names xl-kpi makes.
"""

from __future__ import annotations

import os
import re

__all__ = ["visible", "shown_path", "name_part", "common_chinese", "undecodable", "BIDI"]

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # marks, embeddings, overrides, isolates
# C0 controls but tab and line feed, DEL, C1 controls, the bidi controls, lone surrogates (undecodable bytes)
_SHOWN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}\ud800-\udfff]")
_LINE_ENDS = re.compile("\r\n?")
_IDEOGRAPH = re.compile("[\u3400-\u9fff]")
_UNDECODED = re.compile("[\udc80-\udcff]")
# undecodable bytes with the non-ASCII characters around them (GBK bytes may happen to form valid UTF-8 too)
_UNDECODED_RUN = re.compile("[^\x00-\x7f]*[\udc80-\udcff][^\x00-\x7f]*")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python's file system decoding could not read (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character (tab and line breaks kept, ``\\r\\n`` and ``\\r`` read as
    ``\\n``), bidi control and undecodable byte written as a visible escape; undecodable bytes that read
    as common Chinese in GBK (a file name from a Chinese Windows zip) are read so."""
    if text.isprintable():
        return text  # almost every text: one C-speed test
    if "\r" in text:
        text = _LINE_ENDS.sub("\n", text)
    if _UNDECODED.search(text):
        text = _UNDECODED_RUN.sub(_as_gbk, text)
    return _SHOWN.sub(_escape, text)


def _as_gbk(m: re.Match[str]) -> str:
    """A run of undecodable bytes read as GBK/GB18030 when that gives common Chinese and nothing
    unprintable; else as it was (its bytes then escaped)."""
    try:
        name = os.fsencode(m.group(0)).decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return m.group(0)
    return name if common_chinese(name) and name.isprintable() else m.group(0)


def common_chinese(name: str) -> bool:
    """Whether a GBK reading of a name is Chinese a person wrote: it has ideographs and every one is
    among the 6,763 common ones (GB2312). Other bytes read as GBK give rare ones (Müller → M乴ler)."""
    ideographs = _IDEOGRAPH.findall(name)
    try:
        "".join(ideographs).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return bool(ideographs)


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as reports show it (:func:`visible`): a name that is not UTF-8 read as GBK where that is
    plausible (what ``unzip`` of a Chinese Windows archive leaves on Linux), else its bytes escaped;
    control and bidi characters visible. Never raises, never returns text UTF-8 cannot hold."""
    return visible(os.fspath(path))


def undecodable(text: str) -> bool:
    """Whether ``text`` (a path) holds bytes that were not UTF-8, which Python keeps as lone surrogates."""
    return _UNDECODED.search(text) is not None


def name_part(text: str) -> str:
    """``text`` without the characters a name xl-kpi makes must never hold: controls, bidi controls,
    undecodable bytes (they reorder, hide or break a file or sheet name)."""
    return text if text.isprintable() else _SHOWN.sub("", text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
