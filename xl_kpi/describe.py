"""Readable sentences for scoring rules and values, in the spec's language.

The seed prints standards as "≥110%得100分;100%-110%得80分;90%-100%得60分;<90%得0分";
workbooks show the same sentence generated from the bands, so the text cannot drift.
"""

from __future__ import annotations

from .model import Bands, Deduction, Indicator, Linear, Rating

__all__ = ["format_value", "standard_text"]


def format_value(ind: Indicator, value: float) -> str:
    """A value as a person reads it: 1.1 → "110%", 12 with unit 个 → "12个"."""
    if ind.is_percent:
        return f"{value * 100:.10g}%"
    unit = ind.unit if ind.unit and ind.unit not in ("分", "points", "等级") else ""
    sep = " " if unit and unit.isascii() else ""
    return f"{value:.10g}{sep}{unit}"


def _pts(score: float, lang: str) -> str:
    return f"得{score:g}分" if lang == "zh" else f": {score:g} pts"


def standard_text(ind: Indicator, lang: str) -> str:
    """The scoring standard of one indicator as a sentence."""
    sc = ind.scoring
    sep = ";" if lang == "zh" else "; "
    if isinstance(sc, Bands):
        v = [format_value(ind, t) for t in sc.thresholds]
        higher = ind.direction == "higher"
        parts = [f"{'≥' if higher else '≤'}{v[0]}{_pts(sc.scores[0], lang)}"]
        for j in range(1, len(v)):
            lo, hi = (v[j], v[j - 1]) if higher else (v[j - 1], v[j])
            parts.append(f"{lo}–{hi}{_pts(sc.scores[j], lang)}")
        parts.append(f"{'<' if higher else '>'}{v[-1]}{_pts(sc.otherwise, lang)}")
        return sep.join(parts)
    if isinstance(sc, Linear):
        ratio = ("实际/目标" if ind.direction == "higher" else "目标/实际") if lang == "zh" else (
            "actual/target" if ind.direction == "higher" else "target/actual")
        if lang == "zh":
            return f"得分={ratio}×100,保留两位小数,最低{sc.floor:g}分、最高{sc.cap:g}分"
        return f"score = {ratio} × 100, two decimals, from {sc.floor:g} to {sc.cap:g}"
    if isinstance(sc, Deduction):
        unit = ind.unit or ("单位" if lang == "zh" else "unit")
        if lang == "zh":
            return f"起始{sc.start:g}分,每1{unit}扣{sc.per_unit:g}分,最低{sc.floor:g}分"
        return f"start at {sc.start:g}, minus {sc.per_unit:g} per {unit}, not below {sc.floor:g}"
    if isinstance(sc, Rating):
        parts = []
        for level in sc.levels:
            desc = f"({level.description})" if level.description and lang == "zh" else (f" ({level.description})" if level.description else "")
            parts.append(f"{level.label}{_pts(level.score, lang)}{desc}")
        return sep.join(parts)
    raise TypeError(sc)
