"""Per-call cost of each sheet function beside the engine call it translates, in whatever Python runs this.

``python bench/udf_timing.py direct|officejs [OUT.json]`` — ``direct`` calls the functions as classic
xlwings' CallUDF does once the values are converted; ``officejs`` sends each call through
``xlwings.server.custom_functions_call`` as xlwings Server and xlwings Lite do (needs
``XLWINGS_ON_SERVER=true`` before xlwings is imported). The engine call is timed in the same
process, on the same values. Standard library, xl-kpi and (for officejs) xlwings only, so
Pyodide runs this file as it is (``bench/bench_udfs.py`` drives it there).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from xl_kpi.advice.smart import check_smart, summary_line
from xl_kpi.methods import REGISTRY, band_score
from xl_kpi.scoring.engine import grade_for, weighted_total
from xl_kpi.spec.model import Grade, Indicator
from xl_kpi.udf import functions

GOAL = "第三季度客户满意度评分从85分提升至90分"


def _step() -> Indicator:
    params = REGISTRY["step"].params_class(step=0.01, above=1, below=2, cap=110)  # type: ignore[call-arg]
    return Indicator(id="s", name="s", weight=1.0, scoring=params, target=0.95)


def _linear() -> Indicator:
    return Indicator(id="l", name="l", weight=1.0, scoring=REGISTRY["linear"].params_class(), target=0.95)  # type: ignore[call-arg]


def calls() -> list[tuple[str, str, list[Any], Callable[[], Any]]]:
    """(label, function, arguments as xlwings hands them over, the engine call on the same values)."""
    step, linear = _step(), _linear()
    ts3, ss3 = [1.2, 1.1, 1.0], [100.0, 90.0, 80.0]
    ts5, ss5 = [1.4, 1.3, 1.2, 1.1, 1.0], [100.0, 90.0, 80.0, 70.0, 60.0]
    scores, weights = [80.0, 60.0, 100.0, 80.0], [0.4, 0.25, 0.2, 0.15]
    grades = [Grade(label, m) for m, label in zip([90, 80, 60, 0], ["优秀", "良好", "合格", "不合格"])]
    return [
        ("KPISCORE (3 bands)", "KPISCORE", [1.05, ts3, ss3, "higher", 0.0], lambda: band_score(1.05, ts3, ss3, "higher", 0.0)),
        ("KPISCORE (5 bands)", "KPISCORE", [1.05, ts5, ss5, "higher", 0.0], lambda: band_score(1.05, ts5, ss5, "higher", 0.0)),
        ("KPILINEAR", "KPILINEAR", [0.93, 0.95], lambda: REGISTRY["linear"].score(linear, 0.93)),
        ("KPISTEP", "KPISTEP", [0.93, 0.95, 0.01, 1.0, 2.0, 100.0, 0.0, 110.0], lambda: REGISTRY["step"].score(step, 0.93)),
        ("WEIGHTED_TOTAL (4)", "WEIGHTED_TOTAL", [scores, weights], lambda: weighted_total(scores, weights)),
        ("KPIGRADE (4)", "KPIGRADE", [85.5, [90.0, 80.0, 60.0, 0.0], ["优秀", "良好", "合格", "不合格"]], lambda: grade_for(85.5, grades)),
        ("SMARTCHECK (same goal)", "SMARTCHECK", [GOAL], lambda: summary_line(check_smart(GOAL))),
    ]


def _round_us(fn: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(calls):
        fn()
    return (time.perf_counter_ns() - start) / calls / 1000


def paired_us(host: Callable[[], Any], engine: Callable[[], Any], host_calls: int, engine_calls: int,
              rounds: int = 9) -> tuple[float, float, float]:
    """Median µs per call of each, and the median of the per-round ratios: each round times both back
    to back, so a busy machine slows both alike."""
    pairs = [(_round_us(host, host_calls), _round_us(engine, engine_calls)) for _ in range(rounds)]
    return (statistics.median(h for h, _ in pairs), statistics.median(e for _, e in pairs),
            statistics.median(h / e for h, e in pairs))


def _matrix(arg: Any) -> Any:
    """An argument as Office.js sends it: always a list of rows."""
    if isinstance(arg, list):
        return arg if arg and isinstance(arg[0], list) else [arg]
    return [[arg]]


def _officejs_call(fn: str, args: list[Any]) -> Callable[[], Any]:
    import xlwings
    import xlwings.server

    body = {"func_name": fn, "args": [_matrix(a) for a in args], "caller_address": "Sheet1!A1", "version": xlwings.__version__, "client": "Office.js", "runtime": "1.4",
            "culture_info_name": "zh-CN", "date_format": "yyyy/m/d"}

    def call() -> Any:
        coroutine = xlwings.server.custom_functions_call(body, functions)
        try:
            coroutine.send(None)
        except StopIteration as done:
            return done.value
        raise RuntimeError("the call waited")

    return call


def main(mode: str = "direct", out: str = "") -> list[dict[str, Any]]:
    result = []
    for label, fn, args, engine in calls():
        host = getattr(functions, fn)
        call = (lambda host=host, args=args: host(*args)) if mode == "direct" else _officejs_call(fn, args)
        call()  # warm: checked rules and tables memoised, as on every row after the first
        smart = "SMART" in label
        host_us, engine_us, ratio = paired_us(call, engine, 20000 if mode == "direct" else 300, 300 if smart else 20000)
        result.append({"call": label, "host_us": host_us, "engine_us": engine_us, "ratio": ratio})
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"mode": mode, "platform": sys.platform, "python": sys.version.split()[0], "rows": result}, f)
    return result


if __name__ == "__main__":
    main(*sys.argv[1:])
