"""The roster: who gets which scorecard. Validated row by row before anything is built."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputFileError, Text
from .model import Spec
from .tables import read_table, require_columns

__all__ = ["Person", "load_roster", "ROSTER_COLUMNS"]

ROSTER_COLUMNS = ("employee_id", "name", "department", "position", "manager", "template")


@dataclass(frozen=True)
class Person:
    """One roster row: the person and the spec (template) that scores them."""

    employee_id: str
    name: str
    department: str
    position: str
    manager: str
    template: str
    period: str = ""


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def load_roster(path: str | Path, specs: dict[str, Spec] | None = None) -> list[Person]:
    """Read a roster CSV/XLSX; every bad row is reported (row number, column, fix) at once.

    With ``specs``, a row may leave ``template`` empty only when there is exactly one spec.
    """
    frame = read_table(path, "花名册 roster")
    required = tuple(c for c in ROSTER_COLUMNS if c != "template" or not specs or len(specs) != 1)
    require_columns(frame, required, path, "花名册 roster")
    people: list[Person] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    only = next(iter(specs)) if specs and len(specs) == 1 else ""
    for i, row in enumerate(frame.to_dict("records")):
        line = i + 2  # header is line 1
        values = {c: _clean(row.get(c)) for c in (*ROSTER_COLUMNS, "period")}
        template = values["template"] or only
        if not values["employee_id"]:
            problems.append(f"{path}:{line}: employee_id 为空 / is empty")
            continue
        if not values["name"]:
            problems.append(f"{path}:{line}: name 为空 / is empty")
        if values["employee_id"] in seen:
            problems.append(f"{path}:{line}: employee_id {values['employee_id']} 与第 {seen[values['employee_id']]} 行重复 / duplicates line {seen[values['employee_id']]}")
        seen.setdefault(values["employee_id"], line)
        if specs is not None and template not in specs:
            known = ", ".join(sorted(specs))
            problems.append(f"{path}:{line}: template {template!r} 不存在 / unknown (known: {known})")
        people.append(Person(values["employee_id"], values["name"], values["department"] or "-", values["position"],
                             values["manager"], template, values["period"]))
    if problems:
        shown = problems[:20] + ([f"… (+{len(problems) - 20})"] if len(problems) > 20 else [])
        raise InputFileError(Text("花名册有错误:\n  " + "\n  ".join(shown), "the roster has errors:\n  " + "\n  ".join(shown)),
                             Text("修正以上各行后重试", "fix the lines above and run again"))
    if not people:
        raise InputFileError(Text(f"花名册 {path} 没有人员", f"roster {path} has no people"), Text("每行一人", "add one row per person"))
    return people
