"""The vectorised Ranker agrees with the scalar score and orders stably."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terragon_tui.scoring.breakdown import score
from terragon_tui.scoring.components import ScoreInputs
from terragon_tui.scoring.lanes import decision_lane
from terragon_tui.scoring.ranking import Ranker
from terragon_tui.scoring.weights import Boosts, Weights

FIB = [1, 2, 3, 5, 8, 13, 20]


def random_inputs(rng: random.Random) -> ScoreInputs:
    return ScoreInputs(
        estimated_hours=rng.choice([0.5, 1, 3, 8, 20, 60]),
        impact=rng.randint(1, 10),
        confidence=rng.randint(1, 10),
        ease=rng.randint(1, 10),
        business_value=rng.choice(FIB),
        time_criticality=rng.choice(FIB),
        risk_reduction=rng.choice(FIB),
        debt_hours=rng.random() * 50,
        debt_interest=1 + rng.random() * 3,
        security_severity=rng.random() * 10,
        security=rng.random() < 0.3,
        compliance=rng.random() < 0.2,
        performance=rng.random() < 0.2,
    )


def test_vector_scores_equal_scalar_scores():
    rng = random.Random(7)
    inputs = [random_inputs(rng) for _ in range(500)]
    weights, boosts = Weights(0.3, 0.2, 0.4, 0.1), Boosts(3.0, 1.5, 2.0)
    expected = [score(inp, weights, boosts) for inp in inputs]
    np.testing.assert_allclose(Ranker(inputs).scores(weights, boosts), expected, rtol=1e-12)


def test_order_is_best_first_and_ties_keep_input_order():
    same = ScoreInputs(impact=5)
    better = ScoreInputs(impact=9)
    order = Ranker([same, better, same, same]).order(Weights(0.5, 0.3, 0.1, 0.1), Boosts())
    assert order.tolist() == [1, 0, 2, 3]


def test_moves_count_places_gained():
    old = np.array([0, 1, 2, 3])
    new = np.array([3, 0, 1, 2])
    assert Ranker.moves(old, new).tolist() == [-1, -1, -1, 3]


def test_empty_ranker():
    ranker = Ranker([])
    assert len(ranker) == 0
    assert ranker.order(Weights(1, 0, 0, 0), Boosts()).tolist() == []


@pytest.mark.parametrize(
    ("risk", "lane"),
    [
        (0, "auto-apply"),
        (0.29, "auto-apply"),
        (0.3, "auto-pr"),
        (0.6, "auto-pr"),
        (0.61, "manual-review"),
        (1, "manual-review"),
    ],
)
def test_decision_lanes(risk, lane):
    assert decision_lane(risk) == lane


unit = st.floats(min_value=1, max_value=10)
fib = st.sampled_from(FIB)
inputs_strategy = st.builds(
    ScoreInputs,
    estimated_hours=st.floats(min_value=0.1, max_value=10_000),
    impact=unit,
    confidence=unit,
    ease=unit,
    business_value=fib,
    time_criticality=fib,
    risk_reduction=fib,
    debt_hours=st.floats(min_value=0, max_value=10_000),
    debt_interest=st.floats(min_value=1, max_value=100),
    security_severity=st.floats(min_value=0, max_value=10),
    security=st.booleans(),
    compliance=st.booleans(),
    performance=st.booleans(),
)
weight = st.floats(min_value=0, max_value=10)


@settings(max_examples=200, deadline=None)
@given(inputs_strategy, weight, weight, weight, weight)
def test_scores_are_finite_and_not_negative(inp, a, b, c, d):
    if a + b + c + d == 0:
        return
    value = score(inp, Weights(a, b, c, d), Boosts())
    assert np.isfinite(value) and value >= 0


@settings(max_examples=200, deadline=None)
@given(
    inputs_strategy,
    st.sampled_from(["wsjf", "debt", "ice", "security"]),
    st.floats(min_value=0, max_value=5),
    st.floats(min_value=0.01, max_value=5),
)
def test_raising_a_weight_favours_the_item_stronger_in_that_component(inp, name, low, extra):
    # Two items equal but for one component: raising that component's weight never lets the
    # weaker one overtake the stronger one, and widens (or keeps) the gap.
    from dataclasses import replace

    field = {
        "wsjf": "business_value",
        "debt": "debt_hours",
        "ice": "impact",
        "security": "security_severity",
    }[name]
    weak = replace(inp, **{field: 1.0 if name != "debt" else 0.0})
    strong = replace(inp, **{field: 20.0 if name == "wsjf" else 10.0})
    base = Weights(1, 1, 1, 1)
    before = base.replace(**{name: low})
    after = base.replace(**{name: low + extra})
    gap_before = score(strong, before, Boosts()) - score(weak, before, Boosts())
    gap_after = score(strong, after, Boosts()) - score(weak, after, Boosts())
    assert gap_before >= -1e-9
    assert gap_after >= gap_before - 1e-9
