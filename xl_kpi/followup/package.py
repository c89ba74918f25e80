"""Edit an .xlsx package part by part, as text: every part not edited stays byte for byte what it was.

Sending a return back means changing a few parts of the person's own file — one worksheet, its
relationships, the formats, the content types — and adding a comments part and its VML drawing.
Nothing is round-tripped through a workbook library (openpyxl drops validations' messages, Excel
extensions, macros): each part is edited where it must change and written back, and the zip keeps
every other member, its order, names and dates.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from ..consolidation.workbookxml import xml_bytes

__all__ = ["rewrite_package", "with_content_types", "with_relationship", "rels_part", "relationships", "xml_escape", "Styles",
           "REL_COMMENTS", "REL_VML", "CT_COMMENTS", "CT_VML", "attributes", "set_attribute"]

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_COMMENTS = f"{REL}/comments"
REL_VML = f"{REL}/vmlDrawing"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')""")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_escape(text: str) -> str:
    """Text for an XML element: the markup characters escaped, the characters XML 1.0 cannot hold shown as ``\\xNN``."""
    return escape(_XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text))


def attributes(tag: str) -> dict[str, str]:
    """The attributes of a start tag (values as written, without their quotes; entities kept)."""
    return {m.group(1): m.group(2)[1:-1] for m in _ATTR.finditer(tag)}


def set_attribute(tag: str, name: str, value: str) -> str:
    """``tag`` (``<c r="A1" s="3">`` or ``<c r="A1"/>``) with ``name`` set to ``value``."""
    pattern = re.compile(rf"""(\s){re.escape(name)}\s*=\s*("[^"]*"|'[^']*')""")
    if pattern.search(tag):
        return pattern.sub(lambda m: f"{m.group(1)}{name}={quoteattr(value)}", tag, count=1)
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f"{tag[:end]} {name}={quoteattr(value)}{tag[end:]}"


def rewrite_package(data: bytes, changed: Mapping[str, bytes], added: Mapping[str, bytes]) -> bytes:
    """The package ``data`` with the ``changed`` parts replaced and the ``added`` parts appended; every
    other member is copied with its name, date, compression and order, its content unchanged."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = set()
        for info in src.infolist():
            names.add(info.filename)
            content = changed[info.filename] if info.filename in changed else src.read(info)
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) \
                else zipfile.ZIP_DEFLATED
            copy.external_attr, copy.create_system = info.external_attr, info.create_system
            dst.writestr(copy, content)
        for name, content in added.items():
            if name in names:
                raise ValueError(f"{name} is already in the package")
            copy = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            copy.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(copy, content)
    return out.getvalue()


def _text(data: bytes) -> str:
    return xml_bytes(data).decode("utf-8")


def _closing(text: str, element: str) -> int:
    """Where the root's closing tag ``</element>`` (any namespace prefix) starts."""
    found = list(re.finditer(rf"</(?:[\w.-]+:)?{element}\s*>", text))
    if not found:
        raise ValueError(f"no </{element}>")
    return found[-1].start()


def with_content_types(data: bytes, defaults: Mapping[str, str], overrides: Mapping[str, str]) -> bytes:
    """``[Content_Types].xml`` declaring the ``defaults`` (extension → type) and ``overrides`` (part → type)
    it does not declare yet; an extension declared with another type gets an override per part instead."""
    text = _text(data)
    known = {attributes(m.group(0)).get("Extension", "").lower(): attributes(m.group(0)).get("ContentType", "")
             for m in re.finditer(r"<(?:[\w.-]+:)?Default\s[^>]*>", text)}
    parts = {attributes(m.group(0)).get("PartName", "").lower() for m in re.finditer(r"<(?:[\w.-]+:)?Override\s[^>]*>", text)}
    extra = []
    for ext, kind in defaults.items():
        if ext.lower() not in known:
            extra.append(f"<Default Extension={quoteattr(ext)} ContentType={quoteattr(kind)}/>")
    for part, kind in overrides.items():
        name = "/" + part.lstrip("/")
        ext = posixpath.splitext(name)[1][1:].lower()
        if name.lower() not in parts and known.get(ext) != kind:
            extra.append(f"<Override PartName={quoteattr(name)} ContentType={quoteattr(kind)}/>")
    at = _closing(text, "Types")
    prefix = _prefix(text, "Types")
    extra = [e.replace("<Default", f"<{prefix}Default").replace("<Override", f"<{prefix}Override") for e in extra]
    return (text[:at] + "".join(extra) + text[at:]).encode("utf-8")


def _prefix(text: str, root: str) -> str:
    m = re.search(rf"<([\w.-]+:)?{root}[\s>]", text)
    return (m.group(1) or "") if m else ""


def rels_part(part: str) -> str:
    """The relationships part of ``part``: ``xl/worksheets/sheet1.xml`` → ``xl/worksheets/_rels/sheet1.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def relationships(data: bytes | None, source: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of each relationship in a ``.rels`` part of ``source``."""
    if data is None:
        return []
    out = []
    for m in re.finditer(r"<(?:[\w.-]+:)?Relationship\s[^>]*>", _text(data)):
        a = attributes(m.group(0))
        target = a.get("Target", "")
        if a.get("TargetMode") == "External":
            path = target
        else:
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        out.append((a.get("Id", ""), a.get("Type", ""), path))
    return out


def with_relationship(data: bytes | None, source: str, kind: str, target: str) -> tuple[bytes, str]:
    """The ``.rels`` part of ``source`` (created when ``data`` is None) with a relationship of ``kind`` to
    the part ``target``, and its id (an existing one to that part is reused)."""
    for rid, rel_kind, path in relationships(data, source):
        if rel_kind == kind and path == target:
            return data or b"", rid
    text = _text(data) if data is not None else (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                                  f'<Relationships xmlns="{_PKG_RELS}"></Relationships>')
    taken = {rid for rid, _, _ in relationships(data, source)}
    n = 1
    while f"rId{n}" in taken:
        n += 1
    rid = f"rId{n}"
    relative = posixpath.relpath(target, posixpath.dirname(source))
    at = _closing(text, "Relationships")
    prefix = _prefix(text, "Relationships")
    element = f"<{prefix}Relationship Id={quoteattr(rid)} Type={quoteattr(kind)} Target={quoteattr(relative)}/>"
    return (text[:at] + element + text[at:]).encode("utf-8"), rid


class Styles:
    """The formats part (``xl/styles.xml``) gaining cell formats: a copy of a cell's format with a fill
    and a border of our own, or a new format for a note. Every format already there keeps its index."""

    def __init__(self, data: bytes) -> None:
        self.text = _text(data)
        self.prefix = _prefix(self.text, "styleSheet")
        self._xfs = self._children("cellXfs", "xf")
        self._added: dict[tuple[int, str], int] = {}
        self._fills: dict[str, int] = {}
        self._borders: dict[str, int] = {}
        self._fonts: dict[tuple[str, bool], int] = {}

    def _block(self, name: str) -> re.Match[str] | None:
        p = re.escape(self.prefix)
        return re.search(rf"<{p}{name}\b[^>]*?(?:/>|>(.*?)</{p}{name}\s*>)", self.text, re.S)

    def _children(self, block: str, child: str) -> list[str]:
        m = self._block(block)
        if m is None or m.group(1) is None:
            return []
        p = re.escape(self.prefix)
        return [c.group(0) for c in re.finditer(rf"<{p}{child}\b(?:[^>]*?/>|[^>]*?>.*?</{p}{child}\s*>)", m.group(1), re.S)]

    def _append(self, block: str, child: str, element: str) -> int:
        """Add ``element`` at the end of ``block`` (created empty where it is missing); returns its index."""
        m = self._block(block)
        p = self.prefix
        if m is None:
            raise ValueError(f"the formats part has no {block}")
        count = len(self._children(block, child))
        start_tag = re.match(r"<[^>]*?/?>", m.group(0))
        assert start_tag is not None
        head = set_attribute(start_tag.group(0).replace("/>", ">") if m.group(1) is None else start_tag.group(0), "count", str(count + 1))
        body = (m.group(1) or "") + element.replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
        self.text = self.text[:m.start()] + head + body + f"</{p}{block}>" + self.text[m.end():]
        return count

    def font_name(self) -> str:
        fonts = self._children("fonts", "font")
        m = re.search(r"""<(?:[\w.-]+:)?name\s+val\s*=\s*("[^"]*"|'[^']*')""", fonts[0]) if fonts else None
        return m.group(1)[1:-1] if m else "Calibri"

    def fill(self, rgb: str) -> int:
        if rgb not in self._fills:
            self._fills[rgb] = self._append("fills", "fill", f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
                                                             f'<bgColor indexed="64"/></patternFill></fill>')
        return self._fills[rgb]

    def border(self, rgb: str, style: str = "medium") -> int:
        key = f"{style}:{rgb}"
        if key not in self._borders:
            side = "".join(f'<{s} style="{style}"><color rgb="FF{rgb}"/></{s}>' for s in ("left", "right", "top", "bottom"))
            self._borders[key] = self._append("borders", "border", f"<border>{side}<diagonal/></border>")
        return self._borders[key]

    def font(self, rgb: str, bold: bool, size: float) -> int:
        key = (rgb, bold)
        if key not in self._fonts:
            name = self.font_name()
            self._fonts[key] = self._append("fonts", "font", f"<font>{'<b/>' if bold else ''}<sz val=\"{size:g}\"/>"
                                                             f"<color rgb=\"FF{rgb}\"/><name val=\"{name}\"/></font>")
        return self._fonts[key]

    @property
    def count(self) -> int:
        return len(self._xfs)

    def marked(self, xf: int, fill: str, border: str) -> int:
        """The cell format ``xf`` with the ``fill`` and a ``border`` of that colour added (one per format)."""
        key = (xf, f"{fill}:{border}")
        if key in self._added:
            return self._added[key]
        base = self._xfs[xf] if 0 <= xf < len(self._xfs) else "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        head_end = base.index(">") + 1
        head = base[:head_end]
        for name, value in (("fillId", str(self.fill(fill))), ("applyFill", "1"), ("borderId", str(self.border(border))),
                            ("applyBorder", "1")):
            head = set_attribute(head, name, value)
        xf_element = head + base[head_end:]
        self._added[key] = self._append_xf(xf_element)
        return self._added[key]

    def note(self, fill: str, font: str) -> int:
        """A format for a note written on the sheet: bold coloured text, wrapped, on a fill, top-left aligned."""
        key = (-1, f"note:{fill}:{font}")
        if key not in self._added:
            element = (f'<xf numFmtId="0" fontId="{self.font(font, True, 10)}" fillId="{self.fill(fill)}" '
                       f'borderId="{self.border(font, "thin")}" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
                       '<alignment vertical="top" wrapText="1"/></xf>')
            self._added[key] = self._append_xf(element)
        return self._added[key]

    def _append_xf(self, element: str) -> int:
        p = self.prefix
        bare = element if not p else re.sub(rf"<(/?){re.escape(p)}", r"<\1", element)
        index = self._append("cellXfs", "xf", bare)
        self._xfs = self._children("cellXfs", "xf")
        return index

    def finish(self) -> bytes:
        return self.text.encode("utf-8")
