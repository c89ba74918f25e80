"""Consolidate returned scorecards: validate, recompute and report — safely, at any scale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core.errors import UsageError
from ..core.files import writing_to
from ..core.findings import Finding, finding
from ..sheet.register import Register
from ..spec.model import Person, Spec
from ..spec.scales import grade_scales
from .authority import Authority
from .distribution import TargetDistribution, check_distribution, parse_distribution
from .health import MIN_PEOPLE
from .history import append_history, read_history
from .inputs import Source, discover
from .outputs import output_lock, write_outputs
from .runner import Consolidation, run_consolidation
from .safety import Limits

__all__ = ["Consolidation", "Limits", "Source", "consolidate", "discover", "append_history", "read_history"]


def consolidate(paths: list[Path], outdir: Path, templates: dict[str, Spec] | None = None, roster: list[Person] | None = None,
                workers: int | None = None, scheduler: str | None = None, history: Path | None = None,
                target_distribution: TargetDistribution | str | None = None, limits: Limits = Limits(),
                progress: Callable[[int], None] = lambda n: None, on_sources: Callable[[int], None] = lambda n: None,
                register: Register | None = None, health_min_people: int = MIN_PEOPLE,
                period: str | None = None) -> tuple[Consolidation, dict[str, Path]]:
    """Read every returned file under ``paths`` and write the outputs into ``outdir``.

    Raises:
        UsageError: the output folder cannot be used, or the target distribution does not fit the grade
            scales of the roster's templates (checked before any file is read).
    """
    if isinstance(target_distribution, str):
        target_distribution = parse_distribution(target_distribution)
    if target_distribution is not None and roster is not None and templates is not None:
        expected = {p.template for p in roster}
        check_distribution(target_distribution, grade_scales([templates[t] for t in sorted(expected) if t in templates], "zh"))
    _outside_inputs(outdir, paths)
    with output_lock(outdir), writing_to(outdir):  # a full disk (the run's store, an output) is named, not a crash
        return _consolidate(paths, outdir, templates, roster, workers, scheduler, history, target_distribution, limits,
                            progress, on_sources, register, health_min_people, period)


def _outside_inputs(outdir: Path, paths: list[Path]) -> None:
    """Refuse an output folder that is, or is inside, an input folder: a later run would read the outputs."""
    out = outdir.resolve()
    for path in paths:
        inside = path.resolve()
        if path.is_dir() and (out == inside or inside in out.parents):
            raise UsageError("output-inside-input", output=outdir, input=path)


def _consolidate(paths: list[Path], outdir: Path, templates: dict[str, Spec] | None, roster: list[Person] | None,
                 workers: int | None, scheduler: str | None, history: Path | None, target_distribution: TargetDistribution | None,
                 limits: Limits, progress: Callable[[int], None], on_sources: Callable[[int], None],
                 register: Register | None, health_min_people: int = MIN_PEOPLE,
                 period: str | None = None) -> tuple[Consolidation, dict[str, Path]]:
    notes: list[Finding] = []
    sources = discover(paths, limits, notes)
    if not sources:  # an empty result is never a success
        notes.append(finding("no-returns", paths=", ".join(str(p) for p in paths)))
    on_sources(len(sources))
    result = run_consolidation(sources, templates, roster, workers, scheduler, limits, progress, workdir=outdir,
                               authority=Authority.of(register, roster), period=period, notes=notes)
    result.on_trust = register is None  # said once, by the command line and the summary: what only HR's register proves
    specs = {**result.specs, **(templates or {})}
    if target_distribution is not None:
        scales = grade_scales([specs[t] for t in sorted(result.store.templates()) if t in specs], "zh")
        result.store.add_issues([finding("distribution-not-applied", value=target_distribution.text, scale=where, why=why)
                                 for where, why in target_distribution.problems(scales)])
    expected: dict[str, int] | None = None
    missing: list[Person] = []
    if roster is not None:
        expected = {}
        for p in roster:
            expected[p.department] = expected.get(p.department, 0) + 1
        returned = {eid for eid, _, _ in result.store.people()}
        missing = [p for p in roster if p.employee_id not in returned]
    paths_out = write_outputs(outdir, result, specs, target_distribution, expected,
                              history or outdir / "history.sqlite", missing, health_min_people)
    return result, paths_out
