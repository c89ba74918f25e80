"""Per-person targets from a table (``employee_id, indicator_id, target``), every bad row reported."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

from ..core.errors import InputFileError
from ..core.findings import Finding, finding
from ..core.text import Text
from ..spec.model import Person, Spec
from ..spec.rules import target_problems
from .names import indicator_resolver
from .read import first_line, read_table, require_columns

__all__ = ["load_person_targets", "TARGETS"]

TARGETS = Text("个人目标表", "targets table")


def load_person_targets(path: str | Path, specs: dict[str, Spec], people: Sequence[Person]) -> dict[str, dict[str, float]]:
    """Per-person targets from ``employee_id, indicator_id, target`` (or the ``baseline_target``
    column that ``xl-kpi targets`` writes); an indicator by its id or its name; every bad row is reported at once."""
    frame = read_table(path, TARGETS, ("employee_id", "indicator_id", "target"))
    column = "target" if "target" in frame.columns else "baseline_target"
    require_columns(frame, ("employee_id", "indicator_id", column), path, TARGETS)
    templates = {p.employee_id: specs[p.template] for p in people}
    out: dict[str, dict[str, float]] = {}
    problems: list[Finding] = []
    resolvers: dict[str, Callable[[object], object]] = {}
    file = str(path)
    for i, row in enumerate(frame.to_dict("records"), start=first_line(frame)):
        eid, iid, raw = str(row["employee_id"]).strip(), str(row["indicator_id"]).strip(), row[column]
        where = f"line {i}"
        spec = templates.get(eid)
        if spec is not None:
            iid = str(resolvers.setdefault(spec.id, indicator_resolver(spec))(iid))  # a name or an id
        ind = next((x for x in spec.indicators if x.id == iid), None) if spec else None
        try:
            value = float(raw)
            ok = math.isfinite(value)
        except (TypeError, ValueError):
            value, ok = math.nan, False
        if spec is None:
            problems.append(finding("targets-unknown-person", file=file, field=where, employee_id=eid))
        elif ind is None or ind.takes_label:
            problems.append(finding("targets-unknown-indicator", file=file, field=where, employee_id=eid, spec_id=spec.id, indicator=iid))
        elif not ok:
            problems.append(finding("targets-invalid", file=file, field=where, indicator=iid, value=raw))
        elif found := target_problems(ind, value, file, where):
            problems += found
        else:
            out.setdefault(eid, {})[iid] = value
    if problems:
        raise InputFileError(problems)
    return out
