"""HR's own KPI table → validated specs: the tables read (:mod:`.tables`, :mod:`.fields`), then the
spec rules applied, and every finding placed at the cell its field came from."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import InputFileError
from ..core.findings import Finding
from ..spec.model import Spec
from ..spec.rules import parse_spec
from .role import Role
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


def _place(role: Role, f: Finding) -> Finding:
    """A spec finding at the table cell its field came from (``indicators[1].weight`` → ``Sheet!E6``)."""
    key = f.field
    while key:
        if key in role.places:
            return f.at(sheet=role.sheet, cell=role.places[key])
        key = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", key) if re.search(r"(\.[^.\[\]]+|\[\d+\])$", key) else ""
    return f.at(sheet=role.sheet)
