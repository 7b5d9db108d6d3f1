"""A grouped item in the TUI: its count in the table, its occurrences one a row (enter / l),
the highlighted one opened in the editor (o), and acting on the group acting on every place."""

from __future__ import annotations

import contextlib
import sys

import pytest
from sqlalchemy import insert
from textual.widgets import Input

from terragon_tui.backlog.listing import show_item
from terragon_tui.store.models import Occurrence
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.screens.backlog import BacklogScreen
from terragon_tui.tui.screens.detail import DetailScreen
from terragon_tui.tui.screens.occurrences import OccurrencesScreen
from terragon_tui.tui.widgets.occurrence_list import OccurrenceList

from ..conftest import suggest
from .pilots import settle, shown, wait_for

PLACES = 30
HOSTILE = "name\x1b[2J\x1b]0;owned\x07"


def add_group(ws, title: str, count: int, **fields):
    """A suggested item made a group of `count` places, in files that exist in the repository."""
    item = suggest(ws, title, "technical-debt", **fields)
    (ws.root / "src").mkdir(exist_ok=True)
    rows = []
    for n in range(count):
        path = f"src/mod_{n % 10}.py"
        (ws.root / path).write_text("x = 1\n" * 200)
        symbol = HOSTILE if n == 0 else f"helper_{n}"
        rows.append(
            dict(
                item_id=item.id,
                path=path,
                line=n // 10 + 1,
                symbol=symbol,
                fingerprint=f"fp-{n}",
                data={"type": "unused-import"},
            )
        )
    with ws.session() as session:
        session.execute(insert(Occurrence), rows)
    return item


@pytest.fixture
def grouped(filled_ws):
    item = add_group(filled_ws, "Unused imports in src/", PLACES, impact=10, estimated_hours=1)
    return TerragonApp(filled_ws), item


async def open_group(pilot, key: str, press: str = "enter") -> OccurrencesScreen:
    backlog = pilot.app.screen
    assert isinstance(backlog, BacklogScreen)
    while backlog.current().key != key:
        await pilot.press("j")
    await pilot.press(press)
    screen = pilot.app.screen
    assert isinstance(screen, OccurrencesScreen)
    assert await wait_for(pilot, lambda: screen.loaded)
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_a_grouped_item_shows_its_count_and_single_items_none(grouped, size):
    app, item = grouped
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.screen.table
        lines = [table.render_line(y).text for y in range(1, len(table.model) + 1)]
        [row] = [line for line in lines if item.key in line]
        assert f"Unused imports in src/ ×{PLACES} " in row
        assert sum("×" in line for line in lines) == 1


@pytest.mark.parametrize(("key", "back"), [("enter", "escape"), ("l", "h"), ("enter", "q")])
async def test_enter_or_l_lists_the_occurrences_and_back_returns_to_the_same_row(
    grouped, key, back
):
    app, item = grouped
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("j")  # the group is not the first row, so coming back is visible
        backlog = app.screen
        assert isinstance(backlog, BacklogScreen)
        await open_group(pilot, item.key, key)
        text = shown(app)
        assert item.key in text and "Unused imports in src/" in text and f"×{PLACES}" in text
        assert "src/mod_0.py:1" in text and "1 of 30 in 10 files" in text
        await pilot.press(back)
        assert app.screen is backlog and backlog.current().key == item.key
        assert app.is_running  # q went back, it did not quit


async def test_the_keys_move_through_the_occurrences(grouped):
    app, item = grouped
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_group(pilot, item.key)
        places = screen.query_one(OccurrenceList)
        await pilot.press("j", "j", "down")
        assert places.cursor == 3 and "4 of 30" in shown(app)
        await pilot.press("k", "up")
        assert places.cursor == 1
        await pilot.press("G")
        assert places.cursor == PLACES - 1
        assert "src/mod_9.py:3" in shown(app)  # the last row scrolled into view
        await pilot.press("g")
        assert places.cursor == 0
        await pilot.press("pagedown")
        assert places.cursor > 10
        await pilot.press("pageup")
        assert places.cursor == 0


async def test_an_occurrences_own_text_is_shown_escaped(grouped):
    app, item = grouped
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await open_group(pilot, item.key)
        text = shown(app)
        assert "name\\x1b[2J\\x1b]0;owned\\x07" in text and "\x1b" not in text
        assert "helper_10  unused-import" in text


async def test_o_opens_the_highlighted_occurrence_at_its_line(grouped, tmp_path, monkeypatch):
    app, item = grouped
    argv = tmp_path / "argv.txt"
    editor = tmp_path / "editor.py"
    editor.write_text(f"import sys\nopen({str(argv)!r}, 'w').write('\\n'.join(sys.argv[1:]))\n")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    # the headless driver cannot hand the terminal over; the editor runs all the same
    monkeypatch.setattr(TerragonApp, "suspend", lambda self: contextlib.nullcontext())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await open_group(pilot, item.key)
        await pilot.press("j", "j", "j", "j")
        await pilot.press("o")
        place = app.screen.query_one(OccurrenceList).current()
        assert (place.path, place.line) == ("src/mod_1.py", 2)
        assert argv.read_text().splitlines() == ["+2", str((app.ws.root / place.path).resolve())]


async def test_o_refuses_an_occurrence_outside_the_repository(filled_ws, tmp_path, monkeypatch):
    item = add_group(filled_ws, "Unused imports in src/", 2, impact=10)
    with filled_ws.session() as session:
        session.execute(
            insert(Occurrence),
            [dict(item_id=item.id, path="../../etc/passwd", line=1, fingerprint="out", data={})],
        )
    monkeypatch.setenv("VISUAL", "true")
    app = TerragonApp(filled_ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_group(pilot, item.key)
        assert screen.query_one(OccurrenceList).current().path == "../../etc/passwd"
        await pilot.press("o")
        await pilot.pause()
        assert any("not inside the repository" in n.message for n in app._notifications)


async def test_a_single_item_keeps_its_detail_screen(grouped):
    app, item = grouped
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        backlog = app.screen
        while backlog.current().key == item.key:
            await pilot.press("j")
        await pilot.press("l")
        assert isinstance(app.screen, DetailScreen)


@pytest.mark.parametrize("where", ["backlog", "occurrences"])
async def test_rejecting_a_group_closes_it_with_every_occurrence(grouped, where):
    app, item = grouped
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        backlog = app.screen
        if where == "occurrences":
            await pilot.press("space")  # a marked row elsewhere: x in the list is for the group
            await open_group(pilot, item.key)
        while backlog.current().key != item.key:
            await pilot.press("j")
        await pilot.press("x")
        app.screen.query_one("#reason", Input).value = "these imports are re-exports"
        await pilot.press("enter")
        await settle(pilot)
        detail = show_item(app.ws, item.key)
        assert detail.ranked.item.status == "rejected"
        assert len(detail.occurrences) == PLACES  # one item: its places went with it
        assert backlog.model.position_of(item.key) is None  # gone from the open backlog
        others = [key for key in backlog.model.marked if key != item.key]
        assert len(others) == (where == "occurrences")
        assert all(show_item(app.ws, key).ranked.item.status == "open" for key in others)
        assert "×" not in shown(app)


def test_the_occurrence_list_at_80x24(snap_compare, grouped):
    app, item = grouped

    async def open_it(pilot) -> None:
        await pilot.pause()
        screen = await open_group(pilot, item.key)
        await pilot.press("j", "j")
        assert screen.query_one(OccurrenceList).cursor == 2

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_it)


async def test_the_list_is_read_in_the_background_and_says_so_meanwhile(grouped, monkeypatch):
    import threading

    from terragon_tui.tui.screens import occurrences

    app, item = grouped
    release = threading.Event()
    read = occurrences.occurrence_rows

    def slow(session, item_id):
        release.wait(10)
        return read(session, item_id)

    monkeypatch.setattr(occurrences, "occurrence_rows", slow)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        while app.screen.current().key != item.key:
            await pilot.press("j")
        await pilot.press("enter", "j", "G")  # the screen takes keys while the store is read
        screen = app.screen
        assert isinstance(screen, OccurrencesScreen) and not screen.loaded
        assert f"Reading {PLACES} occurrences…" in shown(app)
        release.set()
        assert await wait_for(pilot, lambda: screen.loaded)
        await pilot.pause()
        assert "1 of 30 in 10 files" in shown(app)


async def test_the_detail_of_a_large_group_reads_only_the_places_it_lists(filled_ws):
    from .test_backlog_screen import _render_content

    item = add_group(filled_ws, "Unused imports in src/", 75, impact=10, estimated_hours=1)
    app = TerragonApp(filled_ws)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        backlog = app.screen
        while backlog.current().key != item.key:
            await pilot.press("j")
        shown_detail = backlog.detail_of_current()
        assert len(shown_detail["occurrences"]) == 50
        assert shown_detail["occurrence_counts"] == (75, 10)
        text = _render_content(backlog.query_one("#detail-body"))
        assert "Occurrences (75 in 10 files)" in text and "… and 25 more" in text
