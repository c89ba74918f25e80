"""The issue register: what HR issued, kept by HR (``issued.sqlite`` beside the built workbooks).

``build`` records each workbook's identifier and, for every person in it, the template, version,
spec hash, period, personal targets and bonus base, and every spec it issued (its canonical rules,
coefficient table included). ``consolidate --issued`` checks each return against it, so the
register — not the returned file's hidden metadata — says who a file belongs to, for which period,
which rules and targets apply and what pay is based on. One register holds every period built into
its folder: each row carries its period, and a run consolidates one period. Both halves live here,
like :mod:`.metadata`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..core.errors import UsageError
from ..core.periods import period_code

__all__ = ["Issued", "Register", "TargetChange", "write_register", "load_register", "REGISTER_NAME", "CHANGES_SCHEMA", "add_missing_columns"]

REGISTER_NAME = "issued.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS issued (
    workbook_id TEXT NOT NULL, employee_id TEXT NOT NULL, file TEXT, sheet TEXT, name TEXT, department TEXT,
    template TEXT, version TEXT, spec_hash TEXT, period TEXT, targets TEXT, signed INTEGER, issued_at TEXT,
    PRIMARY KEY (workbook_id, employee_id));
CREATE TABLE IF NOT EXISTS specs (spec_hash TEXT PRIMARY KEY, template TEXT, version TEXT, canonical TEXT NOT NULL);
"""
_LATER = (("bonus_base", "TEXT"), ("protection", "TEXT"), ("ratings", "TEXT"), ("raters", "TEXT"), ("role", "TEXT"),
          ("rater_id", "TEXT"), ("rater_name", "TEXT"), ("position", "TEXT"), ("manager", "TEXT"))  # columns of issued added after the first release
# Target changes HR approved mid-period (``xl-kpi goals change``, :mod:`xl_kpi.goals.register` writes them):
# consolidation scores against the latest approved target of each indicator and shows the log.
CHANGES_SCHEMA = """
CREATE TABLE IF NOT EXISTS goal_changes (
    employee_id TEXT NOT NULL, period TEXT NOT NULL, indicator_id TEXT NOT NULL, old REAL, new REAL NOT NULL, reason TEXT NOT NULL,
    date TEXT, approver TEXT NOT NULL, version INTEGER NOT NULL, accepted_at TEXT, deadline TEXT,
    PRIMARY KEY (employee_id, period, version));
"""


class TargetChange(NamedTuple):
    """A target HR approved changing mid-period: the indicator, old → new (the same when only the deadline moves), why,
    when, who approved, the version it made, and the new deadline when one was given."""

    employee_id: str
    period: str
    indicator_id: str
    old: float | None
    new: float
    reason: str
    date: str
    approver: str
    version: int
    accepted_at: str = ""
    deadline: str = ""


class Issued(NamedTuple):
    """One person in one issued workbook."""

    workbook_id: str
    employee_id: str
    file: str
    sheet: str
    name: str
    department: str
    template: str
    version: str
    spec_hash: str
    period: str
    targets: str  # JSON {indicator_id: target}, "" when the template's
    signed: bool
    bonus_base: str = ""  # as issued (repr of a float), "" when none; a register from before 0.3 has none
    protection: str = ""  # the person's sheet protection as issued (JSON, :class:`~xl_kpi.core.protection.Protection`)
    ratings: str = ""  # an employee's workbook: "separate" when the others' inputs were issued in rating workbooks, else ""
    raters: str = ""  # an employee's workbook issued "separate": who rates them (JSON, PersonRaters.to_json)
    role: str = ""  # a rating workbook: the role it rates in (supervisor, reviewer, peer); "" for an employee's workbook
    rater_id: str = ""  # a rating workbook: who fills it
    rater_name: str = ""
    position: str = ""  # an employee's workbook: the roster's position and manager, for what is written after consolidation
    manager: str = ""  # (letters, appeal forms) when no roster is at hand; "" in a register from before they were kept

    @property
    def is_rating(self) -> bool:
        """A row of a rating workbook (one person it covers), not of the person's own workbook."""
        return bool(self.role)

    def target_values(self) -> dict[str, float] | None:
        return {str(k): float(v) for k, v in json.loads(self.targets).items()} if self.targets else None


@dataclass(frozen=True)
class Register:
    """The register in memory: by workbook identifier, then employee id."""

    books: dict[str, dict[str, Issued]] = field(default_factory=dict)
    key: bytes | None = None  # HR's signing key, when metadata is to be verified
    specs: dict[str, str] = field(default_factory=dict)  # spec hash → canonical JSON of every spec issued
    changes: dict[tuple[str, str], tuple[TargetChange, ...]] = field(default_factory=dict)  # (employee, period) → approved changes
    issued_at: dict[str, str] = field(default_factory=dict)  # workbook id → when it was issued (ISO 8601, UTC)
    latest: dict[tuple[str, str], str] = field(default_factory=dict)  # (employee, period code) → their latest own workbook's id

    def is_latest(self, issued: Issued) -> bool:
        """Whether ``issued`` is the person's latest own card of its period (a card issued again replaces it)."""
        return self.latest.get((issued.employee_id, period_code(issued.period)), issued.workbook_id) == issued.workbook_id

    def newer_issue(self, issued: Issued) -> Issued | None:
        """The person's own card HR issued for the same period after ``issued`` (a re-issue), or None."""
        if issued.is_rating:
            return None
        wid = self.latest.get((issued.employee_id, period_code(issued.period)))
        if wid is None or wid == issued.workbook_id or self.issued_at.get(wid, "") <= self.issued_at.get(issued.workbook_id, ""):
            return None
        return self.person(wid, issued.employee_id)

    def approved_targets(self, employee_id: str, period: str) -> tuple[dict[str, float], tuple[TargetChange, ...]]:
        """The targets changed by approval for a person's period (the latest per indicator), and the changes in order."""
        log = self.changes.get((employee_id, period), ())
        return {c.indicator_id: c.new for c in log}, log

    def person(self, workbook: str, employee_id: str) -> Issued | None:
        return self.books.get(workbook, {}).get(employee_id)

    def periods(self) -> list[str]:
        """The periods issued, as written."""
        return sorted({p.period for book in self.books.values() for p in book.values()})

    def issued_to(self, workbook: str) -> list[str]:
        return sorted(self.books.get(workbook, {}))

    def rating_books(self, period: str | None = None) -> list[Issued]:
        """Every rating workbook's rows (one per person it covers), of one period (canonical code) or all."""
        return [p for book in self.books.values() for p in book.values()
                if p.is_rating and (period is None or period_code(p.period) == period)]

    def employee_books(self, employee_id: str) -> list[Issued]:
        """The person's own workbooks (not the rating workbooks covering them), as issued."""
        return [book[employee_id] for book in self.books.values() if employee_id in book and not book[employee_id].is_rating]


def add_missing_columns(db: sqlite3.Connection, table: str, columns: tuple[tuple[str, str], ...]) -> None:
    """A register written by an earlier version gains the columns a later one added (``(name, SQL type)``), in place."""
    have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    for name, kind in columns:
        if name not in have:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def _migrate(db: sqlite3.Connection) -> None:
    db.executescript(_SCHEMA)
    add_missing_columns(db, "issued", _LATER)


def write_register(path: Path, entries: Iterable[Issued], issued_at: str, specs: Iterable[tuple[str, str, str, str]] = ()) -> None:
    """Add the entries to the register at ``path`` (created when missing; a re-issue replaces its rows),
    and ``specs`` — (hash, template, version, canonical JSON) — the rules they were issued with."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=5)) as db, db:
            _migrate(db)
            later = ", ".join(name for name, _ in _LATER)
            db.executemany("INSERT OR REPLACE INTO issued (workbook_id, employee_id, file, sheet, name, department, template, version, "
                           f"spec_hash, period, targets, signed, issued_at, {later}) VALUES ({','.join('?' * (13 + len(_LATER)))})",
                           [(*e[:11], int(e.signed), issued_at, *e[12:]) for e in entries])
            db.executemany("INSERT OR REPLACE INTO specs VALUES (?,?,?,?)", list(specs))
    except sqlite3.Error as exc:
        raise UsageError("register-unusable", path=path, detail=str(exc)) from None


def load_register(path: Path, key: bytes | None = None) -> Register:
    """The register at ``path`` (written by ``xl-kpi build``)."""
    if not os.path.isfile(path):
        raise UsageError("file-not-found", path=path)
    books: dict[str, dict[str, Issued]] = {}
    specs: dict[str, str] = {}
    changes: dict[tuple[str, str], list[TargetChange]] = {}
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            have = {row[1] for row in db.execute("PRAGMA table_info(issued)")}
            later = ", ".join(name if name in have else "''" for name, _ in _LATER)
            for row in db.execute("SELECT workbook_id, employee_id, file, sheet, name, department, template, version, "
                                  f"spec_hash, period, targets, signed, {later} FROM issued"):
                text = ["" if v is None else str(v) for v in row]
                entry = Issued._make([*text[:11], bool(row[11]), *text[12:]])
                books.setdefault(entry.workbook_id, {})[entry.employee_id] = entry
            issued_at, latest = _issue_times(db, have)
            if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'specs'").fetchone():
                specs = {str(h): str(c) for h, c in db.execute("SELECT spec_hash, canonical FROM specs")}
            if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'goal_changes'").fetchone():
                for r in db.execute("SELECT employee_id, period, indicator_id, old, new, reason, date, approver, version, accepted_at, deadline "
                                    "FROM goal_changes ORDER BY employee_id, period, version"):
                    change = TargetChange(str(r[0]), str(r[1]), str(r[2]), None if r[3] is None else float(r[3]), float(r[4]), str(r[5]),
                                          str(r[6] or ""), str(r[7]), int(r[8]), str(r[9] or ""), str(r[10] or ""))
                    changes.setdefault((change.employee_id, change.period), []).append(change)
    except sqlite3.Error as exc:
        raise UsageError("register-unusable", path=path, detail=str(exc)) from None
    return Register(books, key, specs, {k: tuple(v) for k, v in changes.items()}, issued_at, latest)


def _issue_times(db: sqlite3.Connection, have: set[str]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """When each workbook was issued, and each person's latest own workbook of each period (a re-issue is later;
    two issued in the same second are not told apart, and neither supersedes the other)."""
    if "issued_at" not in have:
        return {}, {}
    role = "role" if "role" in have else "''"
    at: dict[str, str] = {}
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    for wid, eid, period, when, rated in db.execute(f"SELECT workbook_id, employee_id, period, issued_at, {role} FROM issued"):
        wid, when = str(wid), str(when or "")
        at[wid] = when
        if rated:
            continue
        key = (str(eid), period_code(str(period or "")))
        if key not in latest or when > latest[key][0]:
            latest[key] = (when, wid)
    return at, {k: wid for k, (_, wid) in latest.items()}
