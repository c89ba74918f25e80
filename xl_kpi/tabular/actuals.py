"""Read a long table of actuals (``employee_id, indicator_id, actual``) and score it."""

from __future__ import annotations

from pathlib import Path

from ..core.text import Text
from ..scoring.frame import ACTUAL_COLUMNS, ScoreRun, score_frame
from ..scoring.normalize import parse_number
from ..spec.model import Spec
from .names import indicator_resolver
from .read import read_table, require_columns

__all__ = ["score_actuals_file", "ACTUALS"]

ACTUALS = Text("实际值表", "actuals table")


def score_actuals_file(spec: Spec, path: str | Path) -> ScoreRun:
    """Read and score an actuals file (CSV or XLSX); an indicator may be named by its id or its name."""
    frame = read_table(path, ACTUALS, ("employee_id", "indicator_id", "actual"))
    require_columns(frame, ACTUAL_COLUMNS, path, ACTUALS)
    frame = frame.replace({"": None})
    frame["actual"] = frame["actual"].map(_as_typed)
    frame["indicator_id"] = frame["indicator_id"].map(indicator_resolver(spec))  # 销售额完成率 or sales_rate
    return score_frame(spec, frame, str(path))


def _as_typed(value: object) -> object:
    """A table file holds every value as text: a plain number (1.05, 33) is the number typed, so only what
    needed reading (105%, １１, 1,200, 3次) is reported as normalised."""
    if isinstance(value, str):
        number, notes = parse_number(value)
        if number is not None and notes == ["text-number"]:
            return number
    return value
