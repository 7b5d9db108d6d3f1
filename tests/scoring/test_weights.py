"""Weights and boosts: validation, parsing, profiles and focus areas."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terragon_tui.core.errors import TerragonError, UsageError
from terragon_tui.scoring.weights import (
    BOOST_SUFFIX,
    DEFAULT_LEVEL,
    FOCUS_AREAS,
    MATURITY_LEVELS,
    MATURITY_PROFILES,
    Boosts,
    Weights,
    apply_focus,
    maturity_level,
    parse_assignments,
    split_assignments,
)


def test_maturity_profiles_sum_to_one_and_advanced_is_the_seeds():
    assert tuple(MATURITY_PROFILES) == MATURITY_LEVELS
    for weights in MATURITY_PROFILES.values():
        assert sum(weights.as_dict().values()) == pytest.approx(1.0)
    assert MATURITY_PROFILES["nascent"] == Weights(0.4, 0.2, 0.3, 0.1)
    assert MATURITY_PROFILES["developing"] == Weights(0.5, 0.2, 0.2, 0.1)
    assert MATURITY_PROFILES["maturing"] == Weights(0.6, 0.2, 0.1, 0.1)
    assert MATURITY_PROFILES["advanced"] == Weights(0.5, 0.3, 0.1, 0.1)
    assert DEFAULT_LEVEL == "advanced"


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "nascent"),
        (24.9, "nascent"),
        (25, "developing"),
        (49.9, "developing"),
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
        (Weights(-0.1, 1, 1, 1), "weight wsjf must not be negative, got -0.1"),
        (Weights(1, 1, 1, -2), "weight security must not be negative"),
        (Weights(0, 0, 0, 0), "must not all be zero"),
        (Weights(math.nan, 1, 1, 1), "weight wsjf must be a finite number"),
        (Weights(1, math.inf, 1, 1), "weight debt must be a finite number"),
    ],
)
def test_invalid_weights_are_refused_in_one_line(weights, message):
    with pytest.raises(UsageError, match=message) as caught:
        weights.validate()
    assert "\n" not in str(caught.value)


def test_valid_weights_pass_validation_unchanged():
    weights = Weights(0, 0, 0, 2)
    assert weights.validate() is weights


def test_weights_that_do_not_sum_to_one_are_normalised():
    # 2 + 1 + 1 + 0 = 4 → 2/4, 1/4, 1/4, 0/4
    assert Weights(2, 1, 1, 0).normalised() == Weights(0.5, 0.25, 0.25, 0.0)
    # 1 + 0.6 + 0.2 + 0.2 = 2 → the advanced profile
    doubled = Weights(1.0, 0.6, 0.2, 0.2).normalised()
    assert doubled.as_dict() == pytest.approx(MATURITY_PROFILES["advanced"].as_dict())
    with pytest.raises(UsageError, match="zero"):
        Weights(0, 0, 0, 0).normalised()


def test_replace_and_as_dict():
    weights = Weights(0.5, 0.3, 0.1, 0.1).replace(debt=0.6)
    assert weights.as_dict() == {"wsjf": 0.5, "debt": 0.6, "ice": 0.1, "security": 0.1}


def test_weights_from_mapping_refuses_unknown_and_missing_names():
    assert Weights.from_mapping({"wsjf": 1, "debt": 2, "ice": 3, "security": 4}) == Weights(
        1, 2, 3, 4
    )
    with pytest.raises(UsageError, match="unknown weight 'speed'; known: wsjf, debt, ice, sec"):
        Weights.from_mapping({"wsjf": 1, "debt": 1, "ice": 1, "security": 1, "speed": 1})
    with pytest.raises(UsageError, match="missing"):
        Weights.from_mapping({"wsjf": 1})
    with pytest.raises(UsageError, match="must be a number"):
        Weights.from_mapping({"wsjf": "lots", "debt": 1, "ice": 1, "security": 1})


@pytest.mark.parametrize(
    ("boosts", "message"),
    [
        (Boosts(security=0), "security boost must be above zero, got 0"),
        (Boosts(compliance=-1), "compliance boost must be above zero"),
        (Boosts(performance=math.nan), "performance boost must be a finite number"),
        (Boosts(security=math.inf), "security boost must be a finite number"),
        (Boosts(compliance=1e200), r"compliance boost must be at most 100, got 1e\+200"),
    ],
)
def test_invalid_boosts_are_refused(boosts, message):
    with pytest.raises(UsageError, match=message):
        boosts.validate()


def test_boosts_default_to_the_seeds_and_may_be_given_in_part():
    assert Boosts().as_dict() == {"security": 2.5, "compliance": 2.0, "performance": 1.8}
    assert Boosts.from_mapping({"security": 3}) == Boosts(3.0, 2.0, 1.8)
    with pytest.raises(UsageError, match="unknown boost 'speed'"):
        Boosts.from_mapping({"speed": 2})


def test_parse_assignments_tolerates_spaces_and_splits_boosts():
    values = parse_assignments(" wsjf=0.5 , debt = .3,ice=1e-1, security_boost=3")
    assert values == {"wsjf": 0.5, "debt": 0.3, "ice": 0.1, "security_boost": 3.0}
    assert split_assignments(values) == (
        {"wsjf": 0.5, "debt": 0.3, "ice": 0.1},
        {"security": 3.0},
    )


def test_parse_assignments_knows_every_weight_and_boost():
    text = "wsjf=1,debt=2,ice=3,security=4,security_boost=5,compliance_boost=6,performance_boost=7"
    weights, boosts = split_assignments(parse_assignments(text))
    assert Weights.from_mapping(weights) == Weights(1, 2, 3, 4)
    assert Boosts.from_mapping(boosts) == Boosts(5, 6, 7)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wsjf", "expected NAME=VALUE, got 'wsjf'"),
        ("=0.5", "expected NAME=VALUE"),
        ("wsjf=abc", "wsjf must be a number, got 'abc'"),
        ("wsjf=", "wsjf must be a number"),
        ("wsjf=0.5;debt=0.3", "wsjf must be a number"),
        ("speed=1", "unknown weight 'speed'; known: wsjf, debt, ice, security, security_boost"),
        ("wsjf=1,wsjf=2", "wsjf is given twice"),
        ("", "no weights given"),
        (" , ", "no weights given"),
        ("wsjf=nan", "wsjf must be a finite number"),
        ("debt=inf", "debt must be a finite number"),
    ],
)
def test_parse_assignments_refuses_malformed_text_in_one_line(text, message):
    with pytest.raises(UsageError, match=message) as caught:
        parse_assignments(text)
    assert "\n" not in str(caught.value)


NAMES = (
    *Weights.__dataclass_fields__,
    *(name + BOOST_SUFFIX for name in Boosts.__dataclass_fields__),
)
#: Text that looks like assignments often enough to reach every branch of the parser.
assignment_text = st.lists(
    st.one_of(
        st.text(),
        st.builds(
            "{}{}{}".format,
            st.one_of(st.sampled_from(NAMES), st.text(max_size=8)),
            st.sampled_from(["=", " = ", "==", ":"]),
            st.one_of(st.floats().map(repr), st.integers().map(str), st.text(max_size=8)),
        ),
    ),
    max_size=5,
).map(",".join)


@settings(max_examples=300, deadline=None)
@given(assignment_text)
def test_parse_assignments_gives_finite_known_values_or_a_usage_error(text):
    try:
        values = parse_assignments(text)
    except TerragonError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert values and set(values) <= set(NAMES)
    assert all(math.isfinite(value) for value in values.values())


def test_parse_assignments_leaves_ranges_to_validation():
    # A negative weight parses; Weights.validate() is what refuses it, with its own message.
    weights, _boosts = split_assignments(parse_assignments("wsjf=-1"))
    with pytest.raises(UsageError, match="negative"):
        Weights.from_mapping({**MATURITY_PROFILES["advanced"].as_dict(), **weights}).validate()


@pytest.mark.parametrize(
    ("area", "weights", "boosts"),
    [
        ("security", Weights(0.2, 0.1, 0.1, 0.6), Boosts(3.0, 2.0, 1.8)),
        ("performance", Weights(0.4, 0.3, 0.2, 0.1), Boosts(2.5, 2.0, 2.5)),
        ("debt", Weights(0.2, 0.6, 0.1, 0.1), Boosts(2.5, 2.0, 1.8)),
        ("value", Weights(0.6, 0.1, 0.2, 0.1), Boosts(2.5, 2.0, 1.8)),
    ],
)
def test_focus_areas_set_weights_and_raise_their_boost(area, weights, boosts):
    assert apply_focus(area, Boosts()) == (weights, boosts)


def test_focus_keeps_the_users_other_boosts():
    mine = Boosts(security=4.0, compliance=1.5, performance=1.2)
    assert apply_focus("performance", mine)[1] == Boosts(4.0, 1.5, 2.5)
    assert apply_focus("debt", mine)[1] == mine


def test_unknown_focus_area_names_the_valid_ones():
    assert FOCUS_AREAS == ("security", "performance", "debt", "value")
    with pytest.raises(UsageError, match="unknown focus area 'speed'; choose one of: security, "):
        apply_focus("speed", Boosts())
