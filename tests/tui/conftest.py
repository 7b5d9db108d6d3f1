"""Fixtures for driving the TUI with Textual's Pilot on a real store."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest

from terragon_tui.tui.app import TerragonApp

from ..conftest import suggest
from .pilots import loaded


@pytest.fixture(autouse=True)
def read_before_the_first_key(request, monkeypatch):
    """Pilot tests start once the store's first reads have landed, as a user who looks first.

    The screens read in workers and paint "loading…" until then; tests of that state ask for
    the `first_paint` fixture and drive the app from its very first frame.
    """
    if "first_paint" in request.fixturenames:
        return
    run_test = TerragonApp.run_test

    @asynccontextmanager
    async def run_read(self, *args, **kwargs):
        async with run_test(self, *args, **kwargs) as pilot:
            await loaded(pilot)
            yield pilot

    monkeypatch.setattr(TerragonApp, "run_test", run_read)


@pytest.fixture
def filled_ws(ws):
    """A workspace with a small, varied backlog."""
    suggest(
        ws,
        "Activate GitHub Actions CI/CD pipeline",
        "infrastructure",
        prefix="CICD",
        impact=10,
        estimated_hours=8,
        risk=0.2,
    )
    suggest(
        ws,
        "Integrate security scanning in CI",
        "security",
        impact=9,
        estimated_hours=4,
        security_severity=6,
    )
    suggest(
        ws,
        "Refactor the parser module",
        "technical-debt",
        impact=6,
        estimated_hours=16,
        debt_hours=30,
        debt_interest=2,
    )
    suggest(ws, "Document the plugin API", "documentation", impact=3, estimated_hours=2)
    return ws


@pytest.fixture
def app(filled_ws):
    """The app on the filled workspace."""
    return TerragonApp(filled_ws)
