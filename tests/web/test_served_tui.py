"""`terragon serve` as a browser meets it: the page, the backlog in it, a key press, ctrl+c."""

from __future__ import annotations

import os
import subprocess
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from terragon_tui.backlog.workspace import open_workspace
from tests.browser import Page, free_port, mark_scanned, missing_browser, served, wait_until
from tests.conftest import make_repo, suggest


@pytest.fixture
def backlog(tmp_path: Path) -> tuple[Path, str]:
    """A repository with three suggested items in a store of its own."""
    repo = make_repo(tmp_path / "<b>web<i> repo")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    ws = open_workspace(repo, db)
    suggest(ws, "Rotate the webhook signing secret", "security", impact=8, estimated_hours=2)
    suggest(ws, "Add a changelog", impact=3)
    suggest(ws, "Cache the dependency lookups", "performance", impact=5)
    ws.close()
    mark_scanned(repo, db, datetime.now(UTC))  # no first-visit scan in each session
    return repo, db


def sessions_on(repo: Path) -> str:
    """The TUI sessions still running on `repo` (their command lines name it)."""
    found = subprocess.run(["pgrep", "-af", f"{repo} .*--session"], capture_output=True, text=True)
    return found.stdout


def test_in_chromium_the_backlog_shows_and_a_key_press_reaches_the_app(backlog, tmp_path):
    if reason := missing_browser():
        pytest.skip(reason)
    repo, db = backlog
    page = Page()  # Chromium starts while nothing is served yet
    try:
        with served(repo, db, free_port()) as url:
            page.open(url)
            screen = page.wait_for_text("Rotate the webhook signing secret")
            assert "Add a changelog" in screen and "Cache the dependency lookups" in screen
            assert "Repository health" not in screen
            page.press("2")  # the dashboard
            page.wait_for_text("Repository health")
            # its panels are read in a worker: the next best item lands a moment later
            wait_until(
                lambda: "Rotate the webhook signing secret" in page.screen(),
                "the next best item on the dashboard",
                timeout=15,
            )
            assert sessions_on(repo)
        # ctrl+c with a tab still open ends its session too, then the server
        wait_until(lambda: not sessions_on(repo), "the session to end", timeout=10)
        log = next(repo.parent.glob("serve-*.log")).read_text()
        assert log.splitlines()[-1] == "terragon: stopped"
        assert "Traceback" not in log
    except AssertionError:
        page.save_screenshot(tmp_path / "failed.png")
        raise
    finally:
        page.close()


def test_the_page_names_the_repository_escaped_and_a_session_ends_when_the_server_is_killed(
    backlog,
):
    """Killed (not stopped with ctrl+c), the server cannot ask its sessions to quit."""
    import asyncio
    import signal

    import aiohttp

    repo, db = backlog
    port = free_port()
    with served(repo, db, port) as url:
        page = urllib.request.urlopen(url, timeout=10).read().decode()
        assert "terragon · &lt;b&gt;web&lt;i&gt; repo" in page
        assert "<b>web<i>" not in page
        assert f"ws://127.0.0.1:{port}/ws" in page

        async def open_session() -> None:
            async with aiohttp.ClientSession() as client:
                socket_url = url.replace("http", "ws") + "/ws?width=80&height=24"
                async with client.ws_connect(socket_url) as tab:
                    await tab.receive(timeout=15)  # the TUI's first output: it runs
                    server_pid = int(
                        subprocess.run(
                            ["pgrep", "-f", f"serve --port {port}"], capture_output=True, text=True
                        ).stdout.split()[0]
                    )
                    assert sessions_on(repo)
                    os.kill(server_pid, signal.SIGKILL)

        asyncio.run(open_session())
        wait_until(lambda: not sessions_on(repo), "the orphaned session to end", timeout=10)
