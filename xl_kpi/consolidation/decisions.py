"""What HR decides after consolidation, kept in the history beside the results it changes.

Calibration (a grade moved, by whom and why), appeals (the reason, the decision, the result before and
after), the review talk (绩效面谈) and the result letters sent are rows of their own tables in the
history file; ``totals`` keeps each period's result as consolidated. The final result of a person is
read through :func:`final_results`: the consolidated result, then the calibrated grade, then the
appeal's outcome — each applied only while the result it was decided on is still the one in
``totals`` (a return consolidated again with other values makes an earlier decision stale: it is
reported, never applied to a result it was not made on). Re-running a consolidation therefore never
loses a decision, and never applies one blindly.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError

__all__ = ["DECISIONS_SCHEMA", "APPEAL_DECISIONS", "FinalResult", "final_results", "final_totals", "open_history", "migrate_decisions"]

DECISIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS calibrations (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, template TEXT NOT NULL, department TEXT, total REAL,
    original_grade TEXT, calibrated_grade TEXT NOT NULL, changed INTEGER NOT NULL, coefficient REAL, bonus_base REAL, pay REAL,
    reason TEXT, calibrator TEXT, session TEXT, recorded_at TEXT NOT NULL, PRIMARY KEY (period, employee_id));
CREATE TABLE IF NOT EXISTS appeals (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, template TEXT, received TEXT, reason TEXT NOT NULL, evidence TEXT,
    decision TEXT NOT NULL, decided_by TEXT, decided_on TEXT, note TEXT, original_total REAL, original_grade TEXT,
    original_coefficient REAL, original_pay REAL, final_total REAL, final_grade TEXT, final_coefficient REAL, final_pay REAL,
    corrected TEXT, file TEXT, recorded_at TEXT NOT NULL, PRIMARY KEY (period, employee_id));
CREATE TABLE IF NOT EXISTS talks (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, held_on TEXT, strengths TEXT, gaps TEXT, goals TEXT, actions TEXT,
    employee_signed TEXT, supervisor_signed TEXT, file TEXT, recorded_at TEXT NOT NULL, PRIMARY KEY (period, employee_id));
CREATE TABLE IF NOT EXISTS letters (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, file TEXT, grade TEXT, pay REAL, appeal_deadline TEXT,
    issued_at TEXT NOT NULL, PRIMARY KEY (period, employee_id));
"""
APPEAL_DECISIONS = ("pending", "upheld", "changed", "withdrawn")


def migrate_decisions(db: sqlite3.Connection) -> None:
    """Add the decision tables to a history file (nothing else in it changes)."""
    db.executescript(DECISIONS_SCHEMA)


@contextlib.contextmanager
def open_history(path: Path, write: bool = False) -> Iterator[sqlite3.Connection]:
    """A history file consolidation wrote, opened (read-only unless ``write``), with its decision tables.

    Raises:
        UsageError: no such file, or not a history (no ``totals``), or SQLite cannot use it.
    """
    if not path.is_file():
        raise UsageError("file-not-found", path=path)
    try:
        uri = f"file:{path}?mode={'rw' if write else 'ro'}"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
            if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'totals'").fetchone():
                raise UsageError("history-unusable", path=path, detail="no totals table: not a consolidation history")
            if write:
                with db:
                    migrate_decisions(db)
            yield db
            if write:
                db.commit()
    except sqlite3.Error as exc:
        raise UsageError("history-unusable", path=path, detail=str(exc)) from None


def _has(db: sqlite3.Connection, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


@dataclass(frozen=True)
class FinalResult:
    """A person's result for a period: as consolidated, and as it stands after calibration and appeal."""

    period: str
    employee_id: str
    name: str
    department: str
    template: str
    status: str
    total: float | None  # as consolidated
    grade: str | None
    coefficient: float | None
    bonus_base: float | None
    pay: float | None
    final_total: float | None
    final_grade: str | None
    final_coefficient: float | None
    final_pay: float | None
    calibrated: bool = False  # a calibration changed the grade (and so coefficient and pay)
    calibration_reviewed: bool = False  # the person's result was in a calibration collected back, changed or not
    appeal: str = ""  # the appeal's decision ("" when none)
    calibrated_grade: str | None = None  # the grade calibration gave (before any appeal), None when it moved nothing
    stale: str = ""  # a decision recorded on another result than the one consolidated now: "calibration", "appeal"

    @property
    def changed_by(self) -> str:
        """What made the final result differ from the consolidated one: "", "calibration", "appeal", or both."""
        parts = (["calibration"] if self.calibrated else []) + (["appeal"] if self.appeal == "changed" else [])
        return "+".join(parts)


def final_results(db: sqlite3.Connection, period: str | None = None) -> list[FinalResult]:
    """Every person of ``period`` (every period when None) in ``totals`` and ``withheld``, with the decisions
    still valid for their consolidated result applied, by period, department and employee id."""
    cols = _columns(db, "totals")
    extra = ", ".join(c if c in cols else "NULL" for c in ("coefficient", "bonus_base", "pay"))
    where, args = ("WHERE period = ?", (period,)) if period is not None else ("", ())
    rows = db.execute(f"SELECT period, employee_id, name, department, template, status, total, grade, {extra} FROM totals {where}",
                      args).fetchall()
    if _has(db, "withheld"):
        rows += [(*r, None, None, None, None) for r in db.execute(
            f"SELECT period, employee_id, name, department, template, status, total FROM withheld {where}", args)]
    calibrations = {(r[0], r[1]): r[2:] for r in db.execute(
        "SELECT period, employee_id, template, total, original_grade, calibrated_grade, changed, coefficient, pay FROM calibrations")} \
        if _has(db, "calibrations") else {}
    appeals = {(r[0], r[1]): r[2:] for r in db.execute(
        "SELECT period, employee_id, decision, original_total, original_grade, final_total, final_grade, final_coefficient, final_pay "
        "FROM appeals")} if _has(db, "appeals") else {}
    out = []
    for period_, eid, name, dept, template, status, total, grade, coefficient, base, pay in rows:
        key = (period_, eid)
        final = [total, grade, coefficient, pay]
        calibrated = reviewed = False
        calibrated_grade = None
        stale = []
        found = calibrations.get(key)
        if found is not None and status == "ok":
            c_template, c_total, c_original, c_grade, changed, c_coefficient, c_pay = found
            if c_template == template and c_total == total and c_original == grade:
                reviewed = True
                if changed:
                    calibrated, calibrated_grade = True, c_grade
                    final = [total, c_grade, c_coefficient, c_pay]
            else:
                stale.append("calibration")
        appeal = ""
        found_appeal = appeals.get(key)
        if found_appeal is not None and status == "ok":
            decision, a_total, a_grade, f_total, f_grade, f_coefficient, f_pay = found_appeal
            if a_total == final[0] and a_grade == final[1]:
                appeal = decision
                if decision == "changed":
                    final = [f_total, f_grade, f_coefficient, f_pay]
            else:
                stale.append("appeal")
        out.append(FinalResult(str(period_), str(eid), name or "", dept or "", template or "", status or "", total, grade, coefficient,
                               base, pay if status == "ok" else None, final[0], final[1], final[2],
                               final[3] if status == "ok" else None, calibrated, reviewed, appeal, calibrated_grade, "+".join(stale)))
    return sorted(out, key=lambda r: (r.period, r.department, r.employee_id))


def final_totals(db: sqlite3.Connection) -> dict[tuple[str, str], float | None]:
    """(period, employee id) → the final total where an appeal changed it (what an annual roll-up averages)."""
    if not _has(db, "appeals"):
        return {}
    return {(r.period, r.employee_id): r.final_total for r in final_results(db) if r.appeal == "changed"}
