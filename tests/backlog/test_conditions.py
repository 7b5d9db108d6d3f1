"""The gate's `--fail-on` grammar: SCOPE:FIELD OP VALUE, and when a condition holds."""

from __future__ import annotations

import pytest

from terragon_tui.backlog.conditions import GateItem, parse_condition, parse_conditions
from terragon_tui.core.errors import UsageError

ITEMS = [
    GateItem("B602 shell", "app.py:3", "security", 3, 91.0),
    GateItem("B404 import", "app.py:1", "security", 1, 2.0),
    GateItem("TODO here", "notes.py:1", "technical-debt", 0, 14.0),
]


def test_conditions_are_repeatable_and_comma_separated() -> None:
    parsed = parse_conditions(["new:severity>=high, new:score > 70", "open:security>=1"])
    assert [(c.scope, c.field, c.op, c.value) for c in parsed] == [
        ("new", "severity", ">=", 3.0),
        ("new", "score", ">", 70.0),
        ("open", "security", ">=", 1.0),
    ]
    assert parsed[1].text == "new:score>70"


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("new:severity>=high", True),
        ("new:severity>high", False),
        ("new:severity<=low", True),  # B404; the TODO has no severity at all
        ("new:score>=90", True),
        ("new:score>=92", False),
        ("new:count>=3", True),
        ("new:count>3", False),
        ("new:security==2", True),
        ("new:technical-debt>=2", False),
        ("new:testing==0", True),
    ],
)
def test_when_a_condition_holds(text: str, holds: bool) -> None:
    reason = parse_condition(text).holds(ITEMS)
    assert (reason is not None) is holds


def test_a_reason_is_one_line_naming_the_best_items() -> None:
    reason = parse_condition("new:severity>=low").holds(ITEMS)
    assert reason == "new:severity>=low: 2 new items: B602 shell (app.py:3); B404 import (app.py:1)"
    assert parse_condition("open:count>=1").holds([]) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("new severity>=high", "expected SCOPE:FIELD OP VALUE"),
        ("all:score>=1", "scope is one of new, worse, open"),
        ("new:colour>=1", "field is one of severity"),
        ("new:severity>=critical", "severity is one of low, medium, high"),
        ("new:score>=101", "a score is from 0 to 100"),
        ("new:count>=1.5", "whole number"),
        ("new:score>=lots", "'lots' is not a number"),
        ("new:score=>1", "expected"),
    ],
)
def test_a_bad_condition_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(UsageError, match=says) as caught:
        parse_conditions([text])
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)


def test_no_condition_at_all_is_an_error() -> None:
    with pytest.raises(UsageError, match="no condition given"):
        parse_conditions([" , "])
