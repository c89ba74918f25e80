"""What Excel does to a workbook when a person edits its structure, done to the XML the way Excel
does it: insert rows (every reference below moves, defined names included), sort rows (contents
move, names stay, relative references follow their row), rename a sheet (names follow), and the
saves of programs that do not recalculate (cached values gone)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from xl_kpi.core.refs import col_index, col_letter

from .zipedit import rewrite_part

SHEET = "xl/worksheets/sheet1.xml"
_REF = re.compile(r"(?<![A-Za-z_\d.])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")


def _shift_refs(text: str, at: int, n: int) -> str:
    """Every reference to a row ≥ ``at`` (1-based) moved down ``n`` rows, absolute or not (Excel on insertion)."""
    def move(m: re.Match[str]) -> str:
        cabs, col, rabs, row = m.groups()
        r = int(row)
        return f"{cabs}{col}{rabs}{r + n if r >= at else r}"

    parts = text.split('"')
    return '"'.join(_REF.sub(move, p) if i % 2 == 0 else p for i, p in enumerate(parts))


def insert_rows(path: Path, at: int, n: int = 1) -> None:
    """Insert ``n`` empty rows before row ``at`` (1-based) of the first sheet, as Excel does."""
    def sheet(xml: str) -> str:
        xml = re.sub(r'<row r="(\d+)"', lambda m: f'<row r="{int(m.group(1)) + n if int(m.group(1)) >= at else m.group(1)}"', xml)
        xml = re.sub(r'(<c r=")([A-Z]+)(\d+)"', lambda m: f'{m.group(1)}{m.group(2)}{int(m.group(3)) + n if int(m.group(3)) >= at else m.group(3)}"', xml)
        xml = re.sub(r"<f>(.*?)</f>", lambda m: f"<f>{_shift_refs(m.group(1), at, n)}</f>", xml)
        xml = re.sub(r'(sqref|ref)="([^"]+)"', lambda m: f'{m.group(1)}="{_shift_refs(m.group(2), at, n)}"', xml)
        return re.sub(r"<formula>(.*?)</formula>", lambda m: f"<formula>{_shift_refs(m.group(1), at, n)}</formula>", xml)

    rewrite_part(path, SHEET, sheet)
    rewrite_part(path, "xl/workbook.xml", lambda xml: re.sub(
        r'(<definedName [^>]*localSheetId="0"[^>]*>)(.*?)(</definedName>)', lambda m: m.group(1) + _shift_refs(m.group(2), at, n) + m.group(3),
        xml))


def insert_columns(path: Path, at: str, n: int = 1) -> None:
    """Insert ``n`` empty columns before column ``at`` of the first sheet, as Excel does."""
    first = col_index(at)

    def move(m: re.Match[str]) -> str:
        cabs, col, rabs, row = m.groups()
        c = col_index(col)
        return f"{cabs}{col_letter(c + n) if c >= first else col}{rabs}{row}"

    def refs(text: str) -> str:
        parts = text.split('"')
        return '"'.join(_REF.sub(move, p) if i % 2 == 0 else p for i, p in enumerate(parts))

    def sheet(xml: str) -> str:
        xml = re.sub(r'(<c r=")([A-Z]+)(\d+)"', lambda m: m.group(1) + refs(m.group(2) + m.group(3)) + '"', xml)
        xml = re.sub(r"<f>(.*?)</f>", lambda m: f"<f>{refs(m.group(1))}</f>", xml)
        xml = re.sub(r'(sqref|ref)="([^"]+)"', lambda m: f'{m.group(1)}="{refs(m.group(2))}"', xml)
        return re.sub(r"<formula>(.*?)</formula>", lambda m: f"<formula>{refs(m.group(1))}</formula>", xml)

    rewrite_part(path, SHEET, sheet)
    rewrite_part(path, "xl/workbook.xml", lambda xml: re.sub(
        r'(<definedName [^>]*localSheetId="0"[^>]*>)(.*?)(</definedName>)', lambda m: m.group(1) + refs(m.group(2)) + m.group(3), xml))


def sort_rows(path: Path, rows: list[int], order: list[int], last_col: str) -> None:
    """Sort the cells of columns A..``last_col`` of ``rows`` (1-based) into ``order`` (the rows' new
    sequence: order[k] is the row whose contents land in rows[k]); relative references in a moved
    formula follow their row; defined names stay on their cells — as Excel sorts."""
    last = col_index(last_col)

    def sheet(xml: str) -> str:
        cells: dict[int, list[tuple[str, str]]] = {}
        for r in rows:
            found = re.findall(rf'(<c r="([A-Z]+){r}"[^>]*?(?:/>|>.*?</c>))', xml)
            cells[r] = [(xml_cell, col) for xml_cell, col in found if col_index(col) <= last]
        moved = dict(zip(rows, order))
        for target, source in moved.items():
            for xml_cell, col in cells[source]:
                new = xml_cell.replace(f'r="{col}{source}"', f'r="{col}{target}"', 1)
                new = re.sub(r"<f>(.*?)</f>", lambda m, d=target - source: "<f>" + _move_relative(m.group(1), d) + "</f>", new)
                old = next(c for c, cc in cells[target] if cc == col)
                xml = xml.replace(old, "\0" + new + "\0", 1) if old in xml else xml
        return xml.replace("\0", "")

    rewrite_part(path, SHEET, sheet)


def _move_relative(formula: str, rows: int) -> str:
    def move(m: re.Match[str]) -> str:
        cabs, col, rabs, row = m.groups()
        return f"{cabs}{col}{rabs}{int(row) if rabs else int(row) + rows}"

    parts = formula.split('"')
    return '"'.join(_REF.sub(move, p) if i % 2 == 0 else p for i, p in enumerate(parts))


def rename_sheet(path: Path, old: str, new: str) -> None:
    """Rename a sheet as Excel does: its tab, and every defined name and formula that refers to it."""
    def workbook(xml: str) -> str:
        xml = xml.replace(f'<sheet name="{old}"', f'<sheet name="{new}"')
        return xml.replace(f"'{old}'!", f"'{new}'!").replace(f">{old}!", f">{new}!")

    rewrite_part(path, "xl/workbook.xml", workbook)


def repoint_name(path: Path, name: str, cell: str) -> None:
    """Point a sheet's defined name at another cell (Name Manager → Refers to)."""
    rewrite_part(path, "xl/workbook.xml", lambda xml: re.sub(
        rf'(<definedName name="{name}" localSheetId="0">[^<]*!)\$[A-Z]+\$\d+(</definedName>)',
        lambda m: m.group(1) + "$" + re.sub(r"(\d+)", r"$\1", cell) + m.group(2), xml))


def far_cell(path: Path, cell: str = "XFD1048576", value: str = "1") -> None:
    """A value in a far but legal cell (Excel accepts it; the sheet's extent becomes the whole grid)."""
    row = re.sub(r"[A-Z]+", "", cell)

    def sheet(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]+"/>', f'<dimension ref="A1:{cell}"/>', xml)
        return xml.replace("</sheetData>", f'<row r="{row}"><c r="{cell}"><v>{value}</v></c></row></sheetData>', 1)

    rewrite_part(path, SHEET, sheet)


def strip_cached_values(path: Path) -> None:
    """Save as a program that does not recalculate: every formula cell without its cached value."""
    rewrite_part(path, SHEET, lambda xml: re.sub(r"(</f>)<v>[^<]*</v>", r"\1", xml))


def drop_names(path: Path, prefixes: tuple[str, ...]) -> None:
    """Remove the defined names starting with any of ``prefixes`` (a workbook from a version that did not write them)."""
    rewrite_part(path, "xl/workbook.xml", lambda xml: re.sub(
        r'<definedName name="([^"]+)"[^>]*>[^<]*</definedName>', lambda m: "" if m.group(1).startswith(prefixes) else m.group(0), xml))


def set_cell(path: Path, cell: str, raw: str) -> None:
    """Write ``raw`` as the stored value of ``cell`` (what a script touching the file may leave: inf, NaN, 1e309)."""
    rewrite_part(path, SHEET, lambda xml: re.sub(rf'(<c r="{cell}")[^>]*?(/>|>.*?</c>)',
                                                 lambda m: f'{m.group(1)}><v>{raw}</v></c>', xml, count=1))


def set_text(path: Path, cell: str, text: str) -> None:
    """Write ``text`` into ``cell`` as an inline string (a review cell holds up to 32,767 characters)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    rewrite_part(path, SHEET, lambda xml: re.sub(rf'(<c r="{cell}")[^>]*?(/>|>.*?</c>)',
                                                 lambda m: f'{m.group(1)} t="inlineStr"><is><t>{escaped}</t></is></c>', xml, count=1))


def meta_part(path: Path) -> str:
    """The part of the hidden metadata sheet."""
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet name="_xlkpi_meta"[^>]*r:id="([^"]+)"', workbook).group(1)
    return "xl/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels).group(1)


def forge_people(path: Path, copies: int) -> None:
    """Append ``copies`` more rows to the metadata's people table (a forged metadata sheet)."""
    def sheet(xml: str) -> str:
        rows = re.findall(r'<row r="(\d+)".*?</row>', xml)
        last = int(rows[-1])
        body = re.search(rf'<row r="{last}".*?</row>', xml).group(0)
        extra = "".join(re.sub(rf'(r="[A-Z]+){last}"', rf'\g<1>{last + k}"', body.replace(f'<row r="{last}"', f'<row r="{last + k}"', 1))
                        for k in range(1, copies + 1))
        return xml.replace("</sheetData>", extra + "</sheetData>", 1)

    rewrite_part(path, meta_part(path), sheet)


def set_meta(path: Path, employee_id: str, column: str, text: str) -> None:
    """Change one field of a person's row in the hidden metadata (as an employee editing it would)."""
    import openpyxl

    ws = openpyxl.load_workbook(path)["_xlkpi_meta"]
    rows = list(ws.iter_rows())
    header = next(k for k, row in enumerate(rows) if row[0].value == "sheet")
    col = [c.value for c in rows[header]].index(column)
    key = [c.value for c in rows[header]].index("employee_id")
    ref = next(row[col].coordinate for row in rows[header + 1:] if row[key].value == employee_id)
    _set_inline(path, meta_part(path), ref, text)


def set_meta_value(path: Path, key: str, text: str) -> None:
    """Change a key-value row of the hidden metadata (``period``-like fields before the people table)."""
    import openpyxl

    ws = openpyxl.load_workbook(path)["_xlkpi_meta"]
    ref = next(row[1].coordinate for row in ws.iter_rows() if row[0].value == key)
    _set_inline(path, meta_part(path), ref, text)


def _set_inline(path: Path, part: str, ref: str, text: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    rewrite_part(path, part, lambda xml: re.sub(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)',
                                                f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>', xml, count=1))
