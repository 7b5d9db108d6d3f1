"""The keys a keyboard user looks for: the footer at 80 columns, `>` over the columns shown,
and a search that matches nothing."""

from __future__ import annotations

from textual.widgets import Static

from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.screens.backlog import BacklogScreen
from terragon_tui.tui.widgets.detail import DetailPane

from .pilots import said, shown, wait_for


def footer_of(app) -> str:
    return shown(app).splitlines()[-1]


FOOTER_AT_80 = ("⏎ Detail", "c Complete", "x Reject", "/ Search", "s Scan", "q Quit", "? Help")


async def test_the_footer_at_80_columns_shows_the_main_keys_and_help_and_quit(app):
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: "Quit" in footer_of(app))
        footer = footer_of(app)
        for key in FOOTER_AT_80:
            assert key in footer, (key, footer)
        assert footer.index("s Scan") < footer.index("q Quit") < footer.index("? Help")
        for screen_key in ("2", "3", "4"):  # every other screen too
            await pilot.press(screen_key)
            await wait_for(pilot, lambda: "Back" in footer_of(app))
            footer = footer_of(app)
            assert "q Quit" in footer and "? Help" in footer, (screen_key, footer)
            await pilot.press("1")


async def test_the_keys_the_footer_leaves_out_are_on_help_and_still_work(app):
    hidden = ("backlog.suggest", "backlog.edit", "backlog.defer", "backlog.undo", "backlog.filter")
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: "Quit" in footer_of(app))
        footer = footer_of(app)
        on_help = [b.id for _title, group in app.binding_sources() for b in group]
        for binding in BacklogScreen.BINDINGS:
            if binding.id in hidden:
                assert not binding.show and binding.id in on_help
                assert f"{binding.key} {binding.description}" not in footer
        assert "discard.yes" in on_help and "form.cancel" in on_help
        await pilot.press("f")
        assert type(app.screen).__name__ == "FilterForm"


async def test_greater_than_cycles_only_the_columns_shown_and_names_them(app, filled_ws):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BacklogScreen)
        header = next(line for line in shown(app).splitlines() if "Rank" in line)
        titles = [title for _key, title in screen.table.sort_choices()]
        assert titles[:3] == ["Score", "ID", "Title"]
        assert all(title in header for title in titles)
        assert "Lane" not in header and "Lane" not in titles  # not shown at 80: not cycled
        seen = []
        for _ in titles:
            await pilot.press("greater_than_sign")
            seen.append(screen.model.sort_key)
            title = dict(screen.table.sort_choices())[screen.model.sort_key]
            assert said(app, f"Sorted by {title} ▼")
        assert seen[-1] == "score" and len(set(seen)) == len(titles)  # round to the start
        assert {"risk", "estimated_hours"}.isdisjoint(seen)
        await pilot.press("greater_than_sign", "r")
        assert said(app, "Sorted by ID ▲")
        assert "sorted by ID ▲" in str(screen.query_one("#status", Static).render())
    wide = TerragonApp(filled_ws)
    async with wide.run_test(size=(200, 40)):  # wide: Lane shows, and sorts
        titles = [title for _key, title in wide.screen.table.sort_choices()]
        assert "Lane" in titles


async def test_a_search_with_no_match_clears_the_detail_and_says_so(app):
    async with app.run_test(size=(140, 40)) as pilot:
        pane = app.screen.query_one(DetailPane)
        first = app.screen.current().key
        assert pane.border_title == first
        await pilot.press("slash", *"zzzq")
        await pilot.pause()
        assert pane.border_title == "Item"
        body = str(pane.query_one("#detail-body", Static).render())
        assert "No item matches" in body and first not in body
        await pilot.press("escape")
        await pilot.pause()
        assert pane.border_title == first


async def test_with_the_weights_panel_open_at_80_columns_the_footer_keeps_help_and_quit(app):
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_for(pilot, lambda: "Quit" in footer_of(app))
        await pilot.press("w")
        assert await wait_for(pilot, lambda: "Save" in footer_of(app))
        footer = footer_of(app)
        for key in ("^s Save", "esc Close", "q Quit", "? Help"):
            assert key in footer, (key, footer)
        assert "x Reject" not in footer  # the backlog's keys make way while the panel has focus
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: "x Reject" in footer_of(app))
