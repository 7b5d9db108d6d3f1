"""The TUI picks up what other processes write to the store while it is open."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading

import pytest
from sqlalchemy.engine import make_url

from terragon_tui.backlog.listing import list_items
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.screens.backlog import BacklogScreen

from ..backlog.faults import hold_write_lock
from .pilots import said, settle, wait_for

RUN = "import sys; from terragon_tui.cli import main; main(sys.argv[1:])"


def terragon(ws, *args: str) -> None:
    """Run the command line in another process, on the TUI's store and repository."""
    argv = [sys.executable, "-c", RUN, "--db", str(ws.engine.url), "-C", str(ws.root), *args]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    monkeypatch.setattr(BacklogScreen, "POLL_SECONDS", 0.1)


async def test_items_suggested_and_completed_elsewhere_appear_without_a_key_press(filled_ws):
    app = TerragonApp(filled_ws)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen

        def keys() -> set[str]:  # the rows shown: open items
            return {screen.model.item_at(i).key for i in range(len(screen.model))}

        assert "TEST-001" not in keys()
        await asyncio.to_thread(terragon, filled_ws, "suggest", "-t", "From cron", "-c", "testing")
        assert await wait_for(pilot, lambda: "TEST-001" in keys())
        await asyncio.to_thread(terragon, filled_ws, "complete", "SEC-001", "--hours", "2")
        assert await wait_for(pilot, lambda: "SEC-001" not in keys())


async def test_an_unchanged_store_is_not_read_again(filled_ws, monkeypatch):
    app = TerragonApp(filled_ws)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        reloads, polls = [], []
        revision = filled_ws.revision
        monkeypatch.setattr(screen, "reload", lambda *a, **k: reloads.append(a))
        monkeypatch.setattr(filled_ws, "revision", lambda: polls.append(1) or revision())
        assert await wait_for(pilot, lambda: len(polls) >= 4, seconds=20)
        assert reloads == []


async def test_a_store_that_fails_while_open_is_one_message_not_a_crash(filled_ws, monkeypatch):
    from terragon_tui.core.errors import StoreError

    app = TerragonApp(filled_ws)
    async with app.run_test(size=(140, 30)) as pilot:
        rows = len(app.screen.model)

        polls = []

        def damaged() -> int:
            polls.append(1)
            raise StoreError("the store /x/terragon.db is damaged (file is not a database)")

        def times_said() -> int:
            return sum("damaged" in n.message for n in app._notifications)

        monkeypatch.setattr(filled_ws, "revision", damaged)
        # Wait for polls, not for a fixed time: a loaded machine may run none in 0.5 s.
        assert await wait_for(pilot, lambda: times_said() >= 1, seconds=20)
        assert await wait_for(pilot, lambda: len(polls) >= 4, seconds=20)
        assert times_said() == 1  # said once, not on every poll
        assert app.is_running and len(app.screen.model) == rows


async def test_a_write_the_store_refuses_is_a_message_and_changes_nothing(filled_ws, tmp_path):
    from terragon_tui.backlog.workspace import open_workspace

    path = make_url(str(filled_ws.engine.url)).database
    read_only = open_workspace(filled_ws.root, f"sqlite:///file:{path}?mode=ro&uri=true")
    app = TerragonApp(read_only)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"later", "enter")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("readonly" in m for m in messages), messages
        assert app.is_running
    assert {e.item.status for e in list_items(filled_ws)} == {"open"}


#: A script completing what it suggests, over and over, while the TUI is open.
SCRIPT = """
import sys
from terragon_tui.backlog.items import complete_item, suggest_item
from terragon_tui.backlog.workspace import open_workspace
ws = open_workspace(sys.argv[2], sys.argv[1])
for n in range(15):
    key = suggest_item(ws, category="testing", title=f"script-{n}").key
    if n % 2:
        complete_item(ws, key, hours=1, impact=f"script note {n}")
"""


async def test_the_tui_completing_while_a_script_and_a_scan_write_loses_nothing(filled_ws):
    from textual.widgets import Input, TextArea

    from terragon_tui.backlog.listing import show_item
    from terragon_tui.tui.forms import CompleteForm

    url, root = str(filled_ws.engine.url), str(filled_ws.root)
    script = subprocess.Popen([sys.executable, "-c", SCRIPT, url, root])
    scan = subprocess.Popen(
        [sys.executable, "-c", RUN, "--db", url, "-C", root, "scan", "-j", "1", "--json"],
        stdout=subprocess.DEVNULL,
    )
    app = TerragonApp(filled_ws)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        done_here = []
        for key in ("SEC-001", "DEBT-001", "DOCS-001"):  # meanwhile, complete three of ours
            screen.table.refresh_rows(key)  # not a script's item, which the script completes
            assert screen.current().key == key
            await pilot.press("c")
            assert isinstance(app.screen, CompleteForm)
            app.screen.query_one("#hours", Input).value = "2"
            app.screen.query_one("#impact", TextArea).text = f"tui note {key}"
            await pilot.press("ctrl+s")
            await settle(pilot)
            done_here.append(key)
        assert await asyncio.to_thread(script.wait, 60) == 0
        assert await asyncio.to_thread(scan.wait, 60) == 0

        def shown() -> set[str]:
            return {screen.model.item_at(i).key for i in range(len(screen.model))}

        stored = {e.item.key for e in list_items(filled_ws)}
        assert await wait_for(pilot, lambda: shown() == stored), shown() ^ stored
    for key in done_here:
        assert [c.impact_notes for c in show_item(filled_ws, key).completions] == [
            f"tui note {key}"
        ]
    titles = {e.item.title: e.item for e in list_items(filled_ws, include_closed=True)}
    for n in range(15):
        item = titles[f"script-{n}"]
        assert item.status == ("done" if n % 2 else "open")


async def complete_with_the_store_held(pilot, app, release: threading.Event):
    """Fill the complete form for the highlighted item and save it while another
    connection holds the store's write lock; the key and the thread holding the lock."""
    from textual.widgets import TextArea

    key = app.screen.current().key
    await pilot.press("c")
    app.screen.query_one("#impact", TextArea).text = "waited for the store"
    holder = hold_write_lock(str(app.ws.engine.url), 60, release)
    await pilot.press("ctrl+s")
    return key, holder


@pytest.mark.sqlite_only
async def test_a_write_waiting_for_a_busy_store_leaves_the_screen_live(filled_ws, monkeypatch):
    from terragon_tui.backlog.listing import show_item

    monkeypatch.setattr(BacklogScreen, "SLOW_WRITE_SECONDS", 0.2)
    release = threading.Event()
    app = TerragonApp(filled_ws)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        key, holder = await complete_with_the_store_held(pilot, app, release)
        try:
            assert await wait_for(pilot, lambda: said(app, "the store is busy"))
            await pilot.press("j")  # keys still work while the write waits
            assert screen.table.cursor == 1
            assert show_item(filled_ws, key).ranked.item.status == "open"
        finally:
            release.set()
            await asyncio.to_thread(holder.join)
        await settle(pilot)
        assert key not in {screen.model.item_at(i).key for i in range(len(screen.model))}
    assert [c.impact_notes for c in show_item(filled_ws, key).completions] == [
        "waited for the store"
    ]


@pytest.mark.sqlite_only
async def test_quitting_while_a_write_waits_lets_it_land_first(filled_ws):
    from terragon_tui.backlog.listing import show_item

    release = threading.Event()
    app = TerragonApp(filled_ws)
    async with app.run_test(size=(140, 30)) as pilot:
        key, holder = await complete_with_the_store_held(pilot, app, release)
        try:
            await pilot.press("q")
            assert await wait_for(pilot, lambda: said(app, "quitting when the store has it"))
            assert app.is_running
        finally:
            release.set()
            await asyncio.to_thread(holder.join)
        assert await wait_for(pilot, lambda: not app.is_running)
    assert show_item(filled_ws, key).ranked.item.status == "done"


async def test_its_own_write_is_not_announced_as_a_change_made_elsewhere(filled_ws):
    from terragon_tui.backlog.items import suggest_item

    committed, proceed = threading.Event(), threading.Event()

    def slow_suggest(ws, **fields):
        item = suggest_item(ws, **fields)  # committed: the store's revision has moved
        committed.set()
        proceed.wait(30)
        return item

    app = TerragonApp(filled_ws)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        screen.run_service(
            lambda ws: slow_suggest(ws, category="testing", title="mine"),
            then=lambda r: screen.reload(r.key),
        )
        assert await asyncio.to_thread(committed.wait, 30)
        screen.pick_up_changes()  # a poll landing between the commit and the write's end
        proceed.set()
        await settle(pilot)
        assert screen.current().title == "mine"
    assert not said(app, "changed elsewhere")


@pytest.mark.sqlite_only
async def test_deferring_into_a_store_whose_directory_was_removed_says_so(filled_ws):
    import shutil
    from pathlib import Path

    store = Path(make_url(str(filled_ws.engine.url)).database)
    app = TerragonApp(filled_ws)
    async with app.run_test(size=(140, 30)) as pilot:
        key = app.screen.current().key
        shutil.rmtree(store.parent)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"later", "enter")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(str(store) in m and "gone" in m for m in messages), messages
        assert not any("deferred" in m for m in messages), messages
        assert key in {app.screen.model.item_at(i).key for i in range(len(app.screen.model))}
        assert app.is_running
