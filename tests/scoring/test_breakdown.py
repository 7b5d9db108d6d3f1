"""The composite score with the seed's weights and boosts, and its breakdown."""

from __future__ import annotations

import pytest

from terragon_tui.scoring.breakdown import breakdown, score
from terragon_tui.scoring.components import ScoreInputs
from terragon_tui.scoring.weights import MATURITY_PROFILES, Boosts, Weights

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


def test_the_seeds_advanced_weights_by_hand():
    # WSJF (20+13+13)/5 = 9.2 → 46.0 × 0.5 = 23.0
    # debt 0 × 0.3 = 0
    # ICE 10 × 8 × 8 / 10 = 64.0 × 0.1 = 6.4
    # security 0 × 0.1 = 0
    # composite = 29.4, no boost
    assert score(CICD, ADVANCED, BOOSTS) == pytest.approx(29.4)


def test_security_boost_multiplies_by_2_5():
    inp = ScoreInputs(
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
    # WSJF (13+8+5)/3 = 8.667 → 43.333 × 0.5 = 21.667
    # ICE 9 × 8 × 5 / 10 = 36 × 0.1 = 3.6
    # security 9 × 8 = 72 × 0.1 = 7.2
    # base = 32.467; × 2.5 = 81.167
    assert score(inp, ADVANCED, BOOSTS) == pytest.approx(81.1667, abs=1e-3)


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
    # WSJF 3/1 = 3 → 15 × 0.5 = 7.5; ICE 100 × 0.1 = 10; base 17.5; × 2.5 × 2.0 = 87.5
    assert score(inp, ADVANCED, BOOSTS) == pytest.approx(87.5)


def test_weights_are_normalised_before_use():
    doubled = Weights(1.0, 0.6, 0.2, 0.2)
    assert score(CICD, doubled, BOOSTS) == pytest.approx(score(CICD, ADVANCED, BOOSTS))


def test_breakdown_adds_up_to_the_score_and_names_each_term():
    inp = ScoreInputs(
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
    parts = breakdown(inp, ADVANCED, BOOSTS)
    assert parts.composite == pytest.approx(score(inp, ADVANCED, BOOSTS))
    assert parts.base == pytest.approx(sum(c.contribution for c in parts.components))
    assert [c.name for c in parts.components] == ["wsjf", "debt", "ice", "security"]
    assert parts.boosts == (("security", 2.5),) and parts.multiplier == 2.5
    lines = parts.lines()
    assert lines[0].startswith("WSJF") and "(13 + 8 + 5) / size 3" in lines[0]
    assert "72.00 × 0.10 =   7.20" in lines[3]
    assert lines[-2] == "× security boost 2.5"
    assert lines[-1] == f"composite = {parts.composite:.2f}"
    data = parts.as_dict()
    assert data["boosts"] == {"security": 2.5}
    assert data["composite"] == round(parts.composite, 2)
