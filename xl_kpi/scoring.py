"""``xl-kpi score``: score a long table of actuals against one spec, collecting problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import Problem, Text
from .model import Spec
from .normalize import normalise_actual
from .table import score_wide
from .tables import read_table, require_columns

__all__ = ["ScoreRun", "score_actuals_file", "score_frame"]

ACTUAL_COLUMNS = ("employee_id", "indicator_id", "actual")


@dataclass(frozen=True)
class ScoreRun:
    """Scored people (one row each) and the problems found in the input."""

    wide: pd.DataFrame
    problems: list[Problem]
    spec: Spec

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
    """Score a long ``employee_id, indicator_id, actual`` frame; report rows it cannot use."""
    problems: list[Problem] = []
    frame = frame.copy()
    frame["employee_id"] = frame["employee_id"].astype(str).str.strip()
    frame["indicator_id"] = frame["indicator_id"].astype(str).str.strip()
    lines = pd.Series(range(2, len(frame) + 2), index=frame.index)
    dup = frame.duplicated(["employee_id", "indicator_id"], keep="first")
    for idx in frame.index[dup]:
        problems.append(Problem("duplicate-row", "error", file, f"line {lines[idx]}",
                                Text(f"{frame.at[idx, 'employee_id']} 的 {frame.at[idx, 'indicator_id']} 重复,已使用第一行",
                                     f"{frame.at[idx, 'employee_id']}/{frame.at[idx, 'indicator_id']} given twice; the first row was used"),
                                Text("每人每项指标只保留一行", "keep one row per person and indicator")))
    frame = frame[~dup].copy()
    problems += _normalise_text(spec, frame, lines, file)
    wide, scored = score_wide(spec, frame)
    known = ", ".join(ind.id for ind in spec.indicators)
    for iid in scored.unknown_indicators:
        first = lines[frame.index[frame["indicator_id"] == iid][0]]
        problems.append(Problem("unknown-indicator", "error", file, f"line {first}",
                                Text(f"规格 {spec.id} 中没有指标 {iid!r}", f"spec {spec.id} has no indicator {iid!r}"),
                                Text(f"可用指标: {known}", f"known indicators: {known}")))
    bad = frame[scored.invalid]
    for idx, row in bad.iterrows():
        problems.append(Problem("invalid-actual", "error", file, f"line {lines[idx]}",
                                Text(f"{row['employee_id']} 的 {row['indicator_id']} 实际值 {row['actual']!r} 无法评分",
                                     f"{row['employee_id']}/{row['indicator_id']}: actual {row['actual']!r} cannot be scored"),
                                Text("填写数字(如 1.05 或 105%)或有效等级", "write a number (e.g. 1.05 or 105%) or a valid level")))
    return ScoreRun(wide=wide, problems=problems, spec=spec)


def _normalise_text(spec: Spec, frame: pd.DataFrame, lines: pd.Series, file: str) -> list[Problem]:
    """Read "105%", "１１", "1,200" as numbers (as exported from Excel); only rows that are not
    already plain numbers are looked at, so the table path stays vectorised."""
    frame["actual"] = frame["actual"].astype(object)  # pandas' str dtype would refuse the numbers
    raw = frame["actual"].copy()
    numeric = pd.to_numeric(raw, errors="coerce")
    text = raw.map(lambda v: isinstance(v, str) and bool(v.strip()))
    by_id = {ind.id: ind for ind in spec.indicators if not ind.is_rating}
    found: list[Problem] = []
    for idx in frame.index[numeric.isna() & text]:
        ind = by_id.get(frame.at[idx, "indicator_id"])
        if ind is None:
            continue
        norm = normalise_actual(ind, raw[idx])
        if norm.value is None or norm.error:
            continue  # scored as invalid and reported below
        frame.at[idx, "actual"] = norm.value
        found.append(Problem("normalised-actual", "warning", file, f"line {lines[idx]}",
                             Text(f"{frame.at[idx, 'employee_id']} 的 {ind.id} 实际值 {raw[idx]!r} 按 {norm.value:g} 计分",
                                  f"{frame.at[idx, 'employee_id']}/{ind.id}: actual {raw[idx]!r} read as {norm.value:g}"),
                             Text("确认无误即可;百分比也可写成小数", "check it; percentages may also be written as fractions")))
    return found


def score_actuals_file(spec: Spec, path: str | Path) -> ScoreRun:
    """Read and score an actuals file (CSV or XLSX)."""
    frame = read_table(path, "实际值 actuals")
    require_columns(frame, ACTUAL_COLUMNS, path, "实际值 actuals")
    frame = frame.replace({"": None})
    return score_frame(spec, frame, str(path))
