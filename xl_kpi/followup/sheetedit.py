"""One worksheet part edited as text: a cell's format, a note written into an empty row, a merge, the
legacy drawing that shows comments. Only what is asked changes; every other byte of the part stays."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from ..consolidation.workbookxml import xml_bytes
from ..core.refs import a1, parse_a1
from .package import attributes, set_attribute, xml_escape

__all__ = ["SheetXml", "Unannotatable"]

# CT_Worksheet's children in schema order: a new child goes before the first later one present
ORDER = ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
         "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
         "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
         "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
         "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
         "extLst")
_TAG = re.compile(r"""<(/?)([\w.-]+:)?([\w.-]+)((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>""")
DEFAULT_WIDTH = 8.43
DEFAULT_HEIGHT = 15.0
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Unannotatable(Exception):
    """The sheet cannot be edited safely as text (rows without numbers, form controls in its drawing)."""


@dataclass(frozen=True)
class _Element:
    name: str
    start: int
    end: int  # after the element's end tag (or its self-closing tag)


class SheetXml:
    """A worksheet part's text with the edits made so far."""

    def __init__(self, data: bytes) -> None:
        self.text = xml_bytes(data).decode("utf-8")
        root = re.search(r"<([\w.-]+:)?worksheet[\s>]", self.text)
        if root is None:
            raise Unannotatable("not a worksheet")
        self.prefix = root.group(1) or ""

    # --- structure ------------------------------------------------------------------------------
    def _children(self) -> list[_Element]:
        """The root's children after sheetData (names without prefix) — all this module looks for or adds — found by
        walking their tags with their depth; the rows of sheetData, most of the part, are never walked."""
        p = re.escape(self.prefix)
        end = re.search(rf"</{p}sheetData\s*>|<{p}sheetData\b[^>]*/>", self.text)
        if end is None:
            raise Unannotatable("no sheetData")
        out: list[_Element] = []
        depth = 1
        current: tuple[str, int] | None = None
        for m in _TAG.finditer(self.text, end.end()):
            closing, name, selfclosing = m.group(1), m.group(3), m.group(5)
            if closing:
                depth -= 1
                if depth == 1 and current is not None:
                    out.append(_Element(current[0], current[1], m.end()))
                    current = None
                continue
            if depth == 1:
                if selfclosing:
                    out.append(_Element(name, m.start(), m.end()))
                    continue
                current = (name, m.start())
            if not selfclosing:
                depth += 1
        return out

    def child(self, name: str) -> _Element | None:
        return next((e for e in self._children() if e.name == name), None)

    def insert_child(self, name: str, xml: str) -> None:
        """Insert a new root child ``name`` (one that comes after sheetData) where the schema puts it."""
        later = set(ORDER[ORDER.index(name) + 1 :])
        at = next((e.start for e in self._children() if e.name in later), None)
        if at is None:
            at = self.text.rindex(f"</{self.prefix}worksheet")
        self.text = self.text[:at] + self._prefixed(xml) + self.text[at:]

    def _prefixed(self, xml: str) -> str:
        return re.sub(r"<(/?)(?=[A-Za-z])", lambda m: f"<{m.group(1)}{self.prefix}", xml) if self.prefix else xml

    def _data(self) -> tuple[int, int]:
        """(start, end) of sheetData's content."""
        p = re.escape(self.prefix)
        m = re.search(rf"<{p}sheetData\b[^>]*?(/?)>", self.text)
        if m is None:
            raise Unannotatable("no sheetData")
        if m.group(1):
            self.text = self.text[: m.start()] + f"<{self.prefix}sheetData></{self.prefix}sheetData>" + self.text[m.end():]
            return self._data()
        end = self.text.index(f"</{self.prefix}sheetData", m.end())
        return m.end(), end

    # --- rows and cells -------------------------------------------------------------------------
    def _row(self, row: int, create: bool = True) -> tuple[int, int, int] | None:
        """(start of the row's tag, end of its start tag, end of the row element) of 0-based ``row``."""
        p = re.escape(self.prefix)
        start, end = self._data()
        before = None
        for m in re.finditer(rf"<{p}row\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>", self.text[start:end]):
            r = attributes(m.group(1)).get("r")
            if r is None or not r.isdigit():
                raise Unannotatable("a row without its number")
            number = int(r) - 1
            at = start + m.start()
            if number == row:
                tag_end = start + m.end()
                if m.group(2):  # <row .../>: opened so that cells can go in
                    opened = self.text[at:tag_end][:-2] + ">"
                    self.text = self.text[:at] + opened + f"</{self.prefix}row>" + self.text[tag_end:]
                    tag_end = at + len(opened)
                close = self.text.index(f"</{self.prefix}row>", tag_end)
                return at, tag_end, close + len(f"</{self.prefix}row>")
            if number > row and before is None:
                before = at
        if not create:
            return None
        at = before if before is not None else end
        element = f'<{self.prefix}row r="{row + 1}"></{self.prefix}row>'
        self.text = self.text[:at] + element + self.text[at:]
        tag_end = at + element.index(">") + 1
        return at, tag_end, at + len(element)

    def _cell(self, ref: str, create: bool) -> tuple[int, int] | None:
        """(start, end) of the cell's start tag (a self-closing tag is the whole cell)."""
        row, col = parse_a1(ref)
        found = self._row(row, create)
        if found is None:
            return None
        _, body, row_end = found
        p = re.escape(self.prefix)
        insert_at = None
        for m in re.finditer(rf"<{p}c\s((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)/?>", self.text[body:row_end]):
            r = attributes(m.group(1)).get("r", "")
            if not r:
                raise Unannotatable("a cell without its reference")
            if r.replace("$", "") == ref:
                return body + m.start(), body + m.end()
            if parse_a1(r)[1] > col and insert_at is None:
                insert_at = body + m.start()
        if not create:
            return None
        at = insert_at if insert_at is not None else row_end - len(f"</{self.prefix}row>")
        element = f'<{self.prefix}c r="{ref}"/>'
        self.text = self.text[:at] + element + self.text[at:]
        return at, at + len(element)

    def style(self, ref: str) -> int:
        """The cell's format index (0 when it sets none, or the cell is not written)."""
        found = self._cell(ref, create=False)
        if found is None:
            return 0
        s = attributes(self.text[found[0] : found[1]]).get("s", "0")
        return int(s) if s.isdigit() else 0

    def set_style(self, ref: str, xf: int) -> None:
        start, end = self._cell(ref, create=True)  # type: ignore[misc]
        self.text = self.text[:start] + set_attribute(self.text[start:end], "s", str(xf)) + self.text[end:]

    def cell_text(self, ref: str, strings: Any = None) -> str | None:
        """A text cell's text — inline, or shared when ``strings`` (the shared strings) are given; None otherwise."""
        found = self._cell(ref, create=False)
        if found is None or self.text[found[1] - 2 : found[1]] == "/>":
            return None
        tag = self.text[found[0] : found[1]]
        close = self.text.find(f"</{self.prefix}c>", found[1])
        body = self.text[found[1] : close]
        kind = attributes(tag).get("t", "")
        if kind == "s" and strings is not None:
            m = re.search(r"<(?:[\w.-]+:)?v>\s*(\d+)\s*</(?:[\w.-]+:)?v>", body)
            try:
                return str(strings[int(m.group(1))]) if m else None
            except (IndexError, ValueError):
                return None
        m = re.search(r"<(?:[\w.-]+:)?t(?:\s[^>]*)?>(.*?)</(?:[\w.-]+:)?t>", body, re.S)
        return m.group(1) if m and kind == "inlineStr" else None

    def row_holds_values(self, row: int) -> bool:
        found = self._row(row, create=False)
        if found is None:
            return False
        body = self.text[found[1] : found[2]]
        return bool(re.search(r"<(?:[\w.-]+:)?(?:v|f|is)[\s>]", body))

    def write_text(self, ref: str, text: str, xf: int, height: float | None = None) -> None:
        """An inline string in ``ref`` (replacing whatever the cell held), its row ``height`` points tall."""
        start, end = self._cell(ref, create=True)  # type: ignore[misc]
        whole_end = end if self.text[end - 2 : end] == "/>" else self.text.index(f"</{self.prefix}c>", end) + len(f"</{self.prefix}c>")
        p = self.prefix
        cell = (f'<{p}c r="{ref}" s="{xf}" t="inlineStr"><{p}is><{p}t xml:space="preserve">{xml_escape(text)}</{p}t></{p}is></{p}c>')
        self.text = self.text[:start] + cell + self.text[whole_end:]
        if height is not None:
            at, tag_end, _ = self._row(parse_a1(ref)[0])  # type: ignore[misc]
            tag = self.text[at:tag_end]
            tag = set_attribute(set_attribute(tag, "ht", f"{height:g}"), "customHeight", "1")
            self.text = self.text[:at] + tag + self.text[tag_end:]

    # --- merges, widths, drawing ----------------------------------------------------------------
    def merges(self) -> list[tuple[int, int, int, int]]:
        """Every merged range as (first row, first col, last row, last col)."""
        out = []
        for m in re.finditer(r"<(?:[\w.-]+:)?mergeCell\s[^>]*?ref\s*=\s*[\"']([A-Z]+[0-9]+):([A-Z]+[0-9]+)[\"']", self.text):
            (r1, c1), (r2, c2) = parse_a1(m.group(1)), parse_a1(m.group(2))
            out.append((r1, c1, r2, c2))
        return out

    def merge(self, row: int, first: int, last: int) -> bool:
        """Merge ``row``'s columns ``first``–``last`` unless another merge overlaps them; whether they are merged."""
        for r1, c1, r2, c2 in self.merges():
            if (r1, c1, r2, c2) == (row, first, row, last):
                return True
            if r1 <= row <= r2 and not (c2 < first or c1 > last):
                return False
        ref = f"{a1(row, first)}:{a1(row, last)}"
        block = self.child("mergeCells")
        if block is None:
            self.insert_child("mergeCells", f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>')
            return True
        head = re.match(r"<[^>]*>", self.text[block.start : block.end])
        assert head is not None
        count = len(self.merges()) + 1
        tag = set_attribute(head.group(0), "count", str(count))
        close = self.text.rindex(f"</{self.prefix}mergeCells", block.start, block.end)
        self.text = (self.text[: block.start] + tag + self.text[block.start + len(head.group(0)) : close]
                     + f'<{self.prefix}mergeCell ref="{ref}"/>' + self.text[close:])
        return True

    def widths(self, last: int) -> list[float]:
        """The widths of columns A..``last`` (characters) as the sheet sets them."""
        out = [DEFAULT_WIDTH] * (last + 1)
        for m in re.finditer(r"<(?:[\w.-]+:)?col\s[^>]*>", self.text):
            a = attributes(m.group(0))
            try:
                lo, hi, width = int(a["min"]) - 1, int(a["max"]) - 1, float(a.get("width", DEFAULT_WIDTH))
            except (KeyError, ValueError):
                continue
            for c in range(max(lo, 0), min(hi, last) + 1):
                out[c] = width
        return out

    def legacy_drawing(self) -> str | None:
        """The relationship id of the sheet's legacy (VML) drawing, if it has one."""
        found = self.child("legacyDrawing")
        if found is None:
            return None
        return next((v for k, v in attributes(self.text[found.start : found.end]).items() if k.endswith(":id")), None)

    def set_legacy_drawing(self, rid: str) -> None:
        if self.legacy_drawing() == rid:
            return
        found = self.child("legacyDrawing")
        if found is not None:
            self.text = self.text[: found.start] + self.text[found.end :]
        prefix = self._r_prefix()
        self.insert_child("legacyDrawing", f"<legacyDrawing {prefix}:id={quoteattr(rid)}/>")

    def _r_prefix(self) -> str:
        """The prefix the root binds to the relationships namespace (declared on the root when missing)."""
        m = re.search(rf"""xmlns:([\w.-]+)\s*=\s*["']{re.escape(R_NS)}["']""", self.text)
        if m:
            return m.group(1)
        root = re.search(rf"<{re.escape(self.prefix)}worksheet\b", self.text)
        assert root is not None
        at = root.end()
        self.text = self.text[:at] + f' xmlns:r="{R_NS}"' + self.text[at:]
        return "r"

    def finish(self) -> bytes:
        return self.text.encode("utf-8")

