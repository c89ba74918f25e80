"""docs/architecture.md's toy return format, toy result column and toy scorecard block are real: each is taken
from the page, plugged in the one place the page says, and proven end to end — a return converted into the toy
format is consolidated and scored exactly (and a rule edited in it is caught); the toy column appears in
scores.csv, on the Scores sheet, in `xl-kpi score` and in a history written before it existed; the toy block is
written on the card with its name, recorded in the cell map, read by consolidation and printed with the form."""

from __future__ import annotations

import csv
import io
import sqlite3
import sys
import types
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

import xl_kpi
from xl_kpi.consolidation import consolidate, formats
from xl_kpi.consolidation.caches import ReaderCache
from xl_kpi.consolidation.plan import plan
from xl_kpi.scoring import columns
from xl_kpi.sheet import blocks as sheet_blocks
from xl_kpi.sheet.person import FORMAT_VERSION, PersonLayout
from xl_kpi.workbook import BuildOptions, build_employee_workbook, card_sheet
from xl_kpi.workbook import blocks as block_writers

from .docblocks import page_module, python_blocks
from .returned import GOOD, SEED, make_return

PAGE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


@pytest.fixture
def cells_format(monkeypatch):
    """The page's ``xl_kpi/consolidation/formats/cells.py``, registered as a module of the formats package would be."""
    (source,) = [b for b in python_blocks(PAGE) if "class CellsBook" in b]
    module = types.ModuleType("xl_kpi.consolidation.formats.cells")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(source, "docs/architecture.md: xl_kpi/consolidation/formats/cells.py", "exec"), module.__dict__)
    monkeypatch.setitem(formats.REGISTRY, "cells", module.FORMAT)
    return module


def _as_cells(xlsx: Path, magic: bytes) -> str:
    """A return as the toy format holds it: every filled cell with its type, value and formula, each sheet's
    scoped names and protection (read with openpyxl, a reader of its own)."""
    formulas, values = load_workbook(xlsx), load_workbook(xlsx, data_only=True)
    out = io.StringIO()
    out.write(magic.decode())
    rows = csv.writer(out, lineterminator="\n")
    for ws in formulas.worksheets:
        cached = values[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                value, shown = cell.value, cached[cell.coordinate].value
                formula = value[1:] if isinstance(value, str) and value.startswith("=") else ""
                if shown is None and not formula:
                    continue
                number = isinstance(shown, (int, float)) and not isinstance(shown, bool)
                rows.writerow([ws.title, cell.coordinate, "n" if number else "s", "" if shown is None else shown, formula])
        for name, defined in ws.defined_names.items():
            rows.writerow(["#name", ws.title, name.upper(), defined.attr_text.rsplit("!", 1)[-1].replace("$", "")])
        if ws.protection.sheet:
            rows.writerow(["#protected", ws.title, ws.protection.password or ""])
    return out.getvalue()


def test_the_toy_format_is_read_through_the_seam_like_any_return(cells_format, tmp_path, specs):
    xlsx = make_return(specs, tmp_path / "issued", GOOD)
    returns = tmp_path / "returns"
    returns.mkdir()
    text = _as_cells(xlsx, cells_format.MAGIC)
    (returns / "E100.cells").write_text(text, encoding="utf-8")  # found in the folder by the format's suffix
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)
    assert [(r.employee_id, r.total, r.grade, r.status) for r in result.records] == [("E100", 80, "良好", "ok")]
    assert not [i for i in result.issues if i.severity != "info"]

    spec = specs["sales_rep"]
    threshold = PersonLayout.for_spec(spec).cell_map(spec)["param_keys"]["sales_rate"][0]
    line = next(ln for ln in text.splitlines() if ln.startswith(f"KPI考核表,{threshold},"))
    (returns / "E100.cells").write_text(text.replace(line, f"KPI考核表,{threshold},n,0.5,"), encoding="utf-8")
    result, _ = consolidate([returns], tmp_path / "out2", specs, workers=1)
    assert ("changed-threshold", threshold) in {(i.code, i.cell) for i in result.issues} and result.records[0].status == "tampered"


def test_the_toy_column_appears_in_every_output(tmp_path, specs, monkeypatch):
    (block,) = [b for b in python_blocks(PAGE) if '_card("passed"' in b]
    toy = eval(block.strip(), vars(columns))[0]  # the page's own line of TABLE
    returns = tmp_path / "returns"
    make_return(specs, returns, GOOD)
    history = tmp_path / "history.sqlite"
    consolidate([returns], tmp_path / "before", specs, workers=1, history=history)  # a history from before the column

    at = next(k for k, d in enumerate(columns.TABLE) if d.column is not None and d.column.key == "template")
    monkeypatch.setattr(columns, "TABLE", (*columns.TABLE[:at], toy, *columns.TABLE[at:]))
    monkeypatch.setenv("XL_KPI_LANG", "zh")
    _, paths = consolidate([returns], tmp_path / "out", specs, workers=1, history=history)
    with open(paths["scores"], encoding="utf-8-sig") as fh:
        (row,) = csv.DictReader(fh)
    assert row["passed"] == "yes" and list(row).index("passed") == list(row).index("template") - 1
    header = CalamineWorkbook.from_path(str(paths["summary"])).get_sheet_by_name("成绩").to_python()[0]  # after the overview
    assert "达到60分" in header
    with sqlite3.connect(history) as db:
        assert db.execute("SELECT passed FROM totals WHERE employee_id = 'E100'").fetchall() == [("yes",)]
    scored = xl_kpi.score(specs["sales_rep"], pd.DataFrame([{"employee_id": "E1", **SEED}]))
    assert scored.loc[0, "passed"] == "yes"


def _page_module(marker: str, name: str, monkeypatch) -> types.ModuleType:
    return page_module(PAGE, marker, name, monkeypatch)


@pytest.fixture
def highlights(monkeypatch):
    """The page's toy block and its writer, registered as modules of the two blocks packages would be."""
    block = _page_module("class Highlights(Block)", "xl_kpi.sheet.blocks.highlights", monkeypatch)
    writer = _page_module('BlockWriter("highlights"', "xl_kpi.workbook.blocks.highlights", monkeypatch)
    monkeypatch.setitem(sheet_blocks.REGISTRY, "highlights", block.BLOCK)
    monkeypatch.setitem(block_writers.REGISTRY, "highlights", writer.WRITER)
    monkeypatch.setattr(card_sheet, "_RULES", {})  # layouts made before the block was registered
    return block


def test_the_toy_block_is_written_read_and_printed_like_any_block(highlights, tmp_path, specs):
    spec = specs["sales_rep"]
    layout = PersonLayout.for_spec(spec)
    row = layout.first("highlights")
    assert row == layout.last("reviews") + 2 and layout.first("signoff") == row + 2  # stacked between the two, a spacer each side

    text = "签下三个年框客户"
    returns = tmp_path / "returns"
    path = build_employee_workbook(returns / "E100.xlsx", spec, GOOD,
                                   BuildOptions(actuals={GOOD.employee_id: SEED}, texts={GOOD.employee_id: {"highlights": text}}))
    ws = load_workbook(path).worksheets[0]
    ((_, cell),) = ws.defined_names["KPI_HIGHLIGHTS"].destinations
    assert cell == "$B$" + str(row + 1) and ws[cell.replace("$", "")].value == text
    assert ws.cell(row + 1, 1).value == "本期亮点"
    assert ws.row_dimensions[row + 1].height == pytest.approx(40, abs=0.5)  # its own height (XlsxWriter's whole pixels), not a spacer's
    assert int(ws.print_area.rsplit("$", 1)[1]) == layout.last("signoff") + 1 > row + 1  # printed: the form ends at the sign-off, below it

    cells = layout.cell_map(spec)
    assert cells["highlights"] == f"B{row + 1}"
    assert cells["highlights"] in plan(spec, "native", FORMAT_VERSION, ReaderCache()).refs  # consolidation reads it
    result, _ = consolidate([returns], tmp_path / "out", specs, workers=1)  # the cell map recorded is the template's
    assert [(r.employee_id, r.total, r.grade, r.status) for r in result.records] == [("E100", 80, "良好", "ok")]
    assert not [i for i in result.issues if i.severity != "info"]
