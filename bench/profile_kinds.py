"""CPU per return of the reader, by kind of return, in one process, against a bare fastexcel read of the same
files' scorecard sheet (issue 32): xl-kpi's own returns, returns re-saved by openpyxl and by LibreOffice
(bench/resaved.py), returns of people with their own targets, and the full practice template's. Best of --rounds rounds of each; --profile adds a
cProfile of the reader per kind.

Usage: .venv/bin/python -W ignore bench/profile_kinds.py [--files N] [--sample N] [--rounds 3] [--profile]
(uses the corpora bench_consolidate.py builds and caches: returns-N, resaved-N, returns-sales_supervisor-M).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _targets_range(args: tuple[int, int, str]) -> None:
    import random

    from xl_kpi.demo import REVIEWS, simulate_card
    from xl_kpi.spec import load_spec
    from xl_kpi.spec.model import Person
    from xl_kpi.workbook import BuildOptions, build_employee_workbook

    start, stop, folder = args
    spec = load_spec(ROOT / "workbook_templates" / "sales_rep.yaml")
    rng = random.Random(start)
    for k in range(start, stop):
        person = Person(f"T{k:06d}", f"员工{k}", f"部门{k % 20}", "销售代表", "李四", "sales_rep", bonus_base=8000.0)
        own = {ind.id: round(ind.target * rng.uniform(0.9, 1.3), 2) for ind in spec.indicators if isinstance(ind.target, (int, float))}
        build_employee_workbook(Path(folder) / f"T{k:06d}.xlsx", spec, person,
                                BuildOptions(actuals={person.employee_id: simulate_card(spec.with_targets(own), rng)},
                                             texts={person.employee_id: dict(REVIEWS, comment="同意自评。")},
                                             targets={person.employee_id: own}))


def with_targets(n: int) -> list[Path]:
    """N returns of the sales card, each person with their own targets (as HR issues them from history): built once."""
    from concurrent.futures import ProcessPoolExecutor

    from bench.bench_consolidate import CACHE, _generator_digest

    folder = CACHE / f"returns-targets-{n}"
    stamp = CACHE / f"{folder.name}.sha256"
    if not (stamp.exists() and stamp.read_text() == _generator_digest() and len(list(folder.glob("*.xlsx"))) == n):
        folder.mkdir(parents=True, exist_ok=True)
        with ProcessPoolExecutor() as pool:
            list(pool.map(_targets_range, [(s, min(s + 100, n), str(folder)) for s in range(0, n, 100)]))
        stamp.write_text(_generator_digest())
    return sorted(folder.glob("*.xlsx"))


def kinds(files: int, practice: int, sample: int) -> dict[str, list[Path]]:
    from bench.bench_consolidate import CACHE

    out: dict[str, list[Path]] = {"own": [], "openpyxl": [], "libreoffice": []}
    folder = CACHE / f"resaved-{files}"
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.xlsx"))
    for k, name in enumerate(names):  # as bench/resaved.py shares them out: 4 in 10 openpyxl, 1 LibreOffice, 5 xl-kpi's
        kind = "openpyxl" if k % 10 < 4 else "libreoffice" if k % 10 == 4 else "own"
        if len(out[kind]) < sample:
            out[kind].append(folder / name)
    out["targets"] = with_targets(sample)
    if practice:
        out["practice"] = sorted((CACHE / f"returns-sales_supervisor-{practice}").rglob("*.xlsx"))[:sample]
        out["plain"] = sorted((CACHE / f"returns-{practice}").rglob("*.xlsx"))[:sample] or out["own"]
    return out


def _read(read_source, source, specs, limits, cache, path: Path):
    return read_source(source(str(path)), specs, limits, cache=cache)


def cpu_per_file(fn, files: list[Path], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.process_time()
        for f in files:
            fn(f)
        best = min(best, time.process_time() - start)
    return best / len(files) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000, help="the resaved-N corpus")
    parser.add_argument("--practice", type=int, default=2000, help="the returns-sales_supervisor-N corpus (0: none)")
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    import logging

    import fastexcel

    from xl_kpi.consolidation.caches import ReaderCache
    from xl_kpi.consolidation.inputs import Source
    from xl_kpi.consolidation.reader import read_source
    from xl_kpi.consolidation.safety import Limits
    from xl_kpi.spec import load_specs

    logging.getLogger("fastexcel").setLevel(logging.ERROR)
    specs = load_specs(ROOT / "workbook_templates")
    for kind, files in kinds(args.files, args.practice, args.sample).items():
        if args.only and kind not in args.only.split(","):
            continue
        if not files:
            raise SystemExit(f"no {kind} returns in bench/.cache: build the corpora first with bench/bench_consolidate.py "
                             f"--files {args.files} --resaved {args.files} --practice {args.practice}")
        read = partial(_read, read_source, Source, specs, Limits(), ReaderCache())  # the cache: what a worker keeps across files
        statuses = {r.status for f in files[:50] for r in read(f).records}
        ours = cpu_per_file(read, files, args.rounds)
        bare = cpu_per_file(lambda f: fastexcel.read_excel(str(f)).load_sheet(0, header_row=None), files, args.rounds)
        print(f"{kind:12s} {len(files):5d} files: reader {ours:.3f} ms, fastexcel {bare:.3f} ms, {ours / bare:.2f}x  {sorted(statuses)}",
              flush=True)
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(lambda: [read(f) for f in files])  # noqa: B023 - called at once, in this iteration
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
