"""Annual → quarterly → monthly splits (seed 000: 100万 = 25/30/25/20), by given weights or
the seasonality of history; the parts always add up exactly to the whole."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd

from ..core.rounding import excel_round

__all__ = ["split_exact", "annual_plan", "seasonal_weights"]


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
    by = frame.groupby(["year", "quarter"])["value"].sum().unstack(fill_value=0)
    by = by.reindex(columns=[1, 2, 3, 4], fill_value=0.0)
    shares = by.div(by.sum(axis=1), axis=0).mean(axis=0)
    return [float(x) for x in shares.tolist()]
