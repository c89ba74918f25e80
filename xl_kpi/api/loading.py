"""Loading what the API functions take: specs (YAML, JSON or HR's own tables), rosters, signing keys."""

from __future__ import annotations

import importlib.resources
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, cast

from ..core.errors import SpecError, UsageError
from ..core.files import is_table, read_sign_key, writing_to
from ..core.findings import Finding
from ..core.text import Text
from ..core.visible import visible
from ..spec.loading import load_spec as _load_spec
from ..spec.loading import load_specs
from ..spec.model import Person, Spec

if TYPE_CHECKING:
    import pandas as pd

    from ..authoring import ImportedSpec

PathLike = str | Path


def bundled_templates() -> Path:
    """The folder of bundled role specs and the sample roster (``sample_roster.csv``), as installed."""
    folder = importlib.resources.files("xl_kpi.templates")
    return Path(str(folder))


def load_spec(path: PathLike) -> Spec:
    """One scorecard spec from a YAML or JSON file, or from HR's own KPI table (.xlsx/.xls/.ods/.csv
    holding one role, read as :func:`import_table` reads it).

    Raises:
        SpecError: the spec has errors (each with its location and fix, in ``.findings``).
        UsageError: the file does not exist.
    """
    if is_table(path):
        specs = import_table(path)
        if len(specs) != 1:
            raise UsageError("bad-option", option=str(path), value=Text(f"{len(specs)} 个岗位", f"{len(specs)} roles"),
                             allowed=Text("只含一个岗位的表(多个岗位用 load_templates)", "a table with one role (load_templates reads several)"))
        return next(iter(specs.values()))
    return _load_spec(path)


def load_templates(specs: Spec | PathLike | Mapping[str, Spec]) -> dict[str, Spec]:
    """Specs keyed by id from a :class:`Spec`, a spec file, a folder of them, HR's own KPI table
    (every role in it), or a mapping."""
    if isinstance(specs, Spec):
        return {specs.id: specs}
    if isinstance(specs, Mapping):
        return dict(specs)
    if is_table(specs) and not Path(specs).is_dir():
        return import_table(specs)
    return load_specs(specs)


def read_tables(paths: PathLike | Sequence[PathLike]) -> tuple[list[ImportedSpec], list[Finding]]:
    """Every role in HR's own KPI tables with its YAML (inferences as comments), and every finding —
    errors and warnings, each at its ``sheet!cell``. Raises nothing for bad content; nothing is written."""
    from ..authoring import import_tables

    return import_tables([paths] if isinstance(paths, (str, Path)) else list(paths))


def import_table(paths: PathLike | Sequence[PathLike], output: PathLike | None = None) -> dict[str, Spec]:
    """Specs from HR's own KPI tables (.xlsx, .xls, .ods or .csv in UTF-8/GB18030), keyed by id.

    The header is found wherever it is; standards such as ``≥110%得100分;100%-110%得80分;<90%得0分``
    are read into the scoring methods (``docs/import.md``). With ``output`` the YAML specs are
    written there too: a ``.yaml`` file for one role, else a folder (``<id>.yaml`` each).

    Raises:
        SpecError: any cell cannot be read or the result breaks a spec rule — every problem at
            once, each naming its ``sheet!cell``; nothing is written.
        UsageError: a file does not exist or is not a table.
    """
    imported, problems = read_tables(paths)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SpecError(errors)
    if output is not None:
        write_imported(imported, Path(output))
    return {item.spec.id: item.spec for item in imported}


def write_imported(imported: Sequence[ImportedSpec], output: Path) -> list[Path]:
    """Write imported specs: to ``output`` itself when it names a .yaml file (or a .xlsx spec workbook, whose
    核对 sheet lists what the import inferred) and there is one, else into the folder."""
    if output.suffix.lower() == ".xlsx" and not output.is_dir():
        if len(imported) != 1:
            raise UsageError("bad-option", option="-o", value=str(output), allowed=f"a folder: the tables hold {len(imported)} roles")
        from ..authoring import export_spec as _export_spec

        output.parent.mkdir(parents=True, exist_ok=True)
        return [_export_spec(imported[0].spec, output, imported[0].review)]
    if output.suffix.lower() in (".yaml", ".yml") and not output.is_dir():
        if len(imported) != 1:
            raise UsageError("bad-option", option="-o", value=str(output), allowed=f"a folder: the tables hold {len(imported)} roles")
        targets = [output]
    else:
        targets = [output / f"{item.spec.id}.yaml" for item in imported]
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
    for item, target in zip(imported, targets):
        with writing_to(target):  # a table's name that is not UTF-8 is shown read as GBK, or escaped
            target.write_text(visible(item.yaml), encoding="utf-8")
    return targets


def export_spec(spec: Spec | PathLike, path: PathLike) -> Path:
    """Write a spec as a workbook HR edits in Excel (info block, indicators with drop-downs, grades,
    sections, raters, bonus/penalty and veto sheets); :func:`import_table` reads it back unchanged."""
    from ..authoring import export_spec as _export_spec

    return _export_spec(spec if isinstance(spec, Spec) else load_spec(spec), path)


def load_people(roster: PathLike | pd.DataFrame | Sequence[Person], specs: Mapping[str, Spec] | None = None) -> list[Person]:
    """The people of a roster given as a CSV/XLSX path or a DataFrame (columns
    ``employee_id, name, department, position, manager, template[, period]``), or already as people."""
    from ..tabular.roster import load_roster, roster_from_frame

    if _is_frame(roster):
        return roster_from_frame(roster, dict(specs) if specs is not None else None)
    if isinstance(roster, (str, Path)):
        return load_roster(roster, dict(specs) if specs is not None else None)
    return list(cast("Sequence[Person]", roster))


def _is_frame(value: Any) -> TypeGuard[pd.DataFrame]:
    """A pandas DataFrame (pandas need not be imported to tell: nothing else made one)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, pandas.DataFrame)


def new_sign_key(path: PathLike) -> Path:
    """Write a new random signing key to ``path`` (readable by its owner only) and return the path.

    Raises:
        UsageError: ``path`` exists (a key is never overwritten: returns signed with it could no longer be verified).
    """
    import os
    import secrets

    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError("key-exists", path=path) from None
    except OSError as exc:
        raise UsageError("path-unusable", path=f"{path}: ", reason=exc.strerror or str(exc)) from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path


def _key(key: PathLike | bytes | None) -> bytes | None:
    """HR's signing key: bytes as given, or a key file's content (surrounding whitespace ignored)."""
    return read_sign_key(key)
