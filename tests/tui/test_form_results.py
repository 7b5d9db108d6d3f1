"""Each form gives its own dataclass once submitted, None when escaped."""

from __future__ import annotations

from textual.widgets import Input

from terragon_tui.backlog.filters import ItemFilter
from terragon_tui.store.models import Item
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.filter_form import FilterEntry, FilterForm
from terragon_tui.tui.forms import (
    CompleteForm,
    CompletionEntry,
    IgnoreEntry,
    IgnoreForm,
    ReasonEntry,
    ReasonForm,
)
from terragon_tui.tui.item_form import ItemEntry, ItemForm

from .pilots import settle

ITEM = Item(key="FEAT-001", title="An item", category="feature", repo_id=1, file_path="a/b.py")


def test_what_each_form_gives_for_checked_values():
    complete = CompleteForm(ITEM)
    checked = complete.check({"hours": " 2.5", "impact": "faster", "outcome": "partial"})
    assert complete.result(checked) == CompletionEntry(2.5, "faster", "partial")
    reason = ReasonForm("defer", ITEM)
    assert reason.result(reason.check({"reason": "next sprint"})) == ReasonEntry("next sprint")
    ignore = IgnoreForm(ITEM)
    given = {"rule": " B311 ", "path": "  ", "reason": "tests only"}
    assert ignore.result(ignore.check(given)) == IgnoreEntry("B311", None, "tests only")
    edit = ItemForm(ITEM)
    assert edit.result(edit.check({"title": "A better title"})) == ItemEntry(
        {"title": "A better title"}
    )
    chosen = ItemFilter(category="security")
    form = FilterForm([], {}, ItemFilter())
    assert form.result(form.check({"filters": chosen, "view": ""})) == FilterEntry(chosen, None)


async def test_a_submitted_form_dismisses_with_its_entry_and_an_escaped_one_with_none(ws):
    app = TerragonApp(ws)
    given: list[ReasonEntry | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ReasonForm("defer", ITEM), given.append)
        await pilot.pause()
        app.screen.query_one("#reason", Input).value = "blocked on the vendor"
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.push_screen(ReasonForm("reject", ITEM), given.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert given == [ReasonEntry("blocked on the vendor"), None]
