"""The four components, checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from terragon_tui.scoring.components import (
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
        (0.5, 1),
        (1, 1),
        (1.5, 2),
        (2, 2),
        (3, 3),
        (4, 3),
        (8, 5),
        (8.1, 8),
        (16, 8),
        (40, 13),
        (41, 20),
        (500, 20),
    ],
)
def test_job_size_follows_the_modified_fibonacci_steps(hours, size):
    assert job_size(hours) == size


def test_wsjf_is_cost_of_delay_over_job_size_as_a_share_of_20():
    # (20 + 13 + 13) / size 5 (8 h) = 9.2; 9.2 / 20 × 100 = 46
    inp = ScoreInputs(business_value=20, time_criticality=13, risk_reduction=13, estimated_hours=8)
    assert wsjf(inp) == pytest.approx(46.0)


def test_wsjf_is_capped_at_100():
    # (20 + 20 + 20) / size 1 = 60 → 300, capped
    inp = ScoreInputs(business_value=20, time_criticality=20, risk_reduction=20, estimated_hours=1)
    assert wsjf(inp) == 100.0


def test_debt_is_hours_times_interest_as_a_share_of_40_hours():
    # 6 h × 2 = 12 of 40 → 30
    assert debt(ScoreInputs(debt_hours=6, debt_interest=2)) == pytest.approx(30.0)
    assert debt(ScoreInputs(debt_hours=100, debt_interest=3)) == 100.0
    assert debt(ScoreInputs()) == 0.0


def test_ice_is_the_product_over_ten():
    # 8 × 7 × 6 / 10 = 33.6
    assert ice(ScoreInputs(impact=8, confidence=7, ease=6)) == pytest.approx(33.6)
    # one weak factor drags it down: 10 × 10 × 1 / 10 = 10
    assert ice(ScoreInputs(impact=10, confidence=10, ease=1)) == pytest.approx(10.0)


def test_security_is_severity_times_confidence():
    # 9 × 8 = 72
    assert security(ScoreInputs(security_severity=9, confidence=8)) == pytest.approx(72.0)
    assert security(ScoreInputs()) == 0.0


def test_components_are_in_fixed_order_and_within_0_to_100():
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
