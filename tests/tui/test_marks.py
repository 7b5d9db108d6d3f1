"""Marks and bulk actions: space, `*`, escape, and x / d / e on every marked item as one change."""

from __future__ import annotations

from textual.widgets import Input, Select, Static

from terragon_tui.backlog.listing import list_items, show_item
from terragon_tui.tui.forms import ReasonForm
from terragon_tui.tui.item_form import ItemForm
from terragon_tui.tui.screens.backlog import BacklogScreen

from .pilots import said, settle, shown


def backlog(app) -> BacklogScreen:
    return app.screen_stack[1] if not isinstance(app.screen, BacklogScreen) else app.screen


def status_line(screen: BacklogScreen) -> str:
    return str(screen.query_one("#status").render())


def keys_shown(screen: BacklogScreen) -> list[str]:
    return [screen.model.item_at(i).key for i in range(len(screen.model))]


async def test_space_marks_and_moves_down_and_x_rejects_every_marked_item_undone_as_one(
    app, filled_ws
):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = backlog(app)
        first, second, third = keys_shown(screen)[:3]
        await pilot.press("space", "space")
        assert screen.model.marked == {first, second}
        assert screen.current().key == third  # space moves down, as in a file manager
        assert "2 marked" in status_line(screen)
        lines = shown(app).splitlines()
        header = next(index for index, line in enumerate(lines) if "Rank" in line)
        rows = lines[header + 1 : header + 4]
        assert [row.split()[:3] for row in rows[:2]] == [["*", "1", first], ["*", "2", second]]
        assert rows[2].startswith("  ") and rows[2].split()[:2] == ["3", third]

        await pilot.press("x")
        form = app.screen
        assert isinstance(form, ReasonForm)
        assert form.heading.startswith("Reject 2 marked items")
        form.query_one("#reason", Input).value = "not ours: vendored"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BacklogScreen)
        assert screen.model.marked == set()
        assert {first, second}.isdisjoint(keys_shown(screen))
        for key in (first, second):
            item = show_item(filled_ws, key).ranked.item
            assert (item.status, item.status_reason) == ("rejected", "not ours: vendored")
        everything = {r.item.key: r.item.status for r in list_items(filled_ws, include_closed=True)}
        assert everything[first] == everything[second] == "rejected"  # `terragon list --all`
        assert everything[third] == "open"

        await pilot.press("u")
        await settle(pilot)
        assert show_item(filled_ws, first).ranked.item.status == "open"
        assert show_item(filled_ws, second).ranked.item.status == "open"
        assert said(app, "Undid the rejection of 2 items")


async def test_d_defers_every_marked_item_even_those_a_search_hides(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = backlog(app)
        first = screen.current().key
        await pilot.press("space")
        await pilot.press("slash", *"plugin", "enter")
        assert keys_shown(screen) == ["DOCS-001"]
        await pilot.press("space")
        assert screen.model.marked == {first, "DOCS-001"}  # the search did not drop the mark
        assert "2 marked (1 not shown)" in status_line(screen)
        await pilot.press("d")
        assert app.screen.heading.startswith("Defer 2 marked items")
        app.screen.query_one("#reason", Input).value = "after the release"
        await pilot.press("enter")
        await settle(pilot)
    assert show_item(filled_ws, first).ranked.item.status == "deferred"
    assert show_item(filled_ws, "DOCS-001").ranked.item.status == "deferred"


async def test_star_after_a_search_marks_exactly_the_rows_shown(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = backlog(app)
        await pilot.press("slash", *" the ", "enter")
        visible = set(keys_shown(screen))
        assert 0 < len(visible) < len(screen.model.items)
        await pilot.press("asterisk")
        assert screen.model.marked == visible
        assert f"{len(visible)} marked" in status_line(screen)


async def test_marks_survive_a_reweight_a_filter_and_a_reload_by_id(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = backlog(app)
        await pilot.press("j", "space")
        marked = set(screen.model.marked)
        assert len(marked) == 1
        screen.set_filter(category="documentation")
        screen.set_filter(category=None)
        screen.model.reweight(screen.model.weights, screen.model.boosts)
        screen.reload()
        await settle(pilot)
        assert screen.model.marked == marked
        (key,) = marked
        assert screen.model.is_marked(screen.model.position_of(key))


async def test_escape_clears_marks_before_the_search_and_space_unmarks(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = backlog(app)
        await pilot.press("space", "k", "space")
        assert screen.model.marked == set()  # the second space unmarked the same row
        await pilot.press("slash", *"CI", "enter", "asterisk")
        assert screen.model.marked
        await pilot.press("escape")
        assert screen.model.marked == set()
        assert screen.model.filters.text == "CI"  # the first escape took only the marks
        assert "marked" not in status_line(screen)
        await pilot.press("escape")
        assert screen.model.filters.text == ""


async def test_without_marks_x_acts_on_the_highlighted_item_alone(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = backlog(app)
        key = screen.current().key
        await pilot.press("x")
        assert app.screen.heading.startswith(f"Reject {key}:")
        app.screen.query_one("#reason", Input).value = "duplicate"
        await pilot.press("enter")
        await settle(pilot)
    statuses = [r.item.status for r in list_items(filled_ws, include_closed=True)]
    assert statuses.count("rejected") == 1


async def test_e_with_marks_edits_only_the_fields_filled_on_every_marked_item_undone_as_one(
    app, filled_ws
):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = backlog(app)
        first, second, third = keys_shown(screen)[:3]
        before = {k: show_item(filled_ws, k).ranked.item for k in (first, second)}
        await pilot.press("space", "space", "e")
        form = app.screen
        assert isinstance(form, ItemForm)
        assert form.heading.startswith("Edit 2 marked items (blank keeps each one's value)")
        assert form.query_one("#title", Input).value == ""  # nothing prefilled in bulk
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ItemForm)  # nothing filled: nothing to change
        assert "fill in at least one field" in str(form.query_one("#error", Static).render())
        form.query_one("#ease", Input).value = "9"
        form.query_one("#priority", Select).value = "critical"
        form.query_one("#is_performance", Select).value = "yes"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BacklogScreen)
        assert screen.model.marked == set()
        for key in (first, second):
            item = show_item(filled_ws, key).ranked.item
            assert (item.ease, item.priority, item.is_performance) == (9, "critical", True)
            assert item.title == before[key].title  # blank kept each item's own value
            assert item.estimated_hours == before[key].estimated_hours
            assert item.edited_fields == ["ease", "is_performance", "priority"]
        assert show_item(filled_ws, third).ranked.item.edited_fields == []
        assert said(app, "Updated 2 items")

        await pilot.press("u")
        await settle(pilot)
        for key in (first, second):
            item = show_item(filled_ws, key).ranked.item
            assert (item.ease, item.priority) == (before[key].ease, before[key].priority)
        assert said(app, "Undid the edit of 2 items")


async def test_marked_items_that_are_not_open_are_left_out_and_said(app, filled_ws):
    from terragon_tui.backlog.items import reject_item

    reject_item(filled_ws, "DOCS-001", reason="stale")
    async with app.run_test(size=(140, 40)) as pilot:
        screen = backlog(app)
        await pilot.press("t")
        screen.model.mark(["DOCS-001", screen.current().key])
        open_key = screen.current().key
        await pilot.press("x")
        assert "1 marked but not open: left out" in app.screen.heading
        app.screen.query_one("#reason", Input).value = "duplicate"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.model.marked == {"DOCS-001"}
        assert said(app, "left out 1 marked item not open (still marked)")
    assert show_item(filled_ws, open_key).ranked.item.status == "rejected"
    assert show_item(filled_ws, "DOCS-001").ranked.item.status_reason == "stale"
