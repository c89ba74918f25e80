"""The xlwings functions are thin adapters: same numbers as the engine, readable messages for
everything Excel can hand them, and xlwings' own argument conversion applied first."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from udfs.kpi_udfs import KPIGRADE, KPISCORE, SMARTCHECK, WEIGHTED_TOTAL
from xl_kpi.scoring.engine import score_card, score_indicator, weighted_total

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
    from udfs.kpi_udfs import KPITOTAL

    assert KPITOTAL(82.72, -1, 0) == 81.72
    assert KPITOTAL(82.72, 5, 1) == 0          # any veto: zero
    assert KPITOTAL(3.0, -10, 0) == 0          # never below zero
    assert KPITOTAL(None, 2, 0) == ""          # blank until the weighted score is there
    assert KPITOTAL(80.005, 0, None) == 80.01  # Excel's ROUND, half away from zero
    assert KPITOTAL("abc", 0, 0).startswith("⚠")


def test_kpiadjust_clamps_each_item_then_the_block():
    from udfs.kpi_udfs import KPIADJUST

    points, caps = [2, 1, -3, -5], [6, 3, 9, 10]
    assert KPIADJUST([1, None, 1, None], points, caps, -10, 5) == -1
    assert KPIADJUST([4, 5, 0, 0], points, caps, -10, 5) == 5       # +6 and +3, then the block's +5
    assert KPIADJUST([0, 0, 4, 3], points, caps, -10, 5) == -10     # −9 and −10, then −10
    assert KPIADJUST([1, 2], points, caps, -10, 5).startswith("⚠")  # counts and points differ in length


def test_kpicoef_looks_up_the_grades_coefficient():
    from udfs.kpi_udfs import KPICOEF

    labels, coefficients = ["优秀", "良好", "合格", "不合格"], [1.2, 1.0, 0.8, 0.5]
    assert KPICOEF("合格", labels, coefficients) == 0.8
    assert KPICOEF("", labels, coefficients) == ""
    assert KPICOEF("卓越", labels, coefficients).startswith("⚠")
