"""Scans from the TUI: a background worker on a real git repository, progress, cancel."""

from __future__ import annotations

from terragon_tui.backlog.history import scan_history
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.scan import ScanPicker, ScanStatus
from terragon_tui.tui.screens.backlog import BacklogScreen

from ..conftest import git
from .pilots import said

SOURCE = """
import subprocess


def run(command):
    # TODO: validate the command before running it
    return subprocess.call(command, shell=True)
"""


def add_code(repo) -> None:
    (repo / "tool.py").write_text(SOURCE)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "add tool")


async def test_s_scans_in_the_background_and_refreshes_the_table(ws, repo, monkeypatch):
    add_code(repo)
    shown: list[str] = []
    phases: list[str] = []
    start, advance = ScanStatus.start, ScanStatus.advance
    monkeypatch.setattr(
        ScanStatus, "start", lambda self, kind: (shown.append(kind), start(self, kind))
    )
    monkeypatch.setattr(
        ScanStatus, "advance", lambda self, p, d, t: (phases.append(p), advance(self, p, d, t))
    )
    app = TerragonApp(ws, scan_workers=1)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, BacklogScreen)
        assert len(screen.model) == 0
        await pilot.press("s")
        assert isinstance(app.screen, ScanPicker)
        await pilot.press("enter")  # full
        assert shown == ["full"]
        await pilot.press("j")  # the table stays usable
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert phases and phases[-1] == "saving"
        assert not screen.query_one(ScanStatus).has_class("-running")
        sources = {screen.model.item_at(i).source for i in range(len(screen.model))}
        assert {"todos", "security"} <= sources
        assert any("new" in n.message and "resolved" in n.message for n in app._notifications)
    runs = scan_history(ws)
    assert len(runs) == 1 and runs[0].kind == "full" and runs[0].new > 0


async def test_a_second_scan_request_says_one_is_running(ws, repo):
    add_code(repo)
    app = TerragonApp(ws, scan_workers=1)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        screen.start_scan("full")
        screen.start_scan("security")
        await pilot.pause()
        assert said(app, "already running")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert len(scan_history(ws)) == 1


async def test_escape_cancels_a_running_scan_and_keeps_the_backlog(ws, repo):
    add_code(repo)
    app = TerragonApp(ws, scan_workers=1)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        screen.start_scan("full")
        screen.scan_cancel.set()  # as escape does, before the runner gets far
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.scan_cancel is None
        assert said(app, "cancelled")
    assert scan_history(ws) == []


async def test_first_visit_scans_by_itself(ws, repo):
    add_code(repo)
    app = TerragonApp(ws, scan_workers=1, first_scan=True)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert len(scan_history(ws)) == 1
