"""Cards of points (分值制): each indicator carries its own full points (``points: 20``) and its rules
score in them (``没有差错20分;有差错0分``); the card — or each section without a weight — adds its
points up. A section with a weight (能力指标 85%) holds indicators whose points total 100, and the
sections are weighted as on any card.

Every indicator still gets a weight, derived: its points over its group's points (the card's, or its
section's), so everything that reads a weight keeps its meaning. The best total a card can reach is
checked against its top grade here too (:func:`unreachable`).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Protocol

from ..core.text import Text
from .model import Section, Spec

__all__ = ["declared", "MAX_POINTS", "points_weights", "best_total"]

MAX_POINTS = 150.0  # a row's points are its top score: scores stay within 0–150


class _Checker(Protocol):
    def error(self, code: str, where: str, **fields: Any) -> None: ...
    def number(self, value: Any, where: str, name: Text) -> float | None: ...


def declared(raw_inds: Any) -> bool:
    """The indicators give points (a card of points) rather than weights."""
    return isinstance(raw_inds, list) and any(isinstance(r, dict) and "points" in r for r in raw_inds)


def _points(chk: _Checker, raw_inds: list[Any]) -> list[float | None]:
    out: list[float | None] = []
    for i, raw in enumerate(raw_inds):
        loc = f"indicators[{i}]"
        if not isinstance(raw, dict):
            out.append(None)
            continue
        if "weight" in raw:
            chk.error("points-and-weight", f"{loc}.weight")
        if raw.get("points") is None:
            chk.error("points-missing", f"{loc}.points")
            out.append(None)
            continue
        value = chk.number(raw.get("points"), f"{loc}.points", Text("分值 points", "points"))
        if value is not None and not 0 < value <= MAX_POINTS:
            chk.error("points-range", f"{loc}.points", value=value, max=MAX_POINTS)
            value = None
        out.append(value)
    return out


def points_weights(chk: _Checker, raw_inds: list[Any], sections: list[Section]
                   ) -> tuple[list[float | None], list[float | None], list[Section]]:
    """Each indicator's derived weight and its points, and the sections completed: a section without a
    weight gets its points (the sum of its indicators') and the share of the card they are."""
    points = _points(chk, raw_inds)
    weights: list[float | None] = [None] * len(points)
    if any(p is None for p in points):
        return weights, points, sections
    if not sections:
        total = math.fsum(p for p in points if p is not None)
        return [p / total for p in points if p is not None], points, sections
    members = {s.id: [i for i, r in enumerate(raw_inds) if isinstance(r, dict) and r.get("section") == s.id] for s in sections}
    summed = all(s.points is not None for s in sections)
    totals = {sid: math.fsum(points[i] or 0.0 for i in idx) for sid, idx in members.items()}
    card = math.fsum(totals.values())
    done: list[Section] = []
    for j, section in enumerate(sections):
        total = totals[section.id]
        if summed:
            section = dataclasses.replace(section, weight=total / card if card else 0.0, points=total)
        elif members[section.id] and abs(total - 100) > 1e-9:
            chk.error("points-section-total", f"sections[{j}]", name=section.name, total=total)
        for i in members[section.id]:
            weights[i] = (points[i] or 0.0) / total if total else None
        done.append(section)
    return weights, points, done


def best_total(spec: Spec) -> float:
    """The total when every indicator scores its best (and every bonus counts in full): rules 2–5 of the
    engine on the top scores, without rounding."""
    def group(inds: tuple[Any, ...]) -> float:
        if spec.by_points:
            return math.fsum(i.top_score for i in inds)
        weight = math.fsum(i.weight for i in inds)
        return math.fsum(i.top_score * i.weight for i in inds) / weight if weight else 0.0

    if spec.sections:
        parts = [(group(spec.in_section(s.id)), s.weight) for s in spec.sections]
        weighted = (math.fsum(v for v, _ in parts) if spec.summed else
                    math.fsum(v * w for v, w in parts) / math.fsum(w for _, w in parts))
    else:
        weighted = group(spec.indicators)
    if spec.adjustments is not None:
        bonus = math.fsum(i.max for i in spec.adjustments.items if i.points > 0)
        weighted += max(spec.adjustments.min, min(spec.adjustments.max, bonus))
    return weighted
