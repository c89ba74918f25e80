"""The sheet functions are thin adapters: same numbers as the engine, readable messages for
everything Excel can hand them, xlwings' own argument conversion applied first, the stubs classic
xlwings writes, and the checked rules and SMART verdicts kept for the next call with the same cells.
(Every rule in every host: tests/test_udf_hosts.py.)"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_kpi.scoring.engine import score_card, score_indicator, weighted_total
from xl_kpi.udf.functions import KPIGRADE, KPISCORE, SMARTCHECK, WEIGHTED_TOTAL

SALES_T, SALES_S = [1.1, 1.0, 0.9], [100, 80, 60]


def test_seed_worked_example_through_the_functions(sales):
    seed = {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95}
    scores = []
    for ind in sales.indicators:
        sc = ind.scoring
        scores.append(KPISCORE(seed[ind.id], list(sc.thresholds), list(sc.scores), ind.direction, sc.otherwise))
    assert scores == [80, 80, 80, 80]
    total = WEIGHTED_TOTAL(scores, [40, 25, 20, 15])
    assert total == score_card(sales, seed).total == 80
    assert KPIGRADE(total, [90, 80, 60, 0], ["优秀", "良好", "合格", "不合格"]) == "良好"


@given(st.floats(min_value=0, max_value=5, allow_nan=False))
def test_kpiscore_equals_the_engine_for_every_actual(sales, actual):
    for ind in sales.indicators:
        sc = ind.scoring
        assert KPISCORE(actual, list(sc.thresholds), list(sc.scores), ind.direction, sc.otherwise) == score_indicator(ind, actual)


@pytest.mark.parametrize("order", [[0, 1, 2], [2, 1, 0], [1, 0, 2]])
@pytest.mark.parametrize("shape", ["row", "column", "tuple"])
def test_bands_in_any_order_and_shape(order, shape):
    ts = [SALES_T[i] for i in order]
    ss = [SALES_S[i] for i in order]
    if shape == "column":
        ts, ss = [[t] for t in ts], [[s] for s in ss]
    elif shape == "tuple":
        ts, ss = ((tuple(ts),)), ((tuple(ss),))
    assert [KPISCORE(a, ts, ss) for a in (1.1, 1.05, 0.9, 0.89)] == [100, 80, 60, 0]


@pytest.mark.parametrize(("actual", "expected"), [
    (None, ""), ("", ""), ("  ", ""), (float("nan"), ""),
    ("105%", 80), ("１．１", 100), (" 1.1 ", 100), ("1.1", 100), (1, 80),
])
def test_what_excel_hands_over_as_an_actual(actual, expected):
    assert KPISCORE(actual, SALES_T, SALES_S) == expected


@pytest.mark.parametrize(("actual", "fragment"), [
    (-2146826281, "#DIV/0!"), (-2146826246, "#N/A"), ("#VALUE!", "#VALUE!"), (True, "TRUE/FALSE"),
    ("abc", "not a number"), (float("inf"), "finite"),
])
def test_unusable_actuals_give_a_message_not_a_crash(actual, fragment):
    out = KPISCORE(actual, SALES_T, SALES_S)
    assert isinstance(out, str) and out.startswith("⚠") and fragment in out


def test_direction_words_and_bad_arguments():
    assert KPISCORE(0.95, [0.9, 1.0, 1.1], SALES_S, "低") == 80
    assert KPISCORE(0.95, [0.9, 1.0, 1.1], SALES_S, "LOWER") == 80
    assert KPISCORE(1.2, [0.9, 1.0, 1.1], SALES_S, "lower", 5) == 5
    assert "direction" in KPISCORE(1, SALES_T, SALES_S, "sideways")
    assert "length" in KPISCORE(1, SALES_T, [100, 80])
    assert "twice" in KPISCORE(1, [1, 1], [100, 80])
    assert "threshold" in KPISCORE(1, ["x", 1], [100, 80])


def test_weighted_total_notations_blanks_partial_and_bad_weights():
    assert WEIGHTED_TOTAL([100, 60, 80, 0], [0.4, 0.25, 0.2, 0.15]) == weighted_total([100, 60, 80, 0], [0.4, 0.25, 0.2, 0.15])
    assert WEIGHTED_TOTAL([[80.01], [80.02]], [["50%"], ["50%"]]) == 80.02  # half-way rounds away from zero
    assert WEIGHTED_TOTAL([80, None, 80], [40, 30, 30]) == ""
    assert WEIGHTED_TOTAL([80, None, 60], [40, 30, 30], True) == weighted_total([80, 60], [0.4, 0.3])
    assert "95%" in WEIGHTED_TOTAL([80, 80], [0.5, 0.45])
    assert "2 scores but 3 weights" in WEIGHTED_TOTAL([80, 80], [0.5, 0.3, 0.2])
    assert "#N/A" in WEIGHTED_TOTAL([80, -2146826246], [0.5, 0.5])


def test_kpigrade_any_order_and_blank():
    assert KPIGRADE(89.99, [0, 90, 60, 80], ["不合格", "优秀", "合格", "良好"]) == "良好"
    assert KPIGRADE(90, ((90, 80, 60, 0),), (("A", "B", "C", "D"),)) == "A"
    assert KPIGRADE(None, [0], ["x"]) == ""
    assert "length" in KPIGRADE(50, [0, 60], ["x"])


def test_smartcheck_short_and_detail_forms():
    assert SMARTCHECK("提升客户满意度") == "S✓ M✗ A? R? T✗ · 缺少量化标准和时限"
    assert SMARTCHECK("第三季度客户满意度评分从85分提升至90分").endswith("符合SMART")
    row = SMARTCHECK("improve customer satisfaction", "en", True)
    assert len(row) == 1 and len(row[0]) == 5 and row[0][1].startswith("M✗")
    assert SMARTCHECK(None) == ""


class _StandInEngine:
    """xlwings' read pipeline needs an engine only to clean raw COM values; on Windows that
    stage turns error codes into None (or text with err_to_str) and keeps the rest."""

    name = "excel"
    type = "desktop"

    class impl:  # noqa: N801 - mirrors xlwings' Engine.impl
        @staticmethod
        def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
            return [[empty_as if c is None else c for c in row] for row in data]


@pytest.fixture
def xlwings_convert(monkeypatch):
    xlwings = pytest.importorskip("xlwings")
    from xlwings import conversion

    monkeypatch.setitem(xlwings.engines.engines_by_name, "excel", _StandInEngine())

    def convert(value, **options):
        return conversion.read(None, value, options)

    return convert


def test_arguments_pass_through_xlwings_converters_first(xlwings_convert):
    # What Excel sends for a 1×3 row, a 3×1 column and a single cell, after @xw.arg(ndim=1).
    row = xlwings_convert(((1.1, 1.0, 0.9),), ndim=1)
    column = xlwings_convert(((100.0,), (80.0,), (60.0,)), ndim=1)
    actual = xlwings_convert(((1.05,),))
    assert row == [1.1, 1.0, 0.9] and column == [100.0, 80.0, 60.0]
    assert KPISCORE(actual, row, column) == 80
    blank = xlwings_convert(((None,),))
    assert KPISCORE(blank, row, column) == ""
    weights = xlwings_convert((("40%", "25%", "20%", "15%"),), ndim=1)
    scores = xlwings_convert(((80.0, 80.0, 80.0, 80.0),), ndim=1)
    assert WEIGHTED_TOTAL(scores, weights) == 80


def test_kpiscore_reads_binary_noise_just_below_a_threshold_as_reaching_it():
    assert math.isclose(KPISCORE(1.1 - 1e-12, SALES_T, SALES_S), 100)


def test_kpitotal_applies_adjustment_and_veto_like_the_engine():
    from xl_kpi.udf.functions import KPITOTAL

    assert KPITOTAL(82.72, -1, 0) == 81.72
    assert KPITOTAL(82.72, 5, 1) == 0          # any veto: zero
    assert KPITOTAL(3.0, -10, 0) == 0          # never below zero
    assert KPITOTAL(None, 2, 0) == ""          # blank until the weighted score is there
    assert KPITOTAL(80.005, 0, None) == 80.01  # Excel's ROUND, half away from zero
    assert KPITOTAL("abc", 0, 0).startswith("⚠")


def test_kpiadjust_clamps_each_item_then_the_block():
    from xl_kpi.udf.functions import KPIADJUST

    points, caps = [2, 1, -3, -5], [6, 3, 9, 10]
    assert KPIADJUST([1, None, 1, None], points, caps, -10, 5) == -1
    assert KPIADJUST([4, 5, 0, 0], points, caps, -10, 5) == 5       # +6 and +3, then the block's +5
    assert KPIADJUST([0, 0, 4, 3], points, caps, -10, 5) == -10     # −9 and −10, then −10
    assert KPIADJUST([1, 2], points, caps, -10, 5).startswith("⚠")  # counts and points differ in length


def test_kpicoef_looks_up_the_grades_coefficient():
    from xl_kpi.udf.functions import KPICOEF

    labels, coefficients = ["优秀", "良好", "合格", "不合格"], [1.2, 1.0, 0.8, 0.5]
    assert KPICOEF("合格", labels, coefficients) == 0.8
    assert KPICOEF("", labels, coefficients) == ""
    assert KPICOEF("卓越", labels, coefficients).startswith("⚠")


def test_the_checkouts_kpi_udfs_module_is_the_packaged_functions():
    import udfs.kpi_udfs as checkout
    from xl_kpi.udf import functions

    assert checkout.__all__ == functions.__all__
    assert all(getattr(checkout, name) is getattr(functions, name) for name in functions.__all__)


def test_each_method_scores_through_its_own_rules():
    from xl_kpi.udf.functions import KPIDEDUCT, KPILINEAR, KPIRATING, KPISTEP

    assert KPILINEAR(0.9, 1.0) == 90 and KPILINEAR(0.5, 0.4, "低") == 80 and KPILINEAR(0, 15, "lower", 0, 120) == 120
    assert KPIDEDUCT(2, 20) == 60 and KPIDEDUCT(None, 20) == "" and KPIDEDUCT(9, 20, 100, 20) == 20
    assert KPISTEP(0.93, 0.95, 0.01, 1, 2, 100, 0, 110) == 96  # two steps below: −2 × 2
    assert KPISTEP(0.97, 0.95, 0.01, 1, 2, 100, 0, 110) == 102
    assert KPIRATING(" b ", ["A", "B", "C"], [100, 80, 60]) == 80 and KPIRATING(1.0, [1, 2], [100, 50]) == 100


@pytest.mark.parametrize(("call", "fragment"), [
    (lambda f: f.KPILINEAR(0.9, 0), "non-zero target"),                     # the catalogue's target-zero
    (lambda f: f.KPILINEAR(0.9, 1, "higher", 100, 50), "cap"),                # cap below floor
    (lambda f: f.KPIDEDUCT(-1, 20), "outside the accepted range"),            # a negative count
    (lambda f: f.KPISTEP(0.9, 1, 0, 1, 2), "step must be greater than 0"),
    (lambda f: f.KPIRATING("E", ["A", "B"], [100, 80]), "choose from: A, B"),
    (lambda f: f.KPIRATING("A", ["A", "a"], [100, 80]), "given twice"),
    (lambda f: f.KPIVALUE("5", "%"), "5% or 500%"),
    (lambda f: f.KPITOTAL(80, 0, ["是", "#N/A"]), "#N/A"),
])
def test_a_rule_the_arguments_break_is_named_in_both_languages(call, fragment):
    from xl_kpi.udf import functions

    out = call(functions)
    assert isinstance(out, str) and out.startswith("⚠") and " / " in out and fragment in out


def test_a_message_from_another_function_is_handed_on_unchanged():
    from xl_kpi.udf.functions import KPIGRADE, KPILINEAR, KPITOTAL

    upstream = KPILINEAR(0.9, 0)
    assert WEIGHTED_TOTAL([upstream, 80], [0.5, 0.5]) == upstream
    assert KPITOTAL(upstream, 0, 0) == upstream and KPIGRADE(upstream, [90, 0], ["A", "B"]) == upstream


def test_typed_values_are_read_as_the_engine_reads_them():
    from xl_kpi.udf.functions import KPIVALUE

    assert KPIVALUE("１０５％", "%") == 1.05 and KPIVALUE("1,200") == 1200 and KPIVALUE("12个", "个") == 12
    assert KPIVALUE("250", "%") == 2.5 and KPIVALUE("1050", "%").startswith("⚠") and KPIVALUE("") == "" and KPIVALUE("nan").startswith("⚠")


def test_veto_marks_in_every_spelling_zero_the_total():
    from xl_kpi.udf.functions import KPITOTAL

    assert KPITOTAL(85.5, 1, [None, " Y "]) == 0 and KPITOTAL(85.5, 1, ["否", "No", None]) == 86.5
    assert KPITOTAL(85.5, None, 0) == 85.5  # a card without adjustments: the weighted score is the total
    assert KPITOTAL(85.5, 0, 2) == 0  # a count of vetoes


def test_repeated_cells_reuse_the_checked_rule_and_the_smart_verdict():
    from xl_kpi.udf import functions, rules

    rules._checked.cache_clear()
    functions._RULES.clear()
    functions._smart.cache_clear()
    for actual in (0.91, 0.93, 0.97, 1.2):
        functions.KPISTEP(actual, 0.95, 0.01, 1, 2, 100, 0, 110)
    assert rules._checked.cache_info().misses == 1 and len(functions._RULES) == 1  # checked once, on the first row
    functions.KPISTEP(0.9, "95%", 0.01, 1, 2, 100, 0, 110)  # the same rule typed otherwise: read again, checked once
    assert rules._checked.cache_info().hits == 1 and len(functions._RULES) == 2
    for _ in range(3):
        functions.SMARTCHECK("第三季度客户满意度评分从85分提升至90分")
    assert functions._smart.cache_info().hits == 2


VBA_KEYWORDS = {"and", "as", "base", "boolean", "byref", "byte", "byval", "call", "case", "compare", "const", "currency", "date",
                "declare", "dim", "do", "double", "each", "else", "elseif", "empty", "end", "enum", "eqv", "erase", "error", "event",
                "exit", "explicit", "false", "for", "friend", "function", "get", "global", "gosub", "goto", "if", "implements",
                "imp", "in", "input", "integer", "is", "let", "lib", "like", "line", "lock", "long", "loop", "lset", "me", "mod",
                "name", "new", "next", "not", "nothing", "null", "object", "on", "open", "option", "optional", "or", "paramarray",
                "preserve", "print", "private", "property", "public", "put", "raiseevent", "redim", "rem", "resume", "return",
                "rset", "seek", "select", "set", "single", "static", "step", "stop", "string", "sub", "text", "then", "to", "true",
                "type", "typeof", "until", "variant", "wend", "while", "with", "xor", "write", "width", "spc", "tab", "binary"}

CLASSIC = """
import io, json, sys, types
for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[name] = types.ModuleType(name)  # classic xlwings' Windows-only imports, which stubs generation does not use
sys.modules["win32com.client"].Dispatch = None
sys.modules["pywintypes"].com_error = Exception
sys.modules["pythoncom"].CoInitialize = lambda: None
import xlwings, xlwings.udfs as classic
xlwings.func, xlwings.arg, xlwings.ret = classic.xlfunc, classic.xlarg, classic.xlret  # what Windows binds
import xl_kpi.udf.functions as module
out = io.StringIO()
classic.generate_vba_wrapper("xl_kpi.udf.functions", module, out, types.SimpleNamespace(Name="kpi.xlsm"))
info = {n: getattr(module, n).__xlfunc__ for n in module.__all__}
print(json.dumps({"vba": out.getvalue(), "docs": {n: [a["doc"] for a in f["args"]] for n, f in info.items()},
                  "description": {n: f["ret"]["doc"] for n, f in info.items()}, "category": {n: f["category"] for n, f in info.items()},
                  "ndim": {n: {a["name"]: a["options"].get("ndim") for a in f["args"]} for n, f in info.items()}}))
"""


def test_classic_import_functions_writes_a_stub_for_every_function():
    """What *Import Functions* writes into the .xlsm on Windows (xlwings' own stub writer, run here)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("xlwings")
    proc = subprocess.run([sys.executable, "-c", CLASSIC], capture_output=True, text=True, check=False, timeout=300,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = json.loads(proc.stdout)
    from xl_kpi.udf.functions import __all__ as names

    for name in names:
        assert f'XLPy.CallUDF("xl_kpi.udf.functions", "{name}"' in found["vba"], name
        assert found["category"][name] == "xl-kpi" and len(found["description"][name]) <= 255
        for doc in found["docs"][name]:
            assert "Positional argument" not in doc and " / " in doc and len(doc) <= 255  # MacroOptions keeps 255
    assert "Function KPISCORE(actual, thresholds, scores, Optional direction, Optional otherwise)" in found["vba"]
    assert found["ndim"]["KPISCORE"] == {"actual": None, "thresholds": 1, "scores": 1, "direction": None, "otherwise": None}
    params = set(re.findall(r"Function \w+\(([^)]*)\)", found["vba"]))
    names_used = {p.replace("Optional ", "").strip().lower() for group in params for p in group.split(",")}
    assert not names_used & VBA_KEYWORDS, names_used & VBA_KEYWORDS
