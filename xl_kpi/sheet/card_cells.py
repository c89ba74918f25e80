"""The columns of a person's scorecard sheet (:class:`Cols`: raters' input columns follow *actual*), the
cells of one indicator row as a method's formula reads them (:class:`RowCells`), and the cells of the
practice blocks (sections' summary, adjustments, veto, pay) that formulas and tools address (:class:`BlockCells`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.refs import a1

if TYPE_CHECKING:
    from .person import PersonLayout

__all__ = ["Col", "Cols", "RowCells", "BlockCells"]


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
    events: int = 0  # the most kinds of event an indicator counts: a (name, count) pair of columns each, after *source*
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

    def event_name(self, k: int) -> int:
        """The column naming the ``k``-th kind of event an indicator counts (beside the table, before the parameters)."""
        return self.SOURCE + 1 + 2 * k

    def event_count(self, k: int) -> int:
        """The column of its count: an input cell."""
        return self.SOURCE + 2 + 2 * k

    @property
    def PARAMS(self) -> int:  # noqa: N802
        return self.SOURCE + 1 + 2 * self.events


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

    def count(self, k: int) -> str:
        """The count of the ``k``-th kind of event (an indicator counting several)."""
        return self.layout.cell(self.index, self.layout.col.event_count(k))

    def value(self, p: int) -> str:
        return a1(*self.layout.param_value(self.index, p))

    def key_span(self, first: int, last: int) -> str:
        return f"{self.key(first)}:{self.key(last)}"

    def value_span(self, first: int, last: int) -> str:
        return f"{self.value(first)}:{self.value(last)}"


class BlockCells:
    """A1 references of the cells of the sections' summary, the adjustments, the veto and the pay:
    :class:`~xl_kpi.sheet.person.PersonLayout`'s, from the rows of its blocks."""

    col: Cols
    adjustments: tuple[str, ...]

    if TYPE_CHECKING:
        def section_row(self, section_id: str) -> int: ...
        def section_summary_row(self, section_id: str) -> int: ...
        def adjustment_row(self, item_id: str) -> int: ...
        def veto_row(self, item_id: str) -> int: ...
        def first(self, block: str) -> int: ...
        def last(self, block: str) -> int: ...

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
        return a1(self.last("adjustments"), self.col.TARGET), a1(self.last("adjustments"), self.col.WEIGHT)

    @property
    def adjustment_total_cell(self) -> str:
        return a1(self.last("adjustments"), self.col.SCORE)

    def veto_cell(self, item_id: str) -> str:
        return a1(self.veto_row(item_id), self.col.ACTUAL)

    @property
    def veto_count_cell(self) -> str:
        return a1(self.last("veto"), self.col.SCORE)

    @property
    def veto_names_cell(self) -> str:
        return a1(self.last("veto"), self.col.WEIGHTED)

    @property
    def coefficient_cell(self) -> str:
        return a1(self.first("pay"), self.col.WEIGHTED)

    @property
    def base_cell(self) -> str:
        return a1((self.first("pay") + 1), self.col.SCORE)

    @property
    def pay_cell(self) -> str:
        return a1((self.first("pay") + 1), self.col.WEIGHTED)
