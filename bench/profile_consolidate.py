"""Where consolidation's time goes: per-file CPU of the reader vs a bare calamine read (one
process), the read and output phases of a whole run, and a cProfile of the reader.

Usage: .venv/bin/python bench/profile_consolidate.py [--files N] [--profile]
(uses the corpus bench_consolidate.py builds and caches)."""

from __future__ import annotations

import argparse
import cProfile
import pstats
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
