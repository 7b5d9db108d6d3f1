"""Scans from the TUI: the kind picker, the progress bar, and the messages a scan worker sends."""

from __future__ import annotations

import sys
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, ProgressBar
from textual.widgets.option_list import Option

from ..backlog.scanning import SCAN_KINDS

KIND_HELP = {
    "full": "everything: complexity, hotspots, TODOs, security, secrets, config, dependencies, "
    "lint, imports, and types where mypy is configured",
    "security": "bandit and hard-coded secrets",
    "architecture": "complexity, churn hotspots and broken imports",
    "types": "mypy's type errors (a full scan runs mypy only where it is configured)",
}


def start_scan_helpers() -> None:
    """Start the resource tracker a scan's process pool needs, while `sys.stderr` is a file.

    As `discovery.pool.start_helpers` does, without importing the pool and the analysers
    behind it (60 ms) before the first frame: they load when a scan starts. Only a stderr
    without a descriptor needs that function's stand-in.
    """
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    from ..discovery.pool import start_helpers

    start_helpers()


class ScanPicker(ModalScreen[str | None]):
    """Choose the kind of scan to run."""

    DEFAULT_CSS = """
    ScanPicker { align: center middle; }
    ScanPicker > Vertical {
        width: 90; max-width: 100%; height: auto; border: thick $accent; background: $surface;
    }
    ScanPicker OptionList { height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="scan_picker.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(" Scan the repository: choose a kind (enter)")
            yield OptionList(
                *(Option(f"{kind:<13} {KIND_HELP[kind]}", id=kind) for kind in SCAN_KINDS)
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ScanStatus(Horizontal):
    """A one-line progress bar with the scan's phase and counts; hidden when idle."""

    DEFAULT_CSS = """
    ScanStatus { height: 1; display: none; background: $boost; }
    ScanStatus.-running { display: block; }
    ScanStatus Label { width: auto; padding: 0 1; }
    ScanStatus ProgressBar { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Label("scan", id="scan-phase")
        yield ProgressBar(total=None, show_eta=False, id="scan-bar")
        yield Label("escape cancels", id="scan-hint")

    def start(self, kind: str) -> None:
        """Show the bar for a new scan."""
        self.add_class("-running")
        self.query_one("#scan-phase", Label).update(f"{kind} scan: starting")
        self.query_one(ProgressBar).update(total=None, progress=0)

    def advance(self, phase: str, done: int, total: int) -> None:
        """Show the phase and how far it is."""
        self.query_one("#scan-phase", Label).update(f"{phase} {done}/{total}" if total else phase)
        self.query_one(ProgressBar).update(total=total or None, progress=done)

    def stop(self) -> None:
        """Hide the bar."""
        self.remove_class("-running")


class ScanProgress(Message):
    """A scan worker reached a phase or finished some files."""

    def __init__(self, phase: str, done: int, total: int) -> None:
        self.phase, self.done, self.total = phase, done, total
        super().__init__()


class ScanFinished(Message):
    """A scan worker finished; `report` is a ScanReport."""

    def __init__(self, report: Any) -> None:
        self.report = report
        super().__init__()


class ScanFailed(Message):
    """A scan worker stopped: cancelled, or an error the user can act on."""

    def __init__(self, message: str, cancelled: bool = False) -> None:
        self.message, self.cancelled = message, cancelled
        super().__init__()
