"""Whatever is typed into a form: a valid value, or the project's own error with a message."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from terragon_tui.backlog.fields import (
    EDITABLE_FIELDS,
    LINE_MAX,
    NUMBER_FIELDS,
    TITLE_MAX,
    check_fields,
)
from terragon_tui.core.errors import TerragonError
from terragon_tui.store.models import Item
from terragon_tui.tui.forms import CompleteForm, ReasonForm
from terragon_tui.tui.item_form import ITEM_FORM_FIELDS, ItemForm

#: Text a person could type or paste: anything, and things that nearly parse as numbers.
typed = st.one_of(
    st.text(),
    st.floats().map(str),
    st.integers().map(str),
    st.builds(
        "{}{}e{}".format,
        st.sampled_from(["", "-", "+", " ", "\x1c", "١"]),  # float() strips \x1c, reads ١
        st.integers(),
        st.integers(),
    ),
)


def checked_or_refused(check: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
    """What `check` returns, or None if it refused with a TerragonError that says why.

    Any other exception escapes and fails the test: that is the property.
    """
    try:
        return check()
    except TerragonError as exc:
        assert str(exc).strip()
        return None


def assert_valid(checked: dict[str, Any]) -> None:
    """Checked item fields hold values inside their documented ranges."""
    for name, value in checked.items():
        if name in NUMBER_FIELDS:
            assert math.isfinite(value) and NUMBER_FIELDS[name].check(name, value) == value
        elif name == "title":
            assert value.strip() and len(value) <= TITLE_MAX and "\n" not in value
        elif name == "line":
            assert value is None or 1 <= value <= LINE_MAX


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from((*EDITABLE_FIELDS, "colour")), typed, max_size=6))
def test_check_fields_on_any_text_gives_valid_fields_or_a_terragon_error(values):
    checked = checked_or_refused(lambda: check_fields(values))
    if checked is not None:
        assert set(checked) == set(values)
        assert_valid(checked)


@settings(max_examples=100, deadline=None)
@given(st.integers(), st.floats())
def test_check_fields_on_any_number_from_the_command_line(whole, number):
    # Typer hands over Python numbers, however large.
    for values in ({"line": whole}, {"impact": number}, {"impact": whole}):
        checked = checked_or_refused(lambda values=values: check_fields(values))
        if checked is not None:
            assert_valid(checked)


ITEM = Item(key="FEAT-001", title="An item", category="feature", repo_id=1)


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {name: st.booleans() if kind == "flag" else typed for name, _, kind in ITEM_FORM_FIELDS}
    ),
    st.booleans(),
)
def test_the_item_form_gives_valid_fields_or_a_message(values, editing):
    form = ItemForm(ITEM if editing else None)
    checked = checked_or_refused(lambda: form.check(values))
    if checked is not None:
        assert_valid(checked)


@settings(max_examples=200, deadline=None)
@given(typed, st.text(), st.text())
def test_the_complete_and_reason_forms_give_valid_values_or_a_message(hours, impact, reason):
    values = {"hours": hours, "impact": impact, "outcome": "success"}
    checked = checked_or_refused(lambda: CompleteForm(ITEM).check(values))
    if checked is not None:
        assert 0 < checked["hours"] <= 10_000
    if checked_or_refused(lambda: ReasonForm("defer", ITEM).check({"reason": reason})):
        assert reason.strip()
