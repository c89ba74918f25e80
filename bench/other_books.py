"""The raters' and the goals workbooks in the consolidation benchmark's corpus (issue 32, item 4), each against a
bare fastexcel read of the same files' first sheet (the sheet each is read for), in the same run:

  - raters: N people on the 360 card (bench_raters.py's teams) issued "separate", every input pre-filled: the
    employees' returns and their supervisors', reviewers' and peers' rating workbooks, consolidated together
    (a fresh process, HR's register, the default process pool) and merged by (person, rater);
  - goals: N goals workbooks filled as bench_goals.py fills them (openpyxl: a re-save by another program, as
    an employee's goals come back), collected against HR's register (one process).

Used by ``bench/bench_consolidate.py --raters N --goals N``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

logging.getLogger("fastexcel").setLevel(logging.ERROR)  # not a line per column of mixed types: the figures are the output


def _best(fn: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _ratio_line(label: str, files: int, ours: float, fast: float, note: str = "") -> str:
    return (f"  {label}: {files:,} files {ours:.2f} s vs a bare fastexcel read of their first sheet {fast:.2f} s "
            f"-> ratio {ours / fast:.2f}x  [goal <= 1.0x]{note}")


def raters(n: int, bare: Callable[[list[Path]], None], rounds: int = 2) -> dict[str, float]:
    """Consolidating N employees' returns with their raters' workbooks vs a bare fastexcel read of them."""
    from bench import bench_raters
    from xl_kpi import api
    from xl_kpi.spec import load_spec

    spec = load_spec(bench_raters.SPEC)
    persons = bench_raters.people(n)
    work = Path(tempfile.mkdtemp(prefix="bench-raters-corpus-"))
    try:
        api.build(spec, persons, work / "books", actuals=bench_raters.inputs(persons))
        register = work / "issued.sqlite"
        shutil.move(work / "books" / "issued.sqlite", register)
        files = sorted((work / "books").rglob("*.xlsx"))
        ours, statuses = min((bench_raters.consolidate(work / "books", register) for _ in range(rounds)), key=lambda r: r[0])
        fast = _best(lambda: bare(files), rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(_ratio_line(f"raters: {len(persons):,} employees' returns and their raters' workbooks", len(files), ours, fast,
                      f" {statuses}"))
    return {"raters_files": len(files), "raters_s": ours, "raters_fastexcel_s": fast}


def goals(n: int, bare: Callable[[list[Path]], None], rounds: int = 2) -> dict[str, float]:
    """Collecting N filled goals workbooks vs a bare fastexcel read of them."""
    import pandas as pd

    import xl_kpi
    from bench import bench_goals
    from xl_kpi.goals.layout import GoalsLayout

    work = Path(tempfile.mkdtemp(prefix="bench-goals-corpus-"))
    try:
        specs = xl_kpi.load_templates(xl_kpi.bundled_templates() / "sales_rep.yaml")
        roster = pd.DataFrame([{"employee_id": f"E{k:05d}", "name": f"员工{k}", "department": f"部门{k % 10}", "position": "销售代表",
                                "manager": "李四", "template": "sales_rep", "period": "2026-Q3"} for k in range(n)])
        files = sorted(xl_kpi.build_goals(specs, roster, work / "goals"))
        lay = GoalsLayout(4, 1, 3)
        for path in files:
            bench_goals._fill(path, lay)
        runs = iter(range(rounds))

        def collect() -> None:
            done = xl_kpi.collect_goals(files, work / "goals" / "issued.sqlite", work / f"collected-{next(runs)}")
            assert len(done.agreed) == n, len(done.agreed)

        ours = _best(collect, rounds)
        fast = _best(lambda: bare(files), rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(_ratio_line(f"goals: {n:,} goals workbooks (re-saved by openpyxl) collected, one process", len(files), ours, fast))
    return {"goals_files": len(files), "goals_s": ours, "goals_fastexcel_s": fast}
