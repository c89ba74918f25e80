"""XML text and formulas as the reader compares them: a part's text in its own encoding, XML escapes and
attributes read, a formula's relative references moved (shared formulas), and a formula's meaning as
text (:func:`normalise_formula`), so one the generator writes compares with one read back.
"""

from __future__ import annotations

import codecs
import math
import re
from xml.parsers import expat

from ..core.refs import col_index, col_letter

__all__ = ["normalise_formula", "shift_formula", "xml_text"]

_REF = re.compile(r"(?<![A-Za-z_\d.])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")
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
        if "<" not in text and "\r" not in text:  # plain text: expat resolves its references in C (openpyxl writes
            try:                                   # every character beyond ASCII as one: a hundred in a metadata sheet)
                return _expat_text(text)
            except expat.ExpatError:
                pass  # a reference XML does not allow (&#1;, &#X41;), a stray "&": resolved as below
        return _CHAR_REF.sub(_resolve, text)
    for entity, char in _XML_ESCAPES.items():  # &amp; last, so "&amp;lt;" stays "&lt;"
        text = text.replace(entity, char)
    return text


def _expat_text(text: str) -> str:
    """Text holding no markup, its references resolved by expat. The text is the one element's content of a
    document made here: it cannot declare a DTD or an entity (that needs "<"), so only XML's five entities and
    character references are resolved; anything else is an error, and the caller resolves it as it always did.
    Without "\r" in the text, expat's line-end normalisation changes nothing."""
    parser = expat.ParserCreate("utf-8")
    parts: list[str] = []
    parser.CharacterDataHandler = parts.append
    parser.Parse(f"<t>{text}</t>".encode("utf-8", "surrogatepass"), True)
    return "".join(parts)


def _resolve(m: re.Match[str]) -> str:
    ref = m.group(0)
    if ref in _XML_ESCAPES:
        return _XML_ESCAPES[ref]
    code = int(ref[3:-1], 16) if ref[2] in "xX" else int(ref[2:-1])
    return chr(code) if 0 < code <= 0x10FFFF else ref


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1): _unescape(m.group(2) if m.group(2) is not None else m.group(3)) for m in _ATTRS.finditer(text)}


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
