"""What people returned, from a consolidation's output folder (``scores.csv``, ``reviews.csv``): the
rating workbooks built from it (``build --from RESULTS``) show each person's actuals, own ratings and
self-review beside the cells their raters fill.

Only what consolidation itself wrote is read, through the same bounded checks as every table HR
gives; a value is shown as it was scored (``<id>_actual``: a number, as the indicator shows it), or as it
was typed (``<id>_typed``) when it could not be used.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.errors import InputFileError, UsageError
from ..core.text import Text
from ..spec.model import Spec
from ..spec.raters import PriorCard
from .read import read_table

__all__ = ["load_results", "RESULTS"]

RESULTS = Text("汇总结果", "consolidated results")
_REVIEW_KEYS = ("goal_review", "key_actions", "results", "gaps")
_FORMULA_START = ("'=", "'+", "'-", "'@", "'\t", "'\r")  # a CSV field our writer prefixed so no spreadsheet runs it


def _value(text: object) -> object:
    """A cell of our own CSV as its value: a number as a number, text as it was written."""
    if text is None:
        return None
    value = str(text)
    if value.startswith(_FORMULA_START):
        value = value[1:]
    if value.strip() == "":
        return None
    try:
        return float(value)
    except ValueError:
        return value


def _or_typed(row: Mapping[Any, Any], iid: str) -> object:
    """An actual as scored, else (blank: it could not be used) as typed — what the rater should see."""
    scored = _value(row.get(f"{iid}_actual"))
    return scored if scored is not None else _value(row.get(f"{iid}_typed"))


def load_results(folder: str | Path, specs: Mapping[str, Spec]) -> dict[str, PriorCard]:
    """Each person's returned card from the folder ``xl-kpi consolidate`` wrote: the values of their unrated
    indicators (``<id>_actual``), the ratings in their own workbook (``<id>_<rater>``) and their self-review.

    Raises:
        UsageError: the folder holds no ``scores.csv`` that can be read.
    """
    folder = Path(folder)
    scores_path = folder / "scores.csv" if folder.is_dir() else folder
    if not scores_path.is_file():
        raise UsageError("results-unreadable", path=folder, detail="scores.csv")
    try:
        scores = read_table(scores_path, RESULTS, ("employee_id", "template"))
    except InputFileError as exc:
        raise UsageError("results-unreadable", path=folder, detail=str(exc.findings[0].message)) from None
    if "employee_id" not in scores.columns or "template" not in scores.columns:
        raise UsageError("results-unreadable", path=folder, detail="scores.csv: employee_id, template")
    reviews: dict[str, dict[str, str]] = {}
    reviews_path = scores_path.with_name("reviews.csv")
    if reviews_path.is_file():
        frame = read_table(reviews_path, RESULTS, ("employee_id", "goal_review"))
        for row in frame.to_dict("records"):
            reviews[str(row.get("employee_id") or "").strip()] = {k: str(_value(row.get(k)) or "") for k in _REVIEW_KEYS}
    out: dict[str, PriorCard] = {}
    for row in scores.to_dict("records"):
        eid, template = str(row.get("employee_id") or "").strip(), str(row.get("template") or "").strip()
        spec = specs.get(template)
        if not eid or spec is None:
            continue
        actuals = {i.id: _or_typed(row, i.id) for i in spec.indicators if not i.rated}
        ratings = {i.id: {r: _value(row.get(f"{i.id}_{r}")) for r in i.raters} for i in spec.indicators if i.rated}
        out[eid] = PriorCard(actuals, ratings, reviews.get(eid, {}), str(row.get("status") or ""))
    return out
