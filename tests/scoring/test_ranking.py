"""The vectorised Ranker agrees with the scalar score, orders stably and counts moves."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from terragon_tui.scoring.breakdown import breakdown, score
from terragon_tui.scoring.components import FIBONACCI, ScoreInputs, components, job_size
from terragon_tui.scoring.ranker import NUMBER_FIELDS, Ranker
from terragon_tui.scoring.weights import MATURITY_PROFILES, Boosts, Weights

from .strategies import boosts, score_inputs, weights

ADVANCED = MATURITY_PROFILES["advanced"]


def random_inputs(rng: random.Random) -> ScoreInputs:
    return ScoreInputs(
        # Every job-size boundary and a step either side of it.
        estimated_hours=rng.choice([0, 0.5, 1, 1.01, 2, 4, 4.01, 8, 16, 16.01, 40, 40.01, 60]),
        impact=rng.uniform(1, 10),
        confidence=rng.uniform(1, 10),
        ease=rng.uniform(1, 10),
        business_value=rng.choice(FIBONACCI),
        time_criticality=rng.choice(FIBONACCI),
        risk_reduction=rng.choice(FIBONACCI),
        debt_hours=rng.random() * 50,
        debt_interest=1 + rng.random() * 3,
        security_severity=rng.random() * 10,
        security=rng.random() < 0.3,
        compliance=rng.random() < 0.3,
        performance=rng.random() < 0.3,
    )


def test_component_matrix_equals_the_scalar_components():
    rng = random.Random(3)
    inputs = [random_inputs(rng) for _ in range(300)]
    ranker = Ranker(inputs)
    assert ranker.components.shape == (300, 4) and ranker.flags.shape == (300, 3)
    np.testing.assert_array_equal(ranker.components, [components(inp) for inp in inputs])
    sizes = {job_size(inp.estimated_hours) for inp in inputs}
    assert sizes == set(FIBONACCI)  # every size step was exercised


def test_vector_scores_equal_scalar_scores():
    rng = random.Random(7)
    inputs = [random_inputs(rng) for _ in range(500)]
    ranker = Ranker(inputs)
    for w, b in [(ADVANCED, Boosts()), (Weights(0.3, 0.2, 0.4, 0.1), Boosts(3.0, 1.5, 2.0))]:
        expected = [score(inp, w, b) for inp in inputs]
        np.testing.assert_allclose(ranker.scores(w, b), expected, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(score_inputs, max_size=12), weights, boosts)
def test_vector_and_scalar_scores_agree_exactly(inputs, w, b):
    # Both add and multiply in the same order, so not even the last bit differs.
    expected = np.array([score(inp, w, b) for inp in inputs], dtype=np.float64)
    np.testing.assert_array_equal(Ranker(inputs).scores(w, b), expected)


def test_from_columns_and_from_arrays_build_the_same_ranker():
    rng = random.Random(11)
    inputs = [random_inputs(rng) for _ in range(50)]
    ranker = Ranker(inputs)
    columns = {
        name: np.array([getattr(inp, name) for inp in inputs])
        for name in ScoreInputs.__dataclass_fields__
        if name not in ("security", "compliance", "performance")
    }
    w, b = Weights(1, 2, 3, 4), Boosts()
    expected = ranker.scores(w, b)
    np.testing.assert_array_equal(Ranker.from_columns(columns, ranker.flags).scores(w, b), expected)
    np.testing.assert_array_equal(
        Ranker.from_arrays(ranker.components, ranker.flags, ranker.severity).scores(w, b),
        expected,
    )


def test_from_arrays_refuses_mismatched_rows():
    with pytest.raises(ValueError, match="3 component rows but 2 flag rows"):
        Ranker.from_arrays(np.zeros((3, 4)), np.zeros((2, 3), dtype=bool))


def test_order_is_best_first():
    low, mid, high = ScoreInputs(impact=2), ScoreInputs(impact=5), ScoreInputs(impact=9)
    # Equal WSJF; ICE 2×7×5/10 = 7, 5×7×5/10 = 17.5, 9×7×5/10 = 31.5
    order = Ranker([low, high, mid]).order(ADVANCED, Boosts())
    assert order.tolist() == [1, 2, 0]


def test_a_boost_can_overtake():
    # Both: WSJF (3+2+3)/1 = 8 → 40 × 0.5 = 20.
    # plain: ICE 9×7×5/10 = 31.5 × 0.1 = 3.15 → 23.15
    # flagged: ICE 5×7×5/10 = 17.5 × 0.1 = 1.75 → 21.75; × 2.0 = 43.5, or × 1.0 = 21.75
    plain, flagged = ScoreInputs(impact=9), ScoreInputs(impact=5, compliance=True)
    assert Ranker([plain, flagged]).order(ADVANCED, Boosts()).tolist() == [1, 0]
    assert Ranker([plain, flagged]).order(ADVANCED, Boosts(compliance=1.0)).tolist() == [0, 1]


def test_ties_keep_input_order():
    same, better = ScoreInputs(impact=5), ScoreInputs(impact=9)
    items = [same, better, same, same, better, same]
    order = Ranker(items).order(ADVANCED, Boosts())
    assert order.tolist() == [1, 4, 0, 2, 3, 5]


def test_equal_scores_come_by_the_debt_they_carry():
    """Past the debt component's cap, CC 47 and CC 116 score the same: the larger debt first."""
    smaller = ScoreInputs(debt_hours=30, debt_interest=2)  # 100 × 60 / 40: capped at 100
    larger = ScoreInputs(debt_hours=90, debt_interest=2)  # 100 × 180 / 40: capped too
    plain = ScoreInputs()
    items = [smaller, plain, larger, smaller]
    ranker = Ranker(items)
    scores = ranker.scores(ADVANCED, Boosts())
    assert scores[0] == scores[2] == scores[3] > scores[1]
    assert ranker.order(ADVANCED, Boosts()).tolist() == [2, 0, 3, 1]
    columns = {name: np.array([getattr(i, name) for i in items], float) for name in NUMBER_FIELDS}
    by_columns = Ranker.from_columns(columns, np.zeros((4, 3), dtype=bool))
    assert by_columns.order(ADVANCED, Boosts()).tolist() == [2, 0, 3, 1]


def test_ties_in_precomputed_components_keep_input_order():
    rows = np.array([[10, 0, 0, 0], [20, 0, 0, 0], [10, 0, 0, 0]] * 1000, dtype=float)
    flags = np.zeros((len(rows), 3), dtype=bool)
    order = Ranker.from_arrays(rows, flags).order(ADVANCED, Boosts())
    assert order[:1000].tolist() == list(range(1, 3000, 3))
    assert order[1000:].tolist() == sorted(order[1000:].tolist())


def test_moves_count_places_gained():
    old = np.array([0, 1, 2, 3])
    new = np.array([3, 0, 1, 2])
    # item 3 went from 4th to 1st (+3); the others each lost a place
    assert Ranker.moves(old, new).tolist() == [-1, -1, -1, 3]
    assert Ranker.moves(new, new).tolist() == [0, 0, 0, 0]


@given(st.permutations(range(8)), st.permutations(range(8)))
def test_moves_are_the_difference_of_positions(old, new):
    moved = Ranker.moves(np.array(old), np.array(new))
    for item in range(8):
        assert moved[item] == old.index(item) - new.index(item)


def test_moves_refuses_orders_of_different_length():
    with pytest.raises(ValueError, match="differ in length"):
        Ranker.moves(np.array([0, 1]), np.array([0, 1, 2]))


def test_empty_ranker():
    ranker = Ranker([])
    assert len(ranker) == 0
    assert ranker.order(Weights(1, 0, 0, 0), Boosts()).tolist() == []
    assert Ranker.moves(np.array([], dtype=int), np.array([], dtype=int)).tolist() == []


FIELD_OF = {
    "wsjf": "business_value",
    "debt": "debt_hours",
    "ice": "impact",
    "security": "security_severity",
}


@settings(max_examples=120, deadline=None)
@given(
    score_inputs,
    st.sampled_from(list(FIELD_OF)),
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
    weights,
    st.floats(min_value=0.01, max_value=5),
    boosts,
)
def test_raising_a_weight_never_favours_the_item_weaker_in_that_component(
    inp, name, low, high, w, extra, b
):
    # Two items equal but for one input that feeds one component only: the weaker item never
    # scores above the stronger, and raising that component's weight (the others fixed,
    # before normalisation) never narrows the gap.
    field = FIELD_OF[name]
    index = list(FIELD_OF).index(name)
    top = {"wsjf": 20.0, "debt": 100.0, "ice": 10.0, "security": 10.0}[name]
    # severities from MEDIUM up share one band (a LOW one is placed below every item without
    # a severity, on purpose: see test_breakdown)
    bottom = {"wsjf": 1.0, "debt": 0.0, "ice": 1.0, "security": 6.0}[name]
    weak = replace(inp, **{field: bottom + (top - bottom) * min(low, high)})
    strong = replace(inp, **{field: bottom + (top - bottom) * max(low, high)})
    assume(components(strong)[index] > components(weak)[index])
    raised = w.replace(**{name: getattr(w, name) + extra})
    assert score(strong, w, b) >= score(weak, w, b)
    assert score(strong, raised, b) >= score(weak, raised, b)

    # The gap widens before the 0-100 mapping (which keeps order, not distances), with the
    # security boost on for both whatever their severity, so only the weight moves it.
    def boosted(item, weights):
        return breakdown(item, weights, b, security_from=0.0).boosted

    gap_before = boosted(strong, w) - boosted(weak, w)
    gap_after = boosted(strong, raised) - boosted(weak, raised)
    assert gap_before >= -1e-9
    assert gap_after >= gap_before - 1e-9


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(min_value=0, max_value=100), min_size=4, max_size=4),
    st.sampled_from(range(4)),
    st.floats(min_value=0.001, max_value=100),
    weights,
    st.floats(min_value=0.01, max_value=5),
    st.lists(st.booleans(), min_size=3, max_size=3),
    boosts,
)
def test_raising_a_weight_keeps_the_stronger_row_ahead(row, k, lead, w, extra, flags, b):
    # The same property over any component values, through the vectorised path.
    stronger = list(row)
    stronger[k] += lead
    names = ("wsjf", "debt", "ice", "security")
    raised = w.replace(**{names[k]: getattr(w, names[k]) + extra})
    ranker = Ranker.from_arrays(np.array([row, stronger]), np.array([flags, flags]))
    # the gap widens before the 0-100 mapping, which keeps order but not distances
    before, after = ranker.boosted(w, b), ranker.boosted(raised, b)
    assert after[1] - after[0] >= before[1] - before[0] - 1e-9
    assert ranker.order(raised, b).tolist() == [1, 0]
