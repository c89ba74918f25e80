"""Excel's ROUND: half away from zero, tolerant of binary noise.

Excel treats 2.675 as 2.675 (it works on 15 significant digits) and rounds it to 2.68;
Python's ``round`` gives 2.67 (banker's rounding on the binary value). We snap a fraction
within ``1e-15`` (relative) of one half up to the half, then round half away from zero.
The scalar and the vectorised forms run the very same IEEE operations in the same order,
so the engine, the table path and the UDFs agree to the last bit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy only for the vectorised form, imported there (the scoring core is stdlib-only)
    import numpy as np
    import numpy.typing as npt

__all__ = ["excel_round", "excel_round_array", "ROUND_ACTUAL", "ROUND_SCORE", "ROUND_SPLIT"]

_REL_TOL = 1e-15
ROUND_ACTUAL = 9  # actuals are compared after ROUND(actual, 9): 110% typed is exactly 1.1
ROUND_SCORE = 2  # scores, totals and subtotals are ROUND(…, 2)
ROUND_SPLIT = 6  # a split's ideal parts and remainders are ROUND(…, 6) first: no binary noise decides a tie


def excel_round(x: float, digits: int) -> float:
    """``ROUND(x, digits)`` as Excel and LibreOffice compute it (digits >= 0)."""
    if not math.isfinite(x):
        return x
    scale = 10.0**digits
    v = abs(x) * scale
    f = math.floor(v)
    if v - f >= 0.5 - v * _REL_TOL:
        f += 1
    r = f / scale
    return -r if x < 0 else r


def excel_round_array(x: npt.NDArray[np.float64], digits: int) -> npt.NDArray[np.float64]:
    """Vectorised :func:`excel_round`; NaN stays NaN. Same operations, done in place."""
    import numpy as np

    scale = 10.0**digits
    v = np.abs(x)
    v *= scale
    f = np.floor(v)
    frac = v - f
    v *= -_REL_TOL
    v += 0.5  # 0.5 - |x|·scale·tol, bit-identical to the scalar form
    with np.errstate(invalid="ignore"):
        f += frac >= v
    f /= scale
    return np.where(x < 0, -f, f)
