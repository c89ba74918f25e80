"""The Python API: a small, stable surface for notebooks and scripts (``docs/api.md``).

Each function takes what a pandas user has at hand (paths as ``str`` or ``Path``, DataFrames)
and returns plain data or DataFrames. Bad input raises the project's own exceptions (each a
``ValueError`` too) carrying the file, the place and the fix — the same text the command line
prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..core.errors import InputFileError, UsageError
from ..core.files import is_table
from ..core.findings import Finding, finding
from ..core.text import Text
from ..spec.loading import check_spec, spec_files
from ..spec.model import Person, Spec
from .history import HISTORY_COLUMNS, load_history, rollup, split_target, targets_from_history
from .loading import (
    PathLike,
    _is_frame,
    _key,
    bundled_templates,
    export_spec,
    import_table,
    load_people,
    load_spec,
    load_templates,
    new_sign_key,
    read_tables,
    write_imported,
)
from .results import ConsolidationResult, consolidate, score

# pandas, the table readers, the workbook writer and HR-table import are imported by the functions
# that use them: a command (or a script) that consolidates never pays for them.
if TYPE_CHECKING:
    import pandas as pd

    from ..authoring import ImportedSpec
    from ..followup.api import (
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
    from ..goals.api import build_goals, change_notice, change_target, collect_goals, goal_rules
    from ..workbook.build import Built

__all__ = ["rollup", "bundled_templates", "load_spec", "load_templates", "load_people", "score", "build", "new_sign_key", "consolidate", "check", "ConsolidationResult",
           "import_table", "export_spec", "ImportedSpec", "read_tables", "write_imported",
           "load_history", "targets_from_history", "split_target", "HISTORY_COLUMNS",
           "sendback", "chase", "status", "calibrate", "collect_calibration", "letters", "collect_talks",
           "appeal_forms", "collect_appeals", "final_pay", "build_goals", "collect_goals", "goal_rules", "change_target", "change_notice"]


def check(paths: PathLike | Sequence[PathLike]) -> list[Finding]:
    """Every finding about the specs at ``paths`` (files or folders): errors, warnings and SMART advice."""
    from ..advice.review import spec_advice

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
    from ..advice.cascade import cascade_findings
    from ..tabular.read import read_table, require_columns
    from ..tabular.targets import load_person_targets

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
          rater_passwords: Mapping[str, str] | None = None, from_results: PathLike | None = None,
          changes: PathLike | None = None, workers: int | None = None) -> Built:
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
        workers: processes writing the workbooks (default: one per CPU, for a build of 80 people or
            more; 1: this process alone). The workbooks are the same either way.
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
        changes: a register (``issued.sqlite``, or its folder) holding approved changes (``goals change``): each
            person's card is built with the latest approved targets and shows the change log on its
            目标确认记录 / Agreed goals sheet.
    """
    from ..spec.raters import has_other_inputs
    from ..tabular.agreements import load_agreements
    from ..tabular.raters import assign_raters
    from ..tabular.results import load_results
    from ..tabular.targets import load_person_targets
    from ..workbook import BuildOptions, build_all

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
    changed = None
    if changes is not None:  # approved mid-period changes: the latest targets, and their log on the card
        from ..goals.rebuild import apply_changes

        applied, changed = apply_changes(Path(changes), people, templates, own)
        own = applied or own
    total = sum(plan_weights)
    if len(plan_weights) != 4 or any(w < 0 for w in plan_weights) or total <= 0:
        raise UsageError("bad-option", option="plan_weights", value=list(plan_weights), allowed=Text("4 个不小于 0 的数,如 25,30,25,20", "4 numbers of 0 or more, e.g. 25,30,25,20"))
    options = BuildOptions(layout=layout, lang=lang, password=password, reviewer_password=reviewer_password,
                           formulas=formulas, targets=own, actuals=actuals,
                           texts=texts, plan_shares=tuple(w / total for w in plan_weights),  # type: ignore[arg-type]
                           sign_key=_key(sign_key), ratings=mode, books=books, raters=assigned, rater_passwords=passwords,
                           prior=prior, agreements=agreed, changes=changed, workers=workers or 0)
    built = build_all(templates, people, Path(outdir), options, progress)
    built.findings[:0] = notes
    return built


def _rater_list(raters: PathLike | pd.DataFrame | Mapping[str, Mapping[str, Sequence[str]]] | None,
                people: Sequence[Person]) -> Mapping[str, Mapping[str, Sequence[str]]] | None:
    """HR's rater list from a path, a DataFrame (``employee_id, rater, role``) or a mapping."""
    from ..tabular.raters import load_rater_list, rater_list_from_frame

    if raters is None or isinstance(raters, Mapping):
        return raters
    if _is_frame(raters):
        return rater_list_from_frame(raters, people)
    return load_rater_list(cast("PathLike", raters), people)


_FOLLOWUP = ("sendback", "chase", "status", "calibrate", "collect_calibration", "letters", "collect_talks", "appeal_forms",
             "collect_appeals", "final_pay")  # after consolidation (xl_kpi/followup, docs/followup.md)


_GOALS = ("build_goals", "collect_goals", "goal_rules", "change_target", "change_notice")  # the goal-setting round (xl_kpi/goals, docs/goals.md)


def __getattr__(name: str) -> Any:
    """Names re-exported from modules imported only when first used."""
    if name == "ImportedSpec":
        from ..authoring import ImportedSpec

        return ImportedSpec
    if name in _FOLLOWUP:
        from ..followup import api as followup

        return getattr(followup, name)
    if name in _GOALS:
        from ..goals import api as goals

        return getattr(goals, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
