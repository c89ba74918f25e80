"""The issue register: what HR issued, kept by HR (``issued.sqlite`` beside the built workbooks).

``build`` records each workbook's identifier and, for every person in it, the template, version,
spec hash, period and personal targets. ``consolidate --issued`` checks each return against it,
so the register — not the returned file's hidden metadata — says who a file belongs to and
which targets apply. Both halves live here, like :mod:`.metadata`.
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

__all__ = ["Issued", "Register", "write_register", "load_register", "REGISTER_NAME"]

REGISTER_NAME = "issued.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS issued (
    workbook_id TEXT NOT NULL, employee_id TEXT NOT NULL, file TEXT, sheet TEXT, name TEXT, department TEXT,
    template TEXT, version TEXT, spec_hash TEXT, period TEXT, targets TEXT, signed INTEGER, issued_at TEXT,
    PRIMARY KEY (workbook_id, employee_id));
"""


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

    def target_values(self) -> dict[str, float] | None:
        return {str(k): float(v) for k, v in json.loads(self.targets).items()} if self.targets else None


@dataclass(frozen=True)
class Register:
    """The register in memory: by workbook identifier, then employee id."""

    books: dict[str, dict[str, Issued]] = field(default_factory=dict)
    key: bytes | None = None  # HR's signing key, when metadata is to be verified

    def person(self, workbook: str, employee_id: str) -> Issued | None:
        return self.books.get(workbook, {}).get(employee_id)

    def issued_to(self, workbook: str) -> list[str]:
        return sorted(self.books.get(workbook, {}))


def write_register(path: Path, entries: Iterable[Issued], issued_at: str) -> None:
    """Add the entries to the register at ``path`` (created when missing; a re-issue replaces its rows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=5)) as db, db:
            db.executescript(_SCHEMA)
            db.executemany(f"INSERT OR REPLACE INTO issued VALUES ({','.join('?' * 13)})",
                           [(*e[:11], int(e.signed), issued_at) for e in entries])
    except sqlite3.Error as exc:
        raise UsageError("register-unusable", path=path, detail=str(exc)) from None


def load_register(path: Path, key: bytes | None = None) -> Register:
    """The register at ``path`` (written by ``xl-kpi build``)."""
    if not os.path.isfile(path):
        raise UsageError("file-not-found", path=path)
    books: dict[str, dict[str, Issued]] = {}
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            for row in db.execute("SELECT workbook_id, employee_id, file, sheet, name, department, template, version, "
                                  "spec_hash, period, targets, signed FROM issued"):
                text = ["" if v is None else str(v) for v in row[:11]]
                entry = Issued(text[0], text[1], text[2], text[3], text[4], text[5], text[6], text[7], text[8], text[9],
                               text[10], bool(row[11]))
                books.setdefault(entry.workbook_id, {})[entry.employee_id] = entry
    except sqlite3.Error as exc:
        raise UsageError("register-unusable", path=path, detail=str(exc)) from None
    return Register(books, key)
