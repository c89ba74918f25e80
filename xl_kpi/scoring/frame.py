"""Score a long table of actuals against one spec, collecting a finding for every row it cannot use.

What ``xl-kpi score`` and :func:`xl_kpi.score` do once the table is in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..core.findings import Finding, finding
from ..spec.model import Spec
from .normalize import normalise_actual
from .vectorised import score_wide

__all__ = ["ScoreRun", "score_frame", "ACTUAL_COLUMNS"]

ACTUAL_COLUMNS = ("employee_id", "indicator_id", "actual")


@dataclass(frozen=True)
class ScoreRun:
    """Scored people (one row each) and the findings about the input."""

    wide: pd.DataFrame
    problems: list[Finding]
    spec: Spec

    def report(self) -> list[Finding]:
        """The findings as a command reports them: an unknown indicator once (its first line), not once per person."""
        seen: set[str] = set()
        out = []
        for f in self.problems:
            if f.code == "unknown-indicator":
                key = f.message.en
                if key in seen:
                    continue
                seen.add(key)
            out.append(f)
        return out

    def records(self) -> list[dict[str, Any]]:
        """The JSON shape: ``{employee_id, scores: {id: score|null}, total, grade}``."""
        ids = [ind.id for ind in self.spec.indicators]
        out = []
        for row in self.wide.to_dict("records"):
            out.append({
                "employee_id": str(row["employee_id"]),
                "scores": {i: _num(row[i]) for i in ids},
                "total": _num(row["total"]),
                "grade": row["grade"] if isinstance(row["grade"], str) else None,
            })
        return out


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def score_frame(spec: Spec, frame: pd.DataFrame, file: str = "") -> ScoreRun:
    """Score a long ``employee_id, indicator_id, actual`` frame; report rows it cannot use.

    Rows are numbered as in a file with a header line (the first row is line 2).
    """
    problems: list[Finding] = []
    frame = frame.copy()
    frame["employee_id"] = frame["employee_id"].astype(str).str.strip()
    frame["indicator_id"] = frame["indicator_id"].astype(str).str.strip()
    lines = pd.Series(range(2, len(frame) + 2), index=frame.index)
    dup = frame.duplicated(["employee_id", "indicator_id"], keep="first")
    for idx in frame.index[dup]:
        problems.append(finding("duplicate-row", file=file, field=f"line {lines[idx]}", employee_id=str(frame.at[idx, "employee_id"]),
                                indicator=frame.at[idx, "indicator_id"]))
    frame = frame[~dup].copy()
    problems += _normalise_text(spec, frame, lines, file)
    wide, scored = score_wide(spec, frame)
    known = ", ".join(ind.id for ind in spec.indicators)
    for line, eid, iid in zip(lines[frame.index[scored.codes < 0]], frame["employee_id"][scored.codes < 0],
                              frame["indicator_id"][scored.codes < 0]):
        problems.append(finding("unknown-indicator", file=file, field=f"line {line}", employee_id=str(eid), spec_id=spec.id,
                                indicator=iid, known=known))
    for line, eid, iid, actual in zip(lines[frame.index[scored.invalid]], frame["employee_id"][scored.invalid],
                                      frame["indicator_id"][scored.invalid], frame["actual"][scored.invalid]):
        problems.append(finding("invalid-actual", file=file, field=f"line {line}", employee_id=str(eid), indicator=iid,
                                value=repr(actual)))
    return ScoreRun(wide=wide, problems=problems, spec=spec)


def _normalise_text(spec: Spec, frame: pd.DataFrame, lines: pd.Series, file: str) -> list[Finding]:
    """Read "105%", "１１", "1,200" as numbers (as exported from Excel); only rows that are not
    already plain numbers are looked at, so the table path stays vectorised."""
    frame["actual"] = frame["actual"].astype(object)  # pandas' str dtype would refuse the numbers
    raw = frame["actual"].copy()
    numeric = pd.to_numeric(raw, errors="coerce")
    text = raw.map(lambda v: isinstance(v, str) and bool(v.strip()))
    by_id = {ind.id: ind for ind in spec.indicators if not ind.takes_label}
    found: list[Finding] = []
    for idx in frame.index[numeric.isna() & text]:
        ind = by_id.get(str(frame.at[idx, "indicator_id"]))
        if ind is None:
            continue
        norm = normalise_actual(ind, raw[idx])
        if not isinstance(norm.value, float) or norm.error:
            continue  # scored as invalid and reported above
        frame.at[idx, "actual"] = norm.value
        found.append(finding("normalised-actual", file=file, field=f"line {lines[idx]}", employee_id=str(frame.at[idx, "employee_id"]),
                             indicator=ind.id, value=repr(raw[idx]), normalised=f"{norm.value:g}", how=", ".join(norm.notes)))
    return found
