"""The repositories screen (4): every repository of the store, and moving the TUI to another."""

from __future__ import annotations

import shutil

import pytest
from textual.widgets import DataTable

from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.screens.backlog import BacklogScreen
from terragon_tui.tui.screens.repositories import RepositoriesScreen

from ..conftest import make_repo, suggest
from .pilots import said, shown, wait_for


@pytest.fixture
def two_repos(tmp_path, db_url):
    """Two repositories in one store: alpha with two open items, beta with one."""
    alpha = make_repo(tmp_path / "alpha")
    beta = make_repo(tmp_path / "beta")
    ws_alpha = open_workspace(alpha, db_url)
    suggest(ws_alpha, "Alpha: add retries to the fetcher", impact=8, estimated_hours=2)
    suggest(ws_alpha, "Alpha: document the CLI", "documentation", impact=2)
    ws_beta = open_workspace(beta, db_url)
    suggest(ws_beta, "Beta: cache the parsed config", impact=9, estimated_hours=1)
    ws_beta.close()
    yield ws_alpha, alpha, beta
    ws_alpha.close()


def backlog_keys(app) -> list[str]:
    screen = app.screen
    assert isinstance(screen, BacklogScreen)
    return [screen.model.item_at(i).title for i in range(len(screen.model))]


async def open_repositories(pilot) -> RepositoriesScreen:
    await pilot.press("4")
    screen = pilot.app.screen
    assert isinstance(screen, RepositoriesScreen)
    assert await wait_for(pilot, lambda: screen.query_one(DataTable).row_count > 0)
    return screen


async def test_4_lists_every_repository_with_counts_and_top_item(two_repos):
    ws_alpha, _, beta = two_repos
    app = TerragonApp(ws_alpha)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        screen = await open_repositories(pilot)
        table = screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[1] for row in rows] == ["alpha", "beta"]
        assert [row[0] for row in rows] == ["*", ""]  # the one shown is marked
        assert [row[2] for row in rows] == ["2", "1"]
        assert "Alpha: add retries to the fetcher" in rows[0][5]
        assert rows[1][5].startswith("FEAT-") and "Beta: cache the parsed config" in rows[1][5]
        assert float(rows[1][4]) > 0  # its score
        assert rows[0][3] == "never"
        assert rows[1][6] == str(beta)
        assert table.cursor_row == 0  # on the current repository
        assert "alpha" in shown(app) and "beta" in shown(app)
        tabs = shown(app).splitlines()[0]
        assert "1 Backlog" in tabs and "4 Repositories" in tabs and "alpha" in tabs
        await pilot.press("escape")
        assert isinstance(app.screen, BacklogScreen)


async def test_enter_switches_the_tui_to_the_other_repository(two_repos):
    ws_alpha, alpha, beta = two_repos
    app = TerragonApp(ws_alpha)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        assert backlog_keys(app)[0] == "Alpha: add retries to the fetcher"
        engine = app.ws.engine
        await open_repositories(pilot)
        await pilot.press("j", "enter")
        assert await wait_for(pilot, lambda: app.ws.root == beta)
        assert await wait_for(pilot, lambda: isinstance(app.screen, BacklogScreen))
        await pilot.pause()
        assert backlog_keys(app) == ["Beta: cache the parsed config"]
        assert app.screen.ws is app.ws
        assert app.ws.engine is engine  # the same store, not opened again
        assert app.sub_title == "beta"
        assert said(app, "Now working on beta")
        assert shown(app).splitlines()[0].rstrip().endswith("beta")  # the header names it
        assert len(app.screen_stack) == 2  # no stale backlog left underneath
        # and back again: the marker follows
        screen = await open_repositories(pilot)
        assert str(screen.query_one(DataTable).get_row_at(1)[0]) == "*"
        await pilot.press("k", "enter")
        assert await wait_for(pilot, lambda: app.ws.root == alpha)
        assert await wait_for(pilot, lambda: isinstance(app.screen, BacklogScreen))
        await pilot.pause()
        assert len(backlog_keys(app)) == 2


async def test_a_repository_whose_path_is_gone_is_marked_and_cannot_be_opened(two_repos):
    ws_alpha, alpha, beta = two_repos
    shutil.rmtree(beta)
    app = TerragonApp(ws_alpha)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        screen = await open_repositories(pilot)
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(1)[1]) == "beta (missing)"
        assert str(table.get_row_at(1)[2]) == "1"  # its items are still in the store
        await pilot.press("j", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert said(app, "no longer exists")
        assert app.ws.root == alpha
        assert app.screen is screen


async def test_enter_on_the_current_repository_goes_back_to_its_backlog(two_repos):
    ws_alpha, _, _ = two_repos
    app = TerragonApp(ws_alpha)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        backlog = app.screen
        await open_repositories(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is backlog
        assert app.ws is ws_alpha


async def test_no_switch_while_unsaved_weights_are_in_force(two_repos):
    ws_alpha, alpha, _ = two_repos
    app = TerragonApp(ws_alpha)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        await pilot.press("w", "j", "l", "escape", "k")  # keep them for this session
        await pilot.pause()
        assert app.screen.unsaved is not None
        await open_repositories(pilot)
        await pilot.press("j", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert said(app, "unsaved weights")
        assert app.ws.root == alpha
