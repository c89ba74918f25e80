"""Notify: a result letter for everyone with a final result, the letters recorded as announced, and the
review-talk records read back into the history.

Letters are written from the returns (each indicator's inputs and scores, the comment) and the history
(calibration and appeal decisions since consolidation), in each person's workbook's language; the
``letters`` table of the history records who was told what and by when they may appeal (``status`` shows
them as announced). People without a complete, trusted result get no letter: ``letters.csv`` says why.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..consolidation.decisions import FinalResult, final_results, open_history
from ..consolidation.formats import ReturnedBook, open_returned
from ..consolidation.safety import Limits, Rejected
from ..core.errors import UsageError
from ..core.files import read_regular, write_csv_atomic
from ..core.findings import Finding, finding
from ..core.text import Text
from ..workbook.filenames import safe_name
from .appeal_book import APPEAL_SHEET
from .drafts import Draft
from .letter_book import FORMAT, META_SHEET, TALK_FIELDS, LetterData, write_letter
from .returns import Returns
from .sendback import file_lang

__all__ = ["Letter", "LettersRun", "write_letters", "collect_talks", "LETTER_COLUMNS", "read_meta"]

LETTER_COLUMNS = ("employee_id", "name", "department", "status", "grade", "pay", "letter", "why_none")
SUFFIX = {"zh": "绩效结果通知书", "en": "result letter"}


@dataclass
class Letter:
    employee_id: str
    name: str
    department: str
    status: str
    grade: str | None = None
    pay: float | None = None
    path: Path | None = None
    data: LetterData | None = None

    def row(self) -> list[object]:
        return [self.employee_id, self.name, self.department, self.status, self.grade, self.pay, str(self.path or ""),
                "" if self.path else self.status]


@dataclass
class LettersRun:
    letters: list[Letter]
    paths: dict[str, Path] = field(default_factory=dict)
    drafts: list[Draft] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _decisions(history: Path | None, period: str) -> tuple[dict[str, FinalResult], dict[str, tuple[str, str]]]:
    if history is None:
        return {}, {}
    with open_history(history) as db:
        finals = {r.employee_id: r for r in final_results(db, period)}
        reasons = {str(e): (str(g), str(why or "")) for e, g, why in db.execute(
            "SELECT employee_id, calibrated_grade, reason FROM calibrations WHERE period = ? AND changed = 1", (period,))} \
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'calibrations'").fetchone() else {}
    return finals, reasons


def write_letters(returns: Returns, outdir: Path, history: Path | None, deadline: str, limits: Limits = Limits()) -> LettersRun:
    """A letter per person with a complete, trusted result (``letters.csv`` lists everyone), each recorded
    in the history's ``letters`` table when a history is given."""
    finals, calibrated = _decisions(history, returns.period)
    post = returns.post()  # the roster's position and manager, else the register's
    targets = {p.employee_id: p.target_values() for p in returns.issued()}
    out: list[Letter] = []
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    for record in returns.records():
        final = finals.get(record.employee_id)
        if final is not None and (final.total != record.total or final.grade != record.grade):
            final = None  # the history holds another result for them (consolidated again since): the letter states this return's
        letter = Letter(record.employee_id, record.name, record.department, record.status)
        out.append(letter)
        spec = returns.specs.get(record.template)
        if record.status != "ok" or spec is None:
            continue
        spec = spec.with_targets(targets.get(record.employee_id))
        lang = file_lang(returns, record.file, record.template, limits)
        position, manager = post.get(record.employee_id, ("", ""))
        data = LetterData(record, spec, lang, returns.period, position, manager,
                          final, calibrated.get(record.employee_id) if final is not None and final.calibrated else None, deadline)
        name = safe_name(f"{record.employee_id}_{record.name}_{SUFFIX[lang]}")
        letter.path = write_letter(outdir / safe_name(record.department or "-") / f"{name}.xlsx", data, now)
        letter.data = data
        letter.grade = final.final_grade if final is not None else record.grade
        letter.pay = final.final_pay if final is not None else record.pay
    if history is not None:
        with open_history(history, write=True) as db:
            db.executemany("INSERT OR REPLACE INTO letters VALUES (?,?,?,?,?,?,?)",
                           [(returns.period, x.employee_id, str(x.path), x.grade, x.pay, deadline, now) for x in out if x.path])
    outdir.mkdir(parents=True, exist_ok=True)
    listing = outdir / "letters.csv"
    write_csv_atomic(listing, LETTER_COLUMNS, (x.row() for x in out))
    return LettersRun(out, {"letters": listing})


def read_meta(path: Path, limits: Limits, expected: str) -> tuple[dict[str, str], ReturnedBook]:
    """(the metadata of a letter or appeal form xl-kpi wrote, the workbook opened and checked as any return is).

    Raises:
        UsageError: not a file of the expected kind.
    """
    try:
        book = open_returned(read_regular(path, limits.max_file_bytes), limits)
        entry = book.sheet(META_SHEET if expected == FORMAT else APPEAL_SHEET)
        if entry is None:
            raise UsageError("letter-not-ours", path=path)
        grid = book.grid(entry, 200, 4)
    except Rejected as rej:
        raise UsageError("letter-not-ours", path=f"{path} ({rej.code})") from None
    values = {str(r[0]): "" if len(r) < 2 or r[1] is None else str(r[1]) for r in grid if r}
    if values.get("format") != expected:
        raise UsageError("letter-not-ours", path=path)
    return values, book


def _text(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20_000 < value < 80_000:  # a date Excel stores as a serial
        return (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))).isoformat()
    return "" if value is None else str(value).strip()


def collect_talks(files: Sequence[Path], history: Path, limits: Limits = Limits()) -> tuple[list[dict[str, str]], list[Finding]]:
    """Read filled talk records into the history's ``talks`` table; returns what was recorded and the findings."""
    import json

    recorded, notes = [], []
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    for path in files:
        values, book = read_meta(path, limits, FORMAT)
        cells = json.loads(values.get("talk_cells", "{}"))
        entry = book.sheet(values.get("talk_sheet", ""))
        if entry is None:
            raise UsageError("letter-not-ours", path=path)
        read = book.cells(entry).values(list(cells.values()))
        talk = {key: _text(read.get(ref)) for key, ref in cells.items()}
        where = {"file": str(path), "employee_id": values.get("employee_id", ""), "name": values.get("name", "")}
        if not any(talk.get(k) for k in TALK_FIELDS):
            notes.append(finding("talk-empty", **where))
            continue
        for role, who in (("employee_sign", Text("员工", "the employee")), ("supervisor_sign", Text("直接上级", "the supervisor"))):
            if not talk.get(role):
                notes.append(finding("talk-unsigned", **where, who=who))
        recorded.append({"period": values.get("period", ""), "employee_id": values.get("employee_id", ""), **talk, "file": str(path)})
    with open_history(history, write=True) as db:
        db.executemany("INSERT OR REPLACE INTO talks VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                       [(t["period"], t["employee_id"], t.get("held_on", ""), t.get("strengths", ""), t.get("gaps", ""), t.get("goals", ""),
                         t.get("actions", ""), t.get("employee_sign", ""), t.get("supervisor_sign", ""), t["file"], now) for t in recorded])
    return recorded, notes
