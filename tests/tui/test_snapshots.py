"""SVG snapshots of the main screens (pytest-textual-snapshot); update with --snapshot-update."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from terragon_tui.backlog.demo import fill_demo
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.tui.app import TerragonApp

from .pilots import loaded, settle

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def demo_app(tmp_path):
    repo = tmp_path / "agent-mesh-federated-runtime"
    repo.mkdir()
    ws = open_workspace(repo, f"sqlite:///{tmp_path / 'demo.db'}")
    fill_demo(ws, now=NOW)
    return TerragonApp(ws, now=NOW)


def read_after(*keys: str):
    """A `run_before` that lets the store's reads land, presses `keys`, and lets theirs land.

    The screens read in workers and paint "loading…" first; the snapshots show the data.
    """

    async def run_before(pilot):
        await loaded(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


def test_backlog_screen(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), run_before=read_after())


def test_backlog_screen_at_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=read_after())


def test_weights_panel_after_raising_debt(snap_compare, demo_app):
    run_before = read_after("w", "j", "l", "l", "l", "l")
    assert snap_compare(demo_app, terminal_size=(140, 40), run_before=run_before)


def test_weights_panel_at_80x24(snap_compare, demo_app):
    run_before = read_after("w", "j", "l", "l", "l", "l")
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)


def test_unsaved_weights_prompt(snap_compare, demo_app):
    run_before = read_after("w", "j", "l", "l", "escape")
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)


def test_complete_form(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), run_before=read_after("c"))


def test_suggest_form(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), run_before=read_after("n"))


def test_history_screen(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), run_before=read_after("3"))


def test_dashboard_screen(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(140, 40), run_before=read_after("2"))


def test_detail_at_80x24(snap_compare, demo_app):
    run_before = read_after("j", "j", "j", "enter")
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)


def test_marked_rows_at_80x24(snap_compare, demo_app):
    run_before = read_after("space", "space", "j", "space")
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)


def test_roadmap_screen_at_80x24(snap_compare, demo_app):
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=read_after("5"))
