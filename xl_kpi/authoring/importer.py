"""HR's own KPI table → validated specs: the tables read (:mod:`.tables`, :mod:`.fields`), then the
spec rules applied, and every finding placed at the cell its field came from."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import InputFileError
from ..core.findings import Finding, finding
from ..core.text import Text
from ..spec.model import Spec
from ..spec.rules import parse_spec
from .role import EXAMPLES, Role
from .tables import read_roles

__all__ = ["import_specs"]


def import_specs(path: str | Path) -> tuple[list[tuple[Spec | None, Role]], list[Finding]]:
    """Every role in the table as a validated spec (None when it has errors) with its Role, and every finding."""
    try:
        roles, problems = read_roles(path)
    except InputFileError as exc:  # this file is unusable; the others are still read
        return [], list(exc.findings)
    out = []
    for role in roles:
        spec, found = parse_spec(role.data, str(path))
        reported = {f.cell for f in role.findings if f.severity == "error"}
        placed = [_place(role, f) for f in found if not (f.severity == "error" and _echo(role, f.field))]
        placed = [p for p in placed if not (p.severity == "error" and p.cell in reported)]
        role.findings += placed
        has_errors = any(f.severity == "error" for f in role.findings)
        out.append((None if has_errors else spec, role))
        problems += role.findings
    return out, problems


def _echo(role: Role, where: str) -> bool:
    """A spec error inside a field whose cell was already reported as unreadable (a consequence, not news)."""
    return any(where == f or where.startswith((f + ".", f + "[")) for f in role.failed)


_FIELD_WORDS = {"target": (Text("目标值", "target"), "95% / 10个 / 3个工作日内 / 0"), "weight": (Text("权重", "weight"), "40%"),
                "points": (Text("分值", "points"), "10 / 10分"), "scoring": (Text("评分标准", "scoring standard"), EXAMPLES["standard"])}


def _place(role: Role, f: Finding) -> Finding:
    """A spec finding at the table cell its field came from (``indicators[1].weight`` → ``Sheet!E6``), in the
    table's words: a field the spec misses is a cell left empty."""
    last = f.field.rsplit(".", 1)[-1]
    if f.code == "missing-field" and f.field.startswith("indicators[") and last in _FIELD_WORDS:
        what, example = _FIELD_WORDS[last]
        f = finding("import-empty", file=f.file, field=f.field, what=what, example=example)
    key = f.field
    while key:
        if key in role.places:
            return f.at(sheet=role.sheet, cell=role.places[key])
        key = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", key) if re.search(r"(\.[^.\[\]]+|\[\d+\])$", key) else ""
    return f.at(sheet=role.sheet)
