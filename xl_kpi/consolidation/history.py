"""Consolidated results kept in SQLite, one row per (period, person, indicator).

Writing the same period again replaces its rows, so re-running a consolidation is
idempotent; target setting (``xl-kpi targets --history``) reads the same file.

Only results HR can stand behind become history: a return whose rules were changed, that HR did not
issue, or whose copies disagree (``tampered``, ``conflict``) never writes or replaces a period's result
or actuals; it is kept in ``withheld`` with its status, so the history still says it came back.
"""

from __future__ import annotations

import contextlib
import datetime
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..core.files import is_disk_full
from ..scoring.columns import stored_columns
from ..spec.model import Spec
from .record import PersonRecord

__all__ = ["append_history", "read_history", "rater_rows"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, indicator_id TEXT NOT NULL, template TEXT NOT NULL,
    actual REAL, actual_text TEXT, score REAL,
    PRIMARY KEY (period, employee_id, indicator_id));
CREATE TABLE IF NOT EXISTS totals (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, name TEXT, department TEXT, template TEXT NOT NULL,
    total REAL, grade TEXT, status TEXT, file TEXT, consolidated_at TEXT NOT NULL,
    PRIMARY KEY (period, employee_id));
CREATE TABLE IF NOT EXISTS templates (
    template TEXT NOT NULL, hash TEXT NOT NULL, version TEXT, canonical TEXT NOT NULL, PRIMARY KEY (template, hash));
CREATE TABLE IF NOT EXISTS rater_inputs (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, role TEXT NOT NULL, rater_id TEXT NOT NULL, rater_name TEXT, item TEXT NOT NULL,
    value REAL, value_text TEXT, file TEXT, cell TEXT, consolidated_at TEXT NOT NULL,
    PRIMARY KEY (period, employee_id, role, rater_id, item));
CREATE TABLE IF NOT EXISTS withheld (
    period TEXT NOT NULL, employee_id TEXT NOT NULL, name TEXT, department TEXT, template TEXT, file TEXT NOT NULL,
    status TEXT NOT NULL, total REAL, consolidated_at TEXT NOT NULL, PRIMARY KEY (period, employee_id, file));
"""
WRITTEN = frozenset({"ok", "incomplete", "invalid", "awaiting-rater"})  # genuine returns (complete or not): the period's result


def _migrate(db: sqlite3.Connection) -> None:
    """Bring a history file of any earlier version up to this schema (new tables; a result column added since,
    added in place)."""
    db.executescript(SCHEMA)
    have = {row[1] for row in db.execute("PRAGMA table_info(totals)")}
    for name, kind in [*((c.key, c.stored) for c in stored_columns()), ("template_hash", "TEXT")]:
        if name not in have:
            db.execute(f"ALTER TABLE totals ADD COLUMN {name} {kind}")


def append_history(path: Path, records: Iterable[PersonRecord], specs: Mapping[str, Spec] | None = None) -> int:
    """Store the records (replacing earlier rows of the same period and person) and the rules of
    each template used (so annual roll-ups can grade without the spec files); returns rows written.

    Records are written in batches as they come, all in one transaction: all of it or none of it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _append(path, records, specs)
    except sqlite3.Error as exc:  # corrupt, locked, read-only, disk full: nothing of this run was committed
        if is_disk_full(exc):
            raise UsageError("disk-full", path=path) from None
        raise UsageError("history-unusable", path=path, detail=str(exc)) from None


def _append(path: Path, records: Iterable[PersonRecord], specs: Mapping[str, Spec] | None) -> int:
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    written = 0
    used: set[str] = set()
    with contextlib.closing(sqlite3.connect(path, timeout=5)) as db, db:
        _migrate(db)
        stored = stored_columns()  # the result columns the totals table keeps (xl_kpi.scoring.columns), whatever the templates
        totals = (*(c.key for c in stored), "consolidated_at", "template_hash")
        insert = f"INSERT OR REPLACE INTO totals ({','.join(totals)}) VALUES ({','.join('?' * len(totals))})"
        for records_batch in _batches(records, 2_000):
            batch = [r for r in records_batch if r.status in WRITTEN]
            db.executemany("INSERT OR REPLACE INTO withheld VALUES (?,?,?,?,?,?,?,?,?)",
                           [(r.period, r.employee_id, r.name, r.department, r.template, r.file, r.status, r.total, now)
                            for r in records_batch if r.status not in WRITTEN])
            used |= {r.template for r in batch}
            db.executemany(insert, [(*(c.value(r) for c in stored), now, specs[r.template].hash if specs and r.template in specs else None)
                                    for r in batch])
            results = [row for r in batch for row in _results(r)]
            db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?)", results)
            written += len(results)
            # each rater's own inputs, as typed in their workbook: a period written again replaces its people's
            db.executemany("DELETE FROM rater_inputs WHERE period = ? AND employee_id = ?",
                           [(r.period, r.employee_id) for r in batch if r.rated_by])
            db.executemany("INSERT OR REPLACE INTO rater_inputs VALUES (?,?,?,?,?,?,?,?,?,?,?)", rater_rows(batch, now))
        for template in sorted(used & set(specs or {})):
            spec = specs[template]  # type: ignore[index]
            db.execute("INSERT OR REPLACE INTO templates VALUES (?,?,?,?)", (template, spec.hash, spec.version, spec.canonical_json))
    return written


def _results(r: PersonRecord) -> Iterator[tuple[Any, ...]]:
    """The results rows of a record: each indicator's actual (the value scored: a number, or a label as text) and
    score; a rated indicator's raters' inputs as text, and so the counts of an indicator counting several kinds of event
    (``e1=1; e2=0``)."""
    for iid, v in r.actuals.items():
        text = v if isinstance(v, str) else "; ".join(f"{k}={'' if c is None else f'{c:g}'}" for k, c in v.items()) if isinstance(v, dict) else None
        yield (r.period, r.employee_id, iid, r.template, float(v) if isinstance(v, (int, float)) else None, text, r.scores.get(iid))
    for iid, by_rater in r.ratings.items():
        yield (r.period, r.employee_id, iid, r.template, None, "; ".join(f"{rater}={'' if v is None else v}" for rater, v in by_rater.items()),
               r.scores.get(iid))


def rater_rows(records: Iterable[PersonRecord], now: str) -> list[tuple[object, ...]]:
    """The ``rater_inputs`` rows of records whose raters rated in their own workbooks: one per rater and input
    (``rating:<indicator>:<rater>``, ``adj:<item>``, ``veto:<item>``, ``comment``), where it was typed."""
    rows: list[tuple[object, ...]] = []
    for r in records:
        for part in r.rated_by:
            cells = part.get("cells") or {}
            for item, value in (part.get("inputs") or {}).items():
                number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
                rows.append((r.period, r.employee_id, part["role"], part["id"], part.get("name", ""), item, number,
                             None if value is None or number is not None else str(value), part.get("file", ""), cells.get(item, ""), now))
    return rows


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
