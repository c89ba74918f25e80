"""Targets from history (seed 001): a baseline near 110% of the historical average and a
challenge near 130% (mirrored when lower is better); when resources are limited, a lower
target plus an extra process target (10万 history: 13万 with resources, 12万 + "新渠道试点1个"
without).

The seed's rule is for amounts and counts (过去3个月月均销售额10万元 → 13万元). Other kinds take
their own way (docs/advice.md):

- a rate or a level with a ceiling (a repurchase rate, a score out of 5) rises by the factor's
  share of itself, but never by more than that share of the room left to its ceiling (90% →
  91%, not 99%; 30% → 33%), so it never passes 100%;
- a completion rate (销售额完成率 = 实际/目标) keeps the spec's target: history says nothing about
  the next target for a ratio to a target — set the amount behind it instead (flag ``completion``);
- an indicator without history keeps the spec's target (flag ``no-history``), and so does one
  whose suggestion the spec's rules refuse (below every band: flag ``spec-rules``), so that
  every row carries a ``target`` that ``xl-kpi build --targets`` accepts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ..core.rounding import excel_round
from ..spec.model import Indicator, Spec
from ..spec.rules import target_problems

__all__ = ["TargetSuggestion", "suggest_targets", "target_kind", "PICKS"]

PICKS = ("baseline", "challenge", "resource-limited")
Kind = Literal["additive", "rate", "completion", "level"]
_COMPLETION = re.compile(r"(完成率|达成率|完成度|达标率|completion|attainment|achievement\s*(rate|%)|%\s*of\s*(target|plan|quota)|quota)", re.I)
_ACTUAL_OVER_TARGET = re.compile(r"(实际.{0,12}/\s*(目标|计划|预算)|actual.{0,20}/\s*(target|plan|quota|budget))", re.I)


def target_kind(ind: Indicator) -> Kind:
    """How history becomes a target: amounts and counts by the seed's factors, rates and levels
    toward their ceiling, completion rates not at all."""
    if ind.is_percent and (_COMPLETION.search(ind.name) or _ACTUAL_OVER_TARGET.search(ind.definition)):
        return "completion"
    if ind.is_percent:
        return "rate"
    return "additive" if ind.is_additive else "level"


def _round_target(ind: Indicator, value: float) -> float:
    if ind.is_percent:
        return excel_round(value, 4)
    if ind.is_count:  # whole units, rounded in the demanding direction
        return float(math.ceil(value - 1e-9) if ind.direction == "higher" else math.floor(value + 1e-9))
    return excel_round(value, 2)


def _ceiling(ind: Indicator) -> float | None:
    """The highest value a rate or level can take: 100% for a rate, the spec's range otherwise."""
    hi = ind.range[1] if ind.range else (1.0 if ind.is_percent else None)
    return hi if hi is not None and math.isfinite(hi) else None


def _raise(ind: Indicator, mean: float, factor: float) -> float:
    """``mean`` moved by ``factor`` (1.10 = the seed's 110%) in the indicator's better direction."""
    step = factor - 1
    if ind.direction == "lower":
        return mean * (1 - step)  # lower is better: 110% → 90% of the mean, toward zero
    if target_kind(ind) == "additive":
        return mean * factor
    ceiling = _ceiling(ind)
    if ceiling is None or mean >= ceiling:
        return mean * factor if ceiling is None else mean
    return mean + min(mean * step, (ceiling - mean) * step)


@dataclass(frozen=True)
class TargetSuggestion:
    """Suggested targets for one person and indicator, with what they rest on; ``target`` is the
    one to use (the pick, or the spec's target where history cannot set one)."""

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
    target: float = math.nan
    basis: str = ""  # what ``target`` is: baseline, challenge, resource-limited, or spec


def suggest_targets(history: pd.DataFrame, spec: Spec, baseline: float = 1.10, challenge: float = 1.30,
                    min_periods: int = 3, max_cv: float = 0.3, resource_limited: bool = False,
                    pick: str = "baseline", people: Iterable[str] | None = None) -> list[TargetSuggestion]:
    """Targets per (employee, indicator) from ``employee_id, indicator_id, period, value`` rows.

    ``pick`` chooses which suggestion becomes ``target``; ``people`` (a roster's ids) limits the
    rows to them and adds those without history. Flags: ``too-short`` (fewer than
    ``min_periods``), ``volatile`` (coefficient of variation above ``max_cv``); the spec's target is
    kept with ``no-history``, ``completion`` or ``spec-rules`` (the suggestion is one its rules refuse).
    """
    if pick not in PICKS:
        raise ValueError(f"pick must be one of {', '.join(PICKS)}")
    if pick == "resource-limited" and not resource_limited:
        resource_limited = True
    frame = history.copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    frame = frame.dropna(subset=["value"])
    frame["employee_id"] = frame["employee_id"].astype(str).str.strip()
    frame["indicator_id"] = frame["indicator_id"].astype(str).str.strip()
    found = sorted(frame["employee_id"].unique())
    wanted = list(dict.fromkeys(str(p).strip() for p in people)) if people is not None else found
    by_person = dict(iter(frame.groupby("employee_id"))) if len(frame) else {}
    out: list[TargetSuggestion] = []
    for eid in wanted:
        mine = by_person.get(eid)
        for ind in spec.indicators:
            if ind.takes_label:
                continue
            rows = mine[mine["indicator_id"] == ind.id].sort_values("period") if mine is not None else None
            values = rows["value"].astype(float).tolist() if rows is not None else []
            out.append(_suggest(eid, ind, values, baseline, challenge, min_periods, max_cv, resource_limited, pick))
    return out


def _spec_target(ind: Indicator) -> float:
    return float(ind.target) if isinstance(ind.target, (int, float)) else math.nan


def _suggest(eid: str, ind: Indicator, values: list[float], baseline: float, challenge: float, min_periods: int,
             max_cv: float, resource_limited: bool, pick: str) -> TargetSuggestion:
    if not values:
        return TargetSuggestion(eid, ind.id, ind.name, 0, math.nan, math.nan, math.nan, flags=["no-history"],
                                target=_spec_target(ind), basis="spec")
    mean = math.fsum(values) / len(values)
    std = (math.fsum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    flags = []
    if len(values) < min_periods:
        flags.append("too-short")
    if mean and std / abs(mean) > max_cv:
        flags.append("volatile")
    if target_kind(ind) == "completion":
        flags.append("completion")
        return TargetSuggestion(eid, ind.id, ind.name, len(values), excel_round(mean, 4), math.nan, math.nan,
                                flags=flags, target=_spec_target(ind), basis="spec")
    limited, extra = None, ""
    if resource_limited:
        limited = _round_target(ind, _raise(ind, mean, 1 + (challenge - 1) * 2 / 3))
        extra = "附加过程目标:如“新渠道试点1个” / add a process target, e.g. one new channel pilot"  # a CSV column, both languages
    base, high = _round_target(ind, _raise(ind, mean, baseline)), _round_target(ind, _raise(ind, mean, challenge))
    chosen = {"baseline": base, "challenge": high, "resource-limited": limited}[pick]
    target, basis = (chosen if chosen is not None else base), pick
    if target_problems(ind, target):  # e.g. below every band: the sheet would refuse it
        flags.append("spec-rules")
        target, basis = _spec_target(ind), "spec"
    return TargetSuggestion(eid, ind.id, ind.name, len(values), excel_round(mean, 4), base, high, limited, extra, flags,
                            target=target, basis=basis)
