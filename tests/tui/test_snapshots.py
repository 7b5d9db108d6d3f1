"""SVG snapshots of the main screens (pytest-textual-snapshot); update with --snapshot-update."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.demo import fill_demo
from terragon_tui.tui.app import TerragonApp

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def demo_app(tmp_path):
    repo = tmp_path / "agent-mesh-federated-runtime"
    repo.mkdir()
    ws = open_workspace(repo, f"sqlite:///{tmp_path / 'demo.db'}")
    fill_demo(ws, now=NOW)
    return TerragonApp(ws, now=NOW)


def test_backlog_screen(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40))


def test_backlog_screen_at_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24))


def test_weights_panel_after_raising_debt(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), press=["w", "j", "l", "l", "l", "l"])


def test_weights_panel_at_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), press=["w", "j", "l", "l", "l", "l"])


def test_unsaved_weights_prompt(snap_compare, demo_app):
    press = ["w", "j", "l", "l", "escape"]
    assert snap_compare(demo_app, terminal_size=(80, 24), press=press)


def test_complete_form(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), press=["c"])


def test_suggest_form(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), press=["n"])


def test_history_screen(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), press=["3"])


def test_dashboard_screen(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), run_before=_dashboard)


async def _dashboard(pilot):
    await pilot.press("2")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_detail_at_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), press=["j", "j", "j", "enter"])


def test_marked_rows_at_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), press=["space", "space", "j", "space"])


def test_roadmap_screen_at_80x24(snap_compare, demo_app):
    async def planned(pilot):  # type: ignore[no-untyped-def]
        await pilot.press("5")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=planned)
