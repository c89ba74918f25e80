"""Annotate a person's own returned workbook: each problem cell highlighted and commented, a note at the top.

The copy differs from the file the person sent only where it must: the annotated sheets, their
relationships, the formats (a highlighted copy of each marked cell's format, one for the note), the
content types, and the comments and VML drawing parts added for the comments. Protection, the
hidden metadata, the workbook's identity, every other sheet and part stay as they were, so the
corrected file consolidates like the original would have.

A second send-back of a file already annotated replaces the earlier comments and note of xl-kpi
(comments written by anyone else are kept); cells marked earlier keep their frame.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import quoteattr

from ..consolidation.safety import Limits, Package, open_package
from ..consolidation.workbookxml import read_book, shared_strings, xml_bytes
from ..core.refs import a1, parse_a1
from ..sheet.printing import column_points, lines_needed
from . import package as pkg
from .package import Styles, attributes, xml_escape
from .sheetedit import DEFAULT_HEIGHT, SheetXml, Unannotatable

__all__ = ["Mark", "SheetMarks", "annotate", "AUTHOR", "NOTE_MARKS", "Unannotatable", "MARK_FILL", "MARK_BORDER"]

AUTHOR = "xl-kpi"
MARK_FILL = "FFFF00"  # the marked cell: yellow, framed in red (a conditional format's fill may show instead; the frame stays)
MARK_BORDER = "C00000"
NOTE_FILL, NOTE_FONT = "FFF2CC", "9C0006"
NOTE_MARKS = ("【退回修改】", "[To correct]")  # how a note begins: a later send-back finds and replaces its own
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
COMMENT_WIDTH = 260.0  # points


@dataclass(frozen=True)
class Mark:
    """A cell to highlight and the comment it gets (already in the workbook's language)."""

    cell: str
    text: str


@dataclass(frozen=True)
class SheetMarks:
    """What to annotate on one sheet: marked cells and the note listing them (written in ``note_row``,
    merged across columns 0–``note_last_col``; 0-based)."""

    sheet: str
    marks: tuple[Mark, ...]
    note: str = ""
    note_row: int = 1
    note_last_col: int = 11


@dataclass
class _Comment:
    ref: str
    author: str
    body: str  # the <text> element's inner XML
    visible: bool = False
    lines: int = 3


@dataclass
class _Parts:
    """The package as it is being changed."""

    package: Package
    changed: dict[str, bytes] = field(default_factory=dict)
    added: dict[str, bytes] = field(default_factory=dict)

    def read(self, name: str) -> bytes | None:
        if name in self.changed:
            return self.changed[name]
        if name in self.added:
            return self.added[name]
        return self.package.read(name) if name in self.package.entries else None

    def write(self, name: str, data: bytes) -> None:
        (self.changed if name in self.package.entries else self.added)[name] = data

    def free(self, pattern: str) -> str:
        """The first name ``pattern.format(n)``, n = 1, 2, … that is not a part yet."""
        n = 1
        while any(pattern.format(n).lower() == name.lower() for name in [*self.package.entries, *self.added]):
            n += 1
        return pattern.format(n)


def annotate(data: bytes, sheets: Sequence[SheetMarks], limits: Limits = Limits()) -> bytes:
    """The workbook ``data`` with every sheet of ``sheets`` annotated (see the module).

    Raises:
        Unannotatable: a sheet is missing, or cannot be edited safely as text.
        Rejected: the package fails the checks every return passes.
    """
    package = open_package(data, limits)
    book = read_book(package)
    parts = _Parts(package)
    if book.styles_part is None or book.styles_part not in package.entries:
        raise Unannotatable("the workbook has no formats part")
    styles = Styles(package.read(book.styles_part))
    strings = shared_strings(package, book.sst_part)
    idmaps = _vml_ids(parts)
    overrides: dict[str, str] = {}
    for marks in sheets:
        entry = book.sheet(marks.sheet)
        if entry is None or entry.part not in package.entries:
            raise Unannotatable(f"no sheet {marks.sheet!r}")
        _annotate_sheet(parts, entry.part, marks, styles, idmaps, overrides, strings)
    parts.write(book.styles_part, styles.finish())
    parts.write("[Content_Types].xml", pkg.with_content_types(package.read("[Content_Types].xml"), {"vml": pkg.CT_VML}, overrides))
    return pkg.rewrite_package(data, parts.changed, parts.added)


def _annotate_sheet(parts: _Parts, part: str, marks: SheetMarks, styles: Styles, idmaps: set[int], overrides: dict[str, str],
                    strings: Any) -> None:
    sheet = SheetXml(parts.read(part) or b"")
    rels_name = pkg.rels_part(part)
    rels = parts.read(rels_name)
    links = pkg.relationships(rels, part)
    if any(kind == REL_THREADED for _, kind, _ in links):
        raise Unannotatable("the sheet has threaded comments")
    comments_part = next((target for _, kind, target in links if kind == pkg.REL_COMMENTS), None)
    vml_rid = sheet.legacy_drawing()
    vml_part = next((target for rid, kind, target in links if rid == vml_rid and kind == pkg.REL_VML), None)
    if vml_part is not None and re.search(rb'ObjectType="(?!Note")', parts.read(vml_part) or b""):
        raise Unannotatable("the sheet's drawing holds form controls")

    comments = {c.ref: c for c in _comments(parts.read(comments_part)) if not _ours(c)} if comments_part else {}
    for mark in marks.marks:
        sheet.set_style(mark.cell, styles.marked(sheet.style(mark.cell), MARK_FILL, MARK_BORDER))
        earlier = comments.pop(mark.cell, None)
        text = mark.text + (f"\n—\n{_plain(earlier.body)}" if earlier is not None else "")
        comments[mark.cell] = _Comment(mark.cell, AUTHOR, _runs(text, styles.font_name()), lines=_lines(text))
    if marks.note:
        _write_note(sheet, marks, styles, comments, strings)
    comments_part = comments_part or parts.free("xl/comments{}.xml")
    vml_part = vml_part or parts.free("xl/drawings/vmlDrawing{}.vml")
    rels, _ = pkg.with_relationship(rels, part, pkg.REL_COMMENTS, comments_part)
    rels, rid = pkg.with_relationship(rels, part, pkg.REL_VML, vml_part)
    sheet.set_legacy_drawing(rid)
    ordered = sorted(comments.values(), key=lambda c: parse_a1(c.ref))
    parts.write(comments_part, _comments_xml(ordered))
    widths = sheet.widths(max((parse_a1(c.ref)[1] for c in ordered), default=0) + 8)
    parts.write(vml_part, _vml(ordered, _idmap(idmaps), widths))
    parts.write(rels_name, rels)
    parts.write(part, sheet.finish())
    overrides[comments_part] = pkg.CT_COMMENTS


def _write_note(sheet: SheetXml, marks: SheetMarks, styles: Styles, comments: dict[str, _Comment], strings: Any) -> None:
    """The note in its row when the row is free (or holds an earlier note of ours), merged across the
    table; otherwise a visible comment on A1."""
    ref = a1(marks.note_row, 0)
    earlier = sheet.cell_text(ref, strings)
    free = not sheet.row_holds_values(marks.note_row) or (earlier is not None and earlier.startswith(NOTE_MARKS))
    if free:
        widths = sheet.widths(marks.note_last_col)
        merged = sheet.merge(marks.note_row, 0, marks.note_last_col)
        width = sum(widths) if merged else widths[0]
        height = sum(lines_needed(line, width) for line in marks.note.split("\n")) * 13 + 6
        sheet.write_text(ref, marks.note, styles.note(NOTE_FILL, NOTE_FONT), min(height, 409.0))
        return
    corner = comments.pop("A1", None)
    text = marks.note + (f"\n—\n{_plain(corner.body)}" if corner is not None and not _ours(corner) else "")
    comments["A1"] = _Comment("A1", AUTHOR, _runs(text, styles.font_name()), visible=True, lines=_lines(text))


def _lines(text: str) -> int:
    return sum(lines_needed(line, 34) for line in text.split("\n"))


def _runs(text: str, font: str) -> str:
    """A comment's text as runs: who wrote it in bold on its first line, then the text."""
    props = f'<sz val="9"/><color indexed="81"/><rFont val={quoteattr(font)}/><family val="2"/>'
    return (f"<r><rPr><b/>{props}</rPr><t>{AUTHOR}:</t></r>"
            f'<r><rPr>{props}</rPr><t xml:space="preserve">\n{xml_escape(text)}</t></r>')


_COMMENT = re.compile(r"<(?:[\w.-]+:)?comment\s([^>]*)>(.*?)</(?:[\w.-]+:)?comment>", re.S)
_AUTHOR = re.compile(r"<(?:[\w.-]+:)?author\s*>(.*?)</(?:[\w.-]+:)?author>", re.S)
_TEXT = re.compile(r"<(?:[\w.-]+:)?text\s*>(.*)</(?:[\w.-]+:)?text>", re.S)


def _comments(data: bytes | None) -> list[_Comment]:
    """The comments of a comments part, each with its author's name."""
    if data is None:
        return []
    text = xml_bytes(data).decode("utf-8")
    authors = [m.group(1) for m in _AUTHOR.finditer(text)]
    out = []
    for m in _COMMENT.finditer(text):
        a = attributes(m.group(1))
        k = int(a.get("authorId", "0")) if a.get("authorId", "0").isdigit() else 0
        body = _TEXT.search(m.group(2))
        plain = re.sub(r"<[^>]+>", "", body.group(1)) if body else ""
        out.append(_Comment(a.get("ref", "").replace("$", ""), authors[k] if k < len(authors) else "",
                            re.sub(r"<(/?)[\w.-]+:", r"<\1", body.group(1)) if body else "", lines=_lines(plain)))
    return [c for c in out if c.ref]


def _ours(comment: _Comment) -> bool:
    """A comment xl-kpi wrote: by its author, or — re-saved by a program that drops authors — by how it begins."""
    return comment.author == AUTHOR or _plain(comment.body).lstrip().startswith(f"{AUTHOR}:")


def _plain(body: str) -> str:
    """A comment's text without its markup (as it reads)."""
    return re.sub(r"<[^>]+>", "", body).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _comments_xml(comments: Sequence[_Comment]) -> bytes:
    authors = list(dict.fromkeys([AUTHOR, *(c.author for c in comments)]))
    listed = "".join(f"<comment ref={quoteattr(c.ref)} authorId=\"{authors.index(c.author)}\"><text>{c.body}</text></comment>"
                     for c in comments)
    names = "".join(f"<author>{xml_escape(a)}</author>" for a in authors)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{MAIN}"><authors>{names}</authors>'
            f"<commentList>{listed}</commentList></comments>").encode()


def _vml_ids(parts: _Parts) -> set[int]:
    """The shape-id blocks (``o:idmap``) every VML drawing of the package already uses."""
    used: set[int] = set()
    for name in parts.package.entries:
        if name.lower().endswith(".vml"):
            for m in re.finditer(rb'<o:idmap[^>]*data="([0-9, ]+)"', parts.package.read(name)):
                used |= {int(x) for x in re.split(rb"[, ]+", m.group(1)) if x}
    return used


def _idmap(used: set[int]) -> int:
    n = 1
    while n in used:
        n += 1
    used.add(n)
    return n


def _vml(comments: Sequence[_Comment], block: int, widths: Sequence[float]) -> bytes:
    """The legacy drawing that shows comments in Excel, WPS and LibreOffice: a note shape per comment."""
    shapes = []
    for k, c in enumerate(comments, start=1):
        row, col = parse_a1(c.ref)
        left_col, top_row = col + 1, max(0, row - 1)
        height = max(60.0, 12.0 * (c.lines + 1) + 10)
        left = sum(column_points(w) for w in widths[:left_col]) + 10
        top = top_row * DEFAULT_HEIGHT + 2
        span_cols, span_rows = 4, int(height // DEFAULT_HEIGHT) + 1
        shown = "visible" if c.visible else "hidden"
        shapes.append(
            f'<v:shape id="_x0000_s{block * 1024 + k}" type="#_x0000_t202" style="position:absolute;margin-left:{left:.2f}pt;'
            f'margin-top:{top:.2f}pt;width:{COMMENT_WIDTH:g}pt;height:{height:g}pt;z-index:{k};visibility:{shown}" '
            'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
            '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div>'
            '</v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:Anchor>{left_col}, 15, {top_row}, 2, {left_col + span_cols}, 15, {top_row + span_rows}, 4</x:Anchor>"
            f"<x:AutoFill>False</x:AutoFill>{'<x:Visible/>' if c.visible else ''}<x:Row>{row}</x:Row><x:Column>{col}</x:Column>"
            "</x:ClientData></v:shape>")
    return ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit">'
            f'<o:idmap v:ext="edit" data="{block}"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" '
            'o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" '
            f'o:connecttype="rect"/></v:shapetype>{"".join(shapes)}</xml>').encode()
