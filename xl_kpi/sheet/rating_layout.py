"""Where everything lives on a rating workbook's sheet: a team rating sheet, one row per person rated.

A rater (a supervisor, a reviewer, a peer) gets one workbook; each template among the people they
rate is one sheet of it, laid out here — the one owner of its rows and columns, for the writer
(:mod:`xl_kpi.workbook.rating_book`) and for consolidation, which recomputes the layout from the
spec, the role and what was shown (recorded in the metadata) and reads each person's inputs on the
row whose employee id is theirs (a sorted sheet is read right). 0-based.

Columns, left to right: the person (序号, 员工编号, 姓名, 部门, 岗位); with ``prior`` (built from the
employees' consolidated returns: ``build --from RESULTS``) what they reported, read-only — each
unrated indicator's actual, their own ratings, and (for the reviewer) the supervisor's; then the
rater's inputs — a column per rated indicator and rater of the role, and for the supervisor the
adjustment counts, the veto marks and the comment; last, whether the row is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from ..core.refs import a1, col_letter
from ..spec.model import Spec

__all__ = ["RatingColumn", "RatingLayout", "input_key", "AWAITING"]

# What an employee's workbook shows in a cell another rater fills in their own workbook (zh, en).
AWAITING: dict[str, tuple[str, str]] = {"supervisor": ("待上级评分", "awaiting supervisor"),
                                        "reviewer": ("待复核", "awaiting reviewer"), "peer": ("待同事评分", "awaiting peers")}


def input_key(kind: str, item: str, rater: str = "") -> str:
    """An input's key as :mod:`xl_kpi.scoring.inputs` names inputs: ``rating:<indicator>:<rater>``, ``adj:<item>``,
    ``veto:<item>``; and ``comment``."""
    if kind == "rating":
        return f"rating:{item}:{rater}"
    return kind if kind == "comment" else f"{kind}:{item}"


@dataclass(frozen=True)
class RatingColumn:
    """One column: ``key`` names what it holds — ``person:<field>``, ``prior:<what>`` (read-only, from the
    employees' returns), an input (:func:`input_key`) or ``status``; ``group`` the heading above it."""

    col: int
    key: str
    group: str  # person | prior | rating | adjustment | veto | comment | status

    @property
    def is_input(self) -> bool:
        return self.group in ("rating", "adjustment", "veto", "comment")


@dataclass(frozen=True)
class RatingLayout:
    """The team rating sheet of one template for one role: ``n`` people, ``prior`` columns shown or not,
    ``shown`` — the other raters whose ratings are shown read-only (the reviewer sees the supervisor's)."""

    spec: Spec
    role: str
    n: int
    prior: bool = False
    shown: tuple[str, ...] = ()  # rater ids of the spec whose ratings are shown beside (read-only)

    TITLE_ROW: ClassVar[int] = 0
    INFO_ROW: ClassVar[int] = 2
    NOTE_ROW: ClassVar[int] = 3
    GROUP_ROW: ClassVar[int] = 5
    HEADER_ROW: ClassVar[int] = 6
    FIRST_ROW: ClassVar[int] = 7
    PERSON_FIELDS: ClassVar[tuple[str, ...]] = ("no", "employee_id", "name", "department", "position")
    SLACK: ClassVar[int] = 200  # rows below the table searched for a person's row (rows inserted, sorted with blanks)

    @cached_property
    def raters(self) -> tuple[str, ...]:
        """The spec's raters of this role (their ids), in the spec's order."""
        return tuple(r.id for r in self.spec.raters if r.role == self.role)

    @cached_property
    def columns(self) -> tuple[RatingColumn, ...]:
        spec = self.spec
        keys: list[tuple[str, str]] = [(f"person:{f}", "person") for f in self.PERSON_FIELDS]
        if self.prior:
            keys += [(f"prior:actual:{i.id}", "prior") for i in spec.display_order if not i.rated]
            keys += [(f"prior:rating:{i.id}:{r}", "prior") for i in spec.display_order for r in i.raters
                     if spec.rater(r).by_employee or r in self.shown]
            keys.append(("prior:review", "prior"))
        keys += [(input_key("rating", i.id, r), "rating") for i in spec.display_order for r in i.raters if r in self.raters]
        if self.role == "supervisor":
            keys += [(input_key("adj", item.id), "adjustment") for item in (spec.adjustments.items if spec.adjustments else ())]
            keys += [(input_key("veto", v.id), "veto") for v in spec.veto]
            keys.append(("comment", "comment"))
        keys.append(("status", "status"))
        return tuple(RatingColumn(k, key, group) for k, (key, group) in enumerate(keys))

    @cached_property
    def _cols(self) -> dict[str, int]:
        return {c.key: c.col for c in self.columns}

    def col(self, key: str) -> int:
        return self._cols[key]

    @property
    def inputs(self) -> tuple[RatingColumn, ...]:
        return tuple(c for c in self.columns if c.is_input)

    @property
    def ratings(self) -> tuple[RatingColumn, ...]:
        """The rating columns: what a row needs before it is complete."""
        return tuple(c for c in self.columns if c.group == "rating")

    @property
    def last_col(self) -> int:
        return self.columns[-1].col

    def row(self, k: int) -> int:
        """The k-th person's row, as issued."""
        return self.FIRST_ROW + k

    @property
    def last_row(self) -> int:
        return self.FIRST_ROW + max(self.n, 1) - 1

    # --- below the table: the standards, then the sign-off -----------------------------------------
    @property
    def legend_title_row(self) -> int:
        return self.last_row + 2

    @property
    def legend_rows(self) -> int:
        """One row per level of each rated indicator of the role, per adjustment item and per veto item."""
        spec = self.spec
        rated = [i for i in spec.display_order if any(r in self.raters for r in i.raters)]
        levels = sum(len(i.method.choices(i) or ()) or 1 for i in rated)
        extra = (len(spec.adjustments.items) if spec.adjustments else 0) + len(spec.veto) if self.role == "supervisor" else 0
        return max(1, levels + extra)

    @property
    def signoff_title_row(self) -> int:
        return self.legend_title_row + self.legend_rows + 2

    @property
    def signoff_row(self) -> int:
        """The rater's signature and date; HR's follows."""
        return self.signoff_title_row + 2

    @property
    def last_print_row(self) -> int:
        return self.signoff_row + 1

    @property
    def choices_col(self) -> int:
        """The first hidden column holding a rated indicator's levels (the drop-downs' sources)."""
        return self.last_col + 2

    # --- the cells of one person, as consolidation records and reads them ---------------------------
    def cell_map(self, k: int) -> dict[str, object]:
        """The k-th person's cells as issued: their id cell and each input's cell, and the layout's own terms."""
        r = self.row(k)
        return {"employee_id": a1(r, self.col("person:employee_id")), "inputs": {c.key: a1(r, c.col) for c in self.inputs},
                "prior": self.prior, "shown": list(self.shown)}

    def span(self, key: str) -> str:
        """A column's cells over the people's rows, e.g. ``H8:H11``."""
        c = self.col(key)
        return f"{a1(self.FIRST_ROW, c)}:{a1(self.last_row, c)}"

    def letter(self, key: str) -> str:
        return col_letter(self.col(key))
