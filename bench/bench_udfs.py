"""Per-call cost of each xlwings function on the Python side vs calling the engine directly,
same run, same inputs (as xlwings hands them over: lists and floats). Median of many calls.
Goal: KPISCORE with 3-5 bands <= 20 us median and <= 2x the engine call.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from udfs.kpi_udfs import KPIGRADE, KPISCORE, SMARTCHECK, WEIGHTED_TOTAL  # noqa: E402
from xl_kpi.advice.smart import check_smart, summary_line  # noqa: E402
from xl_kpi.methods import band_score
from xl_kpi.scoring.engine import grade_for, weighted_total  # noqa: E402
from xl_kpi.spec.model import Grade  # noqa: E402


def median_us(fn, calls: int = 20000, rounds: int = 7) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter_ns() - start) / calls / 1000)
    return statistics.median(samples)


def main() -> dict:
    rows = {}
    for n in (3, 5):
        ts = [1.0 + 0.1 * (n - 1 - k) for k in range(n)]
        ss = [100 - 10 * k for k in range(n)]
        udf = median_us(lambda ts=ts, ss=ss: KPISCORE(1.05, ts, ss, "higher", 0))
        engine = median_us(lambda ts=ts, ss=ss: band_score(1.05, ts, ss, "higher", 0))
        rows[f"KPISCORE ({n} bands)"] = (udf, engine)
    scores, weights = [80.0, 60.0, 100.0, 80.0], [0.4, 0.25, 0.2, 0.15]
    rows["WEIGHTED_TOTAL (4)"] = (median_us(lambda: WEIGHTED_TOTAL(scores, weights)), median_us(lambda: weighted_total(scores, weights)))
    mins, labels = [90, 80, 60, 0], ["优秀", "良好", "合格", "不合格"]
    grades = [Grade(label, m) for m, label in zip(mins, labels)]
    rows["KPIGRADE (4)"] = (median_us(lambda: KPIGRADE(85.5, mins, labels)), median_us(lambda: grade_for(85.5, grades)))
    text = "第三季度客户满意度评分从85分提升至90分"
    rows["SMARTCHECK"] = (median_us(lambda: SMARTCHECK(text), 500), median_us(lambda: summary_line(check_smart(text)), 500))
    for name, (udf, engine) in rows.items():
        print(f"{name:22s} udf {udf:7.2f} us   engine {engine:7.2f} us   ratio {udf / engine:5.2f}x")
    print("goal: KPISCORE <= 20 us median and <= 2x the engine call")
    return {k: {"udf_us": u, "engine_us": e, "ratio": u / e} for k, (u, e) in rows.items()}


if __name__ == "__main__":
    main()
