"""Vectorised scoring of whole tables (pandas in, pandas out) for consolidation and ``score``.

The same rules as :mod:`xl_kpi.scoring.engine`, written as array operations in the same IEEE
order; ``tests/test_properties.py`` holds the two paths to identical results. Rows are
grouped by scoring method and each method scores all its rows at once
(:meth:`Method.score_rows`): band indicators, for example, in one pass over small parameter
matrices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..core.rounding import ROUND_SCORE, excel_round_array
from ..spec.model import Indicator, Spec

__all__ = ["LongScores", "score_indicator_array", "score_long", "totals_and_grades", "score_wide"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def score_indicator_array(ind: Indicator, actual: npt.ArrayLike) -> FloatArray:
    """Scores for an array of actuals of one indicator (NaN = blank, gives NaN).

    Label indicators (ratings) take an array of labels; unknown labels give NaN.
    """
    raw = np.asarray(actual, dtype=object)
    x = np.full(raw.shape, np.nan) if ind.takes_label or ind.counts_events else np.asarray(actual, dtype="float64")
    return ind.method.score_array(ind, x, raw)


def _score_rows(indicators: Sequence[Indicator], codes: IntArray, x: FloatArray, raw: npt.NDArray[np.object_]) -> FloatArray:
    """Each row's score (``codes`` index ``indicators``; -1 unknown → NaN), one call per method."""
    score = np.full(len(codes), np.nan)
    groups: dict[str, list[int]] = {}
    for j, ind in enumerate(indicators):
        groups.setdefault(ind.method.name, []).append(j)
    for members in groups.values():
        method = indicators[members[0]].method
        subjects = [indicators[j] for j in members]
        if len(members) == len(indicators) and (len(codes) == 0 or codes.min() >= 0):
            return method.score_rows(subjects, codes, x, raw)  # one method, every row known: no regrouping
        remap = np.full(len(indicators) + 1, -1, dtype=np.intp)
        remap[members] = np.arange(len(members))
        local = remap[codes]  # -1 (unknown) indexes the last slot, which stays -1
        rows = local >= 0
        if rows.any():
            score[rows] = method.score_rows(subjects, local[rows], x[rows], raw[rows])
    return score

@dataclass(frozen=True)
class LongScores:
    """A long table scored: per input row, ``score`` (NaN = blank) and ``invalid``."""

    frame: pd.DataFrame
    score: FloatArray
    invalid: npt.NDArray[np.bool_]
    unknown_indicators: list[str]
    codes: IntArray  # each row's position in the spec's indicators; -1 when unknown


def _codes(ids: Sequence[str], column: pd.Series) -> IntArray:
    """Position of each row's indicator id in ``ids``; -1 when unknown. Fast for categoricals."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        per_category = pd.Index(ids).get_indexer(column.cat.categories.astype(str))
        raw = column.cat.codes.to_numpy()
        return np.where(raw >= 0, per_category[raw], -1)
    return pd.Index(ids).get_indexer(pd.Index(column))


def _numbers(actual: pd.Series) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Actuals as floats (NaN where blank or not a finite number) and the blank mask."""
    if actual.dtype.kind == "f":
        x = actual.to_numpy(dtype="float64", copy=True)
        blank = np.isnan(x)
    else:
        x = pd.to_numeric(actual, errors="coerce").to_numpy(dtype="float64", copy=True)
        blank = actual.isna().to_numpy() | actual.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
    x[~np.isfinite(x)] = np.nan
    return x, blank


def score_long(spec: Spec, long: pd.DataFrame) -> LongScores:
    """Score a long table ``employee_id, indicator_id, actual`` (row by row, vectorised).

    ``invalid`` marks a non-blank actual that could not be scored (text in a number column,
    an unknown level): its score stays NaN, like a blank, and callers report it.
    """
    inds = spec.indicators
    codes = _codes([i.id for i in inds], long["indicator_id"])
    x, blank = _numbers(long["actual"])
    score = _score_rows(inds, codes, x, long["actual"].to_numpy())  # no copy for a numeric column; labels stay objects
    invalid = np.isnan(score) & ~blank & (codes >= 0)
    unknown = sorted(set(long["indicator_id"].to_numpy()[codes == -1].astype(str)))
    return LongScores(frame=long, score=score, invalid=invalid, unknown_indicators=unknown, codes=codes)


def totals_and_grades(spec: Spec, scores: FloatArray) -> tuple[FloatArray, npt.NDArray[np.object_]]:
    """Totals and grade labels for a matrix of scores (people × indicators in spec order)."""
    acc = np.zeros(scores.shape[0])
    wsum = 0.0
    if spec.by_points:  # a card of points adds its points up (engine.points_total)
        for j in range(len(spec.indicators)):
            acc = acc + scores[:, j]
        total = excel_round_array(acc, ROUND_SCORE)
    else:
        for j, ind in enumerate(spec.indicators):
            acc = acc + scores[:, j] * ind.weight
            wsum += ind.weight
        total = excel_round_array(acc / wsum, ROUND_SCORE)  # any NaN score leaves the total NaN
    grade = np.full(scores.shape[0], None, dtype=object)
    with np.errstate(invalid="ignore"):
        for g in reversed(spec.grades):
            grade = np.where(total >= g.min, g.label, grade)
    grade[np.isnan(total)] = None
    return total, grade


def score_wide(spec: Spec, long: pd.DataFrame) -> tuple[pd.DataFrame, LongScores]:
    """One row per employee: a score column per indicator, ``total`` and ``grade``."""
    scored = score_long(spec, long)
    ids = [ind.id for ind in spec.indicators]
    person, people = pd.factorize(long["employee_id"].astype(str))  # people in order of appearance
    matrix = np.full((len(people), len(ids)), np.nan)
    known = scored.codes >= 0
    matrix[person[known], scored.codes[known]] = scored.score[known]
    wide = pd.DataFrame(matrix, columns=ids)
    wide.insert(0, "employee_id", np.asarray(people, dtype=object))
    total, grade = totals_and_grades(spec, wide[ids].to_numpy(dtype="float64"))
    wide["total"] = total
    wide["grade"] = grade
    return wide, scored
