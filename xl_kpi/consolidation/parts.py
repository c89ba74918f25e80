"""What a rating workbook returns, and what an employee's return issued with separate ratings waits for.

A rating workbook (layout ``rater``) gives one :class:`RatingPart` per person it covers and could be
read for: the rater's inputs for that person, as typed and as read, with the cells they came from.
An employee's workbook issued with separate ratings gives a record whose :class:`Pending` holds what
merging the raters' parts needs (:mod:`.merge`): the rules, the person's own targets and inputs, and
who was issued to rate them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..scoring.engine import CardInputs

__all__ = ["RatingPart", "Pending"]


@dataclass
class RatingPart:
    """One rater's inputs for one person, read from the rater's own workbook."""

    file: str
    sheet: str
    employee_id: str
    name: str
    template: str
    spec_hash: str
    period: str  # canonical code
    role: str  # supervisor | reviewer | peer
    rater_id: str
    rater_name: str
    workbook_id: str
    typed: dict[str, Any]  # input key (rating:<id>:<rater>, adj:<id>, veto:<id>, comment) → as typed
    values: dict[str, Any]  # input key → as read (None: blank, or unusable)
    cells: dict[str, str]  # input key → the cell it was read from
    unreadable: frozenset[str] = frozenset()  # keys typed so that they cannot be read
    missing: tuple[str, ...] = ()  # rating keys left blank
    mtime: float = 0.0

    @property
    def content(self) -> tuple[Any, ...]:
        """What the rater typed: two copies of one rater's workbook with the same content are one return."""
        return tuple(sorted((k, repr(v)) for k, v in self.typed.items()))

    @property
    def label(self) -> str:
        return self.rater_name if self.rater_name in ("", self.rater_id) else f"{self.rater_name} ({self.rater_id})"


@dataclass
class Pending:
    """An employee's return whose raters rate in workbooks of their own: what merging their parts needs."""

    spec_json: str  # the rules the person was issued (canonical JSON of the template), their targets applied on merging
    targets: dict[str, float] | None
    inputs: CardInputs  # the employee's own inputs as read: actuals and own ratings
    unusable: bool  # one of them could not be read
    raters: str = ""  # who was issued to rate them (the register's JSON, PersonRaters); "" when taken on trust
    ignored: list[str] = field(default_factory=list)  # cells of other raters filled in the employee's file (ignored)
    issue: str = ""  # the spec hash the card was issued with (the register's, else the file's): its raters' parts must carry it
