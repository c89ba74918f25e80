"""The roster: who gets which scorecard. Validated row by row before anything is built."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd

from ..core.errors import InputFileError
from ..core.findings import Finding, finding
from ..core.periods import PERIOD_EXAMPLES, parse_period
from ..core.text import Text
from ..spec.model import Person, Spec
from ..spec.rules import in_range
from .names import named, template_resolver
from .raters import split_names
from .read import canonical_columns, first_line, read_table, require_columns

__all__ = ["load_roster", "roster_from_frame", "ROSTER_COLUMNS", "ROSTER"]

ROSTER_COLUMNS = ("employee_id", "name", "department", "position", "manager", "template")
ROSTER = Text("花名册", "roster")


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _amount(text: str) -> float | None | bool:
    """A bonus base: None when blank, False when it is not a number ≥ 0."""
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return False
    return value if math.isfinite(value) and value >= 0 and in_range(value) else False  # a sheet holds and computes with it


def load_roster(path: str | Path, specs: dict[str, Spec] | None = None) -> list[Person]:
    """Read a roster CSV/XLSX; every bad row is reported (line, column, fix) at once.

    With ``specs``, a row may leave ``template`` empty only when there is exactly one spec, and names
    its card by the spec's id or by the card's title (as HR knows it).
    """
    return roster_from_frame(read_table(path, ROSTER, ROSTER_COLUMNS), specs, path)


def roster_from_frame(frame: pd.DataFrame, specs: dict[str, Spec] | None = None, path: str | Path = "") -> list[Person]:
    """The people of a roster table already in memory (rows numbered as lines of a file with a header)."""
    start = first_line(frame)
    frame = canonical_columns(frame)
    required = tuple(c for c in ROSTER_COLUMNS if c != "template" or not specs or len(specs) != 1)
    require_columns(frame, required, path, ROSTER)
    people: list[Person] = []
    problems: list[Finding] = []
    seen: dict[str, int] = {}
    only = next(iter(specs)) if specs and len(specs) == 1 else ""
    template_id = template_resolver(specs) if specs else str
    file = str(path)
    for i, row in enumerate(frame.to_dict("records")):
        line = start + i  # the line in the file (after the header and any title rows above it)
        where = f"line {line}"
        values = {c: _clean(row.get(c)) for c in (*ROSTER_COLUMNS, "period", "bonus_base", "reviewer_password", "reviewer", "peers")}
        template = template_id(values["template"]) if values["template"] else only
        eid = values["employee_id"]
        if not eid:
            problems.append(finding("roster-empty-field", file=file, field=where, column="employee_id"))
            continue
        if not values["name"]:
            problems.append(finding("roster-empty-field", file=file, field=where, column="name"))
        if eid in seen:
            problems.append(finding("roster-duplicate-id", file=file, field=where, employee_id=eid, first=seen[eid]))
        seen.setdefault(eid, line)
        if specs is not None and template not in specs:
            problems.append(finding("roster-unknown-template", file=file, field=where, template=template,
                                    known=named(specs)))
        if values["period"] and parse_period(values["period"]) is None:
            problems.append(finding("roster-bad-period", file=file, field=where, value=values["period"], examples=PERIOD_EXAMPLES))
        base = _amount(values["bonus_base"])
        if base is False:
            problems.append(finding("roster-bad-number", file=file, field=where, column="bonus_base", value=values["bonus_base"]))
        people.append(Person(eid, values["name"], values["department"] or "-", values["position"], values["manager"], template,
                             values["period"], base if isinstance(base, float) else None, values["reviewer_password"],
                             values["reviewer"], split_names(values["peers"])))
    if problems:
        raise InputFileError(problems)
    if not people:
        raise InputFileError("roster-empty", file=file)
    names = {p.employee_id: p.name for p in people}
    return [dataclasses.replace(p, manager_name=names[p.manager]) if names.get(p.manager, p.manager) != p.manager else p
            for p in people]
