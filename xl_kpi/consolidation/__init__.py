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
from .distribution import TargetDistribution
from .health import MIN_PEOPLE
from .history import append_history, read_history
from .inputs import Source, discover
from .options import ConsolidateOptions
from .outputs import output_lock, write_outputs
from .runner import Consolidation, run_consolidation
from .safety import Limits

__all__ = ["Consolidation", "ConsolidateOptions", "Limits", "Source", "consolidate", "run", "discover", "append_history",
           "read_history"]


def consolidate(paths: list[Path], outdir: Path, templates: dict[str, Spec] | None = None, roster: list[Person] | None = None, *,
                workers: int | None = None, scheduler: str | None = None, history: Path | None = None,
                target_distribution: TargetDistribution | str | None = None, limits: Limits = Limits(),
                progress: Callable[[int], None] = lambda n: None, on_sources: Callable[[int], None] = lambda n: None,
                register: Register | None = None, health_min_people: int = MIN_PEOPLE,
                period: str | None = None) -> tuple[Consolidation, dict[str, Path]]:
    """Read every returned file under ``paths`` and write the outputs into ``outdir`` (each keyword is a
    :class:`ConsolidateOptions` field; :func:`run` takes the options made once).

    Raises:
        UsageError: an option cannot be read or used, the output folder cannot be used, or the target
            distribution does not fit the grade scales of the roster's templates (before any file is read).
    """
    return run(paths, outdir, ConsolidateOptions.of(templates, roster, workers=workers, scheduler=scheduler, history=history,
                                                    target_distribution=target_distribution, limits=limits, progress=progress,
                                                    on_sources=on_sources, register=register,
                                                    health_min_people=health_min_people, period=period))


def run(paths: list[Path], outdir: Path, options: ConsolidateOptions) -> tuple[Consolidation, dict[str, Path]]:
    """Read every returned file under ``paths`` as ``options`` say and write the outputs into ``outdir``.

    Raises:
        UsageError: the output folder is, or is inside, an input folder, or another run holds it.
    """
    _outside_inputs(outdir, paths)
    with output_lock(outdir), writing_to(outdir):  # a full disk (the run's store, an output) is named, not a crash
        return _consolidate(paths, outdir, options)


def _outside_inputs(outdir: Path, paths: list[Path]) -> None:
    """Refuse an output folder that is, or is inside, an input folder: a later run would read the outputs."""
    out = outdir.resolve()
    for path in paths:
        inside = path.resolve()
        if path.is_dir() and (out == inside or inside in out.parents):
            raise UsageError("output-inside-input", output=outdir, input=path)


def _consolidate(paths: list[Path], outdir: Path, options: ConsolidateOptions) -> tuple[Consolidation, dict[str, Path]]:
    notes: list[Finding] = []
    sources = discover(paths, options.limits, notes)
    if not sources:  # an empty result is never a success
        notes.append(finding("no-returns", paths=", ".join(str(p) for p in paths)))
    options.on_sources(len(sources))
    result = run_consolidation(sources, options, workdir=outdir, notes=notes)
    result.on_trust = options.register is None  # said once, by the command line and the summary: what only HR's register proves
    specs = {**result.specs, **(options.templates or {})}
    if options.target_distribution is not None:
        scales = grade_scales([specs[t] for t in sorted(result.store.templates()) if t in specs], "zh")
        result.store.add_issues([finding("distribution-not-applied", value=options.target_distribution.text, scale=where, why=why)
                                 for where, why in options.target_distribution.problems(scales)])
    expected: dict[str, int] | None = None
    missing: list[Person] = []
    if options.roster is not None:
        expected = {}
        for p in options.roster:
            expected[p.department] = expected.get(p.department, 0) + 1
        returned = {eid for eid, _, _ in result.store.people()}
        missing = [p for p in options.roster if p.employee_id not in returned]
    paths_out = write_outputs(outdir, result, specs, options, expected, missing)
    return result, paths_out
