"""The roadmap screen (5): phases and next actions, read in a worker, text escaped."""

from __future__ import annotations

from terragon_tui.backlog.items import set_after
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.screens.roadmap import RoadmapScreen

from ..conftest import suggest
from .pilots import shown, wait_for


async def test_5_shows_the_roadmap_with_links_and_next_actions(ws):
    first = suggest(ws, "Activate the release pipeline", impact=10, estimated_hours=6)
    later = suggest(ws, "Publish [bold]notes[/bold]", "documentation", impact=9, estimated_hours=3)
    set_after(ws, later.key, [first.key])
    app = TerragonApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("5")
        screen = app.screen
        assert isinstance(screen, RoadmapScreen)
        assert await wait_for(pilot, lambda: screen.plan is not None)
        await pilot.pause()
        text = shown(app)
        assert "20 hours a week, 2-week phases (default): 9 hours of open work in 1 week" in text
        assert "Phase 1, week" in text and "Next actions" in text
        assert f"Publish [bold]notes[/bold] (after {first.key})" in text  # markup shown as is
        assert text.index(first.key) < text.index(f"{later.key} ")
        await pilot.press("escape")
        assert not isinstance(app.screen, RoadmapScreen)
