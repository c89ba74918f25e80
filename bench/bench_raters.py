"""Every rater in a workbook of their own (issue 26), against today's single file, in the same run.

N people (default 1,000) on the 360 card (self / supervisor / reviewer / 2 peers), in teams of four
with a supervisor each, a reviewer for every twenty, and two teammates rating each person. Every
input is pre-filled (each party's own file holding what that party types), so the returns are
complete as built:
  - build: today's build (one workbook per person, every rater's cells in it) vs the rating workbooks
    alone (``--books raters``: one per supervisor, reviewer and peer) and vs the whole separate build
    (the employees' workbooks and the raters');
  - consolidate (a fresh process each, HR's register, the default process pool): today's N returns vs
    the N employees' returns and their raters' workbooks, merged by (person, rater); the two runs
    interleaved ``--rounds`` times, the best of each (the machine may be shared).
Goals: the rating workbooks' build and the merged consolidation each <= 1.5x today's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xl_kpi.spec import load_spec  # noqa: E402
from xl_kpi.spec.model import Person  # noqa: E402

SPEC = ROOT / "tests" / "data" / "sales_360.yaml"


def people(n: int) -> list[Person]:
    """Teams of four, a supervisor each, a reviewer for every twenty; each person rated by two teammates."""
    out = []
    for k in range(n):
        team = k // 4
        mates = [f"E{team * 4 + j:06d}" for j in range(4) if team * 4 + j != k and team * 4 + j < n]
        peers = tuple(mates[(k + i) % len(mates)] for i in range(2)) if len(mates) >= 2 else ()
        out.append(Person(f"E{k:06d}", f"员工{k}", f"部门{team % 20}", "销售主管", f"M{team:05d}", "sales_360", bonus_base=8000.0,
                          reviewer=f"R{k // 20:04d}", peers=peers))
    return [p for p in out if len(p.peers) == 2]


def inputs(persons: list[Person]) -> dict[str, dict]:
    import random

    spec = load_spec(SPEC)
    rng = random.Random(26)
    out = {}
    for p in persons:
        card: dict = {"team_sales_rate": round(rng.uniform(0.85, 1.2), 3), "new_customers": rng.randint(20, 40),
                      "expense_rate": round(rng.uniform(0.85, 1.12), 3), "adj:praise": rng.randint(0, 2)}
        for ind in spec.indicators:
            if ind.rated:
                raters = [r for r in ind.raters if r != "peers"] + (["peers_1", "peers_2"] if "peers" in ind.raters else [])
                card[ind.id] = {r: rng.choice("ABC") for r in raters}
        out[p.employee_id] = card
    return out


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def child(folder: str, register: str, out: str) -> None:
    from xl_kpi.consolidation import consolidate
    from xl_kpi.sheet.register import load_register

    spec = load_spec(SPEC)
    start = time.perf_counter()
    result, _ = consolidate([Path(folder)], Path(out), {spec.id: spec}, register=load_register(Path(register)))
    elapsed = time.perf_counter() - start
    statuses: dict[str, int] = {}
    for r in result.records:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    print(f"{elapsed:.3f} {json.dumps(statuses)}")


def consolidate(folder: Path, register: Path) -> tuple[float, dict[str, int]]:
    with tempfile.TemporaryDirectory() as out:
        line = subprocess.run([sys.executable, __file__, "--child", str(folder), str(register), out], capture_output=True, text=True,
                              check=True).stdout.split(maxsplit=1)
    return float(line[0]), json.loads(line[1])


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="consolidation runs of each, interleaved (the best counts)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return {}
    from xl_kpi import api

    spec = load_spec(SPEC)
    persons = people(args.people)
    values = inputs(persons)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t_inline = timed(lambda: api.build(spec, persons, base / "inline", ratings="inline", actuals=values))
        t_raters = timed(lambda: api.build(spec, persons, base / "raters", books="raters", actuals=values))
        t_separate = timed(lambda: api.build(spec, persons, base / "separate", actuals=values))
        t_inline = min(t_inline, timed(lambda: api.build(spec, persons, base / "inline2", ratings="inline", actuals=values)))
        t_raters = min(t_raters, timed(lambda: api.build(spec, persons, base / "raters2", books="raters", actuals=values)))
        books = len(list((base / "raters").rglob("*.xlsx")))
        print(f"build: {len(persons):,} people on the 360 card: today's single files {t_inline:.2f} s; the {books:,} rating workbooks "
              f"alone {t_raters:.2f} s = {t_raters / t_inline:.2f}x  [goal <= 1.5x]; the whole separate build (employees' and "
              f"raters') {t_separate:.2f} s = {t_separate / t_inline:.2f}x")
        for name in ("inline", "separate"):
            shutil.move(base / name / "issued.sqlite", base / f"{name}.sqlite")
        rounds = [(consolidate(base / "inline", base / "inline.sqlite"), consolidate(base / "separate", base / "separate.sqlite"))
                  for _ in range(args.rounds)]  # interleaved, best of each: a machine shared with others slows both alike
        t_today, today = min((r[0] for r in rounds), key=lambda r: r[0])
        t_merged, merged = min((r[1] for r in rounds), key=lambda r: r[0])
        files = len(list((base / "separate").rglob("*.xlsx")))
        print(f"consolidate: today's {len(persons):,} single-file returns {t_today:.2f} s {today}; the {len(persons):,} employees' "
              f"returns and their raters' workbooks ({files:,} files) merged {t_merged:.2f} s {merged} = {t_merged / t_today:.2f}x  "
              f"[goal <= 1.5x]")
    return {"people": len(persons), "build_inline_s": t_inline, "build_raters_s": t_raters, "build_separate_s": t_separate,
            "rating_books": books, "consolidate_today_s": t_today, "consolidate_merged_s": t_merged, "files": files}


if __name__ == "__main__":
    main()
