"""Where consolidation's time goes: per-file CPU of the reader vs a bare calamine read (one
process), the read and output phases of a whole run, and a cProfile of the reader.

Usage: .venv/bin/python bench/profile_consolidate.py [--files N] [--profile]
       .venv/bin/python bench/profile_consolidate.py --phases [--files N]: one whole run (default workers), the main
       process's CPU and wall time in each phase, and the CPU of its children (the workers, the summary writer)
(uses the corpus bench_consolidate.py builds and caches)."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--phases", action="store_true", help="only the phases of one whole run")
    args = parser.parse_args()
    if args.phases:
        run_phases(args.files)
        return
    from python_calamine import CalamineWorkbook

    import xl_kpi.consolidation as consolidation
    from bench.bench_consolidate import corpus
    from xl_kpi.consolidation.caches import ReaderCache
    from xl_kpi.consolidation.inputs import Source
    from xl_kpi.consolidation.reader import read_source
    from xl_kpi.consolidation.safety import Limits
    from xl_kpi.spec import load_specs

    folder = corpus(args.files)
    specs = load_specs(ROOT / "workbook_templates")
    files = sorted(folder.rglob("*.xlsx"))
    cache = ReaderCache()  # what a worker keeps across its files
    for f in files[:50]:
        read_source(Source(str(f)), specs, Limits(), cache=cache)
    start = time.perf_counter()
    for f in files:
        read_source(Source(str(f)), specs, Limits(), cache=cache)
    ours = (time.perf_counter() - start) / len(files) * 1000
    start = time.perf_counter()
    for f in files:
        CalamineWorkbook.from_path(str(f)).get_sheet_by_index(0).to_python()
    bare = (time.perf_counter() - start) / len(files) * 1000
    print(f"reader, one process: {ours:.2f} ms a file; bare calamine read of the scorecard sheet {bare:.2f} ms")
    phases: dict[str, float] = {}

    def timed(name, fn):
        def run(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                phases[name] = time.perf_counter() - t
        return run

    consolidation.run_consolidation = timed("read", consolidation.run_consolidation)
    consolidation.write_outputs = timed("outputs", consolidation.write_outputs)
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        consolidation.consolidate([folder], Path(out), specs)
        total = time.perf_counter() - t
    print(f"whole run on {len(files):,} files: {total:.2f} s = read {phases['read']:.2f} s + outputs {phases['outputs']:.2f} s")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [read_source(Source(str(f)), specs, Limits(), cache=cache) for f in files])
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def run_phases(n: int) -> None:
    """One whole run with timers around its phases (CPU of the main process: what the pool's workers and the
    summary writer do is the children's)."""
    import xl_kpi.consolidation as consolidation
    import xl_kpi.consolidation.outputs as outputs
    import xl_kpi.consolidation.runner as runner
    from bench.bench_consolidate import corpus
    from xl_kpi.consolidation.store import ResultStore
    from xl_kpi.spec import load_specs

    seen: list[tuple[str, float, float]] = []

    def timed(owner: object, name: str) -> None:
        fn = getattr(owner, name)

        def run(*a, **k):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **k)
            finally:
                seen.append((name, time.perf_counter() - wall, time.process_time() - cpu))
        setattr(owner, name, run)

    for owner, names in ((consolidation, ("discover", "run_consolidation", "write_outputs")), (ResultStore, ("finish",)),
                         (runner, ("run_period", "dedupe", "merge_ratings")), (outputs, ("write_csv_atomic", "append_history"))):
        for name in names:
            timed(owner, name)
    folder = corpus(n)
    specs = load_specs(ROOT / "workbook_templates")
    def children() -> float:
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        return used.ru_utime + used.ru_stime

    with tempfile.TemporaryDirectory() as out:
        wall, cpu, before = time.perf_counter(), time.process_time(), children()
        consolidation.consolidate([folder], Path(out), specs)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"whole run on {n:,} files: wall {wall:.2f} s; CPU: main {cpu:.3f} s, children {children() - before:.2f} s")
    for name, wall, cpu in seen:
        print(f"  {name:20s} wall {wall:.3f} s  CPU {cpu:.3f} s")


if __name__ == "__main__":
    main()
