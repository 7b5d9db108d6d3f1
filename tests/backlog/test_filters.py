"""Item filters: each field, path globs over a group's places, path roles, and their counts."""

from __future__ import annotations

import pytest

from terragon_tui.backlog.filters import ItemFilter, choice_counts
from terragon_tui.backlog.listing import list_items, load_rows
from terragon_tui.backlog.occurrences import load_places
from terragon_tui.core.errors import UsageError

from ..filtered_backlog import fill_filtered


def keys(entries):
    return sorted(entry.item.title for entry in entries)


def test_each_filter_narrows_the_list(ws):
    fill_filtered(ws)
    assert len(list_items(ws, rule="B311")) == 5
    assert keys(list_items(ws, role="docs")) == ["todo in docs/guide.md"]
    assert len(list_items(ws, role="test")) == 3
    assert len(list_items(ws, source="todos")) == 2
    assert keys(list_items(ws, rule="B311", role="test", path="tests/test_v*")) == [
        "B311 in tests/test_views.py"
    ]


def test_a_path_glob_matches_any_place_of_a_grouped_item(ws):
    fill_filtered(ws)
    assert keys(list_items(ws, path="lib/**")) == ["cc-rank-d in several files"]
    under_src = keys(list_items(ws, path="src/**"))
    assert "cc-rank-d in several files" in under_src and len(under_src) == 5


def test_counts_are_among_what_the_other_filters_leave_most_first(ws):
    fill_filtered(ws)
    rows, _settings = load_rows(ws)
    with ws.reading() as session:
        places = load_places(session, ws.repo_id)
    counts = choice_counts(rows, places, ItemFilter())
    assert counts["rule"] == [("B311", 5), ("todo", 2), ("B105", 1), ("cc-rank-d", 1)]
    assert counts["role"] == [("production", 5), ("test", 3), ("docs", 1)]
    narrowed = choice_counts(rows, places, ItemFilter(role="test"))
    assert narrowed["rule"] == [("B311", 2), ("todo", 1)]
    assert narrowed["role"] == counts["role"]  # a filter does not count against itself


def test_bad_values_name_the_choices(ws):
    fill_filtered(ws)
    with pytest.raises(UsageError, match=r"rules here: B311 \(5\), todo \(2\)"):
        list_items(ws, rule="B999")
    with pytest.raises(UsageError, match="choose one of: production, vendored"):
        list_items(ws, role="fixtures")
    assert len(list_items(ws, rule="b311")) == 5  # a rule is found in any case
