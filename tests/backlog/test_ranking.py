"""Listing, filtering and ranking the stored backlog."""

from __future__ import annotations

import pytest

from terragon_tui.backlog.items import complete_item
from terragon_tui.backlog.listing import list_items, next_item, show_item
from terragon_tui.backlog.scoring_settings import focus_weights
from terragon_tui.core.errors import UsageError

from ..conftest import suggest


@pytest.fixture
def filled(ws):
    suggest(ws, "Small docs fix", "documentation", impact=3, estimated_hours=1)
    suggest(
        ws, "SQL injection in search", "security", impact=9, security_severity=9, estimated_hours=4
    )
    suggest(ws, "Refactor parser", "technical-debt", impact=6, debt_hours=30, debt_interest=2)
    return ws


def test_items_are_ranked_by_score_with_ranks_from_one(filled):
    entries = list_items(filled)
    assert [e.rank for e in entries] == [1, 2, 3]
    assert [e.score for e in entries] == sorted((e.score for e in entries), reverse=True)
    assert entries[0].item.key == "SEC-001"  # boosted ×2.5
    assert next_item(filled).item.key == "SEC-001"


def test_filters_by_category_status_source_and_text(filled):
    assert [e.item.key for e in list_items(filled, category="debt")] == ["DEBT-001"]
    assert [e.item.key for e in list_items(filled, text="INJECTION")] == ["SEC-001"]
    assert [e.item.key for e in list_items(filled, text="sec-001")] == ["SEC-001"]
    assert len(list_items(filled, source="user")) == 3
    assert list_items(filled, source="todos") == []
    complete_item(filled, "DOCS-001", hours=1)
    assert [e.item.key for e in list_items(filled, status="done")] == ["DOCS-001"]
    assert len(list_items(filled, include_closed=True)) == 3
    assert len(list_items(filled, limit=1)) == 1


def test_rank_among_open_items_does_not_depend_on_the_filter(filled):
    debt = list_items(filled, category="technical-debt")[0]
    assert debt.rank == next(e.rank for e in list_items(filled) if e.item.key == "DEBT-001")


def test_bad_filters_are_usage_errors(filled):
    with pytest.raises(UsageError, match="unknown category"):
        list_items(filled, category="nope")
    with pytest.raises(UsageError, match="unknown status"):
        list_items(filled, status="nope")
    with pytest.raises(UsageError, match="limit"):
        list_items(filled, limit=0)


def test_focus_on_debt_reranks_the_debt_item_up(filled):
    before = next(e.rank for e in list_items(filled) if e.item.key == "DEBT-001")
    focus_weights(filled, "debt")
    after = next(e.rank for e in list_items(filled) if e.item.key == "DEBT-001")
    assert after < before


def test_show_gives_the_breakdown_that_adds_up_to_the_score(filled):
    detail = show_item(filled, "sec-001")
    assert detail.breakdown.composite == pytest.approx(detail.ranked.score)
    assert dict(detail.breakdown.boosts) == {"security": 2.5}


@pytest.mark.parametrize("most_by_id", [1, 500])
def test_a_list_gives_whole_stored_items_in_the_ranked_order(filled, monkeypatch, most_by_id):
    from terragon_tui.backlog import listing
    from terragon_tui.store.models import Item

    monkeypatch.setattr(listing, "MOST_BY_ID", most_by_id)  # by id, or the repository whole
    with filled.reading() as session:
        ranked = [e for e in listing.ranked_backlog(filled, session) if e.rank is not None]
    listed = list_items(filled)
    assert [(e.item.key, e.score, e.rank) for e in listed] == [
        (e.item.key, e.score, e.rank) for e in ranked
    ]
    assert all(isinstance(e.item, Item) and e.item.created_at for e in listed)


def test_next_shows_the_item_show_shows_for_the_top_key(filled):
    from terragon_tui.backlog.listing import next_detail

    detail = next_detail(filled)
    assert detail is not None
    top = next_item(filled)
    assert top is not None and detail.ranked.item.key == top.item.key == "SEC-001"
    assert detail == show_item(filled, top.item.key)
