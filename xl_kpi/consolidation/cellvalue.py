"""A worksheet cell's value and formula as the reader reads them from its markup: a shared or inline string, a number,
a boolean, an error text (:func:`_value`), in the shapes XlsxWriter, Excel, LibreOffice and openpyxl write and in any
other markup (:func:`_general_cell`); the cell's type remembered by its tag's bytes (:func:`_kind_of`). The search that
finds the cells is :mod:`.sheetxml`'s.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .caches import Bounded
from .returned import Cell
from .workbookxml import _T, _text, excel_text
from .xmlscan import _ATTRS, _unescape

__all__ = ["_value", "_parse_cell", "_kind", "_kind_of", "_general_cell"]

_V = re.compile(r"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_F = re.compile(r"<(?:\w+:)?f((?:\s+[\w:]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_IS = re.compile(r"<(?:\w+:)?is>(.*?)</(?:\w+:)?is>", re.S)
_TAG_END_B = re.compile(rb"""(?:[^>"']|"[^"]*"|'[^']*')*>""")


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


def _kind(attrs_text: str) -> str | None:
    for m in _ATTRS.finditer(attrs_text):
        if m.group(1) == "t":
            return m.group(2) if m.group(2) is not None else m.group(3)
    return None


def _kind_of(attrs: bytes, kinds: Bounded[bytes, str | None]) -> str | None:
    """A cell tag's type (``t="s"``), from the reader's cache when this markup was read before."""
    if b"t" not in attrs:
        return None
    if attrs in kinds:
        return kinds[attrs]
    return kinds.put(attrs, _kind(_text(attrs)))


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
