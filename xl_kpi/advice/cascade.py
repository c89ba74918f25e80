"""Department targets against the sum of their people's targets (goal decomposition, seed 000)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..core.findings import Finding, finding
from ..spec.model import Spec

__all__ = ["CascadeGap", "cascade", "cascade_findings"]


@dataclass(frozen=True)
class CascadeGap:
    department: str
    indicator_id: str
    department_target: float
    people_total: float
    people: int

    @property
    def coverage(self) -> float:
        return self.people_total / self.department_target if self.department_target else math.inf


def cascade(department_targets: pd.DataFrame, people: Sequence[tuple[str, Spec]]) -> list[CascadeGap]:
    """Department target vs the sum of its people's targets, for additive indicators.

    ``department_targets``: ``department, indicator_id, target``; ``people``: (department, spec).
    """
    out = []
    for row in department_targets.to_dict("records"):
        dept, iid = str(row["department"]).strip(), str(row["indicator_id"]).strip()
        target = float(row["target"])
        total, count = 0.0, 0
        for person_dept, spec in people:
            if person_dept != dept:
                continue
            for ind in spec.indicators:
                if ind.id == iid and ind.is_additive:
                    total += float(ind.target)  # type: ignore[arg-type]
                    count += 1
        out.append(CascadeGap(dept, iid, target, total, count))
    return out


def cascade_findings(department_targets: pd.DataFrame, people: Sequence[tuple[str, Spec]], file: str = "") -> list[Finding]:
    """A finding for each department target that nobody carries or that its people's targets do not cover."""
    out: list[Finding] = []
    for gap in cascade(department_targets, people):
        where = f"{gap.department}/{gap.indicator_id}"
        if gap.people == 0:
            out.append(finding("cascade-unassigned", file=file, field=where, target=gap.department_target, indicator=gap.indicator_id))
        elif gap.coverage < 1 - 1e-9:
            out.append(finding("cascade-gap", file=file, field=where, target=gap.department_target, people=gap.people,
                               total=gap.people_total, coverage=gap.coverage, gap=gap.department_target - gap.people_total))
    return out
