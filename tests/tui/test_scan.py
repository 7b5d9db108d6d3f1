"""Scans from the TUI: a background worker on a real git repository, progress, cancel."""

from __future__ import annotations

import sys

import pytest

from terragon_tui.backlog.history import scan_history
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.scan import ScanPicker, ScanStatus
from terragon_tui.tui.screens.backlog import BacklogScreen

from ..conftest import git
from .pilots import said, settle, shown, wait_for


def said_all(app) -> list[str]:
    return [n.message for n in app._notifications]


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


@pytest.fixture
def fresh_process_helpers():
    """No resource tracker or forkserver running yet, as in a TUI that was just started.

    Once started (by an earlier test's pool) they are reused, and what `sys.stderr` was
    when the TUI's pool first started them would no longer matter.
    """
    from multiprocessing import forkserver, resource_tracker

    resource_tracker._resource_tracker._stop()
    forkserver._forkserver._stop()
    yield


async def test_tui_scans_use_a_real_process_pool_under_textuals_stderr(
    tmp_path, db_url, fresh_process_helpers
):
    from terragon_tui.backlog.workspace import open_workspace
    from terragon_tui.discovery.pool import INLINE_BELOW

    from ..generators import project

    repo = project(tmp_path / "big", files=110)
    ws = open_workspace(repo, db_url)
    app = TerragonApp(ws, scan_workers=2, first_scan=True)
    try:
        async with app.run_test(size=(140, 40)) as pilot:
            assert sys.stderr.fileno() == -1  # Textual's capture object is in place
            screen = app.screen
            assert await wait_for(pilot, lambda: scan_history(ws) and screen.scan_cancel is None)
            first = scan_history(ws)
            assert [run.status for run in first] == ["done"], said_all(app)
            assert first[0].files > INLINE_BELOW
            assert not any("one process" in note for note in first[0].counts["notes"])
            assert first[0].new >= 110 * 3  # a TODO, a complex function and a bandit hit each
            assert await wait_for(pilot, lambda: len(screen.model) >= 330)

            await pilot.press("s")
            assert isinstance(app.screen, ScanPicker)
            await pilot.press("enter")
            assert await wait_for(pilot, lambda: len(scan_history(ws)) == 2, seconds=60)
            assert await wait_for(pilot, lambda: screen.scan_cancel is None)
            second = scan_history(ws)[0]
            assert second.status == "done" and second.new == 0
            assert not said(app, "Scan failed")
    finally:
        ws.close()


async def test_a_failed_scan_says_what_failed_and_history_keeps_the_reason(ws, repo, monkeypatch):
    from terragon_tui.discovery import runner
    from terragon_tui.tui.screens.history import HistoryScreen

    add_code(repo)

    def broken(*args, **kwargs):
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(runner, "analyse_files", broken)
    app = TerragonApp(ws, scan_workers=1, first_scan=True)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert await wait_for(pilot, lambda: screen.scan_cancel is None and said(app, "failed"))
        [message] = [n.message for n in app._notifications if "Scan failed" in n.message]
        assert "\n" not in message
        assert "ValueError: bad value(s) in fds_to_keep" in message
        assert "backlog is unchanged" in message and "TERRAGON_DEBUG=1" in message
        assert len(screen.model) == 0
        await pilot.press("3")
        assert isinstance(app.screen, HistoryScreen)
        await settle(pilot)
        words = " ".join(shown(app).replace("│", " ").split())
        assert "failed: ValueError: bad value(s) in fds_to_keep" in words
    [run] = scan_history(ws)
    assert run.status == "failed" and "fds_to_keep" in run.counts["error"]
