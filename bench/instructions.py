"""Instructions per return of the reader, counted by valgrind's callgrind: a figure no load on the machine moves
(CPU time on a shared two-core machine varies by 2x from minute to minute). The reader reads --sample returns of a
kind once and then twice in two runs under callgrind, one reader each as a worker keeps it; the difference over the
returns read is the figure. Uses the corpora bench_consolidate.py and profile_kinds.py build (bench/.cache).

Usage: .venv/bin/python bench/instructions.py [--kinds own,plain,practice] [--sample 100] [--files 2000] [--practice 400]
(needs valgrind; about 2-4 minutes a kind at a load of 10)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _read(kind: str, files: int, practice: int, sample: int, passes: int) -> None:
    from bench.bench_consolidate import CACHE
    from xl_kpi.consolidation.caches import ReaderCache
    from xl_kpi.consolidation.inputs import Source
    from xl_kpi.consolidation.reader import read_source
    from xl_kpi.consolidation.safety import Limits
    from xl_kpi.spec import load_specs

    specs, cache, limits = load_specs(ROOT / "workbook_templates"), ReaderCache(), Limits()
    if kind in ("practice", "plain"):
        chosen = sorted((CACHE / (f"returns-sales_supervisor-{practice}" if kind == "practice" else f"returns-{practice}")).rglob("*.xlsx"))
    else:  # as bench/resaved.py shares them out: 4 in 10 openpyxl, 1 LibreOffice, 5 xl-kpi's
        folder = CACHE / f"resaved-{files}"
        names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.xlsx"))
        share = {"openpyxl": range(4), "libreoffice": range(4, 5), "own": range(5, 10)}[kind]
        chosen = [folder / name for k, name in enumerate(names) if k % 10 in share]
    chosen = chosen[:sample]
    if len(chosen) < sample:
        raise SystemExit(f"{kind}: {len(chosen)} returns in the corpus, {sample} asked (build it with bench_consolidate.py)")
    for path in chosen[:30]:  # the reader's memory as a worker's after its first returns
        read_source(Source(str(path)), specs, limits, cache=cache)
    for _ in range(passes):
        for path in chosen:
            read_source(Source(str(path)), specs, limits, cache=cache)


def counted(script: str, *args: str) -> int:
    """Instructions callgrind counts for ``python script args`` (bench/build_instructions.py counts the build's too)."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-W", "ignore",
                           script, *args], capture_output=True, text=True, check=True)
    found = re.search(r"refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no count from callgrind: {done.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def _instructions(kind: str, args: argparse.Namespace, passes: int) -> int:
    return counted(__file__, "--child", kind, "--passes", str(passes), "--sample", str(args.sample), "--files", str(args.files),
                   "--practice", str(args.practice))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", default="own,plain,practice", help="own, openpyxl, libreoffice, plain, practice")
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--files", type=int, default=2000, help="the resaved-N corpus")
    parser.add_argument("--practice", type=int, default=400, help="the returns-sales_supervisor-N corpus")
    parser.add_argument("--child", default="")
    parser.add_argument("--passes", type=int, default=1)
    args = parser.parse_args()
    if args.child:
        _read(args.child, args.files, args.practice, args.sample, args.passes)
        return
    for kind in args.kinds.split(","):
        once, twice = _instructions(kind, args, 1), _instructions(kind, args, 2)
        print(f"{kind:12s} {(twice - once) / args.sample / 1000:,.0f}k instructions a return", flush=True)


if __name__ == "__main__":
    main()
