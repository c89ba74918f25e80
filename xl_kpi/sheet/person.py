"""Where everything lives on a person's scorecard sheet: the one owner of its coordinates.

The workbook writer places cells here, the metadata records the resulting map, and
consolidation and the UDF-mode builder read it back, so nobody invents addresses twice.
Rows and columns are 0-based; :func:`~xl_kpi.core.refs.a1` renders Excel references.

A spec without sections, raters, adjustments, veto items or coefficients keeps the layout of
the first release exactly (``tests/test_layout_golden.py``); each of those adds its own rows or
columns:

- **raters**: one input column per rater after *actual*, and each rater's score in a block
  after the scoring parameters; the raters' weights in a table below the grade scale;
- **sections**: a heading row before and a subtotal row after each section's indicators, and a
  section summary (weight, score) below the table that the weighted score reads;
- **adjustments**: a block of items (points, cap, count, contribution) and their clamped sum;
- **veto**: a block of items (mark) and a row saying which applied;
- **coefficients**: a coefficient row and a pay row (base × coefficient) after the grade, and a
  coefficient column in the grade scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from ..core.refs import a1
from ..spec.model import Indicator, Spec

__all__ = ["Col", "Cols", "PersonLayout", "RowCells", "META_SHEET", "FORMAT_VERSION", "param_count", "name_id", "defined_names"]

META_SHEET = "_xlkpi_meta"
FORMAT_VERSION = 2  # 2: the veto formula knows 有 and √ ✔ ☑ too


class Col:
    """Columns of the KPI table without raters (the first release's layout)."""

    NO, INDICATOR, DEFINITION, UNIT, TARGET, WEIGHT, STANDARD = 0, 1, 2, 3, 4, 5, 6
    ACTUAL, SCORE, WEIGHTED, PROGRESS, SOURCE = 7, 8, 9, 10, 11
    PARAMS = 12  # first (key, value) pair of the scoring parameters
    LAST_TABLE = 11


@dataclass(frozen=True)
class Cols:
    """Columns of the KPI table of one layout: ``raters`` input columns follow *actual*."""

    raters: int = 0
    NO: int = 0
    INDICATOR: int = 1
    DEFINITION: int = 2
    UNIT: int = 3
    TARGET: int = 4
    WEIGHT: int = 5
    STANDARD: int = 6
    ACTUAL: int = 7

    def rater(self, k: int) -> int:
        return self.ACTUAL + 1 + k

    @property
    def SCORE(self) -> int:  # noqa: N802 - column constants read like Col's
        return self.ACTUAL + 1 + self.raters

    @property
    def WEIGHTED(self) -> int:  # noqa: N802
        return self.SCORE + 1

    @property
    def PROGRESS(self) -> int:  # noqa: N802
        return self.SCORE + 2

    @property
    def SOURCE(self) -> int:  # noqa: N802
        return self.SCORE + 3

    @property
    def LAST_TABLE(self) -> int:  # noqa: N802
        return self.SOURCE

    @property
    def PARAMS(self) -> int:  # noqa: N802
        return self.SOURCE + 1


def param_count(ind: Indicator) -> int:
    """How many (key, value) parameter pairs an indicator shows beside its row."""
    return len(ind.method.params(ind))


def name_id(value: str) -> str:
    """An id as it appears in a defined name (``KPI_ACTUAL_SALES_RATE``): upper-cased."""
    return value.upper()


@dataclass(frozen=True)
class PersonLayout:
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
                   veto=tuple(v.id for v in spec.veto), coefficients=spec.has_coefficients, col=Cols(len(spec.raters)),
                   by_points=spec.by_points, summed=spec.summed)

    # --- the KPI table ----------------------------------------------------------------------------
    @cached_property
    def _table_rows(self) -> tuple[dict[str, int], dict[str, tuple[int, int]], int]:
        """Each indicator's row (by id), each section's (heading, subtotal) rows, and the last table row."""
        rows: dict[str, int] = {}
        sections: dict[str, tuple[int, int]] = {}
        r = self.FIRST_ROW
        if not self.sections:
            for k, iid in enumerate(self.order or [str(k) for k in range(self.n)]):
                rows[iid] = r + k
            return rows, sections, r + self.n - 1
        k = 0
        for sid, size in zip(self.sections, self.section_sizes):
            heading = r
            for iid in self.order[k : k + size]:
                r += 1
                rows[iid] = r
            sections[sid] = (heading, r + 1)
            r += 2
            k += size
        return rows, sections, r - 1

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

    @property
    def _extra(self) -> bool:
        """A weighted-score row is needed: there are sections, adjustments or veto items."""
        return bool(self.sections or self.adjustments or self.veto)

    @property
    def section_summary_header_row(self) -> int:
        return self.last_row + 2

    def section_summary_row(self, section_id: str) -> int:
        return self.section_summary_header_row + 1 + self.sections.index(section_id)

    @property
    def weighted_row(self) -> int:
        """加权得分: the weighted score before adjustments and veto (only with sections, adjustments or veto)."""
        if self.sections:
            return self.section_summary_header_row + len(self.sections) + 1
        return self.last_row + 1

    @property
    def adjustment_header_row(self) -> int:
        return self.weighted_row + 2

    def adjustment_row(self, item_id: str) -> int:
        return self.adjustment_header_row + 1 + self.adjustments.index(item_id)

    @property
    def adjustment_total_row(self) -> int:
        return self.adjustment_header_row + len(self.adjustments) + 1

    @property
    def veto_header_row(self) -> int:
        return (self.adjustment_total_row if self.adjustments else self.weighted_row) + 2

    def veto_row(self, item_id: str) -> int:
        return self.veto_header_row + 1 + self.veto.index(item_id)

    @property
    def veto_result_row(self) -> int:
        return self.veto_header_row + len(self.veto) + 1

    @property
    def total_row(self) -> int:
        if not self._extra:
            return self.last_row + 1
        if self.veto:
            return self.veto_result_row + 2
        if self.adjustments:
            return self.adjustment_total_row + 2
        return self.weighted_row + 1

    @property
    def grade_row(self) -> int:
        return self.total_row + 1

    @property
    def coefficient_row(self) -> int:
        return self.grade_row + 1

    @property
    def pay_row(self) -> int:
        return self.grade_row + 2

    @property
    def application_row(self) -> int:
        return self.grade_row + (3 if self.coefficients else 1)

    @property
    def grade_header_row(self) -> int:
        return self.application_row + 2

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
        return self.grade_table_row(self.grades - 1) + 2

    def rater_row(self, rater_id: str) -> int:
        return self.raters_header_row + 1 + self.raters.index(rater_id)

    @property
    def comment_row(self) -> int:
        last = self.rater_row(self.raters[-1]) if self.raters else self.grade_table_row(self.grades - 1)
        return last + 2

    @property
    def review_header_row(self) -> int:
        return self.comment_row + 2

    def review_row(self, index: int) -> int:
        return self.review_header_row + 1 + index

    @property
    def last_review_row(self) -> int:
        return self.review_row(len(self.REVIEW_KEYS) - 1)

    # --- sign-off (确认签字): a role per row; plan and result signatures with their dates ---------------
    SIGN_ROLES: ClassVar[tuple[str, ...]] = ("employee", "supervisor", "reviewer", "hr")

    @property
    def signoff_title_row(self) -> int:
        return self.last_review_row + 2

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
        return self.signoff_row(self.SIGN_ROLES[-1])

    @property
    def chart_row(self) -> int:
        return self.last_signoff_row + 2

    @property
    def chart_bars(self) -> int:
        return len(self.sections) if self.sections else self.n

    @property
    def chart_height(self) -> int:
        """The chart's height in pixels (a bar per indicator, or per section)."""
        return 60 + 30 * self.chart_bars

    @property
    def last_print_row(self) -> int:
        """The last row the chart covers (on screen: the printed form ends at the sign-off)."""
        return self.chart_row + -(-self.chart_height // 20)

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

    def section_weight_cell(self, section_id: str, absolute: bool = True) -> str:
        return a1(self.section_summary_row(section_id), self.col.WEIGHT, absolute)

    def section_score_cell(self, section_id: str, absolute: bool = False) -> str:
        """The section's score in the summary (what the weighted score reads)."""
        return a1(self.section_summary_row(section_id), self.col.SCORE, absolute)

    def section_cell(self, section_id: str) -> str:
        """The section's subtotal (KPI_SECTION_<ID>)."""
        return a1(self.section_row(section_id), self.col.SCORE)

    def adjustment_cell(self, item_id: str, what: str) -> str:
        """An adjustment item's ``points``, ``max`` (parameters), ``count`` (input) or ``contribution``."""
        col = {"points": self.col.TARGET, "max": self.col.WEIGHT, "count": self.col.ACTUAL, "contribution": self.col.SCORE}[what]
        return a1(self.adjustment_row(item_id), col)

    def adjustment_span(self, what: str) -> str:
        first, last = self.adjustment_cell(self.adjustments[0], what), self.adjustment_cell(self.adjustments[-1], what)
        return f"{first}:{last}"

    @property
    def adjustment_bounds(self) -> tuple[str, str]:
        """The block's min and max (parameters) on its total row."""
        return a1(self.adjustment_total_row, self.col.TARGET), a1(self.adjustment_total_row, self.col.WEIGHT)

    @property
    def adjustment_total_cell(self) -> str:
        return a1(self.adjustment_total_row, self.col.SCORE)

    def veto_cell(self, item_id: str) -> str:
        return a1(self.veto_row(item_id), self.col.ACTUAL)

    @property
    def veto_count_cell(self) -> str:
        return a1(self.veto_result_row, self.col.SCORE)

    @property
    def veto_names_cell(self) -> str:
        return a1(self.veto_result_row, self.col.WEIGHTED)

    @property
    def coefficient_cell(self) -> str:
        return a1(self.coefficient_row, self.col.WEIGHTED)

    @property
    def base_cell(self) -> str:
        return a1(self.pay_row, self.col.SCORE)

    @property
    def pay_cell(self) -> str:
        return a1(self.pay_row, self.col.WEIGHTED)

    def rating_cell(self, indicator_id: str, rater_id: str) -> str:
        return a1(self.row_of(indicator_id), self.col.rater(self.raters.index(rater_id)))

    def rater_score_cell(self, indicator_id: str, rater_id: str) -> str:
        return a1(self.row_of(indicator_id), self.rater_score_col(self.raters.index(rater_id)))

    def cells_for(self, index: int, actual: str | None = None) -> RowCells:
        """What a method's formula reads on row ``index``: the actual (or a rater's input), target, parameters."""
        return RowCells(self, index, actual)

    def cell_map(self, spec: Spec) -> dict[str, Any]:
        """The JSON-ready map a workbook's metadata records for one person's sheet."""
        inds = spec.display_order
        out: dict[str, Any] = {
            "actual": {ind.id: self.cell(i, self.col.ACTUAL) for i, ind in enumerate(inds) if not ind.rated},
            "score": {ind.id: self.cell(i, self.col.SCORE) for i, ind in enumerate(inds)},
            "target": {ind.id: self.cell(i, self.col.TARGET) for i, ind in enumerate(inds)},
            "weight": {ind.id: self.cell(i, self.col.WEIGHT) for i, ind in enumerate(inds)},
            "params": {ind.id: [a1(*self.param_value(i, p)) for p in range(param_count(ind))] for i, ind in enumerate(inds)},
            "param_keys": {ind.id: [a1(*self.param_key(i, p)) for p in range(param_count(ind))] for i, ind in enumerate(inds)},
            "total": self.total_cell,
            "grade": self.grade_cell,
            "grade_min": [a1(self.grade_table_row(g), 1) for g in range(self.grades)],
            "info": {k: a1(r, c) for k, (r, c) in self.INFO.items()},
            "comment": a1(self.comment_row, 1),
            "review": {k: a1(self.review_row(i), 1) for i, k in enumerate(self.REVIEW_KEYS)},
            "grade_rank": self.grade_rank_cell,
            "signoff": {role: {part: a1(self.signoff_row(role), self.signoff_cols[part][0])
                               for part in ("plan_sign", "plan_date", "result_sign", "result_date")} for role in self.SIGN_ROLES},
        }
        if self.raters:
            out["rating"] = {ind.id: {r: self.rating_cell(ind.id, r) for r in ind.raters} for ind in inds if ind.rated}
            out["rater_score"] = {ind.id: {r: self.rater_score_cell(ind.id, r) for r in ind.raters} for ind in inds if ind.rated}
            out["rater_weight"] = {r: self.rater_weight_cell(r, False) for r in self.raters}
        if self.sections:
            out["section"] = {s: self.section_cell(s) for s in self.sections}
            out["section_weight"] = {s: self.section_weight_cell(s, False) for s in self.sections}
        if self._extra:
            out["weighted"] = self.weighted_cell
        if self.adjustments:
            out["adjustment"] = {what: {i: self.adjustment_cell(i, what) for i in self.adjustments}
                                 for what in ("count", "points", "max", "contribution")}
            low, high = self.adjustment_bounds
            out["adjustment"]["min"], out["adjustment"]["max_total"] = low, high
            out["adjustment"]["total"] = self.adjustment_total_cell
        if self.veto:
            out["veto"] = {v: self.veto_cell(v) for v in self.veto}
            out["veto_count"] = self.veto_count_cell
            out["veto_names"] = self.veto_names_cell
        if self.coefficients:
            out["coefficient"] = self.coefficient_cell
            out["grade_coefficient"] = [a1(self.grade_table_row(g), self.grade_cols["coefficient"]) for g in range(self.grades)]
            out["bonus_base"] = self.base_cell
            out["pay"] = self.pay_cell
        return out


def defined_names(spec: Spec, cells: dict[str, Any]) -> dict[str, str]:
    """Every sheet-scoped defined name a person's sheet carries → its cell (relative A1).

    Other tools fill and read a scorecard through these names, and Excel keeps each one on its cell
    when rows or columns are inserted, so consolidation finds moved cells through them: every
    block it reads carries at least one (info, targets and weights, results, grade minimums,
    comment and self-review).
    """
    out = {"KPI_TOTAL": cells["total"], "KPI_GRADE": cells["grade"], "KPI_EMPLOYEE_ID": cells["info"]["employee_id"]}
    if "grade_rank" in cells:
        out["KPI_GRADE_RANK"] = cells["grade_rank"]
    out.update({f"KPI_INFO_{name_id(k)}": ref for k, ref in cells["info"].items() if k != "employee_id"})
    for ind in spec.indicators:
        n = name_id(ind.id)
        out[f"KPI_SCORE_{n}"] = cells["score"][ind.id]
        out[f"KPI_TARGET_{n}"] = cells["target"][ind.id]
        out[f"KPI_WEIGHT_{n}"] = cells["weight"][ind.id]
        if ind.rated:
            out.update({f"KPI_RATING_{n}_{name_id(r)}": cells["rating"][ind.id][r] for r in ind.raters})
        else:
            out[f"KPI_ACTUAL_{n}"] = cells["actual"][ind.id]
    out.update({f"KPI_SECTION_{name_id(s)}": ref for s, ref in cells.get("section", {}).items()})
    if "adjustment" in cells:
        out["KPI_ADJUSTMENT"] = cells["adjustment"]["total"]
        out.update({f"KPI_ADJ_{name_id(i)}": ref for i, ref in cells["adjustment"]["count"].items()})
    out.update({f"KPI_VETO_{name_id(v)}": ref for v, ref in cells.get("veto", {}).items()})
    if "coefficient" in cells:
        out.update({"KPI_COEFFICIENT": cells["coefficient"], "KPI_PAY": cells["pay"]})
    out.update({f"KPI_GRADE_MIN_{g + 1}": ref for g, ref in enumerate(cells["grade_min"])})
    out["KPI_COMMENT"] = cells["comment"]
    out.update({f"KPI_REVIEW_{name_id(k)}": ref for k, ref in cells["review"].items()})
    return out


@dataclass(frozen=True)
class RowCells:
    """The cells of one indicator row, as a method's formula reads them (:class:`~xl_kpi.methods.base.Cells`).

    ``input`` replaces the actual (a rater's input cell, for a rated indicator).
    """

    layout: PersonLayout
    index: int
    input: str | None = None

    @property
    def actual(self) -> str:
        return self.input or self.layout.cell(self.index, self.layout.col.ACTUAL)

    @property
    def target(self) -> str:
        return self.layout.cell(self.index, self.layout.col.TARGET)

    def key(self, p: int) -> str:
        return a1(*self.layout.param_key(self.index, p))

    def value(self, p: int) -> str:
        return a1(*self.layout.param_value(self.index, p))

    def key_span(self, first: int, last: int) -> str:
        return f"{self.key(first)}:{self.key(last)}"

    def value_span(self, first: int, last: int) -> str:
        return f"{self.value(first)}:{self.value(last)}"
