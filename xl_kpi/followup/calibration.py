"""Calibration (绩效校准): who is calibrated, on which scale, from the results consolidation wrote to the history.

Only a complete and trusted result (status ``ok``) is calibrated; everyone else of the period is listed
with their status. People are grouped by department (or the whole company) and, within that, by grade
scale (:mod:`xl_kpi.spec.scales`): a grade is only ever compared, counted or moved within its own
template's scale. Each person carries their own template's grade table (labels, minimums, coefficients),
so the calibrated grade offered, its coefficient and pay are always their own card's.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..consolidation.decisions import open_history
from ..core.errors import UsageError
from ..core.findings import Finding, finding
from ..core.periods import period_code
from ..core.text import Lang, Text
from ..spec.canonical import spec_from_canonical
from ..spec.model import Spec
from ..spec.scales import GradeScale, grade_scales, scale_key
from ..tabular.read import read_table
from .ninebox import read_level

__all__ = ["Candidate", "Excluded", "Group", "load_candidates", "groups", "load_potential", "POTENTIAL"]

POTENTIAL = ("potential", "潜力", "潜力评级", "潜力等级", "潜力评价")
_WHAT = Text("潜力评级表", "potential ratings")


@dataclass(frozen=True)
class Candidate:
    """One person whose result can be calibrated, with the inputs behind it."""

    employee_id: str
    name: str
    department: str
    template: str
    total: float
    grade: str
    spec: Spec
    bonus_base: float | None = None
    coefficient: float | None = None
    pay: float | None = None
    details: str = ""  # each indicator's input and score, one per line
    potential: int | None = None
    calibrated: str = ""  # an earlier calibration still valid for this result (rebuilding a session)
    reason: str = ""
    calibrator: str = ""

    @property
    def rank(self) -> int:
        return self.spec.grade_ranks[self.grade]


@dataclass(frozen=True)
class Excluded:
    """Someone of the period whose result cannot be calibrated, and why (their status)."""

    employee_id: str
    name: str
    department: str
    status: str


@dataclass
class Group:
    """The people calibrated together on one scale: one sheet of a calibration workbook."""

    scope: str  # the department, or "*" for the company
    scale: GradeScale
    people: list[Candidate] = field(default_factory=list)


def _specs(db: sqlite3.Connection, templates: Mapping[str, Spec] | None) -> dict[tuple[str, str], Spec]:
    out = {}
    for template, spec_hash, canonical in db.execute("SELECT template, hash, canonical FROM templates"):
        out[(template, spec_hash)] = spec_from_canonical(json.loads(canonical))
    return out


def _details(spec: Spec, results: Sequence[tuple[str, float | None, str | None, float | None]]) -> str:
    by_id = {iid: (actual, text, score) for iid, actual, text, score in results}
    lines = []
    for ind in spec.display_order:
        actual, text, score = by_id.get(ind.id, (None, None, None))
        if text is not None and ind.rated:  # the raters' inputs as stored: self=A; supervisor=B → their names
            names = {r.id: r.name for r in spec.raters}
            text = "; ".join(f"{names.get(k, k)}={v}" for k, _, v in (part.strip().partition("=") for part in text.split(";")))
        shown = text if text is not None else "—" if actual is None else ind.show(float(actual))
        lines.append(f"{ind.name} {shown} → {'—' if score is None else f'{score:g}'}")
    return "\n".join(lines)


def load_candidates(history: Path, period: str, templates: Mapping[str, Spec] | None = None,
                    potential: Mapping[str, int] | None = None) -> tuple[list[Candidate], list[Excluded]]:
    """The period's calibratable results and the people left out, from a consolidation history.

    Raises:
        UsageError: the history holds nothing for ``period``.
    """
    period = period_code(period)
    with open_history(history) as db:
        cols = {row[1] for row in db.execute("PRAGMA table_info(totals)")}
        extra = ", ".join(c if c in cols else "NULL" for c in ("template_hash", "bonus_base", "coefficient", "pay"))
        rows = db.execute(f"SELECT employee_id, name, department, template, status, total, grade, {extra} FROM totals "
                          "WHERE period = ? ORDER BY department, employee_id", (period,)).fetchall()
        withheld = db.execute("SELECT employee_id, name, department, status FROM withheld WHERE period = ?", (period,)).fetchall()
        if not rows and not withheld:
            periods = ", ".join(sorted({str(p) for (p,) in db.execute("SELECT DISTINCT period FROM totals")})) or "—"
            raise UsageError("history-no-period", path=history, period=period, periods=periods)
        stored = _specs(db, templates)
        results: dict[str, list[tuple[str, float | None, str | None, float | None]]] = {}
        for eid, iid, actual, text, score in db.execute("SELECT employee_id, indicator_id, actual, actual_text, score FROM results "
                                                        "WHERE period = ?", (period,)):
            results.setdefault(str(eid), []).append((str(iid), actual, text, score))
        earlier = {str(r[0]): r[1:] for r in db.execute(
            "SELECT employee_id, template, total, original_grade, calibrated_grade, changed, reason, calibrator FROM calibrations "
            "WHERE period = ?", (period,))} if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'calibrations'").fetchone() else {}
    people, out = [], []
    for eid, name, dept, template, status, total, grade, spec_hash, base, coefficient, pay in rows:
        spec = (templates or {}).get(template) or stored.get((template, spec_hash or "")) or next(
            (s for (t, _), s in stored.items() if t == template), None)
        if status != "ok" or total is None or grade is None or spec is None or grade not in spec.grade_ranks:
            out.append(Excluded(str(eid), name or "", dept or "", status if status != "ok" else "no-rules"))
            continue
        before = earlier.get(str(eid))
        still = before is not None and before[0] == template and before[1] == total and before[2] == grade and before[4]
        people.append(Candidate(str(eid), name or "", dept or "-", template, float(total), grade, spec, base, coefficient, pay,
                                _details(spec, results.get(str(eid), [])), (potential or {}).get(str(eid)),
                                before[3] if still else "", before[5] or "" if still else "", before[6] or "" if still else ""))  # type: ignore[index]
    out += [Excluded(str(e), n or "", d or "", s) for e, n, d, s in withheld]
    return people, out


def groups(people: Sequence[Candidate], by: str, lang: Lang) -> dict[str, list[Group]]:
    """The workbooks (by department, or one for the company: ``"*"``) and their sheets, one per grade scale."""
    scopes: dict[str, list[Candidate]] = {}
    for p in people:
        scopes.setdefault(p.department if by == "department" else "*", []).append(p)
    out: dict[str, list[Group]] = {}
    for scope, members in sorted(scopes.items()):
        specs = sorted({p.spec.id: p.spec for p in members}.values(), key=lambda s: s.id)
        sheets = []
        for scale in grade_scales(specs, lang):
            sheets.append(Group(scope, scale, [p for p in members if scale_key(p.spec) == scale.key]))
        out[scope] = sheets
    return out


def load_potential(path: str | Path) -> tuple[dict[str, int], list[Finding]]:
    """Each person's potential (1 low – 3 high) from a table with an employee id and a potential column."""
    frame = read_table(path, _WHAT, ("employee_id",))
    column: Any = next((c for c in frame.columns if str(c).strip().lower() in POTENTIAL), None)
    if column is None or "employee_id" not in frame.columns:
        raise UsageError("bad-option", option="--potential", value=str(path), allowed=Text(
            "有 工号(employee_id)和 潜力(potential)两列的表", "a table with employee_id and potential columns"))
    out: dict[str, int] = {}
    problems: list[Finding] = []
    start = int(frame.attrs.get("first_line", 2))
    for k, row in enumerate(frame.to_dict("records")):
        eid = str(row.get("employee_id") or "").strip()
        value = row.get(column)
        if not eid or value is None or not str(value).strip():
            continue
        level = read_level(value)
        if level is None:
            problems.append(finding("potential-unreadable", file=str(path), field=f"line {start + k}", employee_id=eid, value=str(value)))
            continue
        out[eid] = level
    return out, problems
