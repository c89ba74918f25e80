"""Results kept on disk while a run goes on, so memory stays flat however many files are read.

Workers pack each file's records and issues (pickled once, where the work is parallel); the
main process appends them to a throw-away SQLite file beside the outputs and keeps only
counts. Outputs then stream the rows back in the order each one needs. Only xl-kpi's own
objects are ever pickled into or out of this file, which lives only as long as the run.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.findings import Finding
from ..core.text import ui_lang
from ..spec.model import Spec
from .parts import RatingPart
from .record import FileResult, PersonRecord

__all__ = ["Packed", "ResultStore", "pack"]

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

_SCHEMA = """
CREATE TABLE records (seq INTEGER PRIMARY KEY, employee_id TEXT NOT NULL, name TEXT NOT NULL, department TEXT NOT NULL,
                      template TEXT NOT NULL, file TEXT NOT NULL, sheet TEXT NOT NULL, period TEXT NOT NULL,
                      workbook_id TEXT NOT NULL, scored INTEGER NOT NULL,
                      kept INTEGER NOT NULL DEFAULT 1, blob BLOB NOT NULL, findings BLOB, comment TEXT NOT NULL,
                      goal_review TEXT NOT NULL, key_actions TEXT NOT NULL, results TEXT NOT NULL, gaps TEXT NOT NULL,
                      status TEXT NOT NULL, separate INTEGER NOT NULL);
CREATE TABLE issues (seq INTEGER PRIMARY KEY, rank INTEGER NOT NULL, file TEXT NOT NULL, employee_id TEXT NOT NULL,
                     code TEXT NOT NULL, blob BLOB NOT NULL);
CREATE TABLE findings (record INTEGER NOT NULL, field TEXT NOT NULL, code TEXT NOT NULL, zh TEXT NOT NULL, en TEXT NOT NULL);
CREATE TABLE parts (seq INTEGER PRIMARY KEY, employee_id TEXT NOT NULL, period TEXT NOT NULL, role TEXT NOT NULL,
                    rater_id TEXT NOT NULL, file TEXT NOT NULL, blob BLOB NOT NULL);
"""

REVIEW_TEXTS = ("comment", "goal_review", "key_actions", "results", "gaps")  # kept as columns: the reports read them without the record
# (employee_id, name, department, template, file, sheet, period, workbook id, scored, pickled record, its pickled
# findings or None, *the review texts, status, issued with separate ratings), and the review findings as (field, code,
# message zh, message en)
RecordRow = tuple[tuple[str | int | bytes | None, ...], list[tuple[str, str, str, str]]]


@dataclass
class Packed:
    """One file's result as the store takes it: key columns plus pickled records and issues."""

    source: str
    records: list[RecordRow] = field(default_factory=list)
    issues: list[tuple[int, str, str, str, bytes]] = field(default_factory=list)
    specs: dict[str, Spec] = field(default_factory=dict)
    parts: list[tuple[str, str, str, str, str, bytes]] = field(default_factory=list)  # a rating workbook's, per person


def _issue_row(i: Finding) -> tuple[int, str, str, str, bytes]:
    return SEVERITY_RANK[i.severity], i.file, i.employee_id, i.code, pickle.dumps(i, pickle.HIGHEST_PROTOCOL)


def pack(result: FileResult) -> Packed:
    """Pack a file's result for the store (called in the worker, so pickling runs in parallel). A record's
    review findings are pickled apart from it: the reports read records without them (the findings
    table has what they show), and unpickling the findings is most of the cost of a record."""
    records = [((r.employee_id, r.name, r.department, r.template, r.file, r.sheet, r.period, r.workbook_id, int(r.total is not None),
                 _without_findings(r),
                 pickle.dumps(r.findings, pickle.HIGHEST_PROTOCOL) if r.findings else None,
                 r.comment, *(r.review.get(k, "") for k in REVIEW_TEXTS[1:]), r.status, int(r.pending is not None)),
                [(f.field, f.code, f.message.zh, f.message.en) for f in r.findings])
               for r in result.records]
    parts = [(p.employee_id, p.period, p.role, p.rater_id, p.file, pickle.dumps(p, pickle.HIGHEST_PROTOCOL)) for p in result.parts]
    return Packed(result.source, records, [_issue_row(i) for i in result.issues], result.specs, parts)


def _without_findings(record: PersonRecord) -> bytes:
    """The record pickled without its review findings (set aside for the call, not copied: twice as fast)."""
    findings, record.findings = record.findings, []
    try:
        return pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
    finally:
        record.findings = findings


def _remove(path: str) -> None:
    try:
        os.unlink(path)  # the rollback journal lives in memory: this is the only file
    except OSError:
        pass


class ResultStore:
    """Every record and issue of one run, in a temporary SQLite file (removed when the store goes)."""

    def __init__(self, folder: Path | None = None) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        fd, self.path = tempfile.mkstemp(prefix=".xl-kpi-run-", suffix=".sqlite", dir=folder)
        os.close(fd)
        self._finalizer = weakref.finalize(self, _remove, self.path)
        self._pid = -1
        self._conn: sqlite3.Connection | None = None
        self._seq = 0
        self.db.executescript(_SCHEMA)

    @property
    def db(self) -> sqlite3.Connection:
        """This process's connection (a forked writer opens its own: connections do not cross fork)."""
        if self._conn is None or self._pid != os.getpid():
            self._conn = sqlite3.connect(self.path, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=MEMORY")  # scratch data: the rollback journal stays in memory
            self._conn.execute("PRAGMA synchronous=OFF")
            self._pid = os.getpid()
        return self._conn

    def close(self) -> None:
        """Remove the file now rather than when the store is garbage-collected."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
        self._finalizer()

    # --- writing -------------------------------------------------------------------------
    def add(self, results: list[Packed]) -> None:
        """Append files' results in input order (one task's worth at a time: one statement per table)."""
        rows, found, issues, parts = [], [], [], []
        for packed in results:
            for row, findings in packed.records:
                self._seq += 1
                rows.append((self._seq, *row))
                found += [(self._seq, *finding) for finding in findings]
            issues += packed.issues
            parts += packed.parts
        db = self.db
        with db:  # one transaction per task (a commit per statement costs more than the inserts); a failure ends the run
            db.execute("BEGIN")
            db.executemany("INSERT INTO records (seq, employee_id, name, department, template, file, sheet, period, workbook_id, scored, "
                           f"blob, findings, {', '.join(REVIEW_TEXTS)}, status, separate) VALUES ({', '.join('?' * (14 + len(REVIEW_TEXTS)))})",
                           rows)
            db.executemany("INSERT INTO findings VALUES (?,?,?,?,?)", found)
            db.executemany("INSERT INTO issues (rank, file, employee_id, code, blob) VALUES (?,?,?,?,?)", issues)
            if parts:
                db.executemany("INSERT INTO parts (employee_id, period, role, rater_id, file, blob) VALUES (?,?,?,?,?,?)", parts)

    def add_issues(self, issues: list[Finding]) -> None:
        if issues:
            self.db.executemany("INSERT INTO issues (rank, file, employee_id, code, blob) VALUES (?,?,?,?,?)",
                                [_issue_row(i) for i in issues])

    def finish(self) -> None:
        """Index what the reports read in order, once every record is in (so no sort moves the pickles)."""
        self.db.execute("CREATE INDEX IF NOT EXISTS records_by_person ON records (employee_id, seq)")
        self.db.execute("CREATE INDEX IF NOT EXISTS records_by_department ON records (department, employee_id, seq)")
        self.db.execute("CREATE INDEX IF NOT EXISTS issues_by_severity ON issues (rank, file, employee_id, code, seq)")

    def duplicated(self) -> Iterator[tuple[str, list[tuple[int, PersonRecord]]]]:
        """Each employee id returned more than once among the kept records, with its records in input order."""
        ids = [eid for (eid,) in self.db.execute("SELECT employee_id FROM records WHERE kept = 1 GROUP BY employee_id "
                                                 "HAVING COUNT(*) > 1")]
        for eid in ids:
            rows = self.db.execute("SELECT seq, blob FROM records WHERE employee_id = ? AND kept = 1 ORDER BY seq", (eid,))
            yield eid, [(seq, pickle.loads(blob)) for seq, blob in rows]  # noqa: S301 - this run's own store; without review findings

    def drop(self, seqs: list[int]) -> None:
        """Keep these records out of the results (duplicates of a better return)."""
        self.db.executemany("UPDATE records SET kept = 0 WHERE seq = ?", [(s,) for s in seqs])

    def replace(self, seq: int, record: PersonRecord) -> None:
        """Store ``record`` in place of the record ``seq`` (its findings kept)."""
        self.db.execute("UPDATE records SET blob = ?, scored = ?, status = ?, separate = ? WHERE seq = ?",
                        (_without_findings(record), int(record.total is not None), record.status, int(record.pending is not None), seq))

    def periods(self) -> list[tuple[str, int]]:
        """The periods of the kept records with how many each, most first."""
        return [(p, n) for p, n in self.db.execute("SELECT period, COUNT(*) FROM records WHERE kept = 1 GROUP BY period "
                                                   "ORDER BY COUNT(*) DESC, period DESC")]

    def set_aside(self, period: str) -> list[tuple[str, str, str, str]]:
        """Keep every record of another period than ``period`` out of the results; returns them as
        (employee id, file, sheet, period)."""
        rows = self.db.execute("SELECT employee_id, file, sheet, period FROM records WHERE kept = 1 AND period != ? ORDER BY seq",
                               (period,)).fetchall()
        self.db.execute("UPDATE records SET kept = 0 WHERE kept = 1 AND period != ?", (period,))
        return rows

    def split_records(self, period: str) -> tuple[list[tuple[int, PersonRecord]], set[str]]:
        """The kept records of ``period`` whose raters rated in workbooks of their own (:mod:`.merge`), with their seq;
        and the people whose own workbook carries every rating (issued as one file). Only the former are unpickled."""
        separate: list[tuple[int, PersonRecord]] = [
            (seq, pickle.loads(blob))  # noqa: S301 - written by this run's workers
            for seq, blob in self.db.execute("SELECT seq, blob FROM records WHERE kept = 1 AND period = ? AND separate = 1 ORDER BY seq",
                                             (period,))]
        # an .ods re-save says nothing of how it was issued
        inline = {eid for (eid,) in self.db.execute("SELECT employee_id FROM records WHERE kept = 1 AND period = ? AND separate = 0 "
                                                    "AND status != 'wrong-format'", (period,))}
        return separate, inline

    def replace_many(self, records: list[tuple[int, PersonRecord]]) -> None:
        """Store each record in place of the record of its seq (their findings kept), in one statement."""
        self.db.executemany("UPDATE records SET blob = ?, scored = ?, status = ?, separate = ? WHERE seq = ?",
                            [(_without_findings(r), int(r.total is not None), r.status, int(r.pending is not None), seq) for seq, r in records])

    def rating_parts(self, period: str | None = None) -> Iterator[RatingPart]:
        """The raters' parts (of one period, or all), by person, role and rater, in the order read."""
        query = "SELECT blob FROM parts" + (" WHERE period = ?" if period is not None else "") + " ORDER BY employee_id, role, rater_id, seq"
        for (blob,) in self.db.execute(query, (period,) if period is not None else ()):
            yield pickle.loads(blob)  # noqa: S301 - written by this run's workers

    def part_periods(self) -> list[tuple[str, int]]:
        """The periods of the raters' parts with how many each."""
        return list(self.db.execute("SELECT period, COUNT(*) FROM parts GROUP BY period ORDER BY COUNT(*) DESC"))

    # --- reading -------------------------------------------------------------------------
    def records(self, by_department: bool = False, findings: bool = True) -> Iterator[PersonRecord]:
        """The kept records, in input order or by (department, employee id) as the reports list them;
        ``findings=False`` leaves each record's review findings out (the reports read :meth:`findings`)."""
        order = "department, employee_id, seq" if by_department else "seq"
        for blob, found in self.db.execute(f"SELECT blob, findings FROM records WHERE kept = 1 ORDER BY {order}"):
            record: PersonRecord = pickle.loads(blob)  # noqa: S301 - written by this run's workers
            if findings and found is not None:
                record.findings = pickle.loads(found)  # noqa: S301 - written by this run's workers
            yield record

    def issues(self, by_severity: bool = False) -> Iterator[Finding]:
        """Every issue, in the order found or as the reports list them (severity, file, person, code)."""
        order = "rank, file, employee_id, code, seq" if by_severity else "seq"
        for (blob,) in self.db.execute(f"SELECT blob FROM issues ORDER BY {order}"):
            yield pickle.loads(blob)  # noqa: S301 - written by this run's workers

    def reviews(self) -> Iterator[tuple[str, ...]]:
        """The review texts of the kept records that have any, by (department, employee id):
        (id, name, department, template, comment, goal review, key actions, results, gaps)."""
        written = " OR ".join(f"{k} != ''" for k in REVIEW_TEXTS)
        yield from self.db.execute(f"SELECT employee_id, name, department, template, {', '.join(REVIEW_TEXTS)} FROM records "
                                   f"WHERE kept = 1 AND ({written}) ORDER BY department, employee_id, seq")

    def findings(self) -> Iterator[tuple[str, str, str, str, str, str]]:
        """Review findings of the kept records by employee id: (id, name, department, field, code, message)."""
        message = "f.en" if ui_lang() == "en" else "f.zh"
        yield from self.db.execute(f"SELECT r.employee_id, r.name, r.department, f.field, f.code, {message} FROM findings f "
                                   "JOIN records r ON r.seq = f.record WHERE r.kept = 1 ORDER BY r.employee_id, f.record, f.rowid")

    def people(self) -> Iterator[tuple[str, str, str]]:
        """(employee id, file, sheet) of each kept record, in input order."""
        yield from self.db.execute("SELECT employee_id, file, sheet FROM records WHERE kept = 1 ORDER BY seq")

    def templates(self) -> list[str]:
        """Template ids of the kept records in first-seen order."""
        return [t for (t,) in self.db.execute("SELECT template FROM records WHERE kept = 1 GROUP BY template ORDER BY MIN(seq)")]

    def problem_codes(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """The codes of the errors found for each person, by (file, employee id): why a result is not paid.
        Only people with errors are listed, so this stays small however many are read."""
        out: dict[tuple[str, str], tuple[str, ...]] = {}
        for file, eid, codes in self.db.execute("SELECT file, employee_id, GROUP_CONCAT(code, ' ') FROM "
                                                "(SELECT DISTINCT file, employee_id, code FROM issues WHERE rank = 0 AND employee_id != '' "
                                                "ORDER BY file, employee_id, code) GROUP BY file, employee_id"):
            out[(file, eid)] = tuple(codes.split(" "))
        return out

    def unread_files(self) -> list[str]:
        """The files reported as something other than a scorecard that can be read (a PDF, a CSV, an
        encrypted or damaged workbook), each once."""
        return [f for (f,) in self.db.execute("SELECT DISTINCT file FROM issues WHERE employee_id = '' AND code IN "
                                              "('unsupported-file', 'not-a-workbook', 'legacy-xls', 'encrypted', 'corrupt-file', "
                                              "'empty-file') ORDER BY file")]

    def codes(self) -> dict[str, int]:
        """How many issues of each code."""
        return dict(self.db.execute("SELECT code, COUNT(*) FROM issues GROUP BY code ORDER BY code").fetchall())

    def examples(self) -> list[tuple[str, int, Finding]]:
        """Each kind of issue once: (code, how many, the first found), errors first, then the most frequent."""
        rows = self.db.execute("SELECT code, COUNT(*), MIN(seq), blob FROM issues GROUP BY code ORDER BY MIN(rank), COUNT(*) DESC, code")
        return [(code, count, pickle.loads(blob)) for code, count, _, blob in rows]  # noqa: S301 - written by this run's workers

    def counts(self) -> dict[str, int]:
        """people, scored, and issues by severity: errors, warnings, infos."""
        people, scored = self.db.execute("SELECT COUNT(*), COALESCE(SUM(scored), 0) FROM records WHERE kept = 1").fetchone()
        by_rank = dict(self.db.execute("SELECT rank, COUNT(*) FROM issues GROUP BY rank").fetchall())
        return {"people": people, "scored": scored, "errors": by_rank.get(0, 0), "warnings": by_rank.get(1, 0),
                "infos": by_rank.get(2, 0)}
