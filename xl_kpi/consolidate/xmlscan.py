"""Stream a worksheet's XML for the formulas in given cells (integrity check, no full parse).

Uses defusedxml's iterparse and drops each row once read, so memory stays flat however
large the sheet. Shared formulas (Excel writes them after fill-down) are expanded from
their master cell by shifting relative references.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable

from defusedxml import ElementTree

__all__ = ["sheet_parts", "formulas_in", "normalise_formula", "shift_formula"]

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REF = re.compile(r"(?<![A-Za-z_\d.])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")
_CELL = re.compile(r"([A-Z]+)(\d+)")


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → worksheet part path, from workbook.xml and its relationships."""
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    sheets = book.find(f"{_NS_MAIN}sheets")
    return {s.get("name"): targets.get(s.get(f"{_NS_REL}id"), "") for s in (sheets if sheets is not None else [])}


def _col_num(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _col_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def shift_formula(formula: str, rows: int, cols: int) -> str:
    """Move a formula's relative references by (rows, cols), as Excel does for shared formulas."""
    parts = formula.split('"')
    for i in range(0, len(parts), 2):  # outside string literals only
        def move(m: re.Match[str]) -> str:
            cabs, col, rabs, row = m.groups()
            c = col if cabs else _col_letters(_col_num(col) + cols)
            r = row if rabs else str(int(row) + rows)
            return f"{cabs}{c}{rabs}{r}"

        parts[i] = _REF.sub(move, parts[i])
    return '"'.join(parts)


def normalise_formula(formula: str) -> str:
    """Compare formulas as text without '=', '$', spaces or case (Excel and LO re-serialise these)."""
    return formula.lstrip("=").replace("$", "").replace(" ", "").upper()


_ATTR = r"""(?:\s+[\w:]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
_F_ELEMENT = re.compile(rf"<(?:\w+:)?f({_ATTR})\s*(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_XML_ESCAPES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&"}


def _unescape(text: str) -> str:
    return re.sub(r"&(?:lt|gt|quot|apos|amp);", lambda m: _XML_ESCAPES[m.group(0)], text)


def _fast_formulas(xml: str, wanted: set[str]) -> dict[str, str | None] | None:
    """Find the wanted cells in one pass; ``None`` when a shared formula needs the full parse."""
    found: dict[str, str | None] = {ref: None for ref in wanted}
    refs = "|".join(sorted(wanted, key=len, reverse=True))
    cells = re.finditer(rf"<(?:\w+:)?c(?=[^>]*\sr\s*=\s*[\"']({refs})[\"'])({_ATTR})\s*(/>|>(.*?)</(?:\w+:)?c>)", xml, re.S)
    for cell in cells:
        f = _F_ELEMENT.search(cell.group(4) or "")
        if f is None:
            continue
        if re.search(r"""\st\s*=\s*["']shared["']""", f.group(1)) and not f.group(2):
            return None
        found[cell.group(1)] = _unescape(f.group(2) or "")
    return found


def formulas_in(zf: zipfile.ZipFile, part: str, cells: Iterable[str]) -> dict[str, str | None]:
    """The formula text in each wanted cell (``None`` when it holds no formula).

    The part's size is bounded by the package checks, so the fast path searches the text
    for the few wanted cells; a shared formula sends it to the streaming parser.
    """
    wanted = set(cells)
    fast = _fast_formulas(zf.read(part).decode("utf-8", errors="replace"), wanted)
    if fast is not None:
        return fast
    return _streamed_formulas(zf, part, wanted)


def _streamed_formulas(zf: zipfile.ZipFile, part: str, wanted: set[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {c: None for c in wanted}
    masters: dict[str, tuple[str, str]] = {}
    pending: dict[str, str] = {}  # cell → shared index, to resolve after the masters are read
    with zf.open(part) as fh:
        for _, elem in ElementTree.iterparse(fh, events=("end",), forbid_dtd=True):
            tag = elem.tag
            if tag == f"{_NS_MAIN}c":
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
            elif tag == f"{_NS_MAIN}row":
                elem.clear()
    for ref, si in pending.items():
        if si in masters:
            master_ref, text = masters[si]
            (mc, mr), (c, r) = _CELL.match(master_ref).groups(), _CELL.match(ref).groups()  # type: ignore[union-attr]
            found[ref] = shift_formula(text, int(r) - int(mr), _col_num(c) - _col_num(mc))
    return found
