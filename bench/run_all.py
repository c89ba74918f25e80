"""Run every benchmark in turn (each prints its own ratios against a same-run baseline).

Usage: .venv/bin/python bench/run_all.py [--quick]   (--quick: smaller sizes for a smoke run)
Record the printed figures in docs/benchmarks.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FULL = {
    "bench_engine.py": [],
    "bench_build.py": [],
    "bench_consolidate.py": ["--raters", "1000", "--goals", "1000"],
    "bench_udfs.py": [],
    "bench_smart.py": [],
    "bench_raters.py": [],
}
QUICK = {
    "bench_engine.py": ["--rows", "200000", "--loop-rows", "20000"],
    "bench_build.py": ["--people", "50", "--department", "20", "40"],
    "bench_consolidate.py": ["--files", "200", "--pandas-sample", "20", "--command-files", "200", "--practice", "200", "--resaved", "100",
                             "--raters", "50", "--goals", "50"],
    "bench_udfs.py": [],
    "bench_smart.py": [],
    "bench_raters.py": ["--people", "100", "--rounds", "1"],
}


def main() -> int:
    plan = QUICK if "--quick" in sys.argv else FULL
    failed = 0
    for script, args in plan.items():
        print(f"== {script} {' '.join(args)}", flush=True)
        failed += subprocess.run([sys.executable, "-W", "ignore", str(HERE / script), *args], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
