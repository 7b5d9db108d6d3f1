"""Waiting in Pilot tests for what the TUI does in the background, not for a fixed time."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot


async def settle(pilot: Pilot) -> None:
    """Let the screen take what was pressed, then wait for the writes it started to land.

    Writes run in workers off the UI thread, so a fixed pause can look too early on a
    loaded machine.
    """
    await pilot.pause()
    writes = [worker for worker in pilot.app.workers if worker.group == "writes"]
    await pilot.app.workers.wait_for_complete(writes)
    await pilot.pause()


async def wait_for(pilot: Pilot, condition: Callable[[], object], seconds: float = 20.0) -> bool:
    """Pause in small steps until `condition()` holds or `seconds` pass; the last answer."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return bool(condition())


def said(app: App[object], text: str) -> bool:
    """Whether any notification the app showed contains `text`."""
    return any(text in n.message for n in app._notifications)


def shown(app: App[object]) -> str:
    """The text of the current screen as the terminal shows it, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
