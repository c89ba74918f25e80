"""The largest-remainder split of :func:`xl_kpi.advice.splits.split_exact` as portable formulas.

Per plan row, hidden helper cells hold the annual target in whole units of its precision, each
quarter's whole units (floor) and remainder, and the units left over; a quarter gets one more
unit when fewer than the left-over count of quarters come before it (larger remainders, then
earlier quarters). Months split their quarter evenly: INT(units/3), one more unit each to the
first MOD(units, 3) months. Only ROUND, INT, MOD, ABS, SIGN, SUM and comparisons: every target
spreadsheet computes them, and the engine runs the same operations in the same order.
"""

from __future__ import annotations

from ..core.refs import a1
from ..core.rounding import ROUND_SPLIT
from .layouts import PlanLayout

__all__ = ["units_formula", "floor_formula", "remainder_formula", "short_formula", "quarter_formula", "month_formula"]


def units_formula(annual: str, decimals: int) -> str:
    return f"=ROUND(ABS({annual})*{10 ** decimals},0)"


def _ideal(lay: PlanLayout, r: int, q: int) -> str:
    return f"ROUND({a1(r, lay.units_col)}*{lay.share_cell(q)}/{lay.share_total},{ROUND_SPLIT})"


def floor_formula(lay: PlanLayout, r: int, q: int) -> str:
    return f"=IF({lay.share_total}=0,0,INT({_ideal(lay, r, q)}))"


def remainder_formula(lay: PlanLayout, r: int, q: int) -> str:
    return f"=IF({lay.share_total}=0,0,ROUND({_ideal(lay, r, q)}-{a1(r, lay.floor_col(q))},{ROUND_SPLIT}))"


def short_formula(lay: PlanLayout, r: int) -> str:
    return f"={a1(r, lay.units_col)}-SUM({a1(r, lay.floor_col(0))}:{a1(r, lay.floor_col(3))})"


def quarter_formula(lay: PlanLayout, r: int, q: int, annual: str, decimals: int) -> str:
    rem = [a1(r, lay.remainder_col(p)) for p in range(4)]
    ahead = "+".join(f"({rem[p]}{'>=' if p < q else '>'}{rem[q]})" for p in range(4) if p != q)
    return f"=SIGN({annual})*({a1(r, lay.floor_col(q))}+(({ahead})<{a1(r, lay.short_col)}))/{10 ** decimals}"


def month_formula(quarter: str, k: int, decimals: int) -> str:
    """Month ``k`` (0–2) of the quarter in cell ``quarter``."""
    units = f"ROUND(ABS({quarter})*{10 ** decimals},0)"
    return f"=SIGN({quarter})*(INT({units}/3)+(MOD({units},3)>{k}))/{10 ** decimals}"
