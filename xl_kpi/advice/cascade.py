"""Department targets against their people's targets (goal decomposition, seed 000).

What "covered" means depends on the indicator:

- an additive indicator, higher is better (sales, new customers): the people's targets must add
  up to at least the department's (coverage = people's total / department target ≥ 100%);
- an additive indicator, lower is better (a cost cap, an error budget): the people's caps must
  add up to at most the department's cap — a total above it lets the department overrun;
- a rate or a level (a repurchase rate, a satisfaction score): targets do not add up; each
  person's target must be at least as demanding as the department's.

Personal targets (``xl-kpi check --targets``, the same table ``build --targets`` reads) take the
place of the spec's for the people they name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..core.findings import Finding, finding
from ..spec.model import Indicator, Spec

__all__ = ["CascadeGap", "cascade", "cascade_findings", "Member"]

Member = tuple[str, str, Spec]  # (department, employee_id, spec)


@dataclass(frozen=True)
class CascadeGap:
    """One department target and what its people's targets make of it."""

    department: str
    indicator_id: str
    department_target: float
    people_total: float  # additive: the people's targets summed; otherwise unused
    people: int  # people in the department with the indicator
    kind: str = "additive"  # additive | cap | level
    known_department: bool = True
    laxer: list[str] = field(default_factory=list)  # level: people whose target is less demanding

    @property
    def coverage(self) -> float:
        return self.people_total / self.department_target if self.department_target else math.inf


def _kind(ind: Indicator) -> str:
    if not ind.is_additive:
        return "level"
    return "additive" if ind.direction == "higher" else "cap"


def _laxer(ind: Indicator, target: float, department_target: float) -> bool:
    return target < department_target - 1e-9 if ind.direction == "higher" else target > department_target + 1e-9


def cascade(department_targets: pd.DataFrame, people: Sequence[Member],
            targets: Mapping[str, Mapping[str, float]] | None = None) -> list[CascadeGap]:
    """Each department target against its people's (personal, else spec) targets.

    ``department_targets``: ``department, indicator_id, target``; ``people``: (department, employee_id, spec).
    """
    departments = {dept for dept, _, _ in people}
    out = []
    for row in department_targets.to_dict("records"):
        dept, iid = str(row["department"]).strip(), str(row["indicator_id"]).strip()
        goal = float(row["target"])
        total, count, kind, laxer = 0.0, 0, "additive", []
        for person_dept, eid, spec in people:
            ind = next((i for i in spec.indicators if i.id == iid), None) if person_dept == dept else None
            if ind is None or not isinstance(ind.target, (int, float)):
                continue
            own = float((targets or {}).get(eid, {}).get(iid, ind.target))
            kind = _kind(ind)
            count += 1
            total += own
            if kind == "level" and _laxer(ind, own, goal):
                laxer.append(eid)
        out.append(CascadeGap(dept, iid, goal, total, count, kind, dept in departments, laxer))
    return out


def cascade_findings(department_targets: pd.DataFrame, people: Sequence[Member], file: str = "",
                     targets: Mapping[str, Mapping[str, float]] | None = None) -> list[Finding]:
    """A finding for each department target that is unknown, carried by nobody, or not covered."""
    out: list[Finding] = []
    known = sorted({dept for dept, _, _ in people})
    for gap in cascade(department_targets, people, targets):
        where = f"{gap.department}/{gap.indicator_id}"
        if not gap.known_department:
            out.append(finding("cascade-unknown-department", file=file, field=where, department=gap.department,
                               known="、".join(known[:10]) + (" …" if len(known) > 10 else "")))
        elif gap.people == 0:
            out.append(finding("cascade-unassigned", file=file, field=where, target=gap.department_target, indicator=gap.indicator_id))
        elif gap.kind == "additive" and gap.coverage < 1 - 1e-9:
            out.append(finding("cascade-gap", file=file, field=where, target=gap.department_target, people=gap.people,
                               total=gap.people_total, coverage=gap.coverage, gap=gap.department_target - gap.people_total))
        elif gap.kind == "cap" and gap.people_total > gap.department_target + 1e-9:
            out.append(finding("cascade-over-cap", file=file, field=where, target=gap.department_target, people=gap.people,
                               total=gap.people_total, over=gap.people_total - gap.department_target))
        elif gap.kind == "level" and gap.laxer:
            out.append(finding("cascade-laxer", file=file, field=where, target=gap.department_target, count=len(gap.laxer),
                               people=gap.people, who=", ".join(gap.laxer[:10]) + (" …" if len(gap.laxer) > 10 else "")))
    return out
