"""Scoring a DataFrame and consolidating returns, as the API offers them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..consolidation import ConsolidateOptions
from ..consolidation import run as _run
from ..consolidation.distribution import parse_distribution
from ..consolidation.outputs import issue_table, score_table
from ..consolidation.runner import Consolidation
from ..consolidation.safety import Limits
from ..core.errors import UsageError
from ..sheet.register import load_register
from ..spec.model import Person, Spec
from .loading import PathLike, _key, load_people, load_spec, load_templates

if TYPE_CHECKING:
    import pandas as pd


def _long(spec: Spec, actuals: pd.DataFrame) -> pd.DataFrame:
    """Actuals as the long table ``employee_id, indicator_id, actual`` (from long or wide input)."""
    import pandas as pd

    from ..scoring.frame import ACTUAL_COLUMNS

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

    from ..scoring.frame import score_frame

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
    from ..core.text import ui_lang

    return ui_lang()


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
