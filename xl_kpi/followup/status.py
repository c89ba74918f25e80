"""Where a cycle stands, department by department: issued, returned, complete, with problems, awaiting a rater,
calibrated, announced, appealed.

From HR's register (who was issued a workbook for the period; the roster without one), the returns
read again when given (the freshest view, and the only one that knows who awaits a rater), else the
history consolidation wrote, and the decisions recorded in the history since (calibration, letters,
appeals).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..consolidation.decisions import final_results, open_history
from ..core.errors import UsageError
from ..core.periods import period_code
from ..core.text import Text
from .chase import ChaseItem
from .returns import Returns

__all__ = ["DepartmentStatus", "cycle_status", "STATUS_COLUMNS", "history_periods"]

STATUS_COLUMNS = ("department", "issued", "returned", "not_returned", "complete", "problems", "awaiting_rater", "calibrated",
                  "announced", "appealed")


@dataclass
class DepartmentStatus:
    department: str
    issued: set[str] = field(default_factory=set)
    returned: set[str] = field(default_factory=set)
    complete: set[str] = field(default_factory=set)
    awaiting_rater: set[str] | None = field(default_factory=set)  # None: not known (no returns read)
    calibrated: set[str] = field(default_factory=set)
    announced: set[str] = field(default_factory=set)
    appealed: set[str] = field(default_factory=set)

    def row(self) -> list[object]:
        problems = self.returned - self.complete
        return [self.department, len(self.issued), len(self.returned), len(self.issued - self.returned), len(self.complete),
                len(problems), "" if self.awaiting_rater is None else len(self.awaiting_rater), len(self.calibrated),
                len(self.announced), len(self.appealed)]


def history_periods(path: Path) -> list[str]:
    """The periods a history holds results for, latest last."""
    with open_history(path) as db:
        return sorted({str(p) for (p,) in db.execute("SELECT DISTINCT period FROM totals")})


def cycle_status(period: str, expected: Iterable[tuple[str, str]], returns: Returns | None = None, history: Path | None = None,
                 chased: Sequence[ChaseItem] = ()) -> list[DepartmentStatus]:
    """Each department's counts for ``period`` (``expected``: (employee id, department) of everyone issued),
    and a last row for all of them."""
    period = period_code(period)
    depts: dict[str, DepartmentStatus] = {}
    where: dict[str, str] = {}

    def dept(eid: str, department: str = "") -> DepartmentStatus:
        name = where.setdefault(eid, department or "-")
        return depts.setdefault(name, DepartmentStatus(name))

    for eid, department in expected:
        dept(eid, department).issued.add(eid)
    if returns is not None:
        for r in returns.records():
            d = dept(r.employee_id, r.department)
            d.returned.add(r.employee_id)
            if r.status == "ok":
                d.complete.add(r.employee_id)
            elif r.status == "awaiting-rater":  # a rater's own workbook is still out (ratings issued separately)
                assert d.awaiting_rater is not None
                d.awaiting_rater.add(r.employee_id)
        for item in chased:
            if item.kind in ("rating", "rater-file"):
                s = dept(item.employee_id, item.department)
                assert s.awaiting_rater is not None
                s.awaiting_rater.add(item.employee_id)
    if history is not None:
        with open_history(history) as db:
            results = final_results(db, period)
            letters = _people(db, "letters", period)
            appeals = _people(db, "appeals", period)
        for result in results:
            d = dept(result.employee_id, result.department)
            if returns is None:
                d.returned.add(result.employee_id)
                if result.status == "ok":
                    d.complete.add(result.employee_id)
            if result.calibration_reviewed:
                d.calibrated.add(result.employee_id)
            if result.employee_id in letters:
                d.announced.add(result.employee_id)
            if result.employee_id in appeals:
                d.appealed.add(result.employee_id)
    if returns is None:
        for d in depts.values():
            d.awaiting_rater = None
    if not depts and returns is None and history is None:
        raise UsageError("option-needs", option="status", needs=Text("--issued、--roster 或 --history", "--issued, --roster or --history"))
    out = [depts[k] for k in sorted(depts)]
    total = DepartmentStatus("*", awaiting_rater=None if returns is None else set())
    for d in out:
        for name in ("issued", "returned", "complete", "calibrated", "announced", "appealed"):
            getattr(total, name).update(getattr(d, name))
        if total.awaiting_rater is not None and d.awaiting_rater is not None:
            total.awaiting_rater.update(d.awaiting_rater)
    return [*out, total]


def _people(db: sqlite3.Connection, table: str, period: str) -> set[str]:
    try:
        return {str(e) for (e,) in db.execute(f"SELECT employee_id FROM {table} WHERE period = ?", (period,))}
    except sqlite3.OperationalError:
        return set()
