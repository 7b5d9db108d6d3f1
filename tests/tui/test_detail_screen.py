"""`enter` shows the highlighted item's detail on the whole screen; escape comes back."""

from __future__ import annotations

import pytest

from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.screens.backlog import BacklogScreen
from terragon_tui.tui.screens.detail import DetailScreen

from ..conftest import suggest
from .pilots import shown
from .test_backlog_screen import _render_content

DESCRIPTION = "The CSV export drops rows whose note holds a newline."


@pytest.fixture
def described(filled_ws):
    suggest(
        filled_ws,
        "Fix the CSV export",
        "feature",
        description=DESCRIPTION,
        impact=8,
        estimated_hours=3,
    )
    return TerragonApp(filled_ws)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_enter_shows_the_detail_and_escape_returns_to_the_same_row(described, size):
    async with described.run_test(size=size) as pilot:
        await pilot.pause()
        backlog = described.screen
        assert isinstance(backlog, BacklogScreen)
        while backlog.current().title != "Fix the CSV export":
            await pilot.press("j")
        position = backlog.table.cursor
        assert position > 0
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(described.screen, DetailScreen)
        on_screen = shown(described)
        assert backlog.current().key in on_screen and "Fix the CSV export" in on_screen
        text = _render_content(described.screen.query_one("#detail-body"))
        assert DESCRIPTION in text
        assert "Score breakdown" in text and "WSJF" in text
        await pilot.press("escape")
        await pilot.pause()
        assert described.screen is backlog
        assert backlog.table.cursor == position
        assert backlog.current().title == "Fix the CSV export"


async def test_the_detail_scrolls_and_q_closes_it_without_quitting(described):
    async with described.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        pane = described.screen.query_one("#detail")
        assert pane.max_scroll_y > 0  # the breakdown lies below the fold at 80x24
        await pilot.press("j", "j")
        await pilot.pause()
        assert pane.scroll_y == 2
        await pilot.press("k")
        await pilot.pause()
        assert pane.scroll_y == 1
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(described.screen, BacklogScreen)
        assert described.is_running


async def test_enter_on_an_empty_backlog_says_so(ws):
    app = TerragonApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BacklogScreen)
        assert any("No item selected" in n.message for n in app._notifications)


def test_the_help_screen_lists_the_detail_keys(described):
    sources = dict(described.binding_sources())
    assert "backlog.detail" in {binding.id for binding in sources["Backlog"]}
    detail = {binding.id for binding in sources["Item detail (enter)"]}
    assert detail == {"detail.close", "detail.down", "detail.up"}
