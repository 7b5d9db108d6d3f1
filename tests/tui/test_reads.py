"""The screens read the store in workers: keys work while a read is held, then the data lands."""

from __future__ import annotations

import asyncio
import threading

import pytest
from textual.widgets import Input

from terragon_tui.backlog.listing import load_rows
from terragon_tui.core.errors import StoreError
from terragon_tui.tui import reads
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.reads import BacklogRead
from terragon_tui.tui.screens import backlog as backlog_module
from terragon_tui.tui.screens import history as history_module
from terragon_tui.tui.screens.backlog import BacklogScreen
from terragon_tui.tui.screens.history import HistoryScreen

from ..conftest import suggest
from .pilots import said, settle, shown, wait_for


class Held:
    """The first call of a read waits until `release` is set: reading at once and holding the
    answer back, or (`late`) holding back the read itself, as a store held by another would."""

    def __init__(self, read, *, late: bool = False) -> None:
        self.read, self.late = read, late
        self.entered, self.release = threading.Event(), threading.Event()
        self.calls = 0

    def __call__(self, *args, **kwargs):
        answer = None if self.late else self.read(*args, **kwargs)
        self.calls += 1
        if self.calls == 1:
            self.entered.set()
            self.release.wait(30)
        return self.read(*args, **kwargs) if self.late else answer

    async def wait_entered(self) -> None:
        assert await asyncio.to_thread(self.entered.wait, 30), "the read never started"


@pytest.fixture
def first_paint():
    """Drive the app from its first frame, before any read has landed."""


def keys_shown(screen: BacklogScreen) -> list[str]:
    return [screen.model.item_at(i).key for i in range(len(screen.model))]


async def test_the_first_paint_says_loading_and_keys_work_until_the_rows_land(
    filled_ws, monkeypatch, first_paint
):
    held = Held(load_rows)
    monkeypatch.setattr(backlog_module, "load_rows", held)
    app = TerragonApp(filled_ws, scan_workers=1)
    async with app.run_test(size=(140, 30)) as pilot:
        try:
            await held.wait_entered()
            screen = app.screen
            assert isinstance(screen, BacklogScreen)
            assert "loading…" in shown(app) and keys_shown(screen) == []
            await pilot.press("j", "k", "w", "slash", *"ci")  # on the (empty) data shown
            assert said(app, "not read yet")
            search = screen.query_one("#search", Input)
            assert app.focused is search and search.value == "ci"
            await pilot.press("enter", "escape")
            assert search.value == "" and app.focused is screen.table
            assert not held.release.is_set()  # every key was handled while the read waited
        finally:
            held.release.set()
        await settle(pilot)
        assert len(keys_shown(screen)) == 4
        assert "4 shown · 4 open" in shown(app) and "loading…" not in shown(app)


async def test_a_reload_keeps_the_rows_and_the_cursor_live_until_it_lands(filled_ws, monkeypatch):
    app = TerragonApp(filled_ws, scan_workers=1)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        before = keys_shown(screen)
        held = Held(load_rows, late=True)
        monkeypatch.setattr(backlog_module, "load_rows", held)
        await pilot.press("ctrl+r")
        try:
            await held.wait_entered()
            suggest(filled_ws, "Written meanwhile", "testing", impact=1)
            await pilot.press("j", "j")
            assert screen.table.cursor == 2 and keys_shown(screen) == before
            assert "reloading…" in shown(app)
            highlighted = screen.current().key
        finally:
            held.release.set()
        await settle(pilot)
        assert "TEST-001" in keys_shown(screen)
        assert screen.current().key == highlighted  # the row the cursor moved to meanwhile
        assert "reloading…" not in shown(app)


async def test_a_newer_read_supersedes_an_older_one_that_lands_late(filled_ws, monkeypatch):
    app = TerragonApp(filled_ws, scan_workers=1)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        landed = []
        post = screen.post_message
        monkeypatch.setattr(screen, "post_message", lambda m: landed.append(m) or post(m))
        held = Held(load_rows)  # the first reload holds four rows; the second is not held
        monkeypatch.setattr(backlog_module, "load_rows", held)
        await pilot.press("ctrl+r")
        try:
            await held.wait_entered()
            suggest(filled_ws, "Written meanwhile", "testing", impact=1)
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert "TEST-001" in keys_shown(screen)
        finally:
            held.release.set()
        assert await wait_for(pilot, lambda: sum(isinstance(m, BacklogRead) for m in landed) == 2)
        await settle(pilot)
        stale = [m for m in landed if isinstance(m, BacklogRead)][-1]
        assert len(stale.result[1]) == 4  # the held read did land, late
        assert "TEST-001" in keys_shown(screen)  # and was dropped


async def test_the_detail_shows_the_row_at_once_and_the_rest_when_read(filled_ws, monkeypatch):
    app = TerragonApp(filled_ws, scan_workers=1)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        held = Held(reads.read_extras)
        monkeypatch.setattr(backlog_module, "read_extras", held)
        await pilot.press("j")
        try:
            await held.wait_entered()
            item = screen.current()
            text = shown(app)
            assert item.title in text and "occurrences and completions: loading…" in text
            await pilot.press("enter")  # the full-screen detail opens on what is known
            assert item.title in shown(app) and "loading…" in shown(app)
        finally:
            held.release.set()
        await settle(pilot)
        assert item.title in shown(app) and "loading…" not in shown(app)
        await pilot.press("escape")
        await pilot.press("k")
        assert screen.current().key != item.key


async def test_history_says_loading_and_escape_leaves_before_it_lands(filled_ws, monkeypatch):
    held = Held(history_module.completions_table)
    monkeypatch.setattr(history_module, "completions_table", held)
    app = TerragonApp(filled_ws, scan_workers=1)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("3")
        try:
            await held.wait_entered()
            assert isinstance(app.screen, HistoryScreen) and "loading…" in shown(app)
            await pilot.press("escape")
            assert isinstance(app.screen, BacklogScreen)
        finally:
            held.release.set()
        await settle(pilot)  # the tables of a screen no longer shown are dropped
        assert isinstance(app.screen, BacklogScreen) and app.is_running
        await pilot.press("3")
        await settle(pilot)
        assert "Nothing completed yet" in shown(app)


async def test_a_read_the_store_refuses_is_a_message_and_the_rows_stay(filled_ws, monkeypatch):
    app = TerragonApp(filled_ws, scan_workers=1)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        before = keys_shown(screen)

        def refused(ws):
            raise StoreError("the store /x/terragon.db is damaged (file is not a database)")

        monkeypatch.setattr(backlog_module, "load_rows", refused)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert said(app, "Cannot read the store: the store /x/terragon.db is damaged")
        assert keys_shown(screen) == before and "reloading…" not in shown(app)
        await pilot.press("j")
        assert screen.table.cursor == 1


async def test_a_first_read_the_store_refuses_says_so_in_place_of_the_rows(
    filled_ws, monkeypatch, first_paint
):
    def refused(ws):
        raise StoreError("the store /x/terragon.db is damaged (file is not a database)")

    monkeypatch.setattr(backlog_module, "load_rows", refused)
    app = TerragonApp(filled_ws, scan_workers=1)
    async with app.run_test(size=(140, 30)) as pilot:
        assert await wait_for(pilot, lambda: said(app, "Cannot read the store"))
        await settle(pilot)
        assert "Nothing read: ctrl+r reads again." in shown(app)
        monkeypatch.setattr(backlog_module, "load_rows", load_rows)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(keys_shown(app.screen)) == 4


def test_bare_terragon_starts_the_tui_with_what_is_loaded_left_out_of_the_collector(
    cli, monkeypatch
):
    """A full collection during the first paint would walk every object the imports made."""
    import gc
    import sys

    frozen: list[int] = []
    monkeypatch.setattr(TerragonApp, "run", lambda self: frozen.append(gc.get_freeze_count()))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    gc.unfreeze()
    try:
        assert cli().code == 0
    finally:
        gc.unfreeze()
    assert len(frozen) == 1 and frozen[0] > 100_000  # Textual's, SQLAlchemy's, the store's
