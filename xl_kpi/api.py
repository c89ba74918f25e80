"""The Python API: a small, stable surface for notebooks and scripts (``docs/api.md``).

Each function takes what a pandas user has at hand (paths as ``str`` or ``Path``, DataFrames)
and returns plain data or DataFrames. Bad input raises the project's own exceptions (each a
``ValueError`` too) carrying the file, the place and the fix — the same text the command line
prints.
"""

from __future__ import annotations

import importlib.resources
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard, cast

from .consolidation import ConsolidateOptions
from .consolidation import run as _run
from .consolidation.distribution import parse_distribution
from .consolidation.outputs import issue_table, score_table
from .consolidation.runner import Consolidation
from .consolidation.safety import Limits
from .core.errors import InputFileError, SpecError, UsageError
from .core.files import is_table, read_sign_key, writing_to
from .core.findings import Finding, finding
from .core.text import Text
from .core.visible import visible
from .sheet.register import load_register
from .spec.loading import check_spec, load_specs, spec_files
from .spec.loading import load_spec as _load_spec
from .spec.model import Person, Spec

# pandas, the table readers, the workbook writer and HR-table import are imported by the functions
# that use them: a command (or a script) that consolidates never pays for them.
if TYPE_CHECKING:
    import pandas as pd

    from .advice.targets import TargetSuggestion
    from .authoring import ImportedSpec
    from .followup.api import (
        appeal_forms,
        calibrate,
        chase,
        collect_appeals,
        collect_calibration,
        collect_talks,
        final_pay,
        letters,
        sendback,
        status,
    )
    from .goals.api import build_goals, change_target, collect_goals, goal_rules
    from .workbook.build import Built

__all__ = ["rollup", "bundled_templates", "load_spec", "load_templates", "load_people", "score", "build", "new_sign_key", "consolidate", "check", "ConsolidationResult",
           "import_table", "export_spec", "ImportedSpec", "read_tables", "write_imported",
           "load_history", "targets_from_history", "split_target", "HISTORY_COLUMNS",
           "sendback", "chase", "status", "calibrate", "collect_calibration", "letters", "collect_talks",
           "appeal_forms", "collect_appeals", "final_pay", "build_goals", "collect_goals", "goal_rules", "change_target"]

PathLike = str | Path
HISTORY_COLUMNS = ("employee_id", "indicator_id", "period", "value")
HISTORY = Text("历史数据", "history")


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
    from .authoring import import_tables

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
        from .authoring import export_spec as _export_spec

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
    from .authoring import export_spec as _export_spec

    return _export_spec(spec if isinstance(spec, Spec) else load_spec(spec), path)


def load_people(roster: PathLike | pd.DataFrame | Sequence[Person], specs: Mapping[str, Spec] | None = None) -> list[Person]:
    """The people of a roster given as a CSV/XLSX path or a DataFrame (columns
    ``employee_id, name, department, position, manager, template[, period]``), or already as people."""
    from .tabular.roster import load_roster, roster_from_frame

    if _is_frame(roster):
        return roster_from_frame(roster, dict(specs) if specs is not None else None)
    if isinstance(roster, (str, Path)):
        return load_roster(roster, dict(specs) if specs is not None else None)
    return list(cast("Sequence[Person]", roster))


def _is_frame(value: Any) -> TypeGuard[pd.DataFrame]:
    """A pandas DataFrame (pandas need not be imported to tell: nothing else made one)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, pandas.DataFrame)


def _long(spec: Spec, actuals: pd.DataFrame) -> pd.DataFrame:
    """Actuals as the long table ``employee_id, indicator_id, actual`` (from long or wide input)."""
    import pandas as pd

    from .scoring.frame import ACTUAL_COLUMNS

    columns = {str(c).strip().lower(): c for c in actuals.columns}
    if {"indicator_id", "actual"} <= set(columns):
        frame = actuals.rename(columns={v: k for k, v in columns.items()})
        if "employee_id" not in frame.columns:
            frame = frame.reset_index(names="employee_id")
        return frame[[*ACTUAL_COLUMNS, *(["rater"] if "rater" in frame.columns else [])]]
    frame = actuals.copy()
    if "employee_id" not in columns:
        frame = frame.reset_index(names="employee_id")
        columns = {str(c).strip().lower(): c for c in frame.columns}
    frame = frame.rename(columns={columns["employee_id"]: "employee_id"})
    ids = [c for c in frame.columns if c not in ("employee_id", "name", "department")]
    long = frame.melt(id_vars=["employee_id"], value_vars=ids, var_name="indicator_id", value_name="actual")
    order = {iid: k for k, iid in enumerate(ids)}  # person by person, in column order
    long["_person"] = pd.factorize(long["employee_id"].astype(str))[0]
    long["_column"] = long["indicator_id"].map(order)
    long = long.sort_values(["_person", "_column"], kind="stable")[list(ACTUAL_COLUMNS)].reset_index(drop=True)
    rated = long["indicator_id"].astype(str).str.contains("@", regex=False)
    if rated.any():  # "coaching@self": the rater's input of a rated indicator
        split = long["indicator_id"].astype(str).str.split("@", n=1, expand=True)
        long["rater"] = split[1].where(rated, "")
        long["indicator_id"] = split[0]
    return long


def score(spec: Spec | PathLike, actuals: pd.DataFrame) -> pd.DataFrame:
    """Score people's actuals with the engine: one row per person.

    Args:
        spec: a :class:`Spec` or the path of one.
        actuals: long (``employee_id, indicator_id, actual``, and ``rater`` for rated
            indicators) or wide (an ``employee_id`` column, or index, and one column per
            indicator id; ``<indicator>@<rater>`` for a rater's input). ``adj:<item>`` counts,
            ``veto:<item>`` marks and ``bonus_base`` go in as indicator ids (long) or columns
            (wide). Typed text such as ``"105%"``, ``"１１"`` or ``"1,200"`` is read as
            consolidation reads it.

    Returns:
        the result columns of scores.csv (:mod:`xl_kpi.scoring.columns`): ``employee_id``, ``total``,
        ``grade``, each indicator's score (``<id>_score``), the sections' (``<section>_score``),
        ``weighted``, ``adjustment``, ``veto``, ``coefficient``, ``bonus_base`` and ``pay`` as the spec
        has them; then ``problems`` (what could not be used for that person, "" when nothing): an
        unknown indicator id or unreadable text is named there, never a silent NaN.
        ``.attrs["findings"]`` holds every :class:`Finding`.
    """
    import pandas as pd

    from .scoring.frame import score_frame

    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    run = score_frame(spec, _long(spec, actuals))
    wide = run.wide.copy()
    wide["grade"] = pd.Series([g if isinstance(g, str) else None for g in wide["grade"]], index=wide.index, dtype=object)
    by_person: dict[str, list[str]] = {}
    for f in run.problems:
        if f.severity != "info":
            by_person.setdefault(f.employee_id, []).append(f.message(_lang()))
    wide["problems"] = [" ; ".join(by_person.get(str(eid), [])) for eid in wide["employee_id"]]
    wide.attrs["findings"] = run.problems
    return wide


def _lang() -> Any:
    from .core.text import ui_lang

    return ui_lang()


def check(paths: PathLike | Sequence[PathLike]) -> list[Finding]:
    """Every finding about the specs at ``paths`` (files or folders): errors, warnings and SMART advice."""
    from .advice.review import spec_advice

    found: list[Finding] = []
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        if is_table(path) and not Path(path).is_dir():
            imported, problems = read_tables(path)
            found += problems
            for item in imported:
                found += spec_advice(item.spec)
            continue
        for file in spec_files(path):
            spec, problems = check_spec(file)
            found += problems
            if spec is not None:
                found += spec_advice(spec)
    return found


def check_cascade(specs: Mapping[str, Spec], people: Sequence[Person], department_targets: PathLike,
                  targets: PathLike | Mapping[str, Mapping[str, float]] | None = None) -> list[Finding]:
    """Department targets (``department, indicator_id, target``) against their people's targets:
    the spec's, or each person's own from ``targets`` (the table ``build --targets`` reads)."""
    from .advice.cascade import cascade_findings
    from .tabular.read import read_table, require_columns
    from .tabular.targets import load_person_targets

    what = Text("部门目标表", "department targets table")
    frame = read_table(department_targets, what, ("department", "indicator_id", "target"))
    require_columns(frame, ("department", "indicator_id", "target"), department_targets, what)
    own = load_person_targets(targets, dict(specs), people) if isinstance(targets, (str, Path)) else targets
    return cascade_findings(frame, [(p.department, p.employee_id, specs[p.template]) for p in people], str(department_targets), own)


def build(specs: Spec | PathLike | Mapping[str, Spec], roster: PathLike | pd.DataFrame | Sequence[Person], outdir: PathLike,
          *, layout: str = "employee", lang: str | None = None, password: str = "", reviewer_password: str = "",
          formulas: str = "native",
          targets: PathLike | Mapping[str, Mapping[str, float]] | None = None,
          plan_weights: Sequence[float] = (25, 30, 25, 20), progress: Callable[[int], None] | None = None,
          actuals: Mapping[str, Mapping[str, Any]] | None = None, texts: Mapping[str, Mapping[str, str]] | None = None,
          sign_key: PathLike | bytes | None = None, open_sheet: bool = False, ratings: str = "auto", books: str = "all",
          raters: PathLike | pd.DataFrame | Mapping[str, Mapping[str, Sequence[str]]] | None = None,
          rater_passwords: Mapping[str, str] | None = None, from_results: PathLike | None = None) -> Built:
    """Write scorecard workbooks for every person on the roster, and the issue register
    (``issued.sqlite``) beside them; returns the workbooks' paths (a list, whose ``findings`` name
    the roster names that had to be numbered or shortened to make unique, valid file names).
    Nothing is written when the build fails part-way.

    Args:
        specs: a :class:`Spec`, a spec file, a folder of specs, or a mapping of id → Spec.
        roster: a CSV/XLSX path or a DataFrame.
        outdir: the folder to write into (created if missing).
        layout: ``"employee"`` (a workbook each) or ``"department"`` (one per department).
        lang: ``"zh"`` or ``"en"``, or each spec's own language.
        password: protects every sheet and the workbook's structure (none by default).
        reviewer_password: locks the supervisor's and reviewer's cells behind their own password
            (a roster's ``reviewer_password`` column sets it per person).
        formulas: ``"native"`` (works everywhere) or ``"udf"`` (xlwings functions, .xlsm).
        targets: per-person targets: a table path or ``{employee_id: {indicator_id: target}}``.
        plan_weights: the target plan's quarter shares (any scale, e.g. the seed's 25/30/25/20).
        progress: called with the number of people done after each workbook.
        actuals: values to pre-fill, ``{employee_id: {indicator_id: actual}}`` (re-issues, simulations).
        texts: the comment and self-review texts to pre-fill, ``{employee_id: {field: text}}``.
        sign_key: HR's secret key (a file or bytes): each workbook's hidden metadata is signed
            with it, and consolidation given the same key proves it unchanged.
        open_sheet: allow a reviewer password without a sheet password. Refused otherwise: the sheet
            itself could then be unprotected by anyone, the supervisor's cells with it.
        ratings: ``"separate"`` — the supervisor, the reviewer and peers each rate in a workbook of their
            own (``评分表/``), and the employee's workbook carries only what the employee fills;
            ``"inline"`` — every rater's cells in the employee's workbook (a small team; deterrence only);
            ``"auto"`` (default) — separate when anyone but the employee fills part of a card's score.
        books: ``"all"``, or only the ``"employees"``' or the ``"raters"``' workbooks (separate ratings).
        raters: HR's rater list (``employee_id, rater, role``: a path, a DataFrame or ``{employee_id:
            {role: [rater, …]}}``); otherwise the roster's ``manager``, ``reviewer`` and ``peers`` columns.
        rater_passwords: single file: each role's own password for its cells (``{"supervisor": …,
            "reviewer": …, "peer": …}``), so one rater cannot fill another's column.
        from_results: the folder ``consolidate`` wrote from the employees' returns: the rating
            workbooks (only they are written) show each person's actuals, own ratings and self-review.
    """
    from .spec.raters import has_other_inputs
    from .tabular.agreements import load_agreements
    from .tabular.raters import assign_raters
    from .tabular.results import load_results
    from .tabular.targets import load_person_targets
    from .workbook import BuildOptions, build_all

    templates = load_templates(specs)
    people = load_people(roster, templates)
    passwords = {k: v for k, v in (rater_passwords or {}).items() if v}
    if not password and not open_sheet and (reviewer_password or passwords or any(p.reviewer_password for p in people)):
        raise UsageError("open-sheet")
    if ratings not in ("auto", "separate", "inline"):
        raise UsageError("bad-option", option="ratings", value=ratings, allowed="auto | separate | inline")
    mode = ("separate" if any(has_other_inputs(templates[p.template]) for p in people) else "inline") if ratings == "auto" else ratings
    if from_results is not None:
        if mode != "separate":
            raise UsageError("ratings-mode", option="--from")
        books = "raters" if books == "all" else books
    rater_list = _rater_list(raters, people)
    where = str(roster) if isinstance(roster, (str, Path)) else ""
    notes: list[Finding] = []
    try:
        assigned = assign_raters(people, templates, rater_list, mode == "separate", where)
    except InputFileError as exc:
        missing = [f for f in exc.findings if f.code == "roster-no-rater"]
        if ratings != "auto" or len(missing) != len(exc.findings):
            raise
        # auto, and the roster names no rater for some: every rating stays in the employee's file, as before, and HR is told
        mode = "inline"
        notes.append(finding("ratings-inline", who="、".join(f.employee_id for f in missing[:5]) + ("…" if len(missing) > 5 else "")))
        assigned = assign_raters(people, templates, rater_list, False, where)
    if mode == "inline" and not notes and any(has_other_inputs(templates[p.template]) for p in people):
        notes.append(finding("single-file-ratings"))  # the single file is for small teams: HR is told what it cannot prove
    prior = load_results(from_results, templates) if from_results is not None else None
    own = (load_person_targets(targets, templates, people) if isinstance(targets, (str, Path))
           else {k: dict(v) for k, v in targets.items()} if targets else None)
    agreed = load_agreements(targets) if isinstance(targets, (str, Path)) else None  # goals collect's targets.csv says who agreed
    total = sum(plan_weights)
    if len(plan_weights) != 4 or any(w < 0 for w in plan_weights) or total <= 0:
        raise UsageError("bad-option", option="plan_weights", value=list(plan_weights), allowed=Text("4 个不小于 0 的数,如 25,30,25,20", "4 numbers of 0 or more, e.g. 25,30,25,20"))
    options = BuildOptions(layout=layout, lang=lang, password=password, reviewer_password=reviewer_password,
                           formulas=formulas, targets=own, actuals=actuals,
                           texts=texts, plan_shares=tuple(w / total for w in plan_weights),  # type: ignore[arg-type]
                           sign_key=_key(sign_key), ratings=mode, books=books, raters=assigned, rater_passwords=passwords,
                           prior=prior, agreements=agreed)
    built = build_all(templates, people, Path(outdir), options, progress)
    built.findings[:0] = notes
    return built


def _rater_list(raters: PathLike | pd.DataFrame | Mapping[str, Mapping[str, Sequence[str]]] | None,
                people: Sequence[Person]) -> Mapping[str, Mapping[str, Sequence[str]]] | None:
    """HR's rater list from a path, a DataFrame (``employee_id, rater, role``) or a mapping."""
    from .tabular.raters import load_rater_list, rater_list_from_frame

    if raters is None or isinstance(raters, Mapping):
        return raters
    if _is_frame(raters):
        return rater_list_from_frame(raters, people)
    return load_rater_list(cast("PathLike", raters), people)


@dataclass
class ConsolidationResult:
    """What :func:`consolidate` found: ``scores`` and ``issues`` DataFrames (the content of
    scores.csv / issues.csv, built when first used), the paths written, and the run itself
    (``run.store`` streams records on large runs without loading them all)."""

    paths: dict[str, Path]
    run: Consolidation = field(repr=False)
    specs: dict[str, Spec] = field(repr=False, default_factory=dict)

    @cached_property
    def scores(self) -> pd.DataFrame:
        import pandas as pd

        header, rows = score_table(self.run, self.specs)
        return pd.DataFrame(list(rows), columns=header)

    @cached_property
    def issues(self) -> pd.DataFrame:
        import pandas as pd

        header, rows = issue_table(self.run)
        return pd.DataFrame(list(rows), columns=header)

    @property
    def clean(self) -> bool:
        """No errors and no warnings."""
        return self.run.clean

    def counts(self) -> dict[str, int]:
        """files, people, scored, errors, warnings, infos."""
        return {"files": self.run.files, **self.run.counts()}


def consolidate(paths: PathLike | Iterable[PathLike], outdir: PathLike, templates: Spec | PathLike | Mapping[str, Spec] | None = None,
                roster: PathLike | pd.DataFrame | Sequence[Person] | None = None, *, workers: int | None = None, scheduler: str | None = None,
                history: PathLike | None = None, target_distribution: str | None = None,
                limits: Limits = Limits(), progress: Callable[[int], None] = lambda n: None,
                on_sources: Callable[[int], None] = lambda n: None, issued: PathLike | None = None,
                sign_key: PathLike | bytes | None = None, health_min_people: int = 5, period: str | None = None) -> ConsolidationResult:
    """Read every returned workbook under ``paths`` (files, folders, .zip), check and recompute it,
    and write scores.csv, issues.csv, summary.xlsx and the history into ``outdir``.

    ``progress`` is called with the number of files read as work advances; ``on_sources`` once with
    the number of files found. With ``issued`` (the register ``build`` wrote) every return is
    checked against what HR issued — the person, the template, the personal targets — and scored
    with the issued targets; with ``sign_key`` too, each file's metadata signature is verified.
    Indicator health flags an indicator only with ``health_min_people`` people or more behind it.
    ``period`` is the period consolidated, as HR writes it (``2026Q4``, ``2026年第四季度``): returns of
    any other period are set aside and reported; by default the period most returns are of.
    """
    ConsolidateOptions(health_min_people=health_min_people, period=period).check()  # before anything is loaded
    distribution = parse_distribution(target_distribution)
    sources = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if sign_key is not None and issued is None:
        raise UsageError("option-needs", option="sign_key", needs="issued")
    specs = load_templates(templates) if templates is not None else None
    options = ConsolidateOptions.of(specs, load_people(roster, specs) if roster is not None else None,
                                    register=load_register(Path(issued), _key(sign_key)) if issued is not None else None,
                                    period=period, target_distribution=distribution, workers=workers, scheduler=scheduler,
                                    history=Path(history) if history is not None else None, limits=limits,
                                    health_min_people=health_min_people, progress=progress, on_sources=on_sources)
    run, written = _run(sources, Path(outdir), options)
    return ConsolidationResult(written, run, {**run.specs, **(specs or {})})


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


def load_history(path: PathLike) -> pd.DataFrame:
    """History rows ``employee_id, indicator_id, period, value`` from a CSV/XLSX or a consolidation's history database."""
    import pandas as pd

    from .consolidation.history import read_history
    from .tabular.read import read_table, require_columns

    path = Path(path)
    if path.suffix.lower() in (".sqlite", ".db"):
        if not path.is_file():
            raise UsageError("file-not-found", path=path)
        return pd.DataFrame(read_history(path), columns=list(HISTORY_COLUMNS))
    frame = read_table(path, HISTORY, HISTORY_COLUMNS)
    require_columns(frame, HISTORY_COLUMNS, path, HISTORY)
    return frame


def targets_from_history(history: PathLike | pd.DataFrame, spec: Spec | PathLike, **options: Any) -> list[TargetSuggestion]:
    """Baseline and challenge targets per person and indicator (seed: 110% / 130% of the history's mean)."""
    from .advice.targets import suggest_targets

    frame = history if _is_frame(history) else load_history(cast("PathLike", history))
    return suggest_targets(frame, spec if isinstance(spec, Spec) else load_spec(spec), **options)


def split_target(total: float, weights: Sequence[float] | None = None, history: PathLike | pd.DataFrame | None = None,
                 indicator: str | None = None, decimals: int = 2) -> dict[str, Any]:
    """Annual → quarterly → monthly parts that add up exactly: by ``weights`` (seed 25/30/25/20) or
    the seasonality of ``history`` (``period, value[, indicator_id]``)."""
    from .advice.splits import MAX_UNITS, annual_plan, seasonal_weights
    from .tabular.read import read_table, require_columns

    quarter_weights: list[float]
    if history is not None:
        path = None if _is_frame(history) else cast("PathLike", history)
        frame = cast("pd.DataFrame", history) if path is None else read_table(path, HISTORY, ("period", "value"))
        if path is not None:
            require_columns(frame, ("period", "value"), path, HISTORY)
        if indicator:
            if "indicator_id" not in frame.columns:
                raise UsageError("bad-option", option="--indicator", value=indicator, allowed=Text("含 indicator_id 列的历史表", "a history with an indicator_id column"))
            frame = frame[frame["indicator_id"].astype(str) == indicator]
        try:
            quarter_weights = seasonal_weights(frame)
        except ValueError as exc:
            raise UsageError("no-seasonality", path=str(history) if not _is_frame(history) else "history",
                             detail=exc) from None
    else:
        quarter_weights = list(weights or (25, 30, 25, 20))
    try:
        plan = annual_plan(total, quarter_weights, decimals=decimals)
    except ValueError as exc:
        if not math.isfinite(total) or abs(total) * 10**decimals > MAX_UNITS:
            limit = f"{MAX_UNITS / 10**decimals:g}"
            raise UsageError("bad-option", option=Text("总数", "the total"), value=total,
                             allowed=Text(f"小于 {limit} 的有限数({decimals} 位小数时)", f"a finite number below {limit} (at {decimals} decimals)")) from None
        raise UsageError("bad-option", option="weights", value=list(quarter_weights), allowed=str(exc)) from None
    return {"total": total, "quarter_weights": quarter_weights, **plan}


def rollup(history: PathLike, year: int, weights: Mapping[str, float] | str | None = None,
           templates: Spec | PathLike | Mapping[str, Spec] | None = None) -> pd.DataFrame:
    """Each person's annual result for ``year`` from a consolidation history: the mean of their
    period totals (weighted by ``weights`` per period — ``{"Q4": 2}`` or ``"1,1,1,2"`` — if given),
    graded with their latest template's rules; ``missing`` lists periods without a result.

    Columns: ``employee_id, name, department, template, year, periods, missing, annual_total,
    grade, coefficient``; ``.attrs["findings"]`` holds a finding per person with missing periods.
    """
    import pandas as pd

    from .consolidation.rollup import ROLLUP_COLUMNS, parse_period_weights
    from .consolidation.rollup import rollup as _rollup

    per = parse_period_weights(weights) if isinstance(weights, str) or weights is None else dict(weights)
    results, unreadable = _rollup(Path(history), year, per, load_templates(templates) if templates is not None else None)
    frame = pd.DataFrame([r.row() for r in results], columns=list(ROLLUP_COLUMNS))
    frame.attrs["findings"] = unreadable + [finding("rollup-missing", file=str(history), employee_id=r.employee_id, name=r.name,
                                                    year=year, missing=" ".join(r.missing)) for r in results if r.missing]
    return frame


_FOLLOWUP = ("sendback", "chase", "status", "calibrate", "collect_calibration", "letters", "collect_talks", "appeal_forms",
             "collect_appeals", "final_pay")  # after consolidation (xl_kpi/followup, docs/followup.md)


_GOALS = ("build_goals", "collect_goals", "goal_rules", "change_target")  # the goal-setting round (xl_kpi/goals, docs/goals.md)


def __getattr__(name: str) -> Any:
    """Names re-exported from modules imported only when first used."""
    if name == "ImportedSpec":
        from .authoring import ImportedSpec

        return ImportedSpec
    if name in _FOLLOWUP:
        from .followup import api as followup

        return getattr(followup, name)
    if name in _GOALS:
        from .goals import api as goals

        return getattr(goals, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
