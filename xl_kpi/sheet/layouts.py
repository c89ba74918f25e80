"""Where the cells of every other generated sheet live: ledger, target plan, instructions, the
department summary and the consolidation's ``summary.xlsx``.

Each layout is the one owner of its sheet's rows and columns; writers and tests address cells
through it (the person's scorecard has its own in :mod:`xl_kpi.sheet.person`). 0-based.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..core.refs import a1
from ..spec.model import Spec
from ..spec.scales import grade_scales

__all__ = ["LedgerLayout", "PlanLayout", "InstructionsLayout", "DepartmentLayout", "SummaryLayout"]


@dataclass(frozen=True)
class LedgerLayout:
    """The PDCA ledger: a title, a note, then a table with one input row per entry."""

    with_employee: bool = False

    TITLE_ROW: ClassVar[int] = 0
    NOTE_ROW: ClassVar[int] = 1
    HEADER_ROW: ClassVar[int] = 2
    FIRST_ROW: ClassVar[int] = 3
    ROWS: ClassVar[int] = 150  # a quarter of daily entries, with room to spare
    PRINTED_ROWS: ClassVar[int] = 24  # at least a page of rows prints (to write by hand); beyond, the rows in use
    EMPLOYEE_LIST_COL: ClassVar[int] = 25  # a hidden column listing the department (the drop-down's source)

    @property
    def keys(self) -> list[str]:
        return (["employee"] if self.with_employee else []) + ["date", "task", "done_pct", "output", "issue", "status"]

    def col(self, key: str) -> int:
        return self.keys.index(key)

    @property
    def last_row(self) -> int:
        return self.FIRST_ROW + self.ROWS - 1

    @property
    def last_col(self) -> int:
        return len(self.keys) - 1

    def employee_list(self, n: int) -> str:
        """The drop-down source: the hidden list of the department's people."""
        return f"={a1(0, self.EMPLOYEE_LIST_COL, True)}:{a1(n - 1, self.EMPLOYEE_LIST_COL, True)}"


@dataclass(frozen=True)
class PlanLayout:
    """The target plan: quarter shares (inputs) above a table with a row per plannable indicator."""

    with_employee: bool = False

    TITLE_ROW: ClassVar[int] = 0
    NOTE_ROW: ClassVar[int] = 1
    SHARE_HEADER_ROW: ClassVar[int] = 2
    SHARE_ROW: ClassVar[int] = 3
    SHARE_LABEL_COL: ClassVar[int] = 0
    FIRST_SHARE_COL: ClassVar[int] = 1
    SHARE_TOTAL_COL: ClassVar[int] = 5
    HEADER_ROW: ClassVar[int] = 5
    FIRST_ROW: ClassVar[int] = 6

    @property
    def lead(self) -> int:
        """Columns before the indicator (the employee, in a department plan)."""
        return 1 if self.with_employee else 0

    def share_col(self, q: int) -> int:
        return self.FIRST_SHARE_COL + q

    def share_cell(self, q: int) -> str:
        return a1(self.SHARE_ROW, self.share_col(q), True)

    @property
    def share_span(self) -> str:
        return f"{a1(self.SHARE_ROW, self.share_col(0))}:{a1(self.SHARE_ROW, self.share_col(3))}"

    @property
    def indicator_col(self) -> int:
        return self.lead

    @property
    def unit_col(self) -> int:
        return self.lead + 1

    @property
    def annual_col(self) -> int:
        return self.lead + 2

    def quarter_col(self, q: int) -> int:
        return self.lead + 3 + q

    def month_col(self, m: int) -> int:
        return self.lead + 7 + m

    def actual_col(self, q: int) -> int:
        return self.lead + 19 + q

    @property
    def actual_total_col(self) -> int:
        return self.lead + 23

    @property
    def completion_col(self) -> int:
        return self.lead + 24

    @property
    def last_col(self) -> int:
        return self.completion_col

    # Hidden helpers of the largest-remainder split, right of the printed table (xl_kpi.sheet.split_formulas).
    @property
    def units_col(self) -> int:
        """The annual target in whole units of its precision."""
        return self.last_col + 2

    def floor_col(self, q: int) -> int:
        return self.units_col + 1 + q

    def remainder_col(self, q: int) -> int:
        return self.units_col + 5 + q

    @property
    def short_col(self) -> int:
        """The units the floors leave over, given one each to the largest remainders."""
        return self.units_col + 9

    @property
    def share_total(self) -> str:
        return a1(self.SHARE_ROW, self.SHARE_TOTAL_COL, True)


@dataclass(frozen=True)
class InstructionsLayout:
    """The instructions: a title, then one line of text per row in one wide column."""

    TITLE_ROW: ClassVar[int] = 0
    FIRST_ROW: ClassVar[int] = 2
    COL: ClassVar[int] = 0
    WIDTH: ClassVar[int] = 85  # characters: A4 portrait's printable width at 100% (100 was cut off on the left by LibreOffice)


@dataclass(frozen=True)
class DepartmentLayout:
    """The department summary: a row per person (live totals and grades), statistics to the right."""

    people: int
    grades: int
    extras: tuple[str, ...] = ()  # "section:<id>", "adjustment", "veto", "coefficient", "pay": what the members' specs add

    TITLE_ROW: ClassVar[int] = 0
    HEADER_ROW: ClassVar[int] = 2
    FIRST_ROW: ClassVar[int] = 3
    BASE: ClassVar[tuple[str, ...]] = ("employee_id", "name", "position", "period", "total", "grade", "grade_rank", "grade_scale")
    WIDTHS: ClassVar[dict[str, int]] = {"employee_id": 12, "name": 14, "position": 22, "period": 10, "total": 10, "grade": 10,
                                        "grade_rank": 6, "grade_scale": 6, "open_sheet": 10}
    HIDDEN: ClassVar[frozenset[str]] = frozenset({"grade_rank", "grade_scale"})  # what the distribution counts: rank within scale
    STATS: ClassVar[tuple[str, ...]] = ("count", "scored", "average")

    @classmethod
    def for_members(cls, specs: list[Spec]) -> DepartmentLayout:
        """The summary of a department whose people are scored by ``specs`` (one per person):
        the grades of every spec, and a column for each part any of them has."""
        extras: list[str] = []
        for spec in specs:
            extras += [f"section:{s.id}" for s in spec.sections if f"section:{s.id}" not in extras]
        for key, used in (("adjustment", any(s.adjustments for s in specs)), ("veto", any(s.veto for s in specs)),
                          ("coefficient", any(s.has_coefficients for s in specs)), ("pay", any(s.has_coefficients for s in specs))):
            if used:
                extras.append(key)
        rows = sum(len(scale.labels) for scale in grade_scales(specs, "zh"))  # every grade of every scale
        return cls(people=len(specs), grades=rows, extras=tuple(extras))

    @property
    def COLUMNS(self) -> tuple[str, ...]:  # noqa: N802 - reads like the other layouts' constants
        return (*self.BASE, *self.extras, "open_sheet")

    def width(self, key: str) -> int:
        return self.WIDTHS.get(key, 10)

    @property
    def STATS_COL(self) -> int:  # noqa: N802 - statistics: label in this column, value in the next
        return len(self.COLUMNS) + 1

    def col(self, key: str) -> int:
        return self.COLUMNS.index(key)

    @property
    def last_col(self) -> int:
        return len(self.COLUMNS) - 1

    def row(self, i: int) -> int:
        return self.FIRST_ROW + i

    @property
    def last_row(self) -> int:
        return self.FIRST_ROW + max(self.people, 1) - 1

    def span(self, key: str) -> str:
        """A column of the people table, absolute (what the statistics formulas read)."""
        c = self.col(key)
        return f"{a1(self.FIRST_ROW, c, True)}:{a1(self.last_row, c, True)}"

    def stat_row(self, key: str) -> int:
        return self.HEADER_ROW + self.STATS.index(key)

    @property
    def stat_value_col(self) -> int:
        return self.STATS_COL + 1

    @property
    def distribution_row(self) -> int:
        """The header of the grade distribution; one row per grade follows."""
        return self.HEADER_ROW + len(self.STATS) + 1

    def grade_row(self, g: int) -> int:
        return self.distribution_row + 1 + g

    @property
    def chart_row(self) -> int:
        return self.distribution_row + self.grades + 2

    CHART_ROWS: ClassVar[int] = 14  # at least: a bar per grade, every grade's label beside its bar

    @property
    def chart_rows(self) -> int:
        """The rows the grade chart covers: :data:`CHART_ROWS`, and more for many grades (a row and a half each)."""
        return max(self.CHART_ROWS, 4 + -(-3 * self.grades // 2))

    @property
    def signoff_row(self) -> int:
        """The sign-off block (部门负责人, HR) below the people and the chart."""
        return max(self.last_row, self.chart_row + self.chart_rows) + 2

    @property
    def last_print_row(self) -> int:
        return self.signoff_row + 3


@dataclass(frozen=True)
class SummaryLayout:
    """``summary.xlsx`` of a consolidation: every sheet is a table with its header in the first row."""

    HEADER_ROW: ClassVar[int] = 0
    FIRST_ROW: ClassVar[int] = 1
    GRADE_COLUMNS: ClassVar[tuple[str, ...]] = ("grade", "count", "share", "target share", "difference")
    GRADES_CHART_COL: ClassVar[int] = 6

    def grade_col(self, key: str) -> int:
        return self.GRADE_COLUMNS.index(key)
