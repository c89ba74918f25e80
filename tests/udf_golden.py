"""Golden cases for the sheet functions, generated from the engine over every rule and boundary.

Each case is one function call as Excel would make it (``fn``, ``args``: floats, text, None for a
blank, lists for ranges) and the engine's answer (``expect``): a number, a text, ``""`` for a blank,
a row of cells, or ``{"error": True}`` where the engine refuses the input (the function must then
give a ``⚠`` message). A case names its ``rule``. Rules with no sheet function (a method added
without one) are *engine* cases (``fn`` None): the indicator as YAML data and the actual, scored by
the core alone — in CPython and in Pyodide.

Sources: every registered method's sample indicators, probes and half-way values
(``tests/oracle.py``); whole cards of every bundled template, with raters, sections, adjustment
counts on and beyond every cap and veto marks in every spelling (``tests/workbook_cases.py``);
typed values as people type them; the SMART corpus (``tests/data/smart_examples.csv``); and
arguments a function must refuse. Every case runs in each host: CPython, Pyodide, the xlwings Server
call path, and a workbook computed by ``formulas``.
"""

from __future__ import annotations

import csv
import functools
import math
import random
from pathlib import Path
from typing import Any

from xl_kpi.advice.smart import check_smart, summary_line
from xl_kpi.core.rounding import ROUND_SCORE, excel_round
from xl_kpi.methods import REGISTRY
from xl_kpi.scoring.engine import clamp_adjustment, contribution, final_total, grade_for, score_card, weighted_total
from xl_kpi.scoring.inputs import read_count, read_mark
from xl_kpi.scoring.normalize import normalise_actual
from xl_kpi.spec.model import Indicator, Spec

from .oracle import HALF_WAY, SPECS
from .udf_runner import ERROR, engine_score
from .workbook_cases import cases as card_cases

Case = dict[str, Any]
DATA = Path(__file__).resolve().parent / "data"


def _expect(value: Any) -> Any:
    return "" if value is None else value


def method_call(ind: Indicator, actual: Any, shape: int = 0) -> tuple[str, list[Any]] | None:
    """The function call that scores ``actual`` by ``ind``'s rules, or None when its method has no function.

    ``shape`` varies how ranges arrive (0 a row, 1 a column, 2 reversed, 3 the actual as text).
    """
    sc, name = ind.scoring, ind.method.name
    if shape == 3 and isinstance(actual, float):
        actual = repr(actual)  # a number stored as text reads back exactly
    if name == "bands":
        ts, ss = list(sc.thresholds), list(sc.scores)
        if shape == 1:
            ts, ss = [[t] for t in ts], [[s] for s in ss]
        elif shape == 2:
            ts, ss = ts[::-1], ss[::-1]
        if sc.relative and actual is not None:
            actual = float(actual) / float(ind.target)  # type: ignore[arg-type]  # as the UDF workbook passes it
        return "KPISCORE", [actual, ts, ss, ind.direction, sc.otherwise]
    if name == "linear":
        return "KPILINEAR", [actual, ind.target, ind.direction, sc.floor, sc.cap]
    if name == "deduction":
        return "KPIDEDUCT", [actual, sc.per_unit, sc.start, sc.floor]
    if name == "events":  # the counts in the events' order (blank: every count blank); limits blank where a kind has none
        counts = [None if actual is None else actual.get(e.id) for e in sc.events]
        points, limits = [e.points for e in sc.events], [e.max for e in sc.events]
        if shape == 1:
            counts, points, limits = [[c] for c in counts], [[p] for p in points], [[m] for m in limits]
        return "KPIEVENTS", [counts, points, limits, sc.start, sc.floor, sc.cap]
    if name == "step":
        return "KPISTEP", [actual, ind.target, sc.step, sc.above, sc.below, sc.start, sc.floor, sc.cap, ind.direction, sc.relative,
                           *([sc.cutoff] if sc.cutoff is not None else [])]
    if name == "rank":
        return "KPIRANK", [actual, ind.target, sc.above, sc.below, sc.start, sc.floor, sc.cap]
    if name == "rating":
        labels, scores = [lv.label for lv in sc.levels], [lv.score for lv in sc.levels]
        return "KPIRATING", [actual, labels if shape != 1 else [[x] for x in labels], scores if shape != 1 else [[x] for x in scores]]
    return None


class _Cases:
    def __init__(self) -> None:
        self.items: list[Case] = []
        self.seen: set[str] = set()

    def add(self, rule: str, fn: str | None, args: list[Any], expect: Any, **extra: Any) -> None:
        key = repr((fn, args, extra.get("indicator")))
        if key not in self.seen:
            self.seen.add(key)
            self.items.append({"id": f"{rule}-{len(self.items)}", "rule": rule, "fn": fn, "args": args, "expect": expect, **extra})


def _sample_of(ind: Indicator) -> dict[str, Any] | None:
    for method in REGISTRY.values():
        for sample in method.samples():
            if sample["id"] == ind.id:
                return {k: v for k, v in sample.items() if k != "halfway"}
    return None


def _indicator_cases(out: _Cases, spec: Spec, rng: random.Random) -> None:
    """Every method: its probes, half-way values and values around the target, blank included."""
    for ind in spec.indicators:
        values: list[Any] = [None, *ind.method.probes(ind), *HALF_WAY.get(ind.id, [])]
        if not ind.method.label_input and isinstance(ind.target, (int, float)) and ind.target:
            values += [round(float(ind.target) * rng.uniform(0.5, 1.5), rng.choice([2, 3, 4])) for _ in range(24)]
        for k, actual in enumerate(values):
            expect = engine_score(ind, actual)
            call = method_call(ind, actual, k % 4)
            if call is not None:
                out.add(ind.method.name, call[0], call[1], expect)
            sample = _sample_of(ind)
            if sample is not None:  # the core alone, through the spec's own rules (every method, with or without a function)
                out.add(f"engine-{ind.method.name}", None, [actual], expect, indicator=sample)


def _card_cases(out: _Cases, spec: Spec) -> None:
    """Whole cards: raters, sections, the weighted score, adjustments, veto, total, grade, coefficient."""
    for k, case in enumerate(card_cases(spec, HALF_WAY)):
        result = score_card(spec, case)
        for ind in spec.indicators:
            if ind.rated:
                given = case.get(ind.id) or {}
                for r in ind.raters:
                    call = method_call(ind, given.get(r), k % 4)
                    if call is not None:
                        out.add(ind.method.name, *call, _expect(result.rater_scores[ind.id][r]))
                scores = [result.rater_scores[ind.id][r] for r in ind.raters]
                if len(ind.raters) == len(spec.raters):  # as the sheet: rated by some raters only, their weights are renormalised natively
                    out.add("raters", "WEIGHTED_TOTAL", [scores, [spec.rater(r).weight for r in ind.raters]], _expect(result.scores[ind.id]))
            else:
                call = method_call(ind, case.get(ind.id), k % 4)
                if call is not None:
                    out.add(ind.method.name, *call, _expect(result.scores[ind.id]))
        if spec.by_points:  # a card of points adds its points up (ROUND(SUM(…),2) on the sheet in every mode): no function to call
            if spec.sections and not spec.summed:
                out.add("weighted", "WEIGHTED_TOTAL", [[result.sections[s.id] for s in spec.sections], [s.weight for s in spec.sections]],
                        _expect(result.weighted))
        elif spec.sections:
            for s in spec.sections:
                members = spec.in_section(s.id)
                out.add("sections", "WEIGHTED_TOTAL", [[result.scores[i.id] for i in members], [i.weight for i in members]],
                        _expect(result.sections[s.id]))
            out.add("weighted", "WEIGHTED_TOTAL", [[result.sections[s.id] for s in spec.sections], [s.weight for s in spec.sections]],
                    _expect(result.weighted))
        else:
            out.add("weighted", "WEIGHTED_TOTAL", [[result.scores[i.id] for i in spec.indicators], [i.weight for i in spec.indicators]],
                    _expect(result.weighted))
        adjustment = None
        if spec.adjustments:
            items = spec.adjustments.items
            counts = [case.get(f"adj:{i.id}") for i in items]
            out.add("adjustments", "KPIADJUST", [counts, [i.points for i in items], [i.max for i in items], spec.adjustments.min,
                                                  spec.adjustments.max], result.adjustment)
            adjustment = result.adjustment
        marks = [case.get(f"veto:{v.id}") for v in spec.veto] or [None]
        out.add("veto" if spec.veto else "total", "KPITOTAL", [result.weighted, adjustment, marks], _expect(result.total))
        out.add("grades", "KPIGRADE", [result.total, [g.min for g in spec.grades], [g.label for g in spec.grades]],
                result.grade.label if result.grade else "")
        if spec.has_coefficients and result.grade is not None:
            out.add("coefficients", "KPICOEF", [result.grade.label, [g.label for g in spec.grades],
                                                [g.coefficient for g in spec.grades]], result.coefficient)


def _boundary_cases(out: _Cases, rng: random.Random) -> None:
    """Grades on and around every minimum, half-way rounding of totals and weighted scores."""
    spec = SPECS["sales_supervisor"]
    mins, labels = [g.min for g in spec.grades], [g.label for g in spec.grades]
    for g in spec.grades:
        for total in (g.min, g.min - 0.01, g.min + 0.01, g.min - 1e-9, g.min + 0.005):
            found = grade_for(total, spec.grades)
            out.add("grades", "KPIGRADE", [total, mins[::-1] if total > 60 else mins, labels[::-1] if total > 60 else labels],
                    found.label if found else "")
    for _ in range(120):
        n = rng.randint(2, 6)
        raw = [rng.randint(1, 9) for _ in range(n)]
        weights = [float(w) / sum(raw) for w in raw]
        weights[-1] = 1.0 - math.fsum(weights[:-1])
        scores: list[float | None] = [rng.choice([round(rng.uniform(0, 120), 2), round(rng.uniform(60, 100), 3), 80.005, 90.015])
                                      for _ in range(n)]
        if abs(math.fsum(weights) - 1) <= 1e-9:
            out.add("rounding", "WEIGHTED_TOTAL", [scores, weights], _expect(weighted_total(scores, weights)))
    for w in (80.005, 80.015, 89.995, 59.994999, 0.005, 2.675, 1.005, -0.005):
        for adj in (None, 0.0, 0.01, -100.0, 0.005):
            out.add("rounding", "KPITOTAL", [w, adj, [None]], _expect(final_total(w, adj, False)))
    counts = [[1, 0], [4, 3], [0, 9], [None, 2], [10, 10]]
    for c in counts:
        parts = [contribution(float(c[0] or 0), 2.0, 6.0), contribution(float(c[1] or 0), -3.0, 9.0)]
        out.add("adjustments", "KPIADJUST", [c, [2.0, -3.0], [6.0, 9.0], -10.0, 5.0], clamp_adjustment(parts, -10.0, 5.0))
    assert excel_round(80.005, ROUND_SCORE) == 80.01


TYPED = ["105%", "１０５％", " 1.05 ", "1,200", "1,200.5", "12个", "１１", "5", "250", "1050", "0.95", "95%", "-3", "nan", "inf",
         "1_000", "abc", "", "   ", "٣", "1e3", "3.", ".5", "+7", "12 个", "105 %", "１，２００", "50%", "0", "10"]


def _value_cases(out: _Cases) -> None:
    """Typed values read as the engine reads them (normalise_actual): units, percents, full-width, refusals."""
    for unit in ("%", "个", "万元", ""):
        ind = Indicator(id="value", name="KPIVALUE", weight=1.0, scoring=REGISTRY["linear"].params_class(), unit=unit)
        for typed in [*TYPED, 1.05, 250.0, -1.0, None]:
            norm = normalise_actual(ind, typed)
            out.add("normalise", "KPIVALUE", [typed, unit], ERROR if norm.error else _expect(norm.value))


TYPED_COUNTS = ["4次", "四", "４", " 2 ", "十", "3 times", "0", "1.5", "-1", "abc", "5%", "", None, 3.0, 1.5, -2.0, True]
TYPED_MARKS = ["是", "有", "Y", "yes", "√", "✓", "✔", "☑", " 是 ", "ＹＥＳ", "否", "无", "没有", "不是", "N", "No", "×", "✗", "0",
               "maybe", "1", "", None, True]


def _typed_input_cases(out: _Cases) -> None:
    """Adjustment counts and veto marks as typed, read as the engine reads them (scoring.inputs)."""
    for typed in TYPED_COUNTS:
        norm = read_count(typed)
        expect = ERROR if norm.error else clamp_adjustment([contribution(float(norm.value or 0), 2.0, 6.0)], -10.0, 5.0)
        out.add("counts", "KPIADJUST", [[typed, 1.0], [2.0, -3.0], [6.0, 9.0], -10.0, 5.0],
                ERROR if norm.error else clamp_adjustment([contribution(float(norm.value or 0), 2.0, 6.0), -3.0], -10.0, 5.0))
        out.add("counts", "KPIADJUST", [[typed], [2.0], [6.0], -10.0, 5.0], expect)
    for typed in TYPED_MARKS:
        norm = read_mark(typed)
        out.add("veto", "KPITOTAL", [80.0, 1.0, [typed]], ERROR if norm.error else final_total(80.0, 1.0, bool(norm.value)))
        out.add("veto", "KPITOTAL", [80.0, 1.0, [typed, "是"]], 0.0)  # a veto that applies decides
    for vetoes in (0.0, 1.0, 2.0):
        out.add("veto", "KPITOTAL", [80.0, 1.0, vetoes], final_total(80.0, 1.0, vetoes > 0))


def _smart_cases(out: _Cases) -> None:
    with (DATA / "smart_examples.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for k, row in enumerate(rows):
        result = check_smart(row["text"], row["lang"])
        out.add("smart", "SMARTCHECK", [row["text"], row["lang"]], summary_line(result))
        if k % 10 == 0:
            marks = {"pass": "✓", "fail": "✗", "unknown": "?"}
            detail = [[f"{c}{marks[getattr(result, key)]} {result.reasons[key]}"
                       for c, key in zip("SMART", ("specific", "measurable", "achievable", "relevant", "time_bound"))]]
            out.add("smart", "SMARTCHECK", [row["text"], row["lang"], True], detail, detail=True)


REFUSED: list[tuple[str, list[Any]]] = [
    ("KPISCORE", ["abc", [1.1, 1.0], [100, 80]]), ("KPISCORE", [True, [1.1, 1.0], [100, 80]]),
    ("KPISCORE", ["#N/A", [1.1, 1.0], [100, 80]]), ("KPISCORE", [1.0, [1.1, 1.0], [100]]),
    ("KPISCORE", [1.0, [1.1, 1.1], [100, 80]]), ("KPISCORE", [1.0, [1.1, "x"], [100, 80]]),
    ("KPISCORE", [1.0, [1.1, 1.0], [100, 80], "sideways"]), ("KPISCORE", [[1.0, 2.0], [1.1, 1.0], [100, 80]]),
    ("KPILINEAR", [0.9, 0.0]), ("KPILINEAR", [0.9, 1.0, "higher", 100, 50]), ("KPILINEAR", [0.9, None]),
    ("KPIDEDUCT", [-1.0, 20.0]), ("KPIDEDUCT", [1.0, 0.0]), ("KPIDEDUCT", [1.0, 20.0, 50, 80]),
    ("KPISTEP", [0.9, 1.0, 0.0, 1, 2]), ("KPISTEP", [0.9, 1.0, 0.01, 0, 0]), ("KPISTEP", [0.9, 1.0, 0.01, 1, 2, 100, 120, 110]),
    ("KPIRATING", ["E", ["A", "B"], [100, 80]]), ("KPIRATING", ["A", ["A", "a"], [100, 80]]), ("KPIRATING", ["A", ["A", "B"], [100]]),
    ("WEIGHTED_TOTAL", [[80, 80], [0.5, 0.45]]), ("WEIGHTED_TOTAL", [[80, 80], [0.5, 0.3, 0.2]]), ("WEIGHTED_TOTAL", [[80, 80], [0.5, None]]),
    ("WEIGHTED_TOTAL", [[80, "#DIV/0!"], [0.5, 0.5]]), ("WEIGHTED_TOTAL", [[80, 80], [0.5, 0.5], "maybe"]),
    ("KPIADJUST", [[1, 2], [2, -3, 1], [6, 9], -10, 5]), ("KPIADJUST", [[1], [2], [6], None, 5]),
    ("KPITOTAL", ["abc", 0, 0]), ("KPIGRADE", [85.0, [90, 80], ["A"]]), ("KPIGRADE", [85.0, [90, "x"], ["A", "B"]]),
    ("KPICOEF", ["S", ["A", "B"], [1.2, 1.0]]), ("KPICOEF", ["A", ["A", "B"], [1.2]]),
    ("KPILINEAR", ["⚠ 上游 / upstream", 1.0]), ("WEIGHTED_TOTAL", [["⚠ 上游 / upstream", 80], [0.5, 0.5]]),
]


@functools.cache
def golden_cases() -> tuple[Case, ...]:
    """Every golden case (more than a thousand), in a fixed order (seeded)."""
    rng = random.Random(20261207)
    out = _Cases()
    _indicator_cases(out, SPECS["all_methods"], rng)
    for spec_id in sorted(SPECS):
        _card_cases(out, SPECS[spec_id])
    _boundary_cases(out, rng)
    _value_cases(out)
    _typed_input_cases(out)
    _smart_cases(out)
    for fn, args in REFUSED:
        out.add("refused", fn, args, ERROR)
    return tuple(out.items)
