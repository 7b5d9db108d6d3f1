"""Hypothesis strategies for valid scoring inputs, weights and boosts."""

from __future__ import annotations

from hypothesis import strategies as st

from terragon_tui.scoring.components import FIBONACCI, ScoreInputs
from terragon_tui.scoring.weights import Boosts, Weights

one_to_ten = st.floats(min_value=1, max_value=10)
fibonacci = st.sampled_from(FIBONACCI)

#: Any item a user or a scan could produce, within the documented ranges.
score_inputs = st.builds(
    ScoreInputs,
    estimated_hours=st.floats(min_value=0, max_value=10_000),
    impact=one_to_ten,
    confidence=one_to_ten,
    ease=one_to_ten,
    business_value=fibonacci,
    time_criticality=fibonacci,
    risk_reduction=fibonacci,
    debt_hours=st.floats(min_value=0, max_value=10_000),
    debt_interest=st.floats(min_value=0, max_value=100),
    security_severity=st.floats(min_value=0, max_value=10),
    security=st.booleans(),
    compliance=st.booleans(),
    performance=st.booleans(),
)

weight = st.floats(min_value=0, max_value=10)
#: Valid weights: none negative, not all zero, not summing to 1 in general.
weights = st.builds(Weights, weight, weight, weight, weight).filter(
    lambda w: sum(w.as_dict().values()) > 0
)
boost = st.floats(min_value=0.1, max_value=10)
boosts = st.builds(Boosts, boost, boost, boost)
