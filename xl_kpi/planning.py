"""Targets from history, annual → quarterly → monthly splits, and department cascades.

Seed rules: a baseline target near 110% of the historical average and a challenge target
near 130% (mirrored when lower is better); when resources are limited, a lower target plus
an extra process target (10万 history: 13万 with resources, 12万 + "新渠道试点1个" without).
Splits follow given weights (the seed's 25/30/25/20) or the seasonality of history, and the
parts always add up exactly to the whole: the rounding residue goes to the last part.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .model import Bands, Deduction, Indicator, Linear, Rating, Spec
from .rounding import excel_round

__all__ = ["TargetSuggestion", "suggest_targets", "split_exact", "annual_plan", "seasonal_weights",
           "CascadeGap", "cascade", "additive", "COUNT_UNITS", "with_targets", "load_person_targets"]

COUNT_UNITS = frozenset({"个", "次", "件", "人", "篇", "家", "项", "单", "例", "起", "位", "名",
                         "customers", "cases", "count", "items", "people", "times", "articles"})


def additive(ind: Indicator) -> bool:
    """Counts and amounts that add up over people and time (not rates, ratings or lower-is-better)."""
    return (isinstance(ind.scoring, (Bands, Linear)) and not ind.is_percent and ind.direction == "higher"
            and isinstance(ind.target, (int, float)))


def _round_target(ind: Indicator, value: float) -> float:
    if ind.is_percent:
        return excel_round(value, 4)
    if ind.unit in COUNT_UNITS:  # whole units, rounded in the demanding direction
        return float(math.ceil(value - 1e-9) if ind.direction == "higher" else math.floor(value + 1e-9))
    return excel_round(value, 2)


@dataclass(frozen=True)
class TargetSuggestion:
    """Suggested targets for one person and indicator, with what they rest on."""

    employee_id: str
    indicator_id: str
    indicator: str
    periods: int
    mean: float
    baseline: float
    challenge: float
    resource_limited: float | None = None
    extra_process_target: str = ""
    flags: list[str] = field(default_factory=list)


def suggest_targets(history: pd.DataFrame, spec: Spec, baseline: float = 1.10, challenge: float = 1.30,
                    min_periods: int = 3, max_cv: float = 0.3, resource_limited: bool = False) -> list[TargetSuggestion]:
    """Targets per (employee, indicator) from ``employee_id, indicator_id, period, value`` rows.

    Flags: ``too-short`` (fewer than ``min_periods``), ``volatile`` (coefficient of variation
    above ``max_cv``), ``no-history`` (an indicator of the spec without history).
    """
    frame = history.copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame = frame.dropna(subset=["value"])
    out: list[TargetSuggestion] = []
    people = sorted(frame["employee_id"].astype(str).unique())
    for eid in people:
        mine = frame[frame["employee_id"].astype(str) == eid]
        for ind in spec.indicators:
            if isinstance(ind.scoring, Rating):
                continue
            rows = mine[mine["indicator_id"].astype(str) == ind.id].sort_values("period")
            values = rows["value"].astype(float).tolist()
            if not values:
                out.append(TargetSuggestion(eid, ind.id, ind.name, 0, math.nan, math.nan, math.nan, flags=["no-history"]))
                continue
            mean = sum(values) / len(values)
            std = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
            flags = []
            if len(values) < min_periods:
                flags.append("too-short")
            if mean and std / abs(mean) > max_cv:
                flags.append("volatile")
            higher = ind.direction == "higher" and not isinstance(ind.scoring, Deduction)
            factor = (lambda f: f) if higher else (lambda f: 2 - f)  # lower is better: 110% → 90%
            limited = None
            extra = ""
            if resource_limited:
                limited = _round_target(ind, mean * factor(1 + (challenge - 1) * 2 / 3))
                extra = "附加过程目标:如“新渠道试点1个” / add a process target, e.g. one new channel pilot"
            out.append(TargetSuggestion(eid, ind.id, ind.name, len(values), excel_round(mean, 4),
                                        _round_target(ind, mean * factor(baseline)), _round_target(ind, mean * factor(challenge)),
                                        limited, extra, flags))
    return out


def split_exact(total: float, weights: Sequence[float], decimals: int = 2) -> list[float]:
    """Split ``total`` by ``weights`` (any scale); parts rounded to ``decimals`` add up exactly."""
    if not weights or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    wsum = math.fsum(weights)
    last = max(i for i, w in enumerate(weights) if w > 0)  # the residue goes to the last weighted part
    parts = [excel_round(total * w / wsum, decimals) for w in weights]
    parts[last] = 0.0
    parts[last] = excel_round(total - math.fsum(parts), decimals)
    return parts


def annual_plan(total: float, quarter_weights: Sequence[float] = (25, 30, 25, 20),
                month_weights: Sequence[float] | None = None, decimals: int = 2) -> dict[str, list[float]]:
    """Annual → quarterly → monthly; each quarter's months add up exactly to the quarter."""
    quarters = split_exact(total, quarter_weights, decimals)
    months: list[float] = []
    for q, part in enumerate(quarters):
        weights = month_weights[3 * q : 3 * q + 3] if month_weights else (1, 1, 1)
        months += split_exact(part, weights, decimals)
    return {"quarters": quarters, "months": months}


def _quarter_of(period: str) -> int | None:
    m = re.search(r"Q([1-4])", period, re.I) or re.search(r"[-/](\d{1,2})$", period)
    if m is None:
        return None
    n = int(m.group(1))
    return n if "Q" in m.group(0).upper() else (n - 1) // 3 + 1 if 1 <= n <= 12 else None


def seasonal_weights(history: pd.DataFrame) -> list[float]:
    """Average share of each quarter in its year, from ``period, value`` rows (2025-Q3 or 2025-07)."""
    frame = history.copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame["year"] = frame["period"].astype(str).str.extract(r"((?:19|20)\d{2})")[0]
    frame["quarter"] = frame["period"].astype(str).map(_quarter_of)
    frame = frame.dropna(subset=["value", "year", "quarter"])
    if frame.empty:
        raise ValueError("no periods like 2025-Q3 or 2025-07 in the history")
    by = frame.groupby(["year", "quarter"])["value"].sum().unstack(fill_value=0.0)
    by = by.reindex(columns=[1, 2, 3, 4], fill_value=0.0)
    shares = by.div(by.sum(axis=1), axis=0).mean(axis=0)
    return [float(x) for x in shares.tolist()]


@dataclass(frozen=True)
class CascadeGap:
    department: str
    indicator_id: str
    department_target: float
    people_total: float
    people: int

    @property
    def coverage(self) -> float:
        return self.people_total / self.department_target if self.department_target else math.inf


def cascade(department_targets: pd.DataFrame, people: Sequence[tuple[str, Spec]]) -> list[CascadeGap]:
    """Department target vs the sum of its people's targets, for additive indicators.

    ``department_targets``: ``department, indicator_id, target``; ``people``: (department, spec).
    """
    out = []
    for row in department_targets.to_dict("records"):
        dept, iid = str(row["department"]).strip(), str(row["indicator_id"]).strip()
        target = float(row["target"])
        total, count = 0.0, 0
        for person_dept, spec in people:
            if person_dept != dept:
                continue
            for ind in spec.indicators:
                if ind.id == iid and additive(ind):
                    total += float(ind.target)  # type: ignore[arg-type]
                    count += 1
        out.append(CascadeGap(dept, iid, target, total, count))
    return out


def with_targets(spec: Spec, targets: dict[str, float] | None) -> Spec:
    """The spec with per-person targets (``{indicator_id: target}``) in place of its own."""
    if not targets:
        return spec
    indicators = tuple(dataclasses.replace(ind, target=float(targets[ind.id])) if ind.id in targets else ind
                       for ind in spec.indicators)
    return dataclasses.replace(spec, indicators=indicators)


def load_person_targets(path: Any, specs: dict[str, Spec], people: Sequence[Any]) -> dict[str, dict[str, float]]:
    """Per-person targets from ``employee_id, indicator_id, target`` (or the ``baseline_target``
    column that ``xl-kpi targets`` writes); every bad row is reported at once."""
    from .errors import InputFileError, Text
    from .tables import read_table, require_columns

    frame = read_table(path, "个人目标 targets")
    column = "target" if "target" in frame.columns else "baseline_target"
    require_columns(frame, ("employee_id", "indicator_id", column), path, "个人目标 targets")
    templates = {p.employee_id: specs[p.template] for p in people}
    out: dict[str, dict[str, float]] = {}
    problems = []
    for i, row in enumerate(frame.to_dict("records"), start=2):
        eid, iid, raw = str(row["employee_id"]).strip(), str(row["indicator_id"]).strip(), row[column]
        spec = templates.get(eid)
        ind = next((x for x in spec.indicators if x.id == iid), None) if spec else None
        try:
            value = float(raw)
            ok = math.isfinite(value)
        except (TypeError, ValueError):
            ok = False
        if spec is None:
            problems.append(f"{path}:{i}: {eid} 不在花名册中 / is not on the roster")
        elif ind is None or isinstance(ind.scoring, Rating):
            problems.append(f"{path}:{i}: {eid} 的规格 {spec.id} 没有数值指标 {iid} / has no numeric indicator {iid}")
        elif not ok or (isinstance(ind.scoring, Linear) and value == 0):
            problems.append(f"{path}:{i}: {iid} 的目标 {raw!r} 无效 / target {raw!r} is not valid")
        else:
            out.setdefault(eid, {})[iid] = value
    if problems:
        raise InputFileError(Text("个人目标文件有错误:\n  " + "\n  ".join(problems[:20]),
                                  "the targets file has errors:\n  " + "\n  ".join(problems[:20])),
                             Text("修正以上各行后重试", "fix the lines above and run again"))
    return out
