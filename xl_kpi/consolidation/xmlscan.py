"""Read the formulas of a few cells from a worksheet's XML (integrity check, no full parse).

The part's size is bounded by the package checks, so the fast path finds each wanted cell
by its ``r="…"`` attribute. Anything it does not expect — a shared formula (Excel writes
them after fill-down), unusual markup — goes to a streaming defusedxml parse, which drops
each row once read and expands shared formulas from their master cell.
"""

from __future__ import annotations

import codecs
import functools
import math
import posixpath
import re
from collections.abc import Iterable
from typing import Any

from defusedxml import ElementTree

from ..core.refs import col_index, col_letter, parse_a1

__all__ = ["sheet_parts", "formulas_in", "normalise_formula", "shift_formula"]

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"(?<![A-Za-z_\d.])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")
_ATTR = r"""(?:\s+[\w:]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
_F_ELEMENT = re.compile(rf"<(?:\w+:)?f({_ATTR})\s*(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_TAG_END = re.compile(r"""(?:[^>"']|"[^"]*"|'[^']*')*>""")
_SHARED = re.compile(r"""\st\s*=\s*["']shared["']""")
_SHEET_EL = re.compile(r"<(?:\w+:)?sheet\s([^>]*?)/?>")
_REL_EL = re.compile(r"<(?:\w+:)?Relationship\s([^>]*?)/?>")
_ATTRS = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CHAR_REF = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#\d+|lt|gt|quot|apos|amp);")
_XML_ESCAPES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&"}


def xml_text(data: bytes) -> str:
    """A part's text in the encoding it was written in: UTF-8 (with or without a BOM) or UTF-16,
    which the XML specification allows and some tools write."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", "replace")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", "replace")
    return data.decode("utf-8", "replace")


def _unescape(text: str) -> str:
    """XML text or attribute value → str: the five named entities and character references."""
    if "&" not in text:
        return text
    if "&#" in text:
        return _CHAR_REF.sub(_resolve, text)
    for entity, char in _XML_ESCAPES.items():  # &amp; last, so "&amp;lt;" stays "&lt;"
        text = text.replace(entity, char)
    return text


def _resolve(m: re.Match[str]) -> str:
    ref = m.group(0)
    if ref in _XML_ESCAPES:
        return _XML_ESCAPES[ref]
    code = int(ref[3:-1], 16) if ref[2] in "xX" else int(ref[2:-1])
    return chr(code) if 0 < code <= 0x10FFFF else ref


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1): _unescape(m.group(2) if m.group(2) is not None else m.group(3)) for m in _ATTRS.finditer(text)}


def sheet_parts(package: Any) -> list[tuple[str, str]]:
    """(sheet name, worksheet part path) in workbook order, from workbook.xml and its relationships.

    ``package`` is anything with ``read(name) -> bytes`` (a ZipFile, or a checked Package).
    Every entry is listed, duplicates too, so a caller can compare with another parser's view.
    Returns of one template carry the same two parts, so each pair is parsed once per process.
    """
    return list(_sheet_parts(package.read("xl/_rels/workbook.xml.rels"), package.read("xl/workbook.xml")))


@functools.lru_cache(maxsize=64)
def _sheet_parts(rels: bytes, workbook: bytes) -> tuple[tuple[str, str], ...]:
    targets = {}
    for m in _REL_EL.finditer(xml_text(rels)):
        a = _attrs(m.group(1))
        target = a.get("Target", "")
        targets[a.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    out = []
    for m in _SHEET_EL.finditer(xml_text(workbook)):
        a = _attrs(m.group(1))
        rid = next((v for k, v in a.items() if k.endswith(":id")), "")
        out.append((a.get("name", ""), targets.get(rid, "")))
    return tuple(out)


def shift_formula(formula: str, rows: int, cols: int) -> str:
    """Move a formula's relative references by (rows, cols), as Excel does for shared formulas."""
    parts = formula.split('"')
    for i in range(0, len(parts), 2):  # outside string literals only
        def move(m: re.Match[str]) -> str:
            cabs, col, rabs, row = m.groups()
            c = col if cabs else col_letter(col_index(col) + cols)
            r = row if rabs else str(int(row) + rows)
            return f"{cabs}{c}{rabs}{r}"

        parts[i] = _REF.sub(move, parts[i])
    return '"'.join(parts)


_TOKEN = re.compile(r"""
    (?P<string>"(?:[^"]|"")*")
  | (?P<sheet>(?:'(?:[^']|'')+'|[A-Za-z_\u0080-\uffff][\w.\u0080-\uffff]*)!)
  | (?P<ref>\$?[A-Za-z]{1,3}\$?[0-9]{1,7}(?![\w(.]))
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_\\][\w.]*)
  | (?P<error>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA))
  | (?P<space>\s+)
  | (?P<op><>|<=|>=|[-+*/^&=<>%:,;(){}])
  | (?P<other>.)
""", re.X | re.S)
_PREFIXES = ("_XLFN.", "_XLWS.", "_XLPM.")
_BARE_SHEET = re.compile(r"[A-Za-z_\u0080-\uffff][\w.\u0080-\uffff]*")
_REF_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]{1,7}")
_LEAD = re.compile(r"^[\s=]*")
_WORDLIKE = re.compile(r"[\w.$\u0080-\uffff]")


@functools.lru_cache(maxsize=4096)
def normalise_formula(formula: str) -> str:
    """A formula's meaning as text, to compare one written by the generator with one read back: what
    Excel, LibreOffice and Gnumeric rewrite on save without an edit is folded, nothing else is.

    Folded: the leading ``=``, spaces and line breaks outside strings, ``$`` (absolute and relative
    references to the same cell), the case of names and references, a one-cell range ``K18:K18``
    (Gnumeric writes ``K18``), ``_xlfn.``-style prefixes, ``TRUE()`` for ``TRUE``, quotes around a sheet
    name that needs none, and how a number is written (``0.5``/``.5``/``5E-1``). Text in quotes is
    compared exactly. ``docs/consolidation.md`` lists these, each with a test.
    """
    tokens: list[str] = []
    for m in _TOKEN.finditer(_LEAD.sub("", formula)):  # the leading "=" (an "=" or two more mean nothing else)
        kind, text = m.lastgroup, m.group()
        if kind == "space":
            continue
        if kind == "other":
            return _LEAD.sub("", formula)  # not a formula Excel would read: compared as it is written
        if kind == "ref":
            text = text.replace("$", "").upper()
            if len(tokens) >= 2 and tokens[-1] == ":" and tokens[-2] == text:
                tokens.pop()  # K18:K18 is K18
                continue
        elif kind == "sheet":
            name = text[:-1]
            if name.startswith("'"):
                name = name[1:-1].replace("''", "'")
            bare = _BARE_SHEET.fullmatch(name) and not _REF_LIKE.fullmatch(name)
            text = (name.upper() if bare else "'" + name.replace("'", "''").upper() + "'") + "!"  # quoted only where it must be
        elif kind == "number":
            number = float(text)
            text = repr(number) if math.isfinite(number) else text
        elif kind == "name":
            text = text.upper()
            for prefix in _PREFIXES:
                text = text.removeprefix(prefix)
        elif kind == "op" and text == ")" and len(tokens) >= 2 and tokens[-1] == "(" and tokens[-2] in ("TRUE", "FALSE"):
            tokens.pop()  # TRUE() is TRUE
            continue
        if tokens and _WORDLIKE.match(tokens[-1][-1]) and _WORDLIKE.match(text[0]):
            tokens.append(" ")  # two operands: a space between them is Excel's intersection operator (and keeps them two)
        tokens.append(text)
    return "".join(tokens)


def _fast_formulas(xml: str, wanted: set[str]) -> dict[str, str | None] | None:
    """Each wanted cell's formula, found by its ``r="…"`` attribute; ``None`` sends the part to the parser."""
    found: dict[str, str | None] = {}
    after = 0  # cells are stored in row order, so each search starts where the last one ended
    for ref in sorted(wanted, key=_row_major):
        at = xml.find(f' r="{ref}"', after)
        if at < 0:
            at = xml.find(f" r='{ref}'")
            if at < 0:
                at = xml.find(f' r="{ref}"')
        if at < 0:
            found[ref] = None
            continue
        after = at
        tag_end = _TAG_END.match(xml, at)  # quoted attribute values may hold '>'
        if tag_end is None:
            return None
        close = tag_end.end() - 1
        tag = "c" if xml.startswith("<c", at - 2) else _tag_before(xml, at)
        if tag != "c" and not tag.endswith(":c"):
            return None
        if xml[close - 1] == "/":
            found[ref] = None
            continue
        if tag == "c" and xml.startswith("<f>", close + 1):  # as Excel, XlsxWriter and openpyxl write it
            end = xml.find("</f>", close + 4)
            if end < 0:
                return None
            found[ref] = _unescape(xml[close + 4 : end])
            continue
        end = xml.find(f"</{tag}>", close)  # cells do not nest
        if end < 0:
            return None
        f = _F_ELEMENT.search(xml, close + 1, end + len(tag) + 3)
        if f is None:
            found[ref] = None
        elif _SHARED.search(f.group(1)) and not f.group(2):
            return None
        else:
            found[ref] = _unescape(f.group(2) or "")
    return found


def _tag_before(xml: str, at: int) -> str:
    """The name of the element whose start tag holds position ``at``."""
    start = xml.rfind("<", 0, at)
    words = xml[start + 1 : at].split() if start >= 0 else []
    return words[0] if words else ""


@functools.lru_cache(maxsize=4096)
def _row_major(ref: str) -> tuple[int, int]:
    return parse_a1(ref)


FAST_SCAN_BYTES = 2 * 1024 * 1024  # a scorecard sheet is ~50 KB; anything larger is streamed


def formulas_in(zf: Any, part: str, cells: Iterable[str]) -> dict[str, str | None]:
    """The formula text in each wanted cell (``None`` when it holds no formula).

    ``zf`` is a :class:`zipfile.ZipFile` or a checked Package (``getinfo``, ``read``, ``open``).

    Parts up to ``FAST_SCAN_BYTES`` are searched in memory; larger ones are streamed, so a
    padded or oversized sheet never sits in memory whole.
    """
    wanted = set(cells)
    if zf.getinfo(part).file_size <= FAST_SCAN_BYTES:
        fast = _fast_formulas(xml_text(zf.read(part)), wanted)
        if fast is not None:
            return fast
    return _streamed_formulas(zf, part, wanted)


def _streamed_formulas(zf: Any, part: str, wanted: set[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {c: None for c in wanted}
    masters: dict[str, tuple[str, str]] = {}
    pending: dict[str, str] = {}  # cell → shared index, resolved once the masters are read
    with zf.open(part) as fh:
        for _, elem in ElementTree.iterparse(fh, events=("end",), forbid_dtd=True):
            if elem.tag == f"{_NS_MAIN}c":
                ref = elem.get("r", "")
                f = elem.find(f"{_NS_MAIN}f")
                if f is not None:
                    if f.get("t") == "shared" and f.get("si") is not None:
                        if f.text:
                            masters[f.get("si")] = (ref, f.text)
                        if ref in wanted:
                            if f.text:
                                found[ref] = f.text
                            else:
                                pending[ref] = f.get("si")
                    elif ref in wanted:
                        found[ref] = f.text or ""
            elif elem.tag == f"{_NS_MAIN}row":
                elem.clear()
    for ref, si in pending.items():
        if si in masters:
            master_ref, text = masters[si]
            (mr, mc), (r, c) = parse_a1(master_ref), parse_a1(ref)
            found[ref] = shift_formula(text, r - mr, c - mc)
    return found
