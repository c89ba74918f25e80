"""Read a long table of actuals (``employee_id, indicator_id, actual``) and score it."""

from __future__ import annotations

from pathlib import Path

from ..core.text import Text
from ..scoring.frame import ACTUAL_COLUMNS, ScoreRun, score_frame
from ..spec.model import Spec
from .read import read_table, require_columns

__all__ = ["score_actuals_file", "ACTUALS"]

ACTUALS = Text("实际值表", "actuals table")


def score_actuals_file(spec: Spec, path: str | Path) -> ScoreRun:
    """Read and score an actuals file (CSV or XLSX)."""
    frame = read_table(path, ACTUALS, ("employee_id", "indicator_id", "actual"))
    require_columns(frame, ACTUAL_COLUMNS, path, ACTUALS)
    frame = frame.replace({"": None})
    return score_frame(spec, frame, str(path))
