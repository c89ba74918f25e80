"""Collect calibration workbooks back: check every change, apply the valid ones to coefficient, pay and history.

Nothing in a returned calibration workbook is trusted: its hidden sheet says who was on it with which
result; each row is found by employee id, its locked cells compared with that record, and the record
with the history's current result. A change needs a grade of the person's own card (never one of
another scale), a reason and who decided. Valid changes become rows of the history's ``calibrations``
table — the original grade kept beside the calibrated one, the coefficient and pay of the calibrated
grade computed by the engine's rule — and everyone else on the sheets is recorded as reviewed,
unchanged. The report says, per change, who moved whom, why, by how many grades, how far the total
lies beyond the new grade's band and what it does to pay; per guideline rule, whether it is met and
what meeting it cost: who was pushed out of its grades, and by how many points.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..consolidation.decisions import open_history
from ..consolidation.formats import open_returned
from ..consolidation.safety import Limits, Rejected
from ..core.errors import UsageError
from ..core.files import read_regular, write_csv_atomic
from ..core.findings import Finding, finding
from ..core.rounding import excel_round
from ..core.text import Text
from ..scoring.engine import pay_for
from ..spec.model import Spec
from .calibration import Candidate, load_candidates
from .calibration_book import FORMAT, META_SHEET
from .guideline import RuleResult, evaluate, parse_guideline

__all__ = ["Change", "CalibrationCollected", "collect_calibration", "judge", "points_beyond", "CHANGE_COLUMNS", "GUIDELINE_COLUMNS"]

CHANGE_COLUMNS = ("employee_id", "name", "department", "template", "total", "original_grade", "calibrated_grade", "moved",
                  "points_beyond", "coefficient_before", "coefficient_after", "bonus_base", "pay_before", "pay_after", "reason",
                  "calibrator", "applied", "problem", "file")
GUIDELINE_COLUMNS = ("file", "sheet", "rule", "before", "after", "at_least", "at_most", "over", "under", "met", "pushed_out",
                     "points_pushed_out")


def judge(person: Candidate, calibrated: str, reason: str, calibrator: str) -> tuple[str, str]:
    """(the grade that stands, the problem or ""): a move needs a grade of the person's own card — never one of
    another scale — a reason of at least two characters and who decided; otherwise the grade stays."""
    if not calibrated or calibrated == person.grade:
        return person.grade, ""
    if calibrated not in person.spec.grade_ranks:
        return person.grade, "calibration-other-scale"
    if len(reason.strip()) < 2 or not calibrator.strip():
        return person.grade, "calibration-no-reason"
    return calibrated, ""


def points_beyond(total: float, spec: Spec, original: str, final: str) -> float | None:
    """How far a total lies beyond its new grade's band (the sheet's "points beyond" column): moved down,
    the points above the band's top (the next better grade's minimum); moved up, minus the points below its
    minimum; None when not moved."""
    before, after = spec.grade_ranks[original], spec.grade_ranks[final]
    if before == after:
        return None
    if after > before:
        return total - spec.grades[after - 2].min
    return total - spec.grades[after - 1].min


@dataclass
class Change:
    person: Candidate
    calibrated: str
    reason: str
    calibrator: str
    file: str
    applied: bool = False
    problem: str = ""

    @property
    def moved(self) -> int:
        """Grades moved: positive up, negative down."""
        spec = self.person.spec
        return spec.grade_ranks[self.person.grade] - spec.grade_ranks[self.calibrated] if self.calibrated in spec.grade_ranks else 0

    @property
    def coefficient(self) -> float | None:
        spec = self.person.spec
        return spec.grades[spec.grade_ranks[self.calibrated] - 1].coefficient if self.calibrated in spec.grade_ranks else None

    @property
    def pay(self) -> float | None:
        return pay_for(self.person.bonus_base, self.coefficient)

    def row(self) -> list[Any]:
        p = self.person
        beyond = points_beyond(p.total, p.spec, p.grade, self.calibrated) if self.calibrated in p.spec.grade_ranks else None
        return [p.employee_id, p.name, p.department, p.template, p.total, p.grade, self.calibrated, self.moved,
                None if beyond is None else excel_round(beyond, 2), p.coefficient, self.coefficient, p.bonus_base, p.pay, self.pay,
                self.reason, self.calibrator, "yes" if self.applied else "no", self.problem, self.file]


@dataclass
class CalibrationCollected:
    changes: list[Change] = field(default_factory=list)
    reviewed: list[str] = field(default_factory=list)  # everyone recorded (changed or not)
    guideline: list[tuple[str, str, RuleResult, RuleResult, int, float]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _read(path: Path, limits: Limits) -> tuple[dict[str, str], list[list[str]], dict[str, list[list[Any]]]]:
    """(the metadata's values, its sheet and person rows, each calibration sheet's grid)."""
    try:
        book = open_returned(read_regular(path, limits.max_file_bytes), limits)
        meta_entry = book.sheet(META_SHEET)
        if meta_entry is None:
            raise UsageError("calibration-not-ours", path=path)
        meta = book.grid(meta_entry, 50_000, 8)
        values = {str(r[0]): _text(r[1]) for r in meta if len(r) >= 2 and r[0] not in ("sheet", "person")}
        if values.get("format") != FORMAT:
            raise UsageError("calibration-not-ours", path=path)
        rows = [[_text(v) for v in r] for r in meta if r and r[0] in ("sheet", "person")]
        grids = {}
        for r in rows:
            if r[0] == "sheet":
                entry = book.sheet(r[1])
                columns = json.loads(r[3])
                if entry is not None and book.readable(entry):
                    grids[r[1]] = book.grid(entry, int(r[5]) + 200, max(columns.values()) + 2)
    except Rejected as rej:
        raise UsageError("calibration-not-ours", path=f"{path} ({rej.code})") from None
    except (ValueError, KeyError, IndexError):
        raise UsageError("calibration-not-ours", path=path) from None
    return values, rows, grids


def _cell(grid: list[list[Any]], row: int, col: int) -> Any:
    return grid[row][col] if row < len(grid) and col < len(grid[row]) else None


def collect_calibration(files: Sequence[Path], history: Path, outdir: Path, templates: dict[str, Spec] | None = None,
                        limits: Limits = Limits()) -> CalibrationCollected:
    """Read filled calibration workbooks, check and apply them to the history, write the reports."""
    out = CalibrationCollected()
    recorded: list[tuple[Any, ...]] = []
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    for path in files:
        values, rows, grids = _read(path, limits)
        period = values.get("period", "")
        candidates, _ = load_candidates(history, period, templates)
        current = {c.employee_id: c for c in candidates}
        sheets = {r[1]: (r[2], json.loads(r[3]), int(r[4])) for r in rows if r[0] == "sheet"}
        per_sheet: dict[str, list[tuple[Candidate, str]]] = {}
        for r in (r for r in rows if r[0] == "person"):
            _, sheet, eid, template, total, grade = r[:6]
            key, cols, first = sheets[sheet]
            grid = grids.get(sheet, [])
            at = next((k for k in range(first, len(grid)) if _text(_cell(grid, k, cols["employee_id"])) == eid), None)
            person = current.get(eid)
            where = {"employee_id": eid, "name": person.name if person else "", "file": str(path)}
            if at is None:
                out.findings.append(finding("calibration-missing-person", **where))
                continue
            shown_total, shown_grade = _cell(grid, at, cols["total"]), _text(_cell(grid, at, cols["original"]))
            if not isinstance(shown_total, (int, float)) or float(shown_total) != float(total) or shown_grade != grade:
                out.findings.append(finding("calibration-edited", **where, what=Text("总分或原等级", "total or grade"),
                                            found=f"{shown_total} {shown_grade}", expected=f"{total} {grade}"))
                continue
            if person is None or person.template != template or repr(person.total) != total or person.grade != grade:
                now_is = f"{person.total:g} {person.grade}" if person else Text("无有效结果", "no trusted result")
                out.findings.append(finding("calibration-stale", **where, found=f"{float(total):g} {grade}", current=now_is))
                continue
            calibrated = _text(_cell(grid, at, cols["calibrated"]))
            reason, who = _text(_cell(grid, at, cols["reason"])), _text(_cell(grid, at, cols["calibrator"]))
            final, problem = judge(person, calibrated, reason, who)
            refused = bool(problem)
            if calibrated and calibrated != person.grade:
                change = Change(person, calibrated, reason, who, str(path), applied=not problem, problem=problem)
                out.changes.append(change)
                if problem == "calibration-other-scale":
                    out.findings.append(finding("calibration-other-scale", **where, calibrated=calibrated,
                                                labels="/".join(g.label for g in person.spec.grades)))
                elif problem:
                    missing = [w for w, bad in ((Text("理由", "a reason"), len(reason) < 2), (Text("校准人", "who decided"), not who)) if bad]
                    out.findings.append(finding("calibration-no-reason", **where, original=person.grade, calibrated=calibrated,
                                                missing=Text("和".join(m.zh for m in missing), " and ".join(m.en for m in missing))))
            if not refused:  # a refused change leaves the person uncalibrated: not recorded as reviewed
                changed = final != person.grade
                spec = person.spec
                coefficient = spec.grades[spec.grade_ranks[final] - 1].coefficient
                recorded.append((period, eid, template, person.department, person.total, person.grade, final, int(changed), coefficient,
                                 person.bonus_base, pay_for(person.bonus_base, coefficient), reason if changed else "",
                                 who if changed else "", values.get("session", ""), now))
                out.reviewed.append(eid)
            per_sheet.setdefault(sheet, []).append((person, final))
        _guideline(out, path, values, per_sheet)
    with open_history(history, write=True) as db:
        db.executemany("INSERT OR REPLACE INTO calibrations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", recorded)
    outdir.mkdir(parents=True, exist_ok=True)
    out.paths["changes"] = outdir / "calibration_changes.csv"
    write_csv_atomic(out.paths["changes"], CHANGE_COLUMNS, (c.row() for c in out.changes))
    out.paths["guideline"] = outdir / "calibration_guideline.csv"
    write_csv_atomic(out.paths["guideline"], GUIDELINE_COLUMNS,
                     ([f, s, after.rule.describe(), before.count, after.count, after.least, after.most, after.over, after.under,
                       "yes" if after.met else "no", pushed, excel_round(points, 2)] for f, s, before, after, pushed, points in out.guideline))
    return out


def _guideline(out: CalibrationCollected, path: Path, values: dict[str, str], per_sheet: dict[str, list[tuple[Candidate, str]]]) -> None:
    """Each rule of the workbook's guideline on each sheet, before and after, with the cost of meeting it. A sheet
    is one scale: its grades are counted by rank, whatever each card calls them."""
    scope = values.get("scope", "*")
    try:
        rules = parse_guideline(values.get("guideline", ""))
    except UsageError:
        rules = []
    for sheet, people in per_sheet.items():
        rank = {g.label: k for p, _ in people for k, g in enumerate(p.spec.grades, start=1)}
        name = {k: label for label, k in reversed(list(rank.items()))}
        fitting = [dataclasses.replace(r, grades=tuple(name[rank[g]] for g in r.grades)) for r in rules if all(g in rank for g in r.grades)]
        before = {label: 0 for label in name.values()}
        after = dict(before)
        for p, final in people:
            before[name[rank[p.grade]]] += 1
            after[name[rank[final]]] += 1
        for r_before, r_after in zip(evaluate(fitting, before), evaluate(fitting, after)):
            grades = {rank[g] for g in r_after.rule.grades}
            pushed = [(p, final) for p, final in people if rank[p.grade] in grades and rank[final] not in grades and rank[final] > rank[p.grade]]
            points = sum(points_beyond(p.total, p.spec, p.grade, final) or 0.0 for p, final in pushed)
            out.guideline.append((str(path), sheet, r_before, r_after, len(pushed), points))
            if not r_after.met:
                detail = (Text(f"超出 {r_after.over} 人", f"over by {r_after.over}") if r_after.over
                          else Text(f"不足 {r_after.under} 人", f"under by {r_after.under}"))
                out.findings.append(finding("guideline-missed", file=str(path), scope=scope if scope != "*" else Text("全公司", "company"),
                                            rule=r_after.rule.describe(), count=r_after.count, detail=detail))
