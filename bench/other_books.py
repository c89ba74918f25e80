"""The raters' and the goals workbooks in the consolidation benchmark's corpus (issue 32, item 4), each against a
bare fastexcel read of the same files' first sheet (the sheet each is read for), in the same run:

  - raters: N people on the 360 card (bench_raters.py's teams) issued "separate", every input pre-filled: the
    employees' returns and their supervisors', reviewers' and peers' rating workbooks, consolidated together
    (a fresh process, HR's register, the default process pool) and merged by (person, rater);
  - goals: N goals workbooks filled as bench_goals.py fills them (openpyxl: a re-save by another program, as
    an employee's goals come back), collected against HR's register (one process).

Used by ``bench/bench_consolidate.py --raters N --goals N``; the corpora are built once per version of the code that
writes them and kept under bench/.cache (``raters_corpus``, ``goals_corpus``: also read by ``bench/instructions_books.py``).
"""

from __future__ import annotations

import hashlib
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


ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
READERS = {"collect.py", "read_goals.py", "agreement_read.py"}  # the goals package's reading side: a change there keeps the corpus


def _digest(extra: list[Path]) -> str:
    """The code that writes a corpus (bench_consolidate's writers, plus ``extra``): a corpus another version wrote is
    built again, never measured; a change to the readers keeps it."""
    from bench.bench_consolidate import _generator_digest

    digest = hashlib.sha256(_generator_digest().encode("ascii"))
    for path in extra:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _cached(name: str, digest: str, build: Callable[[Path], None]) -> Path:
    folder = CACHE / name
    stamp = CACHE / f"{name}.sha256"  # beside the corpus, not in it
    if stamp.exists() and stamp.read_text() == digest and (folder / "issued.sqlite").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=CACHE))  # moved in place once whole: a build cut short is never taken
    try:
        build(work)
        work.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    stamp.write_text(digest)
    return folder


def raters_corpus(n: int) -> Path:
    """N people on the 360 card issued "separate" (bench_raters.py's teams): ``books/`` (the employees' and the raters'
    workbooks) and HR's register ``issued.sqlite`` beside it; built once per version of the writers."""
    from bench import bench_raters

    def build(work: Path) -> None:
        from xl_kpi import api
        from xl_kpi.spec import load_spec

        persons = bench_raters.people(n)
        api.build(load_spec(bench_raters.SPEC), persons, work / "books", actuals=bench_raters.inputs(persons))
        shutil.move(work / "books" / "issued.sqlite", work / "issued.sqlite")

    extra = [bench_raters.SPEC, ROOT / "bench" / "bench_raters.py"]
    return _cached(f"raters-{n}", _digest(extra), build)


def goals_corpus(n: int) -> Path:
    """N goals workbooks filled as bench_goals.py fills them (``goals/``) and HR's register ``issued.sqlite`` beside
    them; built once per version of the writers (the goals package's reading side aside)."""
    from bench import bench_goals

    def build(work: Path) -> None:
        import pandas as pd

        import xl_kpi
        from xl_kpi.goals.layout import GoalsLayout

        specs = xl_kpi.load_templates(xl_kpi.bundled_templates() / "sales_rep.yaml")
        roster = pd.DataFrame([{"employee_id": f"E{k:05d}", "name": f"员工{k}", "department": f"部门{k % 10}", "position": "销售代表",
                                "manager": "李四", "template": "sales_rep", "period": "2026-Q3"} for k in range(n)])
        lay = GoalsLayout(4, 1, 3)
        for path in xl_kpi.build_goals(specs, roster, work / "goals"):
            bench_goals._fill(path, lay)
        shutil.move(work / "goals" / "issued.sqlite", work / "issued.sqlite")

    goals_code = sorted(p for p in (ROOT / "xl_kpi" / "goals").glob("*.py") if p.name not in READERS)
    return _cached(f"goals-{n}", _digest([*goals_code, ROOT / "bench" / "bench_goals.py"]), build)


def raters(n: int, bare: Callable[[list[Path]], None], rounds: int = 2) -> dict[str, float]:
    """Consolidating N employees' returns with their raters' workbooks vs a bare fastexcel read of them."""
    from bench import bench_raters

    folder = raters_corpus(n)
    files = sorted((folder / "books").rglob("*.xlsx"))
    ours, statuses = min((bench_raters.consolidate(folder / "books", folder / "issued.sqlite") for _ in range(rounds)),
                         key=lambda r: r[0])
    fast = _best(lambda: bare(files), rounds)
    print(_ratio_line(f"raters: {len(bench_raters.people(n)):,} employees' returns and their raters' workbooks", len(files), ours, fast,
                      f" {statuses}"))
    return {"raters_files": len(files), "raters_s": ours, "raters_fastexcel_s": fast}


def goals(n: int, bare: Callable[[list[Path]], None], rounds: int = 2) -> dict[str, float]:
    """Collecting N filled goals workbooks vs a bare fastexcel read of them (each collection against a fresh copy of
    the register, as HR's first collection of the round)."""
    import xl_kpi

    folder = goals_corpus(n)
    files = sorted((folder / "goals").rglob("*.xlsx"))
    work = Path(tempfile.mkdtemp(prefix="bench-goals-"))
    try:
        runs = iter(range(rounds))

        def collect() -> None:
            k = next(runs)
            register = work / f"issued-{k}.sqlite"
            shutil.copy(folder / "issued.sqlite", register)
            start = time.perf_counter()
            done = xl_kpi.collect_goals(files, register, work / f"collected-{k}")
            times.append(time.perf_counter() - start)
            assert len(done.agreed) == n, len(done.agreed)

        times: list[float] = []
        for _ in range(rounds):
            collect()
        ours = min(times)
        fast = _best(lambda: bare(files), rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(_ratio_line(f"goals: {n:,} goals workbooks (re-saved by openpyxl) collected, one process", len(files), ours, fast))
    return {"goals_files": len(files), "goals_s": ours, "goals_fastexcel_s": fast}
