"""History and targets as the API offers them: load a history, targets from it, splits, the annual roll-up."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..core.errors import UsageError
from ..core.findings import finding
from ..core.text import Text
from ..spec.model import Spec
from .loading import PathLike, _is_frame, load_spec, load_templates

if TYPE_CHECKING:
    import pandas as pd

    from ..advice.targets import TargetSuggestion

HISTORY_COLUMNS = ("employee_id", "indicator_id", "period", "value")
HISTORY = Text("历史数据", "history")


def load_history(path: PathLike) -> pd.DataFrame:
    """History rows ``employee_id, indicator_id, period, value`` from a CSV/XLSX or a consolidation's history database."""
    import pandas as pd

    from ..consolidation.history import read_history
    from ..tabular.read import read_table, require_columns

    path = Path(path)
    if path.suffix.lower() in (".sqlite", ".db"):
        if not path.is_file():
            raise UsageError("file-not-found", path=path)
        return pd.DataFrame(read_history(path), columns=list(HISTORY_COLUMNS))
    frame = read_table(path, HISTORY, HISTORY_COLUMNS)
    require_columns(frame, HISTORY_COLUMNS, path, HISTORY)
    return frame


def targets_from_history(history: PathLike | pd.DataFrame, spec: Spec | PathLike, **options: Any) -> list[TargetSuggestion]:
    """Baseline and challenge targets per person and indicator (seed: 110% / 130% of the history's mean)."""
    from ..advice.targets import suggest_targets

    frame = history if _is_frame(history) else load_history(cast("PathLike", history))
    return suggest_targets(frame, spec if isinstance(spec, Spec) else load_spec(spec), **options)


def split_target(total: float, weights: Sequence[float] | None = None, history: PathLike | pd.DataFrame | None = None,
                 indicator: str | None = None, decimals: int = 2) -> dict[str, Any]:
    """Annual → quarterly → monthly parts that add up exactly: by ``weights`` (seed 25/30/25/20) or
    the seasonality of ``history`` (``period, value[, indicator_id]``)."""
    from ..advice.splits import MAX_UNITS, annual_plan, seasonal_weights
    from ..tabular.read import read_table, require_columns

    quarter_weights: list[float]
    if history is not None:
        path = None if _is_frame(history) else cast("PathLike", history)
        frame = cast("pd.DataFrame", history) if path is None else read_table(path, HISTORY, ("period", "value"))
        if path is not None:
            require_columns(frame, ("period", "value"), path, HISTORY)
        if indicator:
            if "indicator_id" not in frame.columns:
                raise UsageError("bad-option", option="--indicator", value=indicator, allowed=Text("含 indicator_id 列的历史表", "a history with an indicator_id column"))
            frame = frame[frame["indicator_id"].astype(str) == indicator]
        try:
            quarter_weights = seasonal_weights(frame)
        except ValueError as exc:
            raise UsageError("no-seasonality", path=str(history) if not _is_frame(history) else "history",
                             detail=exc) from None
    else:
        quarter_weights = list(weights or (25, 30, 25, 20))
    try:
        plan = annual_plan(total, quarter_weights, decimals=decimals)
    except ValueError as exc:
        if not math.isfinite(total) or abs(total) * 10**decimals > MAX_UNITS:
            limit = f"{MAX_UNITS / 10**decimals:g}"
            raise UsageError("bad-option", option=Text("总数", "the total"), value=total,
                             allowed=Text(f"小于 {limit} 的有限数({decimals} 位小数时)", f"a finite number below {limit} (at {decimals} decimals)")) from None
        raise UsageError("bad-option", option="weights", value=list(quarter_weights), allowed=str(exc)) from None
    return {"total": total, "quarter_weights": quarter_weights, **plan}


def rollup(history: PathLike, year: int, weights: Mapping[str, float] | str | None = None,
           templates: Spec | PathLike | Mapping[str, Spec] | None = None) -> pd.DataFrame:
    """Each person's annual result for ``year`` from a consolidation history: the mean of their
    period totals (weighted by ``weights`` per period — ``{"Q4": 2}`` or ``"1,1,1,2"`` — if given),
    graded with their latest template's rules; ``missing`` lists periods without a result.

    Columns: ``employee_id, name, department, template, year, periods, missing, annual_total,
    grade, coefficient``; ``.attrs["findings"]`` holds a finding per person with missing periods.
    """
    import pandas as pd

    from ..consolidation.rollup import ROLLUP_COLUMNS, parse_period_weights
    from ..consolidation.rollup import rollup as _rollup

    per = parse_period_weights(weights) if isinstance(weights, str) or weights is None else dict(weights)
    results, unreadable = _rollup(Path(history), year, per, load_templates(templates) if templates is not None else None)
    frame = pd.DataFrame([r.row() for r in results], columns=list(ROLLUP_COLUMNS))
    frame.attrs["findings"] = unreadable + [finding("rollup-missing", file=str(history), employee_id=r.employee_id, name=r.name,
                                                    year=year, missing=" ".join(r.missing)) for r in results if r.missing]
    return frame
