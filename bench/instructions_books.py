"""Instructions per file of the raters' and the goals workbooks' paths, counted by valgrind's callgrind (a figure no
load on the machine moves), as bench/instructions.py counts the reader's on scorecards. Each figure is the difference
of two runs under callgrind that differ only in the work counted, over the files or people that differ:

  - rating: the reader on the raters' own workbooks (one reader, HR's register, as a worker keeps them), per workbook;
  - rated: the reader on the employees' returns issued with separate ratings, per return;
  - merge: the raters' merge (every part into the person's own return, scored), per person: the same corpus read
    into a store, then merged or not;
  - goals: collecting goals workbooks (read, checked, the CSVs and the register written), per workbook: the first
    --goals/2 files against the first --goals (a fresh copy of the register each).

The corpora are bench/other_books.py's (bench/.cache). ``--code`` measures another checkout's xl_kpi on them (main's,
for a comparison in the same minutes).

Usage: .venv/bin/python bench/instructions_books.py [--kinds rating,rated,merge,goals] [--people 200] [--goals 400] [--code PATH]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "data" / "sales_360.yaml"  # bench_raters.SPEC (not imported in the child: it imports xl_kpi)


def _raters(folder: Path, kind: str, passes: int) -> None:
    from xl_kpi.consolidation.caches import ReaderCache
    from xl_kpi.consolidation.inputs import Source
    from xl_kpi.consolidation.reader import read_source
    from xl_kpi.consolidation.safety import Limits
    from xl_kpi.sheet.register import load_register
    from xl_kpi.spec import load_spec

    spec = load_spec(SPEC)
    register, templates, cache = load_register(folder / "issued.sqlite"), {spec.id: spec}, ReaderCache()
    files = sorted((folder / "books").rglob("*.xlsx"))
    if kind == "merge":
        _merge(files, templates, register, passes)
        return
    chosen = [f for f in files if (f.parent.name == "评分表") == (kind == "rating")]
    for path in chosen[:30]:  # the reader's memory as a worker's after its first files
        read_source(Source(str(path)), templates, Limits(), register, cache=cache)
    for _ in range(passes):
        for path in chosen:
            read_source(Source(str(path)), templates, Limits(), register, cache=cache)


def _merge(files: list[Path], templates: dict, register: object, merge: int) -> None:
    from xl_kpi.consolidation.authority import Authority
    from xl_kpi.consolidation.inputs import Source
    from xl_kpi.consolidation.keep import dedupe, run_period
    from xl_kpi.consolidation.merge import merge_ratings
    from xl_kpi.consolidation.runner import read_packed
    from xl_kpi.consolidation.safety import Limits
    from xl_kpi.consolidation.store import ResultStore

    with tempfile.TemporaryDirectory() as work:
        store = ResultStore(Path(work))
        store.add(read_packed([Source(str(f)) for f in files], templates, Limits(), Authority(register)))  # type: ignore[arg-type]
        store.finish()
        period = run_period(store, None)
        dedupe(store)
        if merge:
            merge_ratings(store, period)
        store.close()


def _goals(folder: Path, count: int) -> None:
    from xl_kpi.goals.collect import collect_goals  # not through the API (it imports pandas: minutes under callgrind)

    files = sorted((folder / "goals").rglob("*.xlsx"))[:count]
    with tempfile.TemporaryDirectory() as work:
        shutil.copy(folder / "issued.sqlite", Path(work) / "issued.sqlite")
        done = collect_goals(files, Path(work) / "issued.sqlite", Path(work) / "out")
        assert len(done.agreed) == count, len(done.agreed)


def _instructions(args: argparse.Namespace, kind: str, passes: int, folder: Path) -> int:
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-W", "ignore", __file__,
                           "--child", kind, "--passes", str(passes), "--folder", str(folder), "--goals", str(args.goals),
                           "--code", args.code], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{kind}: the run under callgrind failed: {done.stderr[-1500:]}")
    found = re.findall(r"refs:\s+([\d,]+)", done.stderr)
    if not found:
        raise SystemExit(f"no count from callgrind: {done.stderr[-500:]}")
    return int(found[-1].replace(",", ""))  # the process measured (a forked child, if any, reports first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kinds", default="rating,rated,merge,goals")
    parser.add_argument("--people", type=int, default=200, help="people of the raters' corpus (bench/other_books.py)")
    parser.add_argument("--goals", type=int, default=400, help="goals workbooks: the figure is of the last half")
    parser.add_argument("--code", default=str(ROOT), help="the checkout whose xl_kpi is measured")
    parser.add_argument("--child", default="")
    parser.add_argument("--folder", default="", help=argparse.SUPPRESS)
    parser.add_argument("--passes", type=int, default=1)
    args = parser.parse_args()
    if args.child:  # the corpus is the parent's; the code measured is --code's (its xl_kpi first on the path)
        sys.path.insert(0, str(Path(args.code).resolve()))
        if args.child == "goals":
            _goals(Path(args.folder), args.goals // 2 * args.passes)
        else:
            _raters(Path(args.folder), args.child, args.passes)
        return
    sys.path.insert(0, str(ROOT))
    from bench.bench_raters import people
    from bench.other_books import goals_corpus, raters_corpus

    rated = len(people(args.people))
    for kind in args.kinds.split(","):
        if kind == "goals":
            folder = goals_corpus(args.goals)  # built here, not under callgrind
            once, twice = _instructions(args, kind, 1, folder), _instructions(args, kind, 2, folder)
            count, unit = args.goals // 2, "workbook collected"
        else:
            folder = raters_corpus(args.people)
            once = _instructions(args, kind, 0 if kind == "merge" else 1, folder)
            twice = _instructions(args, kind, 1 if kind == "merge" else 2, folder)
            books = sorted((folder / "books").rglob("*.xlsx"))
            count = rated if kind in ("merge", "rated") else sum(f.parent.name == "评分表" for f in books)
            unit = {"merge": "person merged", "rated": "employee's return", "rating": "rating workbook"}[kind]
        print(f"{kind:8s} {(twice - once) / count / 1000:,.0f}k instructions per {unit} ({count} counted)", flush=True)


if __name__ == "__main__":
    main()
