"""Weights and boosts: validation, parsing, profiles and focus areas."""

from __future__ import annotations

import math

import pytest

from terragon_tui.errors import UsageError
from terragon_tui.scoring.weights import (
    MATURITY_PROFILES,
    Boosts,
    Weights,
    apply_focus,
    maturity_level,
    parse_assignments,
    split_assignments,
)


def test_maturity_profiles_sum_to_one_and_advanced_is_the_seeds():
    for weights in MATURITY_PROFILES.values():
        assert sum(weights.as_dict().values()) == pytest.approx(1.0)
    assert MATURITY_PROFILES["advanced"] == Weights(0.5, 0.3, 0.1, 0.1)


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "nascent"),
        (24.9, "nascent"),
        (25, "developing"),
        (50, "maturing"),
        (74.9, "maturing"),
        (75, "advanced"),
        (100, "advanced"),
    ],
)
def test_maturity_level_from_health_score(score, level):
    assert maturity_level(score) == level


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (Weights(-0.1, 1, 1, 1), "negative"),
        (Weights(0, 0, 0, 0), "zero"),
        (Weights(math.nan, 1, 1, 1), "finite"),
        (Weights(math.inf, 1, 1, 1), "finite"),
    ],
)
def test_invalid_weights_are_refused(weights, message):
    with pytest.raises(UsageError, match=message):
        weights.validate()


def test_normalised_weights_sum_to_one():
    assert Weights(2, 1, 1, 0).normalised() == Weights(0.5, 0.25, 0.25, 0.0)


def test_boosts_must_be_above_zero():
    with pytest.raises(UsageError, match="above zero"):
        Boosts(security=0).validate()
    with pytest.raises(UsageError, match="unknown boost"):
        Boosts.from_mapping({"speed": 2})
    assert Boosts.from_mapping({"security": 3}).compliance == 2.0


def test_parse_assignments_tolerates_spaces_and_splits_boosts():
    values = parse_assignments(" wsjf=0.5 , debt = .3,security_boost=3")
    assert values == {"wsjf": 0.5, "debt": 0.3, "security_boost": 3.0}
    assert split_assignments(values) == ({"wsjf": 0.5, "debt": 0.3}, {"security": 3.0})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wsjf", "NAME=VALUE"),
        ("wsjf=abc", "must be a number"),
        ("speed=1", "unknown weight"),
        ("", "no weights"),
        ("wsjf=nan", "finite"),
    ],
)
def test_parse_assignments_refuses_malformed_text(text, message):
    with pytest.raises(UsageError, match=message):
        parse_assignments(text)


def test_from_mapping_needs_all_four_weights():
    with pytest.raises(UsageError, match="missing"):
        Weights.from_mapping({"wsjf": 1})


def test_focus_areas():
    weights, boosts = apply_focus("security", Boosts())
    assert weights == Weights(0.2, 0.1, 0.1, 0.6) and boosts.security == 3.0
    weights, boosts = apply_focus("performance", Boosts())
    assert boosts.performance == 2.5 and boosts.security == 2.5
    assert apply_focus("debt", Boosts())[0].debt == 0.6
    assert apply_focus("value", Boosts())[0].wsjf == 0.6
    with pytest.raises(UsageError, match="unknown focus area"):
        apply_focus("speed", Boosts())
