"""Annual → quarterly → monthly splits (seed 000: 100万 = 25/30/25/20), by given weights or
the seasonality of history; the parts are whole units of the figure's precision and always
add up exactly to the whole (largest remainders)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..core.rounding import ROUND_SPLIT, excel_round

__all__ = ["MAX_UNITS", "split_exact", "extra_rank", "unit_split", "UnitSplit", "annual_plan", "seasonal_weights"]


def split_exact(total: float, weights: Sequence[float], decimals: int = 2) -> list[float]:
    """Split ``total`` by ``weights`` (any scale) into parts of ``decimals`` decimals that add up exactly.

    The largest-remainder method: every part gets the whole units (of ``10**-decimals``) its
    share holds, and the units left over go one each to the parts with the largest remainders;
    equal remainders favour the earlier part (10 by 25/30/25/20 → 3/3/2/2). So the parts are as
    even as the weights allow. The plan sheet's formulas compute exactly this
    (:mod:`xl_kpi.sheet.split_formulas`).
    """
    cut = unit_split(total, weights, decimals)
    sign = -1 if total < 0 else 1
    return [sign * (f + (extra_rank(cut.remainders, q) < cut.short)) / 10**decimals for q, f in enumerate(cut.floors)]


MAX_UNITS = 1e15  # whole units a double holds exactly, with room for the sums


@dataclass(frozen=True)
class UnitSplit:
    """The steps of a largest-remainder split (the plan sheet's hidden helper cells hold them)."""

    units: float  # |total| in whole units of 10**-decimals
    floors: list[int]  # each part's whole units
    remainders: list[float]  # what each part's share holds beyond them, ROUND(…, 6)
    short: float  # units left over, one each to the largest remainders


def unit_split(total: float, weights: Sequence[float], decimals: int) -> UnitSplit:
    """Each part's whole units and remainder; ValueError for weights that split nothing or a total
    too large (or not finite) for exact whole units."""
    if not weights or any(not math.isfinite(w) or w < 0 for w in weights) or sum(weights) <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    if not math.isfinite(total) or abs(total) * 10**decimals > MAX_UNITS:
        raise ValueError(f"the total must be a finite number below {MAX_UNITS / 10**decimals:g} at {decimals} decimals")
    units = excel_round(abs(total) * 10**decimals, 0)
    wsum = math.fsum(weights)
    floors, remainders = [], []
    for w in weights:
        ideal = excel_round(units * w / wsum, ROUND_SPLIT)
        floors.append(math.floor(ideal))
        remainders.append(excel_round(ideal - floors[-1], ROUND_SPLIT))
    return UnitSplit(units, floors, remainders, units - sum(floors))


def extra_rank(remainders: Sequence[float], q: int) -> int:
    """How many parts come before part ``q`` for a left-over unit: larger remainders, then earlier parts."""
    r = remainders[q]
    return sum(1 for p, rp in enumerate(remainders) if rp > r or (rp == r and p < q))


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
    by = frame.groupby(["year", "quarter"])["value"].sum().unstack(fill_value=0)
    by = by.reindex(columns=[1, 2, 3, 4], fill_value=0.0)
    shares = by.div(by.sum(axis=1), axis=0).mean(axis=0)
    return [float(x) for x in shares.tolist()]
