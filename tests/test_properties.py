"""Invariants of scoring, checked on every bundled indicator with hypothesis."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_kpi.scoring.engine import score_card, score_indicator
from xl_kpi.scoring.vectorised import score_indicator_array, score_wide
from xl_kpi.spec import load_specs

from .conftest import TEMPLATES
from .oracle import ALL_METHODS

SPECS = {**load_specs(TEMPLATES), "all_methods": ALL_METHODS}  # every bundled indicator and every registered method
NUMERIC = [(s.id, ind) for s in SPECS.values() for ind in s.indicators if not ind.takes_label and not ind.counts_events]  # one number each
# (an indicator counting several kinds of event takes a count each: tests/test_events.py)
actuals = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(("spec_id", "ind"), NUMERIC, ids=[f"{s}.{i.id}" for s, i in NUMERIC])
@given(a=actuals, b=actuals)
@settings(max_examples=150, deadline=None)
def test_score_never_decreases_as_the_actual_improves(spec_id, ind, a, b):
    worse, better = (min(a, b), max(a, b)) if ind.direction == "higher" else (max(a, b), min(a, b))
    assert score_indicator(ind, better) >= score_indicator(ind, worse)


@pytest.mark.parametrize(("spec_id", "ind"), NUMERIC, ids=[f"{s}.{i.id}" for s, i in NUMERIC])
@given(a=actuals)
@settings(max_examples=100, deadline=None)
def test_vectorised_score_equals_engine_score(spec_id, ind, a):
    assert score_indicator_array(ind, np.array([a]))[0] == score_indicator(ind, a)


@given(st.lists(st.tuples(actuals, actuals, actuals, actuals), min_size=1, max_size=20))
@settings(max_examples=60, deadline=None)
def test_table_path_equals_engine_per_person(rows):
    spec = SPECS["sales_rep"]
    ids = [ind.id for ind in spec.indicators]
    long = pd.DataFrame(
        [{"employee_id": f"E{n}", "indicator_id": iid, "actual": v} for n, row in enumerate(rows) for iid, v in zip(ids, row)]
    )
    wide, _ = score_wide(spec, long)
    for n, row in enumerate(rows):
        expected = score_card(spec, dict(zip(ids, row)))
        got = wide.iloc[n]
        assert got["total"] == expected.total
        assert got["grade"] == expected.grade.label
        assert [got[i] for i in ids] == [expected.scores[i] for i in ids]


@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=4, max_size=4))
def test_total_stays_within_the_scores_and_weights_are_normalised(scores):
    spec = SPECS["sales_rep"]
    from xl_kpi.scoring.engine import weighted_total

    weights = [ind.weight for ind in spec.indicators]
    total = weighted_total(scores, weights)
    assert min(scores) - 0.005 <= total <= max(scores) + 0.005
    assert math.isclose(sum(weights), 1.0)
    # Doubling every weight (e.g. 40 instead of 0.4) changes nothing.
    assert weighted_total(scores, [w * 100 for w in weights]) == total


def test_rating_in_the_table_path_is_case_insensitive():
    spec = SPECS["manager"]
    long = pd.DataFrame({"employee_id": ["M1"] * 3, "indicator_id": ["team_goal_rate", "talent_development", "collaboration"],
                         "actual": [1.0, 2, "b"]})
    wide, scored = score_wide(spec, long)
    assert wide.loc[0, "collaboration"] == 80 and not scored.invalid.any()
    assert wide.loc[0, "total"] == score_card(spec, {"team_goal_rate": 1.0, "talent_development": 2, "collaboration": "B"}).total
