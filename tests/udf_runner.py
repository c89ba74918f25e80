"""Run golden cases in whatever Python this is — CPython, or Pyodide with only the standard library.

Standard library and xl-kpi only: the Pyodide test hands this file to Pyodide as text, with the
cases as JSON. ``evaluate`` calls the sheet function a case names (a message result becomes
``{"error": True}``), or for an *engine* case scores the indicator through the spec's rules and
the engine.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from typing import Any

from xl_kpi.scoring.engine import score_indicator
from xl_kpi.spec.model import Indicator
from xl_kpi.spec.rules import parse_spec
from xl_kpi.udf import functions

ERROR = {"error": True}
_GRADES = [{"label": "A", "min": 0}]


def engine_score(ind: Indicator, actual: Any) -> Any:
    """What the engine makes of one input: the score, "" for a blank, an error where it refuses
    (a value outside what the method accepts, text for a number, an unknown level)."""
    if actual is None:
        return ""
    accepted = ind.method.input_range(ind)
    if isinstance(actual, dict):  # several kinds of event: the engine checks each count
        accepted = None
    if accepted is not None and not ind.method.label_input and not accepted[0] <= float(actual) <= accepted[1]:
        return ERROR
    try:
        score = score_indicator(ind, actual)
    except ValueError:
        return ERROR
    return "" if score is None else score


def _indicator(data: dict[str, Any]) -> Indicator:
    spec, problems = parse_spec({"id": "golden", "title": "golden", "period": "golden", "grades": _GRADES,
                                 "indicators": [{**data, "weight": 100}]}, "golden")
    assert spec is not None, [p.render("en") for p in problems]
    return spec.indicators[0]


def encode(value: Any) -> Any:
    """A function's result as the cases write it: a ``⚠`` message is an error."""
    if isinstance(value, str) and value.startswith("⚠"):
        return ERROR
    return value


def evaluate(case: dict[str, Any], module: Any = functions) -> Any:
    if case["fn"] is None:
        return engine_score(_indicator(case["indicator"]), case["args"][0])
    return encode(getattr(module, case["fn"])(*case["args"]))


def run(cases: list[dict[str, Any]], module: Any = functions) -> list[Any]:
    return [evaluate(case, module) for case in cases]


def main(cases_path: str, out_path: str, *options: str) -> None:
    """Evaluate the cases in ``cases_path`` into ``out_path``; ``--module=main`` calls xlwings Lite's main.py."""
    names = [o.split("=", 1)[1] for o in options if o.startswith("--module=")]
    module = importlib.import_module(names[0]) if names else functions
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)
    results = run(cases, module)
    numeric = ("numpy", "pandas", "yaml")
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({"results": results, "python": sys.version, "platform": sys.platform,
                   "loaded": sorted(m for m in sys.modules if m.split(".")[0] in numeric),
                   "importable": [m for m in numeric if importlib.util.find_spec(m) is not None],
                   "xl_kpi": functions.__file__, "module": getattr(module, "__file__", "")}, f, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:])
