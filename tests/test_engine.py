"""The engine against the seed: the worked example, every band edge, every method."""

import pytest

from xl_kpi.core.errors import InvalidActual
from xl_kpi.methods import Deduction, Level, Linear, Rating, band_score
from xl_kpi.scoring.engine import grade_for, score_card, score_indicator, weighted_total
from xl_kpi.spec.model import Indicator


def test_seed_worked_example_totals_80_good(sales):
    # Seed 001: 105%, 11 customers, 32% repurchase, 95% expenses → 80 each → 80 → 良好.
    result = score_card(sales, {"sales_rate": 1.05, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95})
    assert result.scores == {"sales_rate": 80, "new_customers": 80, "repurchase_rate": 80, "expense_rate": 80}
    assert result.total == 80
    assert result.grade.label == "良好"


# The seed's table, inclusive at each threshold: ≥110% → 100; 100%–110% → 80; 90%–100% → 60; <90% → 0.
@pytest.mark.parametrize(
    ("indicator", "actual", "score"),
    [
        ("sales_rate", 1.10, 100), ("sales_rate", 1.0999999, 80), ("sales_rate", 1.00, 80),
        ("sales_rate", 0.9999, 60), ("sales_rate", 0.90, 60), ("sales_rate", 0.8999, 0), ("sales_rate", 0, 0),
        ("sales_rate", 2.5, 100),
        ("new_customers", 12, 100), ("new_customers", 11, 80), ("new_customers", 10, 80),
        ("new_customers", 9, 60), ("new_customers", 8, 60), ("new_customers", 7, 0),
        ("repurchase_rate", 0.35, 100), ("repurchase_rate", 0.3499, 80), ("repurchase_rate", 0.30, 80),
        ("repurchase_rate", 0.25, 60), ("repurchase_rate", 0.2499, 0),
        # 销售费用控制率, lower is better: ≤90% → 100; 90%–100% → 80; 100%–110% → 60; >110% → 0.
        ("expense_rate", 0.90, 100), ("expense_rate", 0.9001, 80), ("expense_rate", 1.00, 80),
        ("expense_rate", 1.0001, 60), ("expense_rate", 1.10, 60), ("expense_rate", 1.1001, 0),
        ("expense_rate", 0.0, 100),
    ],
)
def test_seed_bands_at_and_around_every_threshold(sales, indicator, actual, score):
    assert score_indicator(sales.indicator(indicator), actual) == score


def test_binary_noise_on_a_threshold_still_reaches_it(sales):
    # 0.1 + 0.2 + 0.8 = 1.1000000000000003 and 3 × 0.3666666… are "110%" to a person.
    assert score_indicator(sales.indicator("sales_rate"), 0.1 + 0.2 + 0.8) == 100
    assert score_indicator(sales.indicator("sales_rate"), 1.1 - 1e-12) == 100  # ROUND(actual, 9)
    assert score_indicator(sales.indicator("sales_rate"), 1.1 - 1e-8) == 80


def _ind(scoring, direction="higher", target=1.0, weight=1.0):
    return Indicator(id="x", name="x", weight=weight, scoring=scoring, target=target, direction=direction)


@pytest.mark.parametrize(
    ("actual", "direction", "expected"),
    [
        (1.05, "higher", 100.0), (0.5, "higher", 50.0), (0.12345, "higher", 12.35),  # half-way: 12.345 → 12.35
        (0.98765, "higher", 98.77), (-1, "higher", 0.0), (2, "higher", 100.0),
        (1.0, "lower", 100.0), (2.0, "lower", 50.0), (0, "lower", 100.0), (8, "lower", 12.5), (1.6, "lower", 62.5),
    ],
)
def test_linear_clamped_and_rounded_half_away(actual, direction, expected):
    assert score_indicator(_ind(Linear(), direction), actual) == expected


def test_linear_floor_and_cap():
    ind = _ind(Linear(floor=20, cap=120), target=100)
    assert score_indicator(ind, 5) == 20
    assert score_indicator(ind, 150) == 120
    assert score_indicator(ind, 100.005) == 100.01  # 100.005 rounds half away


@pytest.mark.parametrize(("cases", "expected"), [(0, 100), (1, 80), (3, 40), (5, 0), (9, 0), (0.5, 90)])
def test_deduction_100_minus_20_per_complaint(cases, expected):
    assert score_indicator(_ind(Deduction(per_unit=20), "lower"), cases) == expected


def test_rating_is_case_insensitive_and_rejects_unknown_levels():
    ind = _ind(Rating(levels=(Level("A", 100), Level("B", 80), Level("C", 60), Level("D", 0))))
    assert score_indicator(ind, "a") == 100
    assert score_indicator(ind, " B ") == 80
    with pytest.raises(InvalidActual, match="E"):
        score_indicator(ind, "E")


@pytest.mark.parametrize("blank", [None, "", "   ", float("nan")])
def test_blank_actual_gives_blank_score_and_blank_total(sales, blank):
    assert score_indicator(sales.indicator("sales_rate"), blank) is None
    result = score_card(sales, {"sales_rate": blank, "new_customers": 11, "repurchase_rate": 0.32, "expense_rate": 0.95})
    assert result.total is None and result.grade is None


@pytest.mark.parametrize("bad", ["105%", "abc", True, float("inf")])
def test_numeric_indicator_refuses_non_numbers(sales, bad):
    with pytest.raises(InvalidActual):
        score_indicator(sales.indicator("sales_rate"), bad)


def test_total_rounds_half_away_from_zero():
    # 80.015 exactly half-way at 2 decimals: Excel gives 80.02, Python's round would give 80.01.
    assert weighted_total([80.01, 80.02], [0.5, 0.5]) == 80.02
    assert weighted_total([100, 60, 80, 0], [0.4, 0.25, 0.2, 0.15]) == 71.0
    assert weighted_total([33.33, 66.67, 50], [0.3, 0.3, 0.4]) == 50.0


def test_grade_boundaries(sales):
    assert [grade_for(t, sales.grades).label for t in (100, 90, 89.99, 80, 79.99, 60, 59.99, 0)] == [
        "优秀", "优秀", "良好", "良好", "合格", "合格", "不合格", "不合格"]
    assert grade_for(None, sales.grades) is None


def test_band_score_lower_direction_walks_from_the_lowest_threshold():
    assert band_score(0.95, [0.9, 1.0, 1.1], [100, 80, 60], "lower") == 80
    assert band_score(1.2, [0.9, 1.0, 1.1], [100, 80, 60], "lower", otherwise=10) == 10
