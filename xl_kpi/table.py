"""Vectorised scoring of whole tables (pandas in, pandas out) for consolidation and ``score``.

The same rules as :mod:`xl_kpi.engine`, written as array operations in the same IEEE
order; ``tests/test_properties.py`` holds the two paths to identical results. Band
indicators are scored together: each row gathers its indicator's thresholds and scores
from small parameter matrices, so one pass per band position scores every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from .engine import ROUND_ACTUAL, ROUND_SCORE
from .model import Bands, Deduction, Indicator, Linear, Rating, Spec
from .rounding import excel_round_array

__all__ = ["LongScores", "score_indicator_array", "score_long", "totals_and_grades", "score_wide"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def _score_bands(indicators: Sequence[Indicator], codes: IntArray, x: FloatArray) -> FloatArray:
    """Scores of every row whose indicator (``codes`` into ``indicators``) uses bands; NaN elsewhere.

    A validated spec lists thresholds strictly from the best down, so the bands an actual
    reaches are the last ``k`` of the list and the first one reached is number ``n - k``:
    counting reached bands, then one gather, gives the engine's first-reached score.
    """
    m = len(indicators)
    width = max((len(i.scoring.thresholds) for i in indicators if isinstance(i.scoring, Bands)), default=0)
    thresholds = np.full((width, m + 1), np.inf)  # +inf pads are never reached
    table = np.full((m + 1, width + 1), np.nan)  # per indicator: band scores, then otherwise
    count = np.zeros(m + 1, dtype=np.intp)
    sign = np.ones(m + 1)  # row m: unknown indicator or another method (scores NaN)
    for j, ind in enumerate(indicators):
        sc = ind.scoring
        if isinstance(sc, Bands):
            k = len(sc.thresholds)
            # "actual <= t" for lower-is-better is "-actual >= -t": negation is exact.
            sign[j] = 1.0 if ind.direction == "higher" else -1.0
            thresholds[:k, j] = np.asarray(sc.thresholds) * sign[j]
            table[j, :k] = sc.scores
            table[j, k] = sc.otherwise
            count[j] = k
    c = np.where(codes >= 0, codes, m)
    a = excel_round_array(x, ROUND_ACTUAL)
    a *= np.take(sign, c)
    reached = np.zeros(len(c), dtype=np.intp)
    for b in range(width):
        reached += a >= np.take(thresholds[b], c)
    out = np.take(table.ravel(), c * (width + 1) + (np.take(count, c) - reached))
    out[np.isnan(x)] = np.nan
    return out


def _score_other(ind: Indicator, x: FloatArray) -> FloatArray:
    sc = ind.scoring
    if isinstance(sc, Linear):
        target = float(ind.target)  # type: ignore[arg-type]
        with np.errstate(divide="ignore", invalid="ignore"):
            raw = 100 * x / target if ind.direction == "higher" else 100 * target / x
        out = excel_round_array(np.minimum(sc.cap, np.maximum(sc.floor, raw)), ROUND_SCORE)
        if ind.direction == "lower":
            out = np.where(x == 0, sc.cap, out)
    elif isinstance(sc, Deduction):
        out = excel_round_array(np.maximum(sc.floor, sc.start - sc.per_unit * x), ROUND_SCORE)
    else:
        raise TypeError(f"not a numeric method: {sc!r}")
    out[np.isnan(x)] = np.nan
    return out


def _score_rating(rating: Rating, labels: npt.ArrayLike) -> FloatArray:
    keys = pd.Series(labels, dtype="object").astype("string").str.strip().str.casefold()
    lookup = {level.label.casefold(): level.score for level in rating.levels}
    return keys.map(lookup).astype("float64").to_numpy()


def score_indicator_array(ind: Indicator, actual: npt.ArrayLike) -> FloatArray:
    """Scores for an array of actuals of one indicator (NaN = blank, gives NaN).

    Rating indicators take an array of labels; unknown labels give NaN.
    """
    if isinstance(ind.scoring, Rating):
        return _score_rating(ind.scoring, actual)
    x = np.asarray(actual, dtype="float64")
    if isinstance(ind.scoring, Bands):
        return _score_bands([ind], np.zeros(x.shape, dtype=np.intp), x)
    return _score_other(ind, x)


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
    return pd.Index(ids).get_indexer(column)


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
    score = _score_bands(inds, codes, x)
    for j, ind in enumerate(inds):
        if isinstance(ind.scoring, Bands):
            continue
        rows = codes == j
        if not rows.any():
            continue
        if isinstance(ind.scoring, Rating):
            score[rows] = _score_rating(ind.scoring, long["actual"].to_numpy()[rows])
        else:
            score[rows] = _score_other(ind, x[rows])
    invalid = np.isnan(score) & ~blank & (codes >= 0)
    unknown = sorted(set(long["indicator_id"].to_numpy()[codes == -1].astype(str)))
    return LongScores(frame=long, score=score, invalid=invalid, unknown_indicators=unknown, codes=codes)


def totals_and_grades(spec: Spec, scores: FloatArray) -> tuple[FloatArray, npt.NDArray[np.object_]]:
    """Totals and grade labels for a matrix of scores (people × indicators in spec order)."""
    acc = np.zeros(scores.shape[0])
    wsum = 0.0
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
