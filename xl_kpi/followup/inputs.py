"""What the follow-up functions take, as a script or the command line has it: paths or loaded objects.

Specs as a :class:`Spec`, a mapping, a spec file or folder, or HR's own KPI table; a roster as a path,
a DataFrame or people; HR's register and signing key as paths. The same readers as ``build`` and
``consolidate`` use, so one argument means one thing everywhere.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.errors import SpecError, UsageError
from ..core.files import is_table, read_sign_key
from ..sheet.register import Register, load_register
from ..spec.loading import load_specs
from ..spec.model import Person, Spec
from ..tabular.roster import load_roster, roster_from_frame

__all__ = ["PathLike", "specs_of", "people_of", "register_of", "paths_of", "workbooks_of"]

PathLike = str | Path


def specs_of(specs: Spec | PathLike | Mapping[str, Spec] | None) -> dict[str, Spec] | None:
    """Specs keyed by id (None stays None: the rules the returns carry, or the register's)."""
    if specs is None:
        return None
    if isinstance(specs, Spec):
        return {specs.id: specs}
    if isinstance(specs, Mapping):
        return dict(specs)
    if is_table(specs) and not Path(specs).is_dir():
        from ..authoring import import_tables

        imported, problems = import_tables([specs])
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise SpecError(errors)
        return {item.spec.id: item.spec for item in imported}
    return load_specs(specs)


def people_of(roster: Any, specs: Mapping[str, Spec] | None) -> list[Person] | None:
    """The people of a roster path, DataFrame or sequence (None stays None)."""
    if roster is None:
        return None
    pandas = sys.modules.get("pandas")
    if pandas is not None and isinstance(roster, pandas.DataFrame):
        return roster_from_frame(roster, dict(specs) if specs is not None else None)
    if isinstance(roster, (str, Path)):
        return load_roster(roster, dict(specs) if specs is not None else None)
    return list(roster)


def register_of(issued: PathLike | None, sign_key: PathLike | bytes | None = None) -> tuple[Register | None, Path | None]:
    """HR's register and the folder of the workbooks it lists (None, None without one)."""
    if issued is None:
        if sign_key is not None:
            raise UsageError("option-needs", option="--sign-key", needs="--issued")
        return None, None
    path = Path(issued)
    return load_register(path, read_sign_key(sign_key)), path.parent


def paths_of(paths: PathLike | Sequence[PathLike]) -> list[Path]:
    return [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]


def workbooks_of(paths: PathLike | Sequence[PathLike]) -> list[Path]:
    """The filled workbooks to collect: files as given; a folder gives the .xlsx files in it and its
    sub-folders (a shell on Windows expands no ``*.xlsx``), never Excel's lock files (``~$…``) or hidden ones.

    Raises:
        UsageError: a folder without a workbook.
    """
    out: list[Path] = []
    for path in paths_of(paths):
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(p for p in path.rglob("*.xlsx") if p.is_file() and not p.name.startswith(("~$", ".")))
        if not found:
            raise UsageError("file-not-found", path=path / "*.xlsx")
        out += found
    return out
