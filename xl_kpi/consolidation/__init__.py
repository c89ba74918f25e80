"""Consolidate returned scorecards: validate, recompute and report — safely, at any scale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..spec.model import Person, Spec
from .distribution import parse_distribution
from .history import append_history, read_history
from .inputs import Source, discover
from .outputs import write_outputs
from .runner import Consolidation, run_consolidation
from .safety import Limits

__all__ = ["Consolidation", "Limits", "Source", "consolidate", "discover", "append_history", "read_history"]


def consolidate(paths: list[Path], outdir: Path, templates: dict[str, Spec] | None = None, roster: list[Person] | None = None,
                workers: int | None = None, scheduler: str | None = None, history: Path | None = None,
                target_distribution: str | None = None, limits: Limits = Limits(),
                progress: Callable[[int], None] = lambda n: None, on_sources: Callable[[int], None] = lambda n: None,
                ) -> tuple[Consolidation, dict[str, Path]]:
    """Read every returned file under ``paths`` and write the outputs into ``outdir``."""
    parse_distribution(target_distribution)  # a bad argument is a usage error before any file is read
    sources = discover(paths, limits)
    on_sources(len(sources))
    result = run_consolidation(sources, templates, roster, workers, scheduler, limits, progress, workdir=outdir)
    expected: dict[str, int] | None = None
    missing: list[Person] = []
    if roster is not None:
        expected = {}
        for p in roster:
            expected[p.department] = expected.get(p.department, 0) + 1
        returned = {eid for eid, _, _ in result.store.people()}
        missing = [p for p in roster if p.employee_id not in returned]
    paths_out = write_outputs(outdir, result, {**result.specs, **(templates or {})}, target_distribution, expected,
                              history or outdir / "history.sqlite", missing)
    return result, paths_out
