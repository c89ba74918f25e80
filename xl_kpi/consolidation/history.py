"""Consolidated results kept in SQLite, one row per (period, person, indicator).

Writing the same period again replaces its rows, so re-running a consolidation is
idempotent; target setting (``xl-kpi targets --history``) reads the same file.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from .reader import PersonRecord

__all__ = ["append_history", "read_history"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, indicator_id TEXT NOT NULL, template TEXT NOT NULL,
    actual REAL, actual_text TEXT, score REAL,
    PRIMARY KEY (period, employee_id, indicator_id));
CREATE TABLE IF NOT EXISTS totals (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, name TEXT, department TEXT, template TEXT NOT NULL,
    total REAL, grade TEXT, status TEXT, file TEXT, consolidated_at TEXT NOT NULL,
    PRIMARY KEY (period, employee_id));
"""


def append_history(path: Path, records: Iterable[PersonRecord]) -> int:
    """Store the records (replacing earlier rows of the same period and person); returns rows written.

    Records are written in batches as they come, all in one transaction: all of it or none of it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    written = 0
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        for batch in _batches(records, 2_000):
            db.executemany("INSERT OR REPLACE INTO totals VALUES (?,?,?,?,?,?,?,?,?,?)",
                           [(r.period, r.employee_id, r.name, r.department, r.template, r.total, r.grade, r.status, r.file, now)
                            for r in batch])
            results = [(r.period, r.employee_id, iid, r.template, float(v) if isinstance(v, (int, float)) else None,
                        v if isinstance(v, str) else None, r.scores.get(iid)) for r in batch for iid, v in r.actuals.items()]
            db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?)", results)
            written += len(results)
    return written


def _batches(items: Iterable[PersonRecord], size: int) -> Iterator[list[PersonRecord]]:
    batch: list[PersonRecord] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def read_history(path: Path) -> list[dict[str, object]]:
    """Every stored actual as ``employee_id, indicator_id, period, value`` rows (numbers only)."""
    with sqlite3.connect(path) as db:
        cur = db.execute("SELECT employee_id, indicator_id, period, actual FROM results WHERE actual IS NOT NULL "
                         "ORDER BY employee_id, indicator_id, period")
        return [{"employee_id": e, "indicator_id": i, "period": p, "value": v} for e, i, p, v in cur]
