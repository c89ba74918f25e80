"""The import corpus of issue 25 (``tests/data/hr_tables``): HR's KPI tables as they stand, each with
the reading of every scoring cell written before the rules changed, and the measurement that
compares ``xl-kpi import`` with those readings cell by cell.

``python -m tests.hr_tables [tuned|held-out|all] [-v]`` prints the figures recorded in
``docs/import.md``: tables imported as they stand, cells read exactly, cells misread, cells
refused with a message at their row (and without one). The held-out half — every second file in
sorted order, the even-numbered ones — was chosen before tuning and is not run while tuning.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
import yaml

from xl_kpi.authoring.importer import import_specs
from xl_kpi.authoring.role import Role
from xl_kpi.core.errors import InvalidActual
from xl_kpi.core.refs import parse_a1
from xl_kpi.scoring.engine import score_indicator
from xl_kpi.spec.model import Indicator, Spec
from xl_kpi.spec.rules import parse_spec

FOLDER = Path(__file__).resolve().parent / "data" / "hr_tables"
TOLERANCE = 0.006  # points: both sides are rounded to two decimals


@dataclass
class Table:
    path: Path
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def file_name(self) -> str:
        return f"{self.name}.{self.data.get('file', 'xlsx')}"

    def write(self, folder: Path) -> Path:
        """The table as HR keeps it: an .xlsx with its merged cells, or a CSV as Excel/WPS saves one."""
        rows = [list(r or []) for r in self.data["rows"]]
        path = folder / self.file_name
        if self.data.get("file") == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            for row in rows:
                writer.writerow(["" if v is None else v for v in row])
            path.write_bytes(out.getvalue().encode(self.data.get("encoding", "utf-8-sig")))
            return path
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet(self.data.get("sheet", "Sheet1"))
        merges = [tuple(m) for m in self.data.get("merges", [])]
        for r0, c0, r1, c1 in merges:
            value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
            ws.merge_range(r0, c0, r1, c1, "" if value is None else value)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or any(r0 <= r <= r1 and c0 <= c <= c1 for r0, c0, r1, c1 in merges):
                    continue
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
        wb.close()
        return path

    def row_of(self, name: str, nth: int = 1) -> int:
        """The 0-based grid row whose cell reads ``name`` (the ``nth`` such row)."""
        seen = 0
        for r, row in enumerate(self.data["rows"]):
            if any(str(v) == name for v in (row or []) if v is not None):
                seen += 1
                if seen == nth:
                    return r
        raise KeyError(f"{self.name}: no row reads {name!r}")


def tables(half: str = "all") -> list[Table]:
    """The corpus in sorted order; ``tuned`` the odd-numbered files (1st, 3rd, …), ``held-out`` the others."""
    found = [Table(p, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(FOLDER.glob("*.yaml"))]
    if half == "tuned":
        return found[0::2]
    if half == "held-out":
        return found[1::2]
    return found


# --- what the importer read, row by row (even when the role as a whole has errors) ----------------------
def _fraction(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(Decimal(value.strip()[:-1]) / 100)
        except ArithmeticError:
            return None
    return None


@dataclass
class RowReading:
    """One row as imported: an indicator (alone, as a one-row spec), a bonus/penalty item or a veto item."""

    kind: str  # indicator | adjust | veto | card
    row: int = -1
    name: str = ""
    indicator: Indicator | None = None
    share: float | None = None  # a weighted card: the row's share of the card (section weight included)
    points: float | None = None  # a card of points: the row's full points
    item: dict[str, Any] = field(default_factory=dict)
    grades: tuple[list[tuple[str, float]], bool] | None = None  # (label, min) pairs, and whether they are the default

    def score(self, actual: Any) -> float | None:
        ind = self.indicator
        assert ind is not None
        if isinstance(actual, dict):
            return ind.method.score(ind, actual)
        return score_indicator(ind, actual)

    def card_points(self, score: float) -> float:
        if self.points is not None:  # a card of points; a section with a weight holds items of 100 points in all
            return score * self.item.get("_section_share", 1.0)
        return score * (self.share or 0.0)

    def row_points(self, score: float) -> float:
        if self.points is not None:
            return score
        return score * (self.item.get("_own_share") or 0.0)

    def adjustment(self, count: float) -> float:
        cap = float(self.item["max"])
        return max(-cap, min(cap, count * float(self.item["points"])))

    def describe(self) -> str:
        ind = self.indicator
        if ind is None:
            return self.kind
        unit = f", unit {ind.unit}" if ind.unit else ""
        return f"{ind.method.name}: {ind.describe('en')}{unit}"


def _alone(data: dict[str, Any]) -> Indicator | None:
    """An imported indicator as a one-row spec (its weight 100%, no section, no raters): its rules alone."""
    ind = {k: v for k, v in data.items() if k not in ("section", "rated", "weight", "points")}
    if "points" in data:
        ind["points"] = data["points"]
    else:
        ind["weight"] = "100%"
    spec, _ = parse_spec({"id": "probe", "title": "probe", "grades": [{"label": "a", "min": 0}], "indicators": [ind]})
    return spec.indicators[0] if spec is not None else None


def row_readings(results: list[tuple[Spec | None, Role]]) -> list[RowReading]:
    out: list[RowReading] = []
    for _, role in results:
        data = role.data
        if "indicators" not in data:
            continue
        sections = {s["id"]: _fraction(s.get("weight")) for s in data.get("sections", []) if isinstance(s, dict)}
        within: dict[str, float] = {}  # each section's indicator weights added up: 100%, or the section's own weight (shares of the card)
        for ind in data["indicators"]:
            w = _fraction(ind.get("weight"))
            if ind.get("section") and w is not None:
                within[ind["section"]] = within.get(ind["section"], 0.0) + w
        for i, ind in enumerate(data["indicators"]):
            cell = role.places.get(f"indicators[{i}]")
            if not cell:
                continue
            row = parse_a1(cell)[0]
            own = _fraction(ind.get("weight"))
            section = ind.get("section")
            factor = sections.get(section) if section else 1.0
            if section and factor is not None and not math.isclose(within.get(section, 1.0), 1.0, abs_tol=1e-9):
                factor = 1.0  # the weights are the card's shares already
            share = own * factor if own is not None and factor is not None else None
            points = ind.get("points")
            out.append(RowReading("indicator", row, str(ind.get("name", "")), _alone(ind), share,
                                  float(points) if isinstance(points, (int, float)) else None,
                                  {"_own_share": own, "_section_share": factor if section and factor is not None else 1.0}))
        adjustments = data.get("adjustments") or {}
        for k, item in enumerate(adjustments.get("items", [])):
            cell = role.places.get(f"adjustments.items[{k}]", "")
            out.append(RowReading("adjust", parse_a1(cell)[0] if cell else -1, str(item.get("name", "")), item=item))
        for k, item in enumerate(data.get("veto", [])):
            cell = role.places.get(f"veto[{k}]", "")
            out.append(RowReading("veto", parse_a1(cell)[0] if cell else -1, str(item.get("name", "")), item=item))
        grades = [(str(g.get("label")), float(g.get("min", 0))) for g in data.get("grades", []) if isinstance(g, dict)]
        out.append(RowReading("card", grades=(grades, "grades" not in role.places)))  # read from no cell: the default
    return out


# --- one cell -----------------------------------------------------------------------------------------
@dataclass
class CellResult:
    table: str
    name: str
    verdict: str  # exact | misread | refused | unclear
    detail: str = ""


def _number(value: Any) -> float:
    if isinstance(value, str) and value.strip().endswith("%"):
        return float(Decimal(value.strip()[:-1]) / 100)
    return float(value)


def _contribution(reading: RowReading, kind: str, value: Any, scale: str) -> float | None:
    """The points the row adds to the card for one input (``scale`` row: the row's own points); None when
    the reading cannot take this kind of input."""
    ind = reading.indicator
    assert ind is not None
    if kind == "level":
        if not ind.takes_label:
            return None
        choices = ind.method.choices(ind) or []
        label = next((lab for lab, _ in choices if str(value) == lab), None) or \
            next((lab for lab, desc in choices if str(value) in lab or str(value) in (desc or "")), None)
        if label is None:
            return None
        actual: Any = label
    elif kind == "counts":
        events = getattr(ind.scoring, "events", None)
        if not events:
            return None
        actual = {}
        for fragment, count in dict(value).items():
            match = [e for e in events if str(fragment) in e.name]
            if len(match) != 1:
                return None
            actual[match[0].id] = count
    elif kind in ("number", "count", "points"):
        if ind.takes_label:
            choices = ind.method.choices(ind) or []
            by_score = [lab for lab, _ in choices if ind.method.score(ind, lab) == _number(value)]
            if kind == "points" and any(lab == str(value) for lab, _ in choices):  # a 1–5 scale kept as levels "5", "4", …
                actual = str(value)
            elif kind == "points" and len(by_score) == 1:  # levels worth points (Unacceptable 1 … Excellent 5): the one worth it
                actual = by_score[0]
            else:
                return None
        else:
            actual = _number(value)
        if getattr(ind.scoring, "events", None):
            return None
    else:
        return None
    try:
        score = reading.score(actual)
    except (InvalidActual, ValueError, TypeError):
        return None
    if score is None:
        return None
    return reading.row_points(score) if scale == "row" else reading.card_points(score)


def _try(reading: RowReading, expect: dict[str, Any]) -> str:
    """"" when every probe gives its points, else what differs."""
    kind, scale = expect["input"], expect.get("scale", "card")
    for value, want in expect["probes"]:
        got = _contribution(reading, kind, value, scale)
        if got is None:
            return f"cannot take {kind} input {value!r} ({reading.describe()})"
        if not math.isclose(got, float(want), abs_tol=TOLERANCE):
            return f"{value!r} → {got:g}, the table means {want:g} ({reading.describe()})"
    return ""


def _special(readings: list[RowReading], expect: dict[str, Any], table: Table) -> CellResult | None:
    """Bonus/penalty rows and veto rows: read as the card's adjustment items and veto items."""
    kind = expect.get("input")
    if kind not in ("adjust", "veto"):
        return None
    reading = next((r for r in readings if r.kind == kind and r.name == expect["name"]), None)
    if reading is None:
        return None
    if kind == "veto":
        return CellResult(table.name, expect["name"], "exact")
    for count, want in expect["probes"]:
        got = reading.adjustment(count)
        if not math.isclose(got, float(want), abs_tol=TOLERANCE):
            return CellResult(table.name, expect["name"], "misread", f"{count} → {got:g}, the table means {want:g}")
    return CellResult(table.name, expect["name"], "exact")


def judge_cell(table: Table, expect: dict[str, Any], readings: list[RowReading], errors: dict[int, list[str]],
               whole: str = "") -> CellResult:
    """``whole``: the message refusing the whole card (no header found, naming its likeliest row; or a
    second indicator table, naming where it starts: the card is two tables and xl-kpi reads one), if any.
    A cell with a message at its own row is refused by that message."""
    row = table.row_of(expect["name"], expect.get("nth", 1))
    if whole and not errors.get(row):
        return CellResult(table.name, expect["name"], "refused", whole)
    special = _special(readings, expect, table)
    if special is not None:
        return special
    refused = errors.get(row, [])
    reading = next((r for r in readings if r.row == row and r.kind == "indicator"), None)
    if refused or reading is None or reading.indicator is None:
        if refused:
            return CellResult(table.name, expect["name"], "refused", refused[0])
        return CellResult(table.name, expect["name"], "unclear", "neither read nor named in any message")
    if "refuse" in expect:
        return CellResult(table.name, expect["name"], "misread", f"read ({reading.describe()}) but {expect['refuse']}")
    if reading.share is None and reading.points is None and expect.get("scale") != "row":
        return CellResult(table.name, expect["name"], "unclear", "read without a weight or points, and no message at its row")
    tried = [expect, *expect.get("alt", [])]
    problems = [_try(reading, e) for e in tried]
    if "" in problems:
        return CellResult(table.name, expect["name"], "exact")
    return CellResult(table.name, expect["name"], "misread", problems[0])


# --- one table ------------------------------------------------------------------------------------------
@dataclass
class TableResult:
    table: str
    imported: bool
    should_import: bool
    cells: list[CellResult] = field(default_factory=list)
    grades: CellResult | None = None


def _grades_verdict(table: Table, readings: list[RowReading], grade_errors: list[str], grades: Any) -> CellResult | None:
    want = table.data.get("grades", "skip")
    if want == "skip":
        return None
    if grade_errors:
        return CellResult(table.name, "(grades)", "refused", grade_errors[0])
    if grades is None:  # the role was not read at all
        return CellResult(table.name, "(grades)", "unclear", "the table was not read")
    got, defaulted = grades
    if want == "none":
        return CellResult(table.name, "(grades)", "exact" if defaulted else "misread", "" if defaulted else f"read {got}")
    if defaulted:
        return CellResult(table.name, "(grades)", "misread", "the table's grades replaced by the default scale")
    expected = [(str(label), float(low)) for label, low in want]
    found = [(str(label), float(low)) for label, low in got]
    if [label for label, _ in found[: len(expected)]] == [label for label, _ in expected] and all(
            math.isclose(a, b) for (_, a), (_, b) in zip(found[:-1], expected[:-1])) and len(found) in (len(expected), len(expected) + 1):
        return CellResult(table.name, "(grades)", "exact")
    return CellResult(table.name, "(grades)", "misread", f"read {found}, the table means {expected}")


def judge_table(table: Table, folder: Path) -> TableResult:
    path = table.write(folder)
    results, problems = import_specs(path)
    imported = any(spec is not None for spec, _ in results) and not any(p.severity == "error" for p in problems)
    readings = row_readings(results)
    errors: dict[int, list[str]] = {}
    grade_errors: list[str] = []
    for p in problems:
        if p.severity != "error" or not p.cell:
            continue
        r, _ = parse_a1(p.cell)
        errors.setdefault(r, []).append(p.render("en"))
        if p.field.startswith("grades"):
            grade_errors.append(p.render("en"))
    grades = next((r.grades for r in readings if r.grades is not None), None) if readings else None
    out = TableResult(table.name, imported, table.data.get("imports") is True)
    whole = next((p.render("en") for p in problems if p.code in ("import-no-header", "import-no-table", "import-second-table")), "")
    out.cells = [judge_cell(table, expect, readings, errors, whole) for expect in table.data["cells"]]
    out.grades = _grades_verdict(table, readings, grade_errors, grades)
    if whole and out.grades is not None and out.grades.verdict == "unclear":
        out.grades = CellResult(table.name, "(grades)", "refused", whole)
    return out


def measure(half: str = "all") -> list[TableResult]:
    with tempfile.TemporaryDirectory() as tmp:
        return [judge_table(t, Path(tmp)) for t in tables(half)]


def figures(results: list[TableResult]) -> dict[str, int]:
    """The figures docs/import.md records: of the tables that should import as they stand, how many do
    (and how many more import that were expected to be refused); each scoring cell's verdict (a table's
    grade scale counts as one cell)."""
    cells = [c for r in results for c in r.cells + ([r.grades] if r.grades else [])]
    count = Counter(c.verdict for c in cells)
    return {"tables": len(results), "imported": sum(r.imported and r.should_import for r in results),
            "importable": sum(r.should_import for r in results), "more": sum(r.imported and not r.should_import for r in results),
            "cells": len(cells), "exact": count["exact"], "misread": count["misread"], "refused": count["refused"],
            "unclear": count["unclear"]}


def report(half: str, verbose: bool = False) -> str:
    results = measure(half)
    f = figures(results)
    lines = [f"{half}: {f['tables']} tables; {f['imported']} of the {f['importable']} that should import as they stand do, "
             f"{f['more']} more import; {f['cells']} scoring cells: {f['exact']} read exactly, {f['misread']} misread, "
             f"{f['refused']} refused with a message at their row or table, {f['unclear']} passed over without one"]
    if verbose:
        for r in results:
            if r.imported != r.should_import:
                lines.append(f"  {'imported' if r.imported else 'refused':8} {r.table} | the table | expected "
                             f"{'to import' if r.should_import else 'to be refused'}")
            for c in r.cells + ([r.grades] if r.grades else []):
                if c.verdict != "exact":
                    detail = re.sub(r"\s+", " ", c.detail)[:220]
                    lines.append(f"  {c.verdict:8} {r.table} | {c.name[:40]} | {detail}")
    return "\n".join(lines)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    print(report(args[0] if args else "all", "-v" in sys.argv))
