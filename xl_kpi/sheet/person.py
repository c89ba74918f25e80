"""Where everything lives on a person's scorecard sheet: the one owner of its coordinates.

The workbook writer places cells here, the metadata records the resulting map, and
consolidation and the UDF-mode builder read it back, so nobody invents addresses twice.
Rows and columns are 0-based; :func:`~xl_kpi.core.refs.a1` renders Excel references.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..core.refs import a1
from ..spec.model import Indicator, Spec

__all__ = ["Col", "PersonLayout", "RowCells", "META_SHEET", "FORMAT_VERSION", "param_count"]

META_SHEET = "_xlkpi_meta"
FORMAT_VERSION = 1


class Col:
    """Columns of the KPI table."""

    NO, INDICATOR, DEFINITION, UNIT, TARGET, WEIGHT, STANDARD = 0, 1, 2, 3, 4, 5, 6
    ACTUAL, SCORE, WEIGHTED, PROGRESS, SOURCE = 7, 8, 9, 10, 11
    PARAMS = 12  # first (key, value) pair of the scoring parameters
    LAST_TABLE = 11


def param_count(ind: Indicator) -> int:
    """How many (key, value) parameter pairs an indicator shows beside its row."""
    return len(ind.method.params(ind))


@dataclass(frozen=True)
class PersonLayout:
    """Row and column positions for one spec's scorecard sheet."""

    n: int  # indicators
    grades: int
    pairs: int  # widest parameter block
    grouped: bool = False  # UDF mode: all keys, then all values, so bands are contiguous ranges

    TITLE_ROW: ClassVar[int] = 0
    INFO_ROWS: ClassVar[tuple[int, ...]] = (2, 3, 4)  # name/id/period, position/department/manager, responsibilities
    HEADER_ROW: ClassVar[int] = 6
    FIRST_ROW: ClassVar[int] = 7
    # Info cells: (row, col) of each label and of each value.
    INFO_LABELS: ClassVar[dict[str, tuple[int, int]]] = {
        "name": (2, 0), "employee_id": (2, 3), "period": (2, 6), "position": (3, 0), "department": (3, 3),
        "manager": (3, 6), "responsibilities": (4, 0)}
    INFO: ClassVar[dict[str, tuple[int, int]]] = {
        "name": (2, 1), "employee_id": (2, 4), "period": (2, 7), "position": (3, 1), "department": (3, 4),
        "manager": (3, 7), "responsibilities": (4, 1)}
    REVIEW_KEYS: ClassVar[tuple[str, ...]] = ("goal_review", "key_actions", "results", "gaps")
    GRADE_COLS: ClassVar[dict[str, int]] = {"label": 0, "min": 1, "application": 2}

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
    def last_review_row(self) -> int:
        return self.review_row(len(self.REVIEW_KEYS) - 1)

    @property
    def chart_row(self) -> int:
        return self.last_review_row + 2

    @property
    def last_col(self) -> int:
        return Col.PARAMS + 2 * self.pairs - 1

    def param_key(self, index: int, pair: int) -> tuple[int, int]:
        return self.row(index), Col.PARAMS + (pair if self.grouped else 2 * pair)

    def param_value(self, index: int, pair: int) -> tuple[int, int]:
        return self.row(index), Col.PARAMS + (self.pairs + pair if self.grouped else 2 * pair + 1)

    # --- A1 references of the cells other tools address ------------------------------------------
    def cell(self, index: int, col: int, absolute: bool = False) -> str:
        return a1(self.row(index), col, absolute)

    def column_span(self, col: int) -> str:
        """The KPI table's cells in one column, e.g. ``I8:I11``."""
        return f"{a1(self.FIRST_ROW, col)}:{a1(self.last_row, col)}"

    @property
    def total_cell(self) -> str:
        return a1(self.total_row, Col.WEIGHTED)

    @property
    def grade_cell(self) -> str:
        return a1(self.grade_row, Col.WEIGHTED)

    def grade_cells(self, key: str, absolute: bool = True) -> list[str]:
        """The grade table's cells of one column (``label``, ``min``, ``application``), best grade first."""
        return [a1(self.grade_table_row(g), self.GRADE_COLS[key], absolute) for g in range(self.grades)]

    def grade_span(self, key: str) -> str:
        cells = self.grade_cells(key)
        return f"{cells[0]}:{cells[-1]}"

    def cells_for(self, index: int, target: bool = True) -> RowCells:
        """What a method's formula reads on row ``index``: actual, target, parameter keys and values."""
        return RowCells(self, index)

    def cell_map(self, spec: Spec) -> dict[str, Any]:
        """The JSON-ready map a workbook's metadata records for one person's sheet."""
        inds = spec.indicators
        return {
            "actual": {ind.id: self.cell(i, Col.ACTUAL) for i, ind in enumerate(inds)},
            "score": {ind.id: self.cell(i, Col.SCORE) for i, ind in enumerate(inds)},
            "target": {ind.id: self.cell(i, Col.TARGET) for i, ind in enumerate(inds)},
            "weight": {ind.id: self.cell(i, Col.WEIGHT) for i, ind in enumerate(inds)},
            "params": {ind.id: [a1(*self.param_value(i, p)) for p in range(param_count(ind))] for i, ind in enumerate(inds)},
            "param_keys": {ind.id: [a1(*self.param_key(i, p)) for p in range(param_count(ind))] for i, ind in enumerate(inds)},
            "total": self.total_cell,
            "grade": self.grade_cell,
            "grade_min": [a1(self.grade_table_row(g), 1) for g in range(self.grades)],
            "info": {k: a1(r, c) for k, (r, c) in self.INFO.items()},
            "comment": a1(self.comment_row, 1),
            "review": {k: a1(self.review_row(i), 1) for i, k in enumerate(self.REVIEW_KEYS)},
        }


@dataclass(frozen=True)
class RowCells:
    """The cells of one indicator row, as a method's formula reads them (:class:`~xl_kpi.methods.base.Cells`)."""

    layout: PersonLayout
    index: int

    @property
    def actual(self) -> str:
        return self.layout.cell(self.index, Col.ACTUAL)

    @property
    def target(self) -> str:
        return self.layout.cell(self.index, Col.TARGET)

    def key(self, p: int) -> str:
        return a1(*self.layout.param_key(self.index, p))

    def value(self, p: int) -> str:
        return a1(*self.layout.param_value(self.index, p))

    def key_span(self, first: int, last: int) -> str:
        return f"{self.key(first)}:{self.key(last)}"

    def value_span(self, first: int, last: int) -> str:
        return f"{self.value(first)}:{self.value(last)}"
