"""Collecting goals workbooks against consolidating scorecards, same run, same people (issue 29's goal: collecting
1,000 goals workbooks within 1.5× of consolidating 1,000 scorecards).

Both are read from disk as HR receives them: the goals workbooks filled (openpyxl: targets, sentences, the
supervisor's word, the sign-off) and the scorecards built with actuals. Consolidation runs with one worker and
with its default; collecting goals is one process. The workbooks are made first and not timed; the runs are
interleaved three times and the best of each kept (the machine is shared).

Usage: .venv/bin/python bench/bench_goals.py [--people 1000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

import xl_kpi  # noqa: E402
from xl_kpi.goals.layout import GoalsLayout  # noqa: E402

ROUNDS = 3
TYPED = {0: {"proposed": 1.0, "text": "第三季度销售额完成率达到100%", "agreement": "同意"},
         1: {"proposed": 12, "text": "第三季度新增有效客户12个", "agreement": "调整", "sup_target": 13},
         2: {"proposed": 0.33, "text": "第三季度客户复购率达到33%", "agreement": "同意"},
         3: {"proposed": 0.95, "text": "提升费用管理", "agreement": "同意"}}


def _fill(path: Path, lay: GoalsLayout) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["目标设定"]
    cols = {k: i + 1 for i, k in enumerate(lay.columns)}
    for k, values in TYPED.items():
        for key, value in values.items():
            ws.cell(lay.role_row(k) + 1, cols[key]).value = value
    ws.cell(lay.signoff_row("supervisor") + 1, lay.SIGN_COL + 1).value = "李四"
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    n = parser.parse_args().people
    work = Path(tempfile.mkdtemp(prefix="bench-goals-"))
    try:
        specs = xl_kpi.load_templates(xl_kpi.bundled_templates() / "sales_rep.yaml")
        roster = pd.DataFrame([{"employee_id": f"E{k:05d}", "name": f"员工{k}", "department": f"部门{k % 10}", "position": "销售代表",
                                "manager": "李四", "template": "sales_rep", "period": "2026-Q3"} for k in range(n)])
        history = pd.DataFrame([{"employee_id": f"E{k:05d}", "indicator_id": "new_customers", "period": f"2026-Q{q}", "value": 10}
                                for k in range(n) for q in (1, 2)])
        start = time.perf_counter()
        goals = xl_kpi.build_goals(specs, roster, work / "goals", history=history)
        built_goals = time.perf_counter() - start
        lay = GoalsLayout(4, 1, 3)
        for path in goals:
            _fill(path, lay)
        actuals = {f"E{k:05d}": {"sales_rate": 1.02, "new_customers": 12, "repurchase_rate": 0.31, "expense_rate": 0.97} for k in range(n)}
        start = time.perf_counter()
        xl_kpi.build(specs, roster, work / "cards", actuals=actuals)
        built_cards = time.perf_counter() - start
        cards = sorted((work / "cards").rglob("*.xlsx"))
        timings: dict[str, float] = {}
        for run in range(ROUNDS):  # interleaved, the best of each: the machine is shared, its load changes under a run
            for label, workers in (("consolidate, 1 worker", 1), ("consolidate, default workers", None)):
                start = time.perf_counter()
                xl_kpi.consolidate(cards, work / f"out-{run}-{workers}", specs, issued=work / "cards" / "issued.sqlite", workers=workers)
                timings[label] = min(timings.get(label, float("inf")), time.perf_counter() - start)
            start = time.perf_counter()
            done = xl_kpi.collect_goals(goals, work / "goals" / "issued.sqlite", work / f"collected-{run}")
            timings["goals collect"] = min(timings.get("goals collect", float("inf")), time.perf_counter() - start)
            assert len(done.agreed) == n, len(done.agreed)
        print(f"{n} people; built {built_goals:.1f} s goals, {built_cards:.1f} s scorecards (not compared)")
        base = timings["consolidate, 1 worker"]
        for label, seconds in timings.items():
            print(f"{label:30s} {seconds:7.2f} s  {seconds / n * 1000:6.1f} ms/file  {seconds / base:5.2f}× consolidate (1 worker)")
        print(f"goals collect / consolidate (default workers): {timings['goals collect'] / timings['consolidate, default workers']:.2f}× "
              "(goal: ≤ 1.5×)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
