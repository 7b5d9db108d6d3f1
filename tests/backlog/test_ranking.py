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
