"""Fixtures for driving the TUI with Textual's Pilot on a real store."""

from __future__ import annotations

import pytest

from terragon_tui.tui.app import TerragonApp

from ..conftest import suggest


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
