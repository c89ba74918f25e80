"""The goal-setting round in HR's register (``issued.sqlite``): the goals workbooks issued, and each agreed version.

Two tables of their own beside the scorecards' (``issued``, ``specs``, which :mod:`xl_kpi.sheet.register` owns;
the rules a goals workbook was issued with go into ``specs`` like a scorecard's):

- ``goals_issued``: per goals workbook and person, the template, spec hash, period, language, what history said
  per indicator and HR's bounds for the round;
- ``goals_agreed``: per person and period, each agreed version (1, 2, …) — targets, weights, personal indicators,
  who agreed and when, the file it came from and its SHA-256. Collecting the same agreement again adds no version.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UsageError
from ..sheet.register import add_missing_columns
from .book import GoalsIssue
from .rules import GoalRules, History

__all__ = ["IssuedGoals", "AgreedVersion", "record_issued", "load_issued", "record_agreed", "agreed_versions"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS goals_issued (
    workbook_id TEXT NOT NULL, employee_id TEXT NOT NULL, file TEXT, name TEXT, department TEXT, manager TEXT, position TEXT,
    template TEXT, spec_hash TEXT, period TEXT, lang TEXT, history TEXT, rules TEXT, signed INTEGER, issued_at TEXT,
    PRIMARY KEY (workbook_id, employee_id));
CREATE TABLE IF NOT EXISTS goals_agreed (
    employee_id TEXT NOT NULL, period TEXT NOT NULL, version INTEGER NOT NULL, template TEXT, targets TEXT, weights TEXT,
    personal TEXT, agreed_by TEXT, agreed_on TEXT, workbook_id TEXT, file TEXT, sha256 TEXT, recorded_at TEXT,
    PRIMARY KEY (employee_id, period, version));
"""
_LATER = (("party", "TEXT"), ("rater", "TEXT"), ("place", "INTEGER"), ("separate", "INTEGER"), ("sheet", "TEXT"), ("shown", "INTEGER"))  # columns a later version added


def _migrate(db: sqlite3.Connection) -> None:
    db.executescript(_SCHEMA)
    add_missing_columns(db, "goals_issued", _LATER)


@dataclass(frozen=True)
class IssuedGoals:
    """One goals workbook as the register recorded it."""

    workbook_id: str
    employee_id: str
    file: str
    name: str
    department: str
    manager: str
    position: str
    template: str
    spec_hash: str
    period: str
    lang: str
    history: dict[str, History]
    rules: GoalRules
    signed: bool
    party: str = "employee"  # or "supervisor": a row of the supervisor's own workbook (:mod:`.supervisor`)
    rater: str = ""
    place: int = 0
    separate: bool = False  # an employee's workbook whose supervisor agrees in their own
    sheet: str = ""  # the person's sheet in a department's goals workbook
    shown: bool = False  # a supervisor's workbook built from the returns (the proposals shown: its columns)


@dataclass(frozen=True)
class AgreedVersion:
    employee_id: str
    period: str
    version: int
    template: str
    targets: dict[str, float]
    weights: dict[str, float]
    personal: list[dict[str, object]]
    agreed_by: str
    agreed_on: str
    workbook_id: str
    file: str
    sha256: str


def _connect(path: Path) -> contextlib.closing[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return contextlib.closing(sqlite3.connect(path, timeout=5))


def record_issued(path: Path, issues: Iterable[GoalsIssue], signed: bool, issued_at: str) -> None:
    """Add the goals workbooks to the register at ``path`` (a re-issue replaces its rows)."""
    try:
        with _connect(path) as db, db:
            _migrate(db)
            db.executemany("INSERT OR REPLACE INTO goals_issued VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
                (g.workbook_id, g.person.employee_id, g.file, g.person.name, g.person.department, g.person.manager,
                 g.person.position, g.spec.id, g.spec.hash, g.period, g.lang,
                 json.dumps({k: h.as_list() for k, h in g.history.items()}, ensure_ascii=False), json.dumps(g.rules.as_dict()),
                 int(signed), issued_at, g.party, g.rater, g.place, int(g.separate), g.sheet, int(g.shown)) for g in issues])
    except sqlite3.Error as exc:
        raise UsageError("register-unusable", path=path, detail=str(exc)) from None


def load_issued(path: Path) -> tuple[dict[tuple[str, str], IssuedGoals], dict[str, str]]:
    """The goals workbooks the register at ``path`` issued, by (workbook id, employee id), and the specs it holds
    (hash → canonical JSON)."""
    if not os.path.isfile(path):
        raise UsageError("file-not-found", path=path)
    out: dict[tuple[str, str], IssuedGoals] = {}
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            have = {r[1] for r in db.execute("PRAGMA table_info(goals_issued)")} if "goals_issued" in tables else set()
            later = ", ".join(name if name in have else "NULL" for name, _ in _LATER)
            if "goals_issued" in tables:
                for row in db.execute("SELECT workbook_id, employee_id, file, name, department, manager, position, template, spec_hash, "
                                      f"period, lang, history, rules, signed, {later} FROM goals_issued"):
                    text = ["" if v is None else str(v) for v in row]
                    history = {k: History.from_list(v) for k, v in json.loads(text[11] or "{}").items()}
                    out[(text[0], text[1])] = IssuedGoals(text[0], text[1], text[2], text[3], text[4], text[5], text[6], text[7], text[8],
                                                          text[9], text[10], history, GoalRules.from_dict(json.loads(text[12] or "{}")),
                                                          bool(row[13]), text[14] or "employee", text[15], int(row[16] or 0), bool(row[17]),
                                                          text[18], bool(row[19]))
            specs = ({str(h): str(c) for h, c in db.execute("SELECT spec_hash, canonical FROM specs")} if "specs" in tables else {})
    except (sqlite3.Error, ValueError) as exc:
        raise UsageError("register-unusable", path=path, detail=str(exc)) from None
    return out, specs


def agreed_versions(path: Path, period: str | None = None) -> list[AgreedVersion]:
    """Every agreed version in the register (of ``period`` when given), oldest first."""
    if not os.path.isfile(path):
        return []
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'goals_agreed'").fetchone():
                return []
            rows = db.execute("SELECT employee_id, period, version, template, targets, weights, personal, agreed_by, agreed_on, "
                              "workbook_id, file, sha256 FROM goals_agreed ORDER BY employee_id, period, version").fetchall()
    except sqlite3.Error as exc:
        raise UsageError("register-unusable", path=path, detail=str(exc)) from None
    return [AgreedVersion(str(r[0]), str(r[1]), int(r[2]), str(r[3]), json.loads(r[4]), json.loads(r[5]), json.loads(r[6]), str(r[7]),
                          str(r[8]), str(r[9]), str(r[10]), str(r[11])) for r in rows if period is None or r[1] == period]


def record_agreed(path: Path, agreed: Sequence[AgreedVersion], recorded_at: str) -> list[AgreedVersion]:
    """Record each agreement as the person's next version, unless it is the same as their latest; returns them
    with the versions they have."""
    out: list[AgreedVersion] = []
    try:
        with _connect(path) as db, db:
            db.executescript(_SCHEMA)
            for a in agreed:
                last = db.execute("SELECT version, targets, weights, personal, template FROM goals_agreed WHERE employee_id = ? AND period = ? "
                                  "ORDER BY version DESC LIMIT 1", (a.employee_id, a.period)).fetchone()
                same = last is not None and (json.loads(last[1]), json.loads(last[2]), json.loads(last[3]), last[4]) == (
                    a.targets, a.weights, a.personal, a.template)
                version = int(last[0]) if same else (int(last[0]) + 1 if last else 1)
                if not same:
                    db.execute("INSERT INTO goals_agreed VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                               (a.employee_id, a.period, version, a.template, json.dumps(a.targets), json.dumps(a.weights),
                                json.dumps(a.personal, ensure_ascii=False), a.agreed_by, a.agreed_on, a.workbook_id, a.file, a.sha256,
                                recorded_at))
                out.append(AgreedVersion(a.employee_id, a.period, version, a.template, a.targets, a.weights, a.personal, a.agreed_by,
                                         a.agreed_on, a.workbook_id, a.file, a.sha256))
    except sqlite3.Error as exc:
        raise UsageError("register-unusable", path=path, detail=str(exc)) from None
    return out
