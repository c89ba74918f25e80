"""Where everything lives on a person's scorecard sheet: the one owner of coordinates.

The workbook writer places cells here, the metadata sheet records the resulting map, and
consolidation and the UDF-mode builder read it back, so nobody invents addresses twice.
Rows and columns are 0-based; ``a1`` renders Excel references.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .model import Bands, Deduction, Indicator, Linear, Rating, Spec

__all__ = ["Col", "PersonLayout", "a1", "parse_a1", "col_index", "col_letter", "param_count", "param_pairs", "META_SHEET", "FORMAT_VERSION"]

META_SHEET = "_xlkpi_meta"
FORMAT_VERSION = 1


class Col:
    """Columns of the KPI table."""

    NO, INDICATOR, DEFINITION, UNIT, TARGET, WEIGHT, STANDARD = 0, 1, 2, 3, 4, 5, 6
    ACTUAL, SCORE, WEIGHTED, PROGRESS, SOURCE = 7, 8, 9, 10, 11
    PARAMS = 12  # first (key, value) pair of the scoring parameters
    LAST_TABLE = 11


def col_letter(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26: the inverse of :func:`col_letter`."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@functools.lru_cache(maxsize=4096)
def parse_a1(ref: str) -> tuple[int, int]:
    """``H8`` or ``$H$8`` → 0-based (row, col): the inverse of :func:`a1`."""
    ref = ref.replace("$", "")
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters):]) - 1, col_index(letters)


def a1(row: int, col: int, absolute: bool = False) -> str:
    """A 0-based (row, col) as ``H8`` or ``$H$8``."""
    d = "$" if absolute else ""
    return f"{d}{col_letter(col)}{d}{row + 1}"


def param_pairs(ind: Indicator, name: Callable[[str], str] = str) -> list[tuple[float | str, float]]:
    """The (key, value) pairs shown beside an indicator's row; the sheet formulas read the values.

    Bands: (threshold, score)… then (otherwise, score); linear: (floor), (cap); deduction:
    (start), (per_unit), (floor); rating: (level, score). ``name`` labels the word keys
    (e.g. 其他/otherwise) in the sheet's language.
    """
    sc = ind.scoring
    if isinstance(sc, Bands):
        return [*zip(sc.thresholds, sc.scores), (name("otherwise"), sc.otherwise)]
    if isinstance(sc, Linear):
        return [(name("floor"), sc.floor), (name("cap"), sc.cap)]
    if isinstance(sc, Deduction):
        return [(name("start"), sc.start), (name("per_unit"), sc.per_unit), (name("floor"), sc.floor)]
    if isinstance(sc, Rating):
        return [(level.label, level.score) for level in sc.levels]
    raise TypeError(sc)


def param_count(ind: Indicator) -> int:
    """How many (key, value) parameter pairs an indicator shows beside its row."""
    return len(param_pairs(ind))


@dataclass(frozen=True)
class PersonLayout:
    """Row and column positions for one spec's scorecard sheet."""

    n: int  # indicators
    grades: int
    pairs: int  # widest parameter block
    grouped: bool = False  # UDF mode: all keys, then all values, so bands are contiguous ranges

    TITLE_ROW = 0
    INFO_ROWS = (2, 3, 4)  # name/id/period, position/department/manager, responsibilities
    HEADER_ROW = 6
    FIRST_ROW = 7

    @classmethod
    def for_spec(cls, spec: Spec, formulas: str = "native") -> PersonLayout:
        return cls(n=len(spec.indicators), grades=len(spec.grades), pairs=max(param_count(i) for i in spec.indicators),
                   grouped=formulas == "udf")

    def row(self, index: int) -> int:
        return self.FIRST_ROW + index

    @property
    def last_row(self) -> int:
        return self.FIRST_ROW + self.n - 1

    @property
    def total_row(self) -> int:
        return self.FIRST_ROW + self.n

    @property
    def grade_row(self) -> int:
        return self.total_row + 1

    @property
    def application_row(self) -> int:
        return self.total_row + 2

    @property
    def grade_header_row(self) -> int:
        return self.total_row + 4

    def grade_table_row(self, index: int) -> int:
        return self.grade_header_row + 1 + index

    @property
    def comment_row(self) -> int:
        return self.grade_header_row + self.grades + 2

    @property
    def review_header_row(self) -> int:
        return self.comment_row + 2

    def review_row(self, index: int) -> int:
        return self.review_header_row + 1 + index

    @property
    def last_col(self) -> int:
        return Col.PARAMS + 2 * self.pairs - 1

    def param_key(self, index: int, pair: int) -> tuple[int, int]:
        return self.row(index), Col.PARAMS + (pair if self.grouped else 2 * pair)

    def param_value(self, index: int, pair: int) -> tuple[int, int]:
        return self.row(index), Col.PARAMS + (self.pairs + pair if self.grouped else 2 * pair + 1)

    # Info cells: (row, col) of each value.
    INFO = {
        "name": (2, 1),
        "employee_id": (2, 4),
        "period": (2, 7),
        "position": (3, 1),
        "department": (3, 4),
        "manager": (3, 7),
        "responsibilities": (4, 1),
    }
    REVIEW_KEYS = ("goal_review", "key_actions", "results", "gaps")

    def cell_map(self, spec: Spec) -> dict[str, Any]:
        """The JSON-ready map a workbook's metadata records for one person's sheet."""
        inds = spec.indicators
        return {
            "actual": {ind.id: a1(self.row(i), Col.ACTUAL) for i, ind in enumerate(inds)},
            "score": {ind.id: a1(self.row(i), Col.SCORE) for i, ind in enumerate(inds)},
            "target": {ind.id: a1(self.row(i), Col.TARGET) for i, ind in enumerate(inds)},
            "weight": {ind.id: a1(self.row(i), Col.WEIGHT) for i, ind in enumerate(inds)},
            "params": {ind.id: [a1(*self.param_value(i, p)) for p in range(param_count(ind))] for i, ind in enumerate(inds)},
            "param_keys": {ind.id: [a1(*self.param_key(i, p)) for p in range(param_count(ind))] for i, ind in enumerate(inds)},
            "total": a1(self.total_row, Col.WEIGHTED),
            "grade": a1(self.grade_row, Col.WEIGHTED),
            "grade_min": [a1(self.grade_table_row(g), 1) for g in range(self.grades)],
            "info": {k: a1(r, c) for k, (r, c) in self.INFO.items()},
            "comment": a1(self.comment_row, 1),
            "review": {k: a1(self.review_row(i), 1) for i, k in enumerate(self.REVIEW_KEYS)},
        }
