"""What reading a returned file gives: one :class:`PersonRecord` per person, in a :class:`FileResult`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..core.findings import Finding
from ..spec.model import Person, Spec
from .parts import Pending, RatingPart

__all__ = ["PersonRecord", "FileResult", "not_returned"]


@dataclass
class PersonRecord:
    """One person's return, recomputed: what consolidation reports and stores."""

    file: str
    sheet: str
    employee_id: str
    name: str
    department: str
    template: str
    version: str
    period: str
    actuals: dict[str, Any]  # normalised; None = blank or unusable
    raw: dict[str, Any]  # as typed
    scores: dict[str, float | None]
    total: float | None
    grade: str | None
    status: str = "ok"
    ratings: dict[str, dict[str, Any]] = field(default_factory=dict)  # rated indicator → rater → input as typed
    sections: dict[str, float | None] = field(default_factory=dict)
    weighted: float | None = None
    adjustment: float | None = None  # None when the spec has no adjustments
    adjustment_counts: dict[str, Any] = field(default_factory=dict)
    vetoed: tuple[str, ...] = ()
    coefficient: float | None = None
    bonus_base: float | None = None
    pay: float | None = None
    comment: str = ""
    review: dict[str, str] = field(default_factory=dict)
    filled: int = 0
    mtime: float = 0.0
    findings: list[Finding] = field(default_factory=list)  # vague phrases and SMART gaps in the review texts
    workbook_id: str = ""  # the issued workbook it came back in (with the person and the period: its identity)
    pending: Pending | None = None  # issued with separate rating workbooks: what merging the raters' parts needs
    rated_by: list[dict[str, Any]] = field(default_factory=list)  # each rater's part merged in: role, who, file, inputs as typed
    role_scores: dict[str, float | None] = field(default_factory=dict)  # the spec's raters' scores (a peer rater: its peers' mean)
    awaiting: str = ""  # the raters whose part is still missing, as HR reads them ("上级 李经理; 同事 E05 杨磊")

    def __reduce__(self) -> tuple[type[PersonRecord], tuple[Any, ...]]:
        # by its constructor: a run stores one per person and the reports load each several times
        return PersonRecord, tuple(getattr(self, name) for name in _RECORD_FIELDS)


_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(PersonRecord))


@dataclass
class FileResult:
    """Everything read from one file."""

    source: str
    records: list[PersonRecord] = field(default_factory=list)
    issues: list[Finding] = field(default_factory=list)
    specs: dict[str, Spec] = field(default_factory=dict)  # the rules each record was scored with
    parts: list[RatingPart] = field(default_factory=list)  # a rating workbook: each person's ratings it holds




def not_returned(person: Person) -> PersonRecord:
    """A roster person who returned nothing, as the outputs list them (status ``not-returned``)."""
    return PersonRecord(file="", sheet="", employee_id=person.employee_id, name=person.name, department=person.department,
                        template=person.template, version="", period=person.period, actuals={}, raw={}, scores={}, total=None,
                        grade=None, status="not-returned", bonus_base=person.bonus_base)
