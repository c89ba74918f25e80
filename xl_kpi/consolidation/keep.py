"""Which returns a run keeps: those of one period (the period consolidated, the others set aside and
reported), one per person and period (copies of one issued workbook that disagree are a conflict HR
resolves), and whom a file that cannot be read names (they replied, in a form that cannot be read).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..core.findings import finding
from ..core.periods import parse_period, period_code
from .record import PersonRecord
from .store import ResultStore

__all__ = ["run_period", "dedupe", "named_for", "UNREAD"]


UNREAD = ("tampered", "wrong-format", "superseded")  # copies that never supersede one read as it was issued


def _completeness(record: PersonRecord) -> tuple[int, int, int, int, float]:
    """Which duplicate to keep: one that could be read (never an .ods re-save over the .xlsx), with no
    integrity errors (a forged copy never supersedes the genuine one), then most actuals filled, then newest."""
    return (record.status != "wrong-format", record.status != "tampered", record.status != "superseded", record.filled, record.mtime)


def _content(record: PersonRecord) -> tuple[Any, ...]:
    """What a person typed into a return: two copies of one issued workbook with the same content are one return."""
    return (sorted(record.raw.items()), sorted((k, sorted(v.items())) for k, v in record.ratings.items()),
            sorted(record.adjustment_counts.items()), record.vetoed, record.comment, sorted(record.review.items()))


def run_period(store: ResultStore, period: str | None) -> str:
    """The period this run consolidates: ``period`` (as HR writes it), else the one most returns are of (the
    latest on a tie; the raters' workbooks' when no employee's came back). Returns of any other period are set aside, each reported: a late return of a closed
    period, or last period's workbook sent again, never replaces a result."""
    found = store.periods() or store.part_periods()  # only raters' workbooks back so far: theirs is the period
    if period is None:
        if not found:
            return ""
        most = found[0][1]
        period = max((p for p, n in found if n == most), key=_recency)
    else:
        period = period_code(period)
    store.add_issues([finding("other-period", file=file, sheet=sheet, employee_id=eid, found=other or "—", period=period or "—")
                      for eid, file, sheet, other in store.set_aside(period)])
    return period


def _recency(period: str) -> tuple[int, str]:
    """Orders periods by when they end (one that cannot be read, last of all)."""
    read = parse_period(period)
    return (1, read.end.isoformat() + read.start.isoformat()) if read else (0, period)


def dedupe(store: ResultStore) -> None:
    """One return per person and period. Copies of one issued workbook with different contents are a
    conflict HR resolves: none is used (the person is listed as ``conflict``), each copy is named. Copies
    with the same content, or of different workbooks, keep one — never a tampered one over a genuine
    one, then the most complete, then the newest — and every copy is reported."""
    for eid, copies in store.duplicated():
        candidates = [c for c in copies if c[1].status not in UNREAD] or [c for c in copies if c[1].status != "wrong-format"]
        books: dict[str, set[Any]] = {}
        for _, rec in candidates:
            books.setdefault(rec.workbook_id or rec.file, set()).add(repr(_content(rec)))
        if any(len(contents) > 1 for contents in books.values()):
            _conflict(store, eid, copies)
            continue
        best_seq, best = max(copies, key=lambda c: _completeness(c[1]))
        store.drop([seq for seq, _ in copies if seq != best_seq])
        store.add_issues([finding("duplicate-person", file=rec.file, sheet=rec.sheet, employee_id=eid,
                                kept=f"{best.file}" + (f" [{best.sheet}]" if best.sheet else "")) for _, rec in copies])


def _conflict(store: ResultStore, eid: str, copies: list[tuple[int, PersonRecord]]) -> None:
    """Withhold a person whose copies of one workbook disagree: the first stays listed, as ``conflict``,
    with no total, grade or pay; every copy is named with the total it would give."""
    files = "; ".join(f"{rec.file} ({'—' if rec.total is None else f'{rec.total:g}'})" for _, rec in copies)
    first_seq, first = copies[0]
    store.replace(first_seq, dataclasses.replace(first, status="conflict", total=None, grade=None, coefficient=None, pay=None))
    store.drop([seq for seq, _ in copies[1:]])
    store.add_issues([finding("conflicting-returns", file=rec.file, sheet=rec.sheet, employee_id=eid, count=len(copies), files=files)
                      for _, rec in copies])


def named_for(files: list[str], waiting: set[str]) -> dict[str, str]:
    """A file that could not be read whose name carries the employee id of someone who returned nothing
    (``E200_王测.pdf``, ``E200 绩效考核.xls``): they did reply, in a form that cannot be read."""
    if not waiting:
        return {}
    found: dict[str, str] = {}
    for file in files:
        base = re.split(r"[/\\!]", file)[-1]
        for token in re.findall(r"[0-9A-Za-z_-]+", base):
            for eid in (token, *token.replace("-", "_").split("_")):
                if eid in waiting and eid not in found:
                    found[eid] = file
    return found
