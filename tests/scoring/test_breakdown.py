"""The composite score with the seed's weights and boosts, and its breakdown."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from terragon_tui.scoring.breakdown import breakdown, score
from terragon_tui.scoring.components import ScoreInputs
from terragon_tui.scoring.weights import BOOST_MAX, MATURITY_PROFILES, Boosts, Weights

from .strategies import boosts, score_inputs, weights

ADVANCED = MATURITY_PROFILES["advanced"]  # WSJF 0.5, debt 0.3, ICE 0.1, security 0.1
BOOSTS = Boosts()  # security 2.5, compliance 2.0, performance 1.8

# The seed's CICD-001: 8 hours, impact 10, critical.
CICD = ScoreInputs(
    estimated_hours=8,
    impact=10,
    confidence=8,
    ease=8,
    business_value=20,
    time_criticality=13,
    risk_reduction=13,
)
# A security finding: 4 hours, severity 9.
SEC = ScoreInputs(
    estimated_hours=4,
    impact=9,
    confidence=8,
    ease=5,
    business_value=13,
    time_criticality=8,
    risk_reduction=5,
    security_severity=9,
    security=True,
)


def test_the_seeds_advanced_weights_by_hand():
    # WSJF (20+13+13)/5 = 9.2 → 46.0 × 0.5 = 23.0
    # debt 0 × 0.3 = 0
    # ICE 10 × 8 × 8 / 10 = 64.0 × 0.1 = 6.4
    # security 0 × 0.1 = 0
    # composite = 23.0 + 6.4 = 29.4, no boost
    assert score(CICD, ADVANCED, BOOSTS) == pytest.approx(29.4)


def on_scale(boosted: float) -> float:
    """The 0-100 mapping by hand: the value up to 50, then 50 + 50 × (1 - e^(-(x - 50) / 50))."""
    return boosted if boosted <= 50 else 50 + 50 * (1 - math.exp(-(boosted - 50) / 50))


def test_security_boost_multiplies_by_2_5():
    # WSJF (13+8+5)/3 = 8.667 → 43.333 × 0.5 = 21.667
    # ICE 9 × 8 × 5 / 10 = 36 × 0.1 = 3.6
    # security 9 × 8 = 72 × 0.1 = 7.2
    # base = 21.667 + 3.6 + 7.2 = 32.467; × 2.5 = 81.167
    parts = breakdown(SEC, ADVANCED, BOOSTS)
    assert parts.boosted == pytest.approx(81.1667, abs=1e-3)
    # on the scale 50 + 50 × (1 - e^(-31.167/50)) = 73.19; HIGH and above 10: it stays there
    assert parts.on_scale == pytest.approx(on_scale(81.1667), abs=1e-3)
    assert score(SEC, ADVANCED, BOOSTS) == pytest.approx(73.192, abs=1e-3)


def test_compliance_boost_multiplies_by_2():
    inp = ScoreInputs(
        estimated_hours=2,
        impact=5,
        confidence=5,
        ease=4,
        business_value=5,
        time_criticality=3,
        risk_reduction=2,
        compliance=True,
    )
    # WSJF (5+3+2)/2 = 5 → 25 × 0.5 = 12.5; ICE 5×5×4/10 = 10 × 0.1 = 1; base 13.5; × 2 = 27
    assert score(inp, ADVANCED, BOOSTS) == pytest.approx(27.0)


def test_performance_boost_multiplies_by_1_8():
    inp = ScoreInputs(
        estimated_hours=16,
        impact=6,
        confidence=5,
        ease=5,
        business_value=8,
        time_criticality=5,
        risk_reduction=3,
        debt_hours=10,
        debt_interest=2,
        performance=True,
    )
    # WSJF (8+5+3)/8 = 2 → 10 × 0.5 = 5; debt 10×2 = 20 of 40 → 50 × 0.3 = 15
    # ICE 6×5×5/10 = 15 × 0.1 = 1.5; base 21.5; × 1.8 = 38.7
    assert score(inp, ADVANCED, BOOSTS) == pytest.approx(38.7)


def test_two_boosts_multiply_together():
    inp = ScoreInputs(
        estimated_hours=1,
        impact=10,
        confidence=10,
        ease=10,
        business_value=1,
        time_criticality=1,
        risk_reduction=1,
        security=True,
        compliance=True,
    )
    # WSJF 3/1 = 3 → 15 × 0.5 = 7.5; ICE 100 × 0.1 = 10; base 17.5; × 2.0 = 35: no severity,
    # so no security boost
    assert breakdown(inp, ADVANCED, BOOSTS).boosted == pytest.approx(35.0)
    # with a MEDIUM severity (6 × 10 = 60 × 0.1 = 6 more): base 23.5 × 2.5 × 2.0 = 117.5
    medium = replace(inp, security_severity=6)
    assert breakdown(medium, ADVANCED, BOOSTS).boosted == pytest.approx(117.5)
    assert score(medium, ADVANCED, BOOSTS) == pytest.approx(on_scale(117.5))


def test_all_three_boosts_multiply_together():
    inp = ScoreInputs(
        estimated_hours=1,
        impact=10,
        confidence=10,
        ease=10,
        business_value=1,
        time_criticality=1,
        risk_reduction=1,
        security_severity=9,
        security=True,
        compliance=True,
        performance=True,
    )
    # base 17.5 + security 9 × 10 × 0.1 = 26.5; × 2.5 × 2.0 × 1.8 = × 9 → 238.5
    parts = breakdown(inp, ADVANCED, BOOSTS)
    assert parts.boosted == pytest.approx(238.5)
    assert parts.multiplier == pytest.approx(9.0)
    # 50 + 50 × (1 - e^(-188.5/50)) = 98.85 on the scale
    assert parts.composite == pytest.approx(on_scale(238.5))
    assert 98 < parts.composite < 100  # near the top of the scale, never over it


def test_boost_factors_are_configurable_and_apply_only_when_flagged():
    # SEC's base is 32.467 (above); × 4 instead of × 2.5 = 129.867
    assert breakdown(SEC, ADVANCED, Boosts(security=4.0)).boosted == pytest.approx(
        129.8667, abs=1e-3
    )
    # CICD has no flag, so no boost touches its 29.4
    assert score(CICD, ADVANCED, Boosts(10, 10, 10)) == pytest.approx(29.4)


def test_the_security_boost_is_for_findings_of_medium_severity_and_up():
    low = replace(SEC, security_severity=3)  # base 32.467 - 7.2 + 3 × 8 × 0.1 = 27.667
    parts = breakdown(low, ADVANCED, BOOSTS)
    assert parts.boosts == () and parts.boosted == pytest.approx(27.6667, abs=1e-3)
    assert parts.withheld == "(no security boost 2.5: severity low is below medium)"
    assert breakdown(replace(SEC, security_severity=6), ADVANCED, BOOSTS).boosts == (
        ("security", 2.5),
    )
    # the threshold is configurable: from high up, a medium finding goes without
    assert breakdown(replace(SEC, security_severity=6), ADVANCED, BOOSTS, 9.0).boosts == ()
    # and from low up, a low one gets it
    assert breakdown(low, ADVANCED, BOOSTS, 0.1).boosts == (("security", 2.5),)


def test_a_low_finding_sits_below_items_without_a_severity():
    # A LOW bandit hit is not work a reviewer picks before a small refactoring.
    low = replace(SEC, security_severity=3)
    plain = replace(SEC, security_severity=0, security=False, impact=1, business_value=1)
    assert score(plain, ADVANCED, BOOSTS) > 10 > score(low, ADVANCED, BOOSTS)


def test_a_medium_finding_scores_at_least_10():
    weak = ScoreInputs(
        estimated_hours=100, impact=1, confidence=1, ease=1, security_severity=6, security=True
    )
    parts = breakdown(weak, ADVANCED, Boosts(security=1.0))
    assert parts.on_scale < 10 and parts.composite == 10.0
    assert parts.placement == "severity medium: at least 10 = 10.00"


def test_a_low_finding_is_placed_within_0_to_10():
    low = replace(SEC, security_severity=3)
    parts = breakdown(low, ADVANCED, BOOSTS)
    # unboosted 27.667 on the scale is 27.667; LOW keeps a tenth of it
    assert parts.composite == pytest.approx(2.7667, abs=1e-4)
    assert parts.placement == "severity low: within 0-10: 27.67 × 0.1 = 2.77"


def test_weights_are_normalised_before_use():
    doubled = Weights(1.0, 0.6, 0.2, 0.2)
    assert score(CICD, doubled, BOOSTS) == pytest.approx(score(CICD, ADVANCED, BOOSTS))
    # Only WSJF counts: 46 × 1 = 46
    assert score(CICD, Weights(3, 0, 0, 0), BOOSTS) == pytest.approx(46.0)


def test_breakdown_adds_up_to_the_score_and_names_each_term():
    parts = breakdown(SEC, ADVANCED, BOOSTS)
    assert parts.composite == score(SEC, ADVANCED, BOOSTS)
    assert [c.name for c in parts.components] == ["wsjf", "debt", "ice", "security"]
    assert [c.label for c in parts.components] == ["WSJF", "Technical debt", "ICE", "Security"]
    assert [c.value for c in parts.components] == pytest.approx([43.3333, 0, 36, 72], abs=1e-3)
    assert [c.weight for c in parts.components] == pytest.approx([0.5, 0.3, 0.1, 0.1])
    assert parts.base == pytest.approx(32.4667, abs=1e-3)
    assert parts.boosts == (("security", 2.5),)
    assert parts.multiplier == 2.5


def test_breakdown_shows_normalised_weights():
    parts = breakdown(CICD, Weights(2, 1, 1, 0), BOOSTS)
    assert [c.weight for c in parts.components] == [0.5, 0.25, 0.25, 0.0]
    assert parts.boosts == () and parts.multiplier == 1.0


def test_details_show_the_inputs_of_each_component():
    inp = ScoreInputs(
        estimated_hours=8,
        business_value=8,
        time_criticality=5,
        risk_reduction=5,
        debt_hours=4,
        debt_interest=1.5,
        impact=8,
        confidence=7,
        ease=6,
        security_severity=9,
    )
    details = [c.detail for c in breakdown(inp, ADVANCED, BOOSTS).components]
    assert details == [
        "(8 + 5 + 5) / size 5 = 3.60 of 20",
        "4 h × interest 1.5 = 6 of 40 h",
        "8 × 7 × 6 / 10",
        "severity 9 × confidence 7",
    ]


def test_details_round_long_numbers_to_two_decimals():
    inp = ScoreInputs(debt_hours=12.3456, debt_interest=1.25, impact=7.777)
    parts = breakdown(inp, ADVANCED, BOOSTS).components
    # 12.3456 × 1.25 = 15.432
    assert parts[1].detail == "12.35 h × interest 1.25 = 15.43 of 40 h"
    assert parts[2].detail == "7.78 × 7 × 5 / 10"


def test_lines_read_like_taskwarrior():
    lines = breakdown(replace(CICD, security_severity=9, security=True), ADVANCED, BOOSTS).lines()
    # security 9 × 8 = 72 × 0.1 = 7.2; base 23 + 6.4 + 7.2 = 36.6; × 2.5 = 91.5
    # on the scale 50 + 50 × (1 - e^(-41.5/50)) = 78.20
    assert lines == [
        "WSJF            46.00 × 0.50 =  23.00   (20 + 13 + 13) / size 5 = 9.20 of 20",
        "Technical debt   0.00 × 0.30 =   0.00   0 h × interest 1 = 0 of 40 h",
        "ICE             64.00 × 0.10 =   6.40   10 × 8 × 8 / 10",
        "Security        72.00 × 0.10 =   7.20   severity 9 × confidence 8",
        "base = 36.60",
        "× security boost 2.5",
        "boosted = 91.50",
        "on the 0-100 scale = 78.20 (above 50: 50 + 50 × (1 - e^(-(91.50 - 50) / 50)))",
        "composite = 78.20",
    ]


def test_lines_list_each_boost_that_applies():
    inp = ScoreInputs(compliance=True, performance=True)
    lines = breakdown(inp, ADVANCED, BOOSTS).lines()
    at = lines.index("base = 21.75")  # WSJF 40 × 0.5 + ICE 17.5 × 0.1
    assert lines[at + 1 : at + 3] == ["× compliance boost 2", "× performance boost 1.8"]


def test_as_dict_is_json_ready():
    data = json.loads(json.dumps(breakdown(SEC, ADVANCED, BOOSTS).as_dict()))
    assert [c["name"] for c in data["components"]] == ["wsjf", "debt", "ice", "security"]
    assert data["components"][3]["contribution"] == pytest.approx(7.2)
    assert data["boosts"] == {"security": 2.5}
    assert data["multiplier"] == 2.5
    assert data["boosted"] == pytest.approx(81.1667, abs=1e-4)
    assert data["composite"] == round(score(SEC, ADVANCED, BOOSTS), 2) == 73.19


@settings(max_examples=100, deadline=None)
@given(score_inputs, weights, boosts)
def test_breakdown_and_score_give_identical_numbers(inp, w, b):
    parts = breakdown(inp, w, b)
    assert parts.composite == score(inp, w, b)
    assert parts.boosted == parts.base * parts.multiplier
    assert parts.multiplier == math.prod(factor for _name, factor in parts.boosts)


@settings(max_examples=200, deadline=None)
@given(score_inputs, weights, boosts)
def test_every_score_is_on_the_0_to_100_scale(inp, w, b):
    assert 0 <= score(inp, w, b) <= 100


severity_below_medium = st.floats(min_value=0.01, max_value=5.99)
severity_from_medium = st.floats(min_value=6, max_value=10)


@settings(max_examples=200, deadline=None)
@given(score_inputs, score_inputs, severity_below_medium, severity_from_medium, weights, boosts)
def test_a_low_finding_never_outranks_a_medium_or_high_one(one, other, low, higher, w, b):
    # whatever their job sizes, values and the weights: severity decides first
    low_item = replace(one, security_severity=low, security=True)
    higher_item = replace(other, security_severity=higher, security=True)
    assert score(higher_item, w, b) >= score(low_item, w, b)


@settings(max_examples=100, deadline=None)
@given(score_inputs, weights, boosts)
def test_composite_is_finite_and_never_negative(inp, w, b):
    value = score(inp, w, b)
    assert math.isfinite(value) and value >= 0


#: Any weights validate() accepts: finite, none negative, not all zero, up to the float limit.
any_weight = st.floats(min_value=0, allow_nan=False, allow_infinity=False)
any_weights = st.builds(Weights, any_weight, any_weight, any_weight, any_weight).filter(
    lambda w: max(w.as_dict().values()) > 0
)
any_boost = st.floats(min_value=1e-300, max_value=BOOST_MAX)
any_boosts = st.builds(Boosts, any_boost, any_boost, any_boost)


@settings(max_examples=150, deadline=None)
@given(score_inputs, any_weights, any_boosts)
def test_any_valid_weights_and_boosts_give_a_finite_score_with_shares_summing_to_one(inp, w, b):
    assert w.validate() is w and b.validate() is b
    shares = w.normalised().as_dict().values()
    assert sum(shares) == pytest.approx(1.0)  # even when the weights' own sum overflows
    assert math.isfinite(score(inp, w, b)) and 0 <= score(inp, w, b) <= 100


def test_weights_near_the_float_limit_keep_their_proportions():
    huge = Weights(1e308, 1e308, 0, 0)
    assert huge.normalised() == Weights(0.5, 0.5, 0, 0)
    assert score(CICD, huge, BOOSTS) == pytest.approx(score(CICD, Weights(1, 1, 0, 0), BOOSTS))


NAMES = ("wsjf", "debt", "ice", "security")


@settings(max_examples=100, deadline=None)
@given(score_inputs, weights, boosts, st.sampled_from(NAMES), st.floats(0.001, 10))
def test_raising_a_weight_never_lowers_that_components_contribution(inp, w, b, name, extra):
    raised = w.replace(**{name: getattr(w, name) + extra})
    k = NAMES.index(name)
    before = breakdown(inp, w, b).components[k]
    after = breakdown(inp, raised, b).components[k]
    assert before.value >= 0
    assert after.contribution >= before.contribution - 1e-9 * max(1.0, before.contribution)


@settings(max_examples=100, deadline=None)
@given(score_inputs, weights, boosts, st.sampled_from(NAMES), st.floats(0.001, 10))
def test_raising_the_weight_of_a_component_above_the_base_never_lowers_the_score(
    inp, w, b, name, extra
):
    # Weights are shares: raising one moves weight onto that component from the others, so
    # the score cannot fall when the component is worth at least the current (weighted) base.
    parts = breakdown(inp, w, b)
    assume(parts.components[NAMES.index(name)].value >= parts.base)
    raised = w.replace(**{name: getattr(w, name) + extra})
    assert score(inp, raised, b) >= parts.composite - 1e-9 * max(1.0, parts.composite)


def test_raising_the_weight_of_a_component_below_the_base_lowers_the_score():
    # CICD: WSJF 46, ICE 64, debt and security 0; more debt weight is less of the others.
    assert score(CICD, ADVANCED.replace(debt=0.6), BOOSTS) < score(CICD, ADVANCED, BOOSTS)
