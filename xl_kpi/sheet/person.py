"""Where everything lives on a person's scorecard sheet: the one owner of its coordinates.

The workbook writer places cells here, the metadata records the resulting map, and
consolidation and the UDF-mode builder read it back, so nobody invents addresses twice.
Rows and columns are 0-based; :func:`~xl_kpi.core.refs.a1` renders Excel references.

The sheet is a stack of blocks (:mod:`xl_kpi.sheet.blocks`: info, table, sections' summary, weighted
score, adjustments, veto, result, pay, application, grade scale, raters, comment, reviews, sign-off,
chart): :attr:`PersonLayout.stack` places each present one, and the rows named here are the blocks'.
A spec without sections, raters, adjustments, veto items or coefficients keeps the layout of
the first release exactly (``tests/test_layout_golden.py``); each of those adds its own block, and
raters their columns too (one input column per rater after *actual*, each rater's score after the
scoring parameters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from ..core.refs import a1
from ..spec.model import Indicator, Spec
from .card_cells import BlockCells, Col, Cols, RowCells

if TYPE_CHECKING:
    from .blocks import Block

__all__ = ["Col", "Cols", "PersonLayout", "RowCells", "META_SHEET", "FORMAT_VERSION", "param_count", "name_id", "defined_names",
           "event_kinds"]

META_SHEET = "_xlkpi_meta"
FORMAT_VERSION = 2  # 2: the veto formula knows 有 and √ ✔ ☑ too


def param_count(ind: Indicator) -> int:
    """How many (key, value) parameter pairs an indicator shows beside its row."""
    return len(ind.method.params(ind))


def event_kinds(spec: Spec) -> int:
    """The most kinds of event one indicator of the card counts (0: none counts several): that many pairs of columns."""
    return max((len(ind.events) for ind in spec.indicators if ind.counts_events), default=0)


def name_id(value: str) -> str:
    """An id as it appears in a defined name (``KPI_ACTUAL_SALES_RATE``): upper-cased."""
    return value.upper()


@dataclass(frozen=True)
class PersonLayout(BlockCells):
    """Row and column positions for one spec's scorecard sheet."""

    n: int  # indicators
    grades: int
    pairs: int  # widest parameter block
    grouped: bool = False  # UDF mode: all keys, then all values, so bands are contiguous ranges
    raters: tuple[str, ...] = ()  # rater ids, in the spec's order
    sections: tuple[str, ...] = ()  # section ids, in the spec's order
    order: tuple[str, ...] = ()  # indicator ids as listed on the sheet (section by section)
    section_sizes: tuple[int, ...] = ()
    adjustments: tuple[str, ...] = ()  # adjustment item ids
    veto: tuple[str, ...] = ()  # veto item ids
    coefficients: bool = False
    col: Cols = field(default_factory=Cols)
    by_points: bool = False  # a card of points: the weight column holds each row's points, and rows add up
    summed: bool = False  # … and its sections (if any) add up too, rather than being weighted
    spec: Spec | None = field(default=None, compare=False, repr=False)  # the card's spec: what a block's presence may ask

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

    @classmethod
    def for_spec(cls, spec: Spec, formulas: str = "native") -> PersonLayout:
        order = tuple(ind.id for ind in spec.display_order)
        return cls(n=len(spec.indicators), grades=len(spec.grades), pairs=max(param_count(i) for i in spec.indicators),
                   grouped=formulas == "udf", raters=tuple(r.id for r in spec.raters),
                   sections=tuple(s.id for s in spec.sections), order=order,
                   section_sizes=tuple(len(spec.in_section(s.id)) for s in spec.sections),
                   adjustments=tuple(i.id for i in spec.adjustments.items) if spec.adjustments else (),
                   veto=tuple(v.id for v in spec.veto), coefficients=spec.has_coefficients, col=Cols(len(spec.raters), event_kinds(spec)),
                   by_points=spec.by_points, summed=spec.summed, spec=spec)

    # --- the stack of blocks ---------------------------------------------------------------------
    @cached_property
    def stack(self) -> dict[str, tuple[int, int]]:
        """Each present block's (first, last) row, top to bottom (:mod:`xl_kpi.sheet.blocks`): a block's rows
        follow the one above after ``max(above.after, block.before)`` blank rows. The info and the KPI table keep
        their first release's rows (the table's header on row 7, :data:`HEADER_ROW`): new blocks go below the table."""
        from .blocks import stacked  # here, not at the top: the blocks import this module

        spans: dict[str, tuple[int, int]] = {}
        row, above = 0, None
        for block in stacked():
            if not block.present(self):
                continue
            if above is not None:
                row += max(above.after, block.before)
            height = block.height(self)
            spans[block.name] = (row, row + height - 1)
            row, above = row + height, block
        if spans["table"][0] != self.HEADER_ROW:
            raise RuntimeError(f"a block above the KPI table moved it to row {spans['table'][0] + 1}: blocks go below it")
        return spans

    @property
    def blocks(self) -> list[Block]:
        """The present blocks, top to bottom."""
        from .blocks import REGISTRY

        return [REGISTRY[name] for name in self.stack]

    def has(self, block: str) -> bool:
        return block in self.stack

    def span(self, block: str) -> tuple[int, int]:
        return self.stack[block]

    def first(self, block: str) -> int:
        return self.stack[block][0]

    def last(self, block: str) -> int:
        return self.stack[block][1]

    # --- the KPI table ----------------------------------------------------------------------------
    @cached_property
    def _table_rows(self) -> tuple[dict[str, int], dict[str, tuple[int, int]], int]:
        from .blocks.table import table_rows

        return table_rows(self)

    def row(self, index: int) -> int:
        """The row of the ``index``-th indicator as the sheet lists it."""
        if not self.sections:
            return self.FIRST_ROW + index
        return self._table_rows[0][self.order[index]]

    def row_of(self, indicator_id: str) -> int:
        return self._table_rows[0][indicator_id] if self.order else self.FIRST_ROW + int(indicator_id)

    def section_heading_row(self, section_id: str) -> int:
        return self._table_rows[1][section_id][0]

    def section_row(self, section_id: str) -> int:
        """The section's subtotal row."""
        return self._table_rows[1][section_id][1]

    @property
    def last_row(self) -> int:
        """The last row of the KPI table (the last indicator, or the last section's subtotal)."""
        return self._table_rows[2]

    # --- the blocks' rows ---------------------------------------------------------------------------
    @property
    def section_summary_header_row(self) -> int:
        return self.first("sections")

    def section_summary_row(self, section_id: str) -> int:
        return self.section_summary_header_row + 1 + self.sections.index(section_id)

    @property
    def weighted_row(self) -> int:
        """加权得分: the weighted score before adjustments and veto (only with sections, adjustments or veto)."""
        return self.first("weighted")

    @property
    def adjustment_header_row(self) -> int:
        return self.first("adjustments")

    def adjustment_row(self, item_id: str) -> int:
        return self.adjustment_header_row + 1 + self.adjustments.index(item_id)

    @property
    def adjustment_total_row(self) -> int:
        return self.last("adjustments")

    @property
    def veto_header_row(self) -> int:
        return self.first("veto")

    def veto_row(self, item_id: str) -> int:
        return self.veto_header_row + 1 + self.veto.index(item_id)

    @property
    def veto_result_row(self) -> int:
        return self.last("veto")

    @property
    def total_row(self) -> int:
        return self.first("result")

    @property
    def grade_row(self) -> int:
        return self.total_row + 1

    @property
    def coefficient_row(self) -> int:
        return self.first("pay")

    @property
    def pay_row(self) -> int:
        return self.first("pay") + 1

    @property
    def application_row(self) -> int:
        return self.first("application")

    @property
    def grade_header_row(self) -> int:
        return self.first("grades") + 1

    def grade_table_row(self, index: int) -> int:
        return self.grade_header_row + 1 + index

    @property
    def grade_cols(self) -> dict[str, int]:
        """Columns of the grade scale: label, min, [coefficient,] application (merged to the standard column)."""
        if self.coefficients:
            return {"label": 0, "min": 1, "coefficient": 2, "application": 3}
        return {"label": 0, "min": 1, "application": 2}

    @property
    def raters_header_row(self) -> int:
        return self.first("raters")

    def rater_row(self, rater_id: str) -> int:
        return self.raters_header_row + 1 + self.raters.index(rater_id)

    @property
    def comment_row(self) -> int:
        return self.first("comment")

    @property
    def review_header_row(self) -> int:
        return self.first("reviews")

    def review_row(self, index: int) -> int:
        return self.review_header_row + 1 + index

    @property
    def last_review_row(self) -> int:
        return self.last("reviews")

    # --- sign-off (确认签字): a role per row; plan and result signatures with their dates ---------------
    SIGN_ROLES: ClassVar[tuple[str, ...]] = ("employee", "supervisor", "reviewer", "hr")

    @property
    def signoff_title_row(self) -> int:
        return self.first("signoff")

    @property
    def signoff_header_row(self) -> int:
        return self.signoff_title_row + 1

    def signoff_row(self, role: str) -> int:
        return self.signoff_header_row + 1 + self.SIGN_ROLES.index(role)

    @property
    def signoff_cols(self) -> dict[str, tuple[int, int]]:
        """(first, last) column of each part of a sign-off row: role, plan signature and date, result signature and date, note."""
        c = self.col
        return {"role": (c.NO, c.INDICATOR), "plan_sign": (c.DEFINITION, c.UNIT), "plan_date": (c.TARGET, c.WEIGHT),
                "result_sign": (c.STANDARD, c.STANDARD), "result_date": (c.ACTUAL, c.SCORE), "note": (c.WEIGHTED, c.LAST_TABLE)}

    @property
    def last_signoff_row(self) -> int:
        return self.last("signoff")

    @property
    def last_form_row(self) -> int:
        """The last row of the printed form (the last printed block's)."""
        return max(self.last(b.name) for b in self.blocks if b.printed)

    @property
    def chart_row(self) -> int:
        return self.first("chart")

    @property
    def grade_rank_cell(self) -> str:
        """The grade's rank in the scale (1 = the best): what department summaries count, whatever the labels' language."""
        return a1(self.grade_row, self.col.PARAMS + 1)

    # --- columns -------------------------------------------------------------------------------
    @property
    def last_col(self) -> int:
        """The last column of the scoring parameters (and of the raters' scores, when rated)."""
        return self.col.PARAMS + 2 * self.pairs - 1 + len(self.raters)

    @property
    def choices_col(self) -> int:
        """The first of the hidden columns holding a label input's levels (its drop-down's source)."""
        return self.last_col + 2

    def param_key(self, index: int, pair: int) -> tuple[int, int]:
        return self.row(index), self.col.PARAMS + (pair if self.grouped else 2 * pair)

    def param_value(self, index: int, pair: int) -> tuple[int, int]:
        return self.row(index), self.col.PARAMS + (self.pairs + pair if self.grouped else 2 * pair + 1)

    def rater_score_col(self, k: int) -> int:
        """Where rater ``k``'s score of a rated indicator is computed (after the parameters)."""
        return self.col.PARAMS + 2 * self.pairs + k

    # --- A1 references of the cells other tools address ------------------------------------------
    def cell(self, index: int, col: int, absolute: bool = False) -> str:
        return a1(self.row(index), col, absolute)

    def column_span(self, col: int) -> str:
        """The KPI table's cells in one column, e.g. ``I8:I11`` (no sections: the indicator rows)."""
        return f"{a1(self.FIRST_ROW, col)}:{a1(self.last_row, col)}"

    def section_span(self, section_id: str, col: int) -> str:
        """A section's indicator rows in one column."""
        heading, subtotal = self.section_heading_row(section_id), self.section_row(section_id)
        return f"{a1(heading + 1, col)}:{a1(subtotal - 1, col)}"

    @property
    def total_cell(self) -> str:
        return a1(self.total_row, self.col.WEIGHTED)

    @property
    def grade_cell(self) -> str:
        return a1(self.grade_row, self.col.WEIGHTED)

    @property
    def weighted_cell(self) -> str:
        return a1(self.weighted_row, self.col.WEIGHTED)

    def grade_cells(self, key: str, absolute: bool = True) -> list[str]:
        """The grade table's cells of one column (``label``, ``min``, ``application``, ``coefficient``), best grade first."""
        return [a1(self.grade_table_row(g), self.grade_cols[key], absolute) for g in range(self.grades)]

    def grade_span(self, key: str) -> str:
        cells = self.grade_cells(key)
        return f"{cells[0]}:{cells[-1]}"

    def rater_weight_cell(self, rater_id: str, absolute: bool = True) -> str:
        return a1(self.rater_row(rater_id), 1, absolute)

    def rating_cell(self, indicator_id: str, rater_id: str) -> str:
        return a1(self.row_of(indicator_id), self.col.rater(self.raters.index(rater_id)))

    def rater_score_cell(self, indicator_id: str, rater_id: str) -> str:
        return a1(self.row_of(indicator_id), self.rater_score_col(self.raters.index(rater_id)))

    def cells_for(self, index: int, actual: str | None = None) -> RowCells:
        """What a method's formula reads on row ``index``: the actual (or a rater's input), target, parameters."""
        return RowCells(self, index, actual)

    def cell_map(self, spec: Spec) -> dict[str, Any]:
        """The JSON-ready map a workbook's metadata records for one person's sheet: every present block's cells."""
        out: dict[str, Any] = {}
        for block in self.blocks:
            out.update(block.cells(self, spec))
        return out


LEADING_NAMES = ("KPI_TOTAL", "KPI_GRADE", "KPI_EMPLOYEE_ID", "KPI_GRADE_RANK")  # listed first, as since 0.1


def defined_names(spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
    """Every sheet-scoped defined name a person's sheet carries → its cell (relative A1): each block's, from a
    cell map (this version's, or one an earlier version recorded: a block names only the cells the map has).

    Other tools fill and read a scorecard through these names, and Excel keeps each one on its cell
    when rows or columns are inserted, so consolidation finds moved cells through them: every
    block it reads carries at least one (info, targets and weights, results, grade minimums,
    comment and self-review).
    """
    from .blocks import stacked

    names: dict[str, str] = {}
    for block in stacked():
        names.update(block.names(spec, cells))
    return {**{k: names[k] for k in LEADING_NAMES if k in names}, **names}
