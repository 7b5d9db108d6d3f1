"""The roadmap: items packed into weeks and phases by capacity, in ranked order, keeping the
"after" links; the next actions; the capacity from settings or from past completions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from terragon_tui.backlog import roadmap
from terragon_tui.backlog.items import edit_item, set_after, undo
from terragon_tui.backlog.listing import ranked_backlog
from terragon_tui.backlog.planning import after_links
from terragon_tui.backlog.ranked import Ranked, RankedItem
from terragon_tui.backlog.scoring_settings import scoring_settings
from terragon_tui.core.errors import UsageError
from terragon_tui.store.models import Completion, Item

from ..conftest import suggest

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def ranked(*hours: float, priority: str = "medium") -> list[RankedItem]:
    """Open items A-1, A-2... with these estimates, best first (scores 90, 80...)."""
    return [
        Ranked(
            Item(repo_id=1, key=f"A-{n}", title=f"Item {n}", category="feature",
                 estimated_hours=h, priority=priority),
            score=100.0 - 10 * n,
            rank=n,
        )
        for n, h in enumerate(hours, 1)
    ]  # fmt: skip


def keys(placed) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.entry.item.key for p in placed]


def test_items_fill_the_weeks_hour_by_hour_and_phases_group_the_weeks():
    cap = roadmap.Capacity(hours_per_week=10, weeks_per_phase=2)
    plan = roadmap.plan(ranked(4, 8, 3, 30, 2), cap)
    # starts at hour 0, 4, 12, 15, 45: weeks 1, 1, 2, 2, 5
    assert [p.week(10) for p in plan.placed] == [1, 1, 2, 2, 5]
    assert [p.last_week(10) for p in plan.placed] == [1, 2, 2, 5, 5]
    assert [(ph.number, ph.first_week, ph.last_week) for ph in plan.phases] == [
        (1, 1, 2),
        (3, 5, 6),
    ]
    first = plan.phases[0]
    assert keys(first.items) == ["A-1", "A-2", "A-3", "A-4"]
    assert first.hours == 45 and first.value == pytest.approx(90 + 80 + 70 + 60)
    assert plan.hours == 47 and plan.weeks == 5


def test_an_item_comes_right_after_the_one_it_must_follow():
    cap = roadmap.Capacity(hours_per_week=10, weeks_per_phase=1)
    plan = roadmap.plan(ranked(1, 1, 1, 1), cap, {"A-1": ["A-3"], "A-2": ["A-3", "A-4"]})
    # A-1 waits for for: A-3 first, then A-1, then A-4, then A-2
    assert keys(plan.placed) == ["A-3", "A-1", "A-4", "A-2"]
    assert plan.placed[1].waited_for == ("A-3",)
    assert plan.cycles == []
    # a link to an item that is not open (closed, or gone) is met already
    assert keys(roadmap.plan(ranked(1, 1), cap, {"A-1": ["DONE-9"]}).placed) == ["A-1", "A-2"]


def test_links_that_loop_are_placed_last_and_named():
    cap = roadmap.Capacity(hours_per_week=10, weeks_per_phase=1)
    plan = roadmap.plan(ranked(1, 1, 1), cap, {"A-1": ["A-2"], "A-2": ["A-1"]})
    assert keys(plan.placed) == ["A-3", "A-1", "A-2"]
    assert plan.cycles == ["A-1", "A-2"]


def test_next_actions_are_the_first_day_the_first_week_and_the_month():
    cap = roadmap.Capacity(hours_per_week=20, weeks_per_phase=2)  # a day is 4 hours
    plan = roadmap.plan(ranked(3, 2, 10, 30, 20, 40), cap)
    # starts: 0, 3, 5, 15, 45, 65 hours: weeks 1, 1, 1, 1, 3, 4
    actions = plan.next_actions()
    assert keys(actions["immediate"]) == ["A-1", "A-2"]
    assert keys(actions["this_week"]) == ["A-3", "A-4"]
    assert keys(actions["this_month"]) == ["A-5", "A-6"]
    # the first item is immediate however long it is
    assert keys(roadmap.plan(ranked(50, 1), cap).next_actions()["immediate"]) == ["A-1"]


def _done(hours: float, days_ago: float) -> Completion:
    return Completion(item_id=1, actual_hours=hours, estimated_hours=hours,
                      completed_at=NOW - timedelta(days=days_ago))  # fmt: skip


def test_capacity_comes_from_the_settings_else_the_pace_of_completions_else_the_default():
    assert roadmap.capacity({"hours_per_week": 12, "weeks_per_phase": 3}, [], now=NOW) == (
        roadmap.Capacity(12, 3, "configured")
    )
    # 3 completions, 30 actual hours, the first 28 days ago: 7.5 hours a week
    paced = roadmap.capacity({}, [_done(10, 28), _done(12, 10), _done(8, 1)], now=NOW)
    assert paced.hours_per_week == 7.5 and paced.weeks_per_phase == 2
    assert "3 completions over 4 weeks" in paced.origin
    # too few, or too recent, to show a pace
    assert roadmap.capacity({}, [_done(10, 28), _done(12, 10)], now=NOW).origin == "default"
    assert roadmap.capacity({}, [_done(1, 3)] * 3, now=NOW).hours_per_week == 20


def test_after_links_are_checked_kept_through_edits_and_undone(ws):
    a = suggest(ws, "Activate CI", "infrastructure")
    b = suggest(ws, "Scan in CI", "security")
    c = suggest(ws, "Gate merges", "infrastructure")
    set_after(ws, b.key, [a.key])
    set_after(ws, c.key, [b.key])
    with pytest.raises(UsageError, match="would loop"):
        set_after(ws, a.key, [c.key])
    with pytest.raises(UsageError, match="itself"):
        set_after(ws, a.key, [a.key])
    edit_item(ws, b.key, impact=9)  # another edit keeps the link
    with ws.reading() as session:
        links = after_links(ranked_backlog(ws, session, scoring_settings(ws, session)))
    assert links == {b.key: [a.key], c.key: [b.key]}
    undo(ws)  # the impact edit
    undo(ws)  # the link of c
    with ws.reading() as session:
        links = after_links(ranked_backlog(ws, session, scoring_settings(ws, session)))
    assert links == {b.key: [a.key]}
