"""Targets from history (seed 001): a baseline near 110% of the historical average and a
challenge near 130% (mirrored when lower is better); when resources are limited, a lower
target plus an extra process target (10万 history: 13万 with resources, 12万 + "新渠道试点1个"
without)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..core.rounding import excel_round
from ..spec.model import Indicator, Spec

__all__ = ["TargetSuggestion", "suggest_targets"]


def _round_target(ind: Indicator, value: float) -> float:
    if ind.is_percent:
        return excel_round(value, 4)
    if ind.is_count:  # whole units, rounded in the demanding direction
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
            if ind.takes_label:
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
            higher = ind.direction == "higher" and ind.method.amount_target
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
