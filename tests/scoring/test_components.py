"""The four components, checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from terragon_tui.scoring.components import (
    COMPONENT_LABELS,
    COMPONENT_NAMES,
    FIBONACCI,
    ScoreInputs,
    components,
    debt,
    ice,
    job_size,
    security,
    wsjf,
)


@pytest.mark.parametrize(
    ("hours", "size"),
    [
        (-3, 1),  # nothing or less counts as the smallest job
        (0, 1),
        (0.5, 1),
        (1, 1),
        (1.01, 2),
        (2, 2),
        (2.01, 3),
        (4, 3),
        (4.01, 5),
        (8, 5),
        (8.01, 8),
        (16, 8),
        (16.01, 13),
        (40, 13),
        (40.01, 20),
        (500, 20),
    ],
)
def test_job_size_follows_the_modified_fibonacci_steps(hours, size):
    assert job_size(hours) == size


def test_every_job_size_is_on_the_fibonacci_scale():
    sizes = {job_size(hours) for hours in (0, 1, 2, 3, 5, 10, 20, 50)}
    assert sizes == set(FIBONACCI)


def test_wsjf_is_cost_of_delay_over_job_size_as_a_share_of_20():
    # (20 + 13 + 13) / size 5 (8 h) = 9.2; 9.2 / 20 × 100 = 46
    inp = ScoreInputs(business_value=20, time_criticality=13, risk_reduction=13, estimated_hours=8)
    assert wsjf(inp) == pytest.approx(46.0)


def test_wsjf_falls_as_the_job_grows():
    # (8 + 5 + 5) = 18; / size 5 (8 h) = 3.6 → 18; / size 8 (9 h) = 2.25 → 11.25
    small = ScoreInputs(business_value=8, time_criticality=5, risk_reduction=5, estimated_hours=8)
    large = ScoreInputs(business_value=8, time_criticality=5, risk_reduction=5, estimated_hours=9)
    assert wsjf(small) == pytest.approx(18.0)
    assert wsjf(large) == pytest.approx(11.25)


def test_wsjf_is_capped_at_100():
    # (20 + 20 + 20) / size 1 = 60 → 300, capped
    inp = ScoreInputs(business_value=20, time_criticality=20, risk_reduction=20, estimated_hours=1)
    assert wsjf(inp) == 100.0


def test_debt_is_hours_times_interest_as_a_share_of_40_hours():
    # 6 h × 2 = 12 of 40 → 30
    assert debt(ScoreInputs(debt_hours=6, debt_interest=2)) == pytest.approx(30.0)
    # 4 h × 1.5 = 6 of 40 → 15
    assert debt(ScoreInputs(debt_hours=4, debt_interest=1.5)) == pytest.approx(15.0)
    # 100 h × 3 = 300 of 40 → 750, capped
    assert debt(ScoreInputs(debt_hours=100, debt_interest=3)) == 100.0
    assert debt(ScoreInputs()) == 0.0


def test_ice_is_the_product_over_ten():
    # 8 × 7 × 6 / 10 = 33.6
    assert ice(ScoreInputs(impact=8, confidence=7, ease=6)) == pytest.approx(33.6)
    # 10 × 10 × 10 / 10 = 100
    assert ice(ScoreInputs(impact=10, confidence=10, ease=10)) == pytest.approx(100.0)


def test_ice_is_not_the_average_one_weak_factor_drags_it_down():
    # Both average 7, but 1 × 10 × 10 / 10 = 10 while 7 × 7 × 7 / 10 = 34.3.
    trivial = ice(ScoreInputs(impact=1, confidence=10, ease=10))
    solid = ice(ScoreInputs(impact=7, confidence=7, ease=7))
    assert trivial == pytest.approx(10.0)
    assert solid == pytest.approx(34.3)


def test_security_is_severity_times_confidence():
    # 9 × 8 = 72
    assert security(ScoreInputs(security_severity=9, confidence=8)) == pytest.approx(72.0)
    # 10 × 10 = 100
    assert security(ScoreInputs(security_severity=10, confidence=10)) == pytest.approx(100.0)
    assert security(ScoreInputs()) == 0.0


def test_components_come_in_the_order_of_their_names():
    inp = ScoreInputs(
        estimated_hours=8,
        business_value=20,
        time_criticality=13,
        risk_reduction=13,
        debt_hours=6,
        debt_interest=2,
        impact=8,
        confidence=7,
        ease=6,
        security_severity=9,
    )
    # wsjf 46 (as above); debt 30; ICE 8 × 7 × 6 / 10 = 33.6; security 9 × 7 = 63
    assert components(inp) == pytest.approx((46.0, 30.0, 33.6, 63.0))
    assert COMPONENT_NAMES == ("wsjf", "debt", "ice", "security")
    assert [COMPONENT_LABELS[name] for name in COMPONENT_NAMES] == [
        "WSJF",
        "Technical debt",
        "ICE",
        "Security",
    ]


def test_every_component_tops_out_at_100():
    values = components(
        ScoreInputs(
            impact=10,
            confidence=10,
            ease=10,
            security_severity=10,
            debt_hours=1000,
            business_value=20,
            time_criticality=20,
            risk_reduction=20,
        )
    )
    assert values == (100.0, 100.0, 100.0, 100.0)


def test_score_inputs_defaults_match_the_documented_ones():
    inp = ScoreInputs()
    assert (inp.estimated_hours, inp.impact, inp.confidence, inp.ease) == (1.0, 5.0, 7.0, 5.0)
    assert (inp.business_value, inp.time_criticality, inp.risk_reduction) == (3.0, 2.0, 3.0)
    assert (inp.debt_hours, inp.debt_interest, inp.security_severity) == (0.0, 1.0, 0.0)
    assert not (inp.security or inp.compliance or inp.performance)
