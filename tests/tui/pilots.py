"""Waiting in Pilot tests for what the TUI does in the background, not for a fixed time."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot) -> None:
    """Let the screen take what was pressed, then wait for the writes and reads it started.

    Writes and store reads run in workers off the UI thread (a write's end starts a read),
    so a fixed pause can look too early on a loaded machine. Scans are not waited for.
    """
    await pilot.pause()
    while busy := [w for w in pilot.app.workers if w.group != "scan" and not w.is_finished]:
        for worker in busy:
            with suppress(WorkerCancelled):  # superseded by a newer read: that one counts
                await worker.wait()
        await pilot.pause()


async def wait_for(pilot: Pilot, condition: Callable[[], object], seconds: float = 20.0) -> bool:
    """Pause in small steps until `condition()` holds or `seconds` pass; the last answer."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return bool(condition())


async def loaded(pilot: Pilot) -> None:
    """Wait until the backlog screen's first read (and every read it started) has landed."""
    from terragon_tui.tui.screens.backlog import BacklogScreen

    def started() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, BacklogScreen) and (
            screen.backlog_read is not None or screen.settings is not None
        )

    await wait_for(pilot, started, seconds=10)
    await settle(pilot)


def said(app: App[object], text: str) -> bool:
    """Whether any notification the app showed contains `text`."""
    return any(text in n.message for n in app._notifications)


def shown(app: App[object]) -> str:
    """The text of the current screen as the terminal shows it, one line per row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
