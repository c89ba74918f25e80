"""Annual results from the periods already consolidated into the history (a year's quarters or months).

Each person's annual total is the mean of their period totals — or a weighted mean when weights
per period are given — ``ROUND(Σ w × total / Σ w, 2)`` like every other total; the grade and
coefficient come from the rules of their latest period's template, stored in the history with
the results. Periods with no total (not returned, incomplete) are reported as missing. A period's total
an appeal changed is the final one (:mod:`.decisions`); a calibrated grade moves no total.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError
from ..core.findings import Finding, finding
from ..core.periods import PERIOD_EXAMPLES, parse_period
from ..core.text import Text
from ..scoring.engine import grade_for, weighted_total
from ..spec.canonical import spec_from_canonical
from ..spec.model import Spec
from .decisions import final_totals

__all__ = ["AnnualResult", "rollup", "parse_period_weights", "ROLLUP_COLUMNS"]

ROLLUP_COLUMNS = ("employee_id", "name", "department", "template", "year", "periods", "missing", "annual_total", "grade",
                  "coefficient")
TRUSTED = frozenset({"ok"})  # the statuses whose total a year is made of: complete and trusted
_SLOTS = {"quarter": tuple(f"Q{q}" for q in range(1, 5)), "month": tuple(f"M{m:02d}" for m in range(1, 13)), "half": ("H1", "H2"),
          "year": ("Y",)}


@dataclass(frozen=True)
class AnnualResult:
    employee_id: str
    name: str
    department: str
    template: str
    year: int
    periods: tuple[str, ...]  # those with a total, in order
    missing: tuple[str, ...]  # expected but without a total
    total: float | None
    grade: str | None
    coefficient: float | None

    def row(self) -> list[object]:
        return [self.employee_id, self.name, self.department, self.template, self.year, " ".join(self.periods),
                " ".join(self.missing), self.total, self.grade, self.coefficient]


def parse_period_weights(text: str | None) -> dict[str, float]:
    """"Q1=1,Q2=1,Q3=1,Q4=2", "1,1,1,2" (quarters) or twelve numbers (months) → slot weights.

    Raises:
        UsageError: not numbers, a negative weight, or neither 4 nor 12 positional weights.
    """
    if not text:
        return {}
    parts = [p.strip() for p in text.split(",") if p.strip()]
    out: dict[str, float] = {}
    bad = UsageError("bad-option", option="--weights", value=text,
                     allowed=Text("Q1=1,Q2=1,Q3=1,Q4=2(或 H1=1,H2=2),或 4 个(季度)/12 个(月)数",
                                  "Q1=1,Q2=1,Q3=1,Q4=2 (or H1=1,H2=2), or 4 (quarters) or 12 (months) numbers"))
    try:
        if all("=" in p for p in parts):
            for p in parts:
                key, value = p.split("=", 1)
                key = key.strip().upper()
                key = f"M{int(key[1:]):02d}" if key.startswith("M") else key
                out[key] = float(value)
        elif len(parts) == 4:
            out = {f"Q{q + 1}": float(v) for q, v in enumerate(parts)}
        elif len(parts) == 12:
            out = {f"M{m + 1:02d}": float(v) for m, v in enumerate(parts)}
        else:
            raise bad
    except ValueError:
        raise bad from None
    if any(v < 0 for v in out.values()) or not any(out.values()):
        raise bad
    return out


def rollup(history: Path, year: int, weights: Mapping[str, float] | None = None,
           templates: Mapping[str, Spec] | None = None) -> tuple[list[AnnualResult], list[Finding]]:
    """Each person's annual result for ``year`` from a consolidation history, and a finding for each
    period that cannot be read (``2026年第四季度``, ``Q4 2026``, a date range: every way HR writes one is
    read, :mod:`xl_kpi.core.periods`). Only trusted results count: a period whose result was withheld
    (tampered, disputed, unread) is missing.

    ``templates`` overrides the rules stored in the history (e.g. to grade with this year's scale).

    Raises:
        UsageError: the history is missing or not an xl-kpi history.
    """
    if not history.is_file():
        raise UsageError("file-not-found", path=history)
    try:
        with sqlite3.connect(f"file:{history}?mode=ro", uri=True) as db:
            columns = {row[1] for row in db.execute("PRAGMA table_info(totals)")}
            hashed = "template_hash" if "template_hash" in columns else "NULL"
            rows = db.execute(f"SELECT period, employee_id, name, department, template, total, {hashed}, status FROM totals "
                              "ORDER BY employee_id, period").fetchall()
            try:
                stored = db.execute("SELECT template, hash, canonical FROM templates").fetchall()
            except sqlite3.OperationalError:  # a history written before templates were stored
                stored = []
            appealed = final_totals(db)  # an appeal that changed a period's total: the year is made of the final one
    except sqlite3.DatabaseError as exc:
        raise UsageError("history-unusable", path=history, detail=exc) from None
    rules: dict[tuple[str, str], Spec] = {(t, h): spec_from_canonical(json.loads(c)) for t, h, c in stored}
    people: dict[str, list[tuple[str, str, str, str, str, float | None, str | None, str]]] = {}
    unreadable: list[Finding] = []
    for period, eid, name, dept, template, total, spec_hash, status in rows:
        read = parse_period(str(period))
        if read is None:
            unreadable.append(finding("period-unreadable", file=str(history), employee_id=str(eid), name=name or "", text=str(period),
                                      examples=PERIOD_EXAMPLES))
            continue
        if read.year == year and read.kind in _SLOTS:
            usable = appealed.get((str(period), str(eid)), total) if status in TRUSTED else None  # a forged, disputed or unread result never enters a year
            people.setdefault(str(eid), []).append((read.slot, read.code, name or "", dept or "", template, usable, spec_hash, read.kind))
    out = []
    for eid, periods in people.items():
        kinds = [kind for *_, kind in periods]
        kind = max(_SLOTS, key=kinds.count)  # the person's periods: quarters, months, halves or the year
        periods = sorted(p for p in periods if p[-1] == kind)
        expected = _SLOTS[kind]
        present = {slot: total for slot, _, _, _, _, total, _, _ in periods if total is not None}
        missing = tuple(s for s in expected if s not in present)
        used = [s for s in expected if s in present]
        w = [float(weights.get(s, 1.0)) if weights else 1.0 for s in used]
        total = weighted_total([present[s] for s in used], w) if used and sum(w) > 0 else None
        _, _, name, dept, template, _, spec_hash, _ = periods[-1]
        spec = (templates or {}).get(template) or rules.get((template, spec_hash or "")) or next(
            (s for (t, _), s in rules.items() if t == template), None)
        grade = grade_for(total, spec.grades) if spec else None
        out.append(AnnualResult(eid, name, dept, template, year, tuple(p for s, p, *_ in periods if s in present), missing,
                                total, grade.label if grade else None, grade.coefficient if grade else None))
    return out, unreadable
