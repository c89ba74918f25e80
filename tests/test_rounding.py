"""Excel's ROUND (half away from zero, on the decimal value) vs Python's round."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_kpi.core.rounding import excel_round, excel_round_array


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (2.675, 2, 2.68),  # Python's round gives 2.67
        (1.005, 2, 1.01),  # Python's round gives 1.0
        (0.125, 2, 0.13),  # exact binary half: away from zero, not to even
        (0.5, 0, 1.0),
        (2.5, 0, 3.0),  # Python's round gives 2
        (-2.5, 0, -3.0),
        (-1.005, 2, -1.01),
        (80.015, 2, 80.02),
        (80.0149999, 2, 80.01),
        (1.1, 9, 1.1),
        (1.0999999999999999, 9, 1.1),
        (0, 2, 0.0),
    ],
)
def test_excel_round_matches_excel(x, digits, expected):
    assert excel_round(x, digits) == expected


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.sampled_from([0, 2, 9]))
def test_array_form_equals_scalar_form_bit_for_bit(x, digits):
    assert excel_round_array(np.array([x]), digits)[0] == excel_round(x, digits)


def test_nan_and_inf_pass_through():
    assert math.isnan(excel_round(float("nan"), 2))
    assert np.isnan(excel_round_array(np.array([np.nan]), 2)[0])
