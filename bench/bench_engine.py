"""Indicator rows scored per second: the vectorised table path vs a per-row Python loop.

Both run in the same process on the same rows (the seed's sales spec, actuals spread
around every threshold). Prints rows/s and the ratio. Goal: ≥ 1,000,000 rows/s, ≥ 20× loop.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xl_kpi.scoring.engine import score_indicator  # noqa: E402
from xl_kpi.scoring.vectorised import score_long  # noqa: E402
from xl_kpi.spec import load_spec  # noqa: E402


def make_rows(n: int, seed: int = 7) -> pd.DataFrame:
    spec = load_spec(ROOT / "workbook_templates" / "sales_rep.yaml")
    rng = np.random.default_rng(seed)
    ids = np.array([ind.id for ind in spec.indicators])
    ind = rng.integers(0, len(ids), n)
    targets = np.array([float(i.target) for i in spec.indicators])
    actual = targets[ind] * rng.uniform(0.7, 1.3, n)
    return pd.DataFrame({"employee_id": np.arange(n) // len(ids), "indicator_id": ids[ind], "actual": actual})


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--loop-rows", type=int, default=200_000)
    args = parser.parse_args()
    spec = load_spec(ROOT / "workbook_templates" / "sales_rep.yaml")
    frame = make_rows(args.rows)
    small = frame.iloc[: args.loop_rows]
    by_id = {i.id: i for i in spec.indicators}

    def loop() -> list:
        return [score_indicator(by_id[i], a) for i, a in zip(small["indicator_id"], small["actual"])]

    vec = best_of(lambda: score_long(spec, frame), 5)
    categorical = frame.assign(indicator_id=frame["indicator_id"].astype("category"))
    vec_cat = best_of(lambda: score_long(spec, categorical), 5)
    loop_t = best_of(loop, 2)
    loop_rate = args.loop_rows / loop_t
    result = {"vectorised_rows_per_s": args.rows / vec, "vectorised_categorical_rows_per_s": args.rows / vec_cat,
              "loop_rows_per_s": loop_rate}
    result["ratio"] = result["vectorised_rows_per_s"] / loop_rate
    result["ratio_categorical"] = result["vectorised_categorical_rows_per_s"] / loop_rate
    print(f"engine: loop {loop_rate:,.0f} rows/s ({args.loop_rows:,} rows); vectorised {result['vectorised_rows_per_s']:,.0f} rows/s "
          f"= {result['ratio']:.1f}x with string ids, {result['vectorised_categorical_rows_per_s']:,.0f} rows/s "
          f"= {result['ratio_categorical']:.1f}x with categorical ids ({args.rows:,} rows)  [goal >= 1,000,000 rows/s and >= 20x]")
    return result


if __name__ == "__main__":
    main()
