"""The history screen: completions with their impact notes, and scan runs with their counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...backlog.history import completion_history, scan_history
from ...terminal import plain
from ..widgets.screen_tabs import ScreenTabs

if TYPE_CHECKING:
    from ...backlog.workspace import Workspace


def completions_table(ws: Workspace) -> Table:
    """Every completion, newest first, with hours and impact notes."""
    table = Table(title="Completions", expand=True, header_style="bold")
    for name in ("When", "ID", "Title", "Hours (est.)", "Outcome", "Value", "Impact notes"):
        table.add_column(name, overflow="fold")
    for entry in completion_history(ws):
        c = entry.completion
        table.add_row(
            f"{c.completed_at:%Y-%m-%d}",
            plain(entry.key),
            plain(entry.title),
            f"{c.actual_hours:g} ({c.estimated_hours:g})",
            c.outcome,
            f"{c.score:.1f}",
            plain(c.impact_notes, single_line=False),
        )
    if not table.row_count:
        table.add_row("–", "", "Nothing completed yet: press c on an item.", "", "", "", "")
    return table


def scans_table(ws: Workspace) -> Table:
    """Every scan run, newest first, with what it found and resolved."""
    table = Table(title="Scans", expand=True, header_style="bold")
    for name in ("When", "Kind", "Status", "Files", "New", "Updated", "Resolved", "Seconds"):
        table.add_column(name, overflow="fold")
    for run in scan_history(ws):
        error = run.counts.get("error") if run.status == "failed" else None
        table.add_row(
            f"{run.started_at:%Y-%m-%d %H:%M}",
            run.kind,
            plain(f"failed: {error}") if error else run.status,
            str(run.files),
            str(run.new),
            str(run.updated),
            str(run.resolved),
            f"{run.seconds:.1f}",
        )
    if not table.row_count:
        table.add_row("–", "", "No scans yet: press s.", "", "", "", "", "")
    return table


class HistoryScreen(Screen[None]):
    """Completions and scans, newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="history.back"),
        Binding("ctrl+r", "refresh_history", "Reload", show=False, id="history.reload"),
    ]

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws

    def compose(self) -> ComposeResult:
        yield ScreenTabs("history", self.ws)
        with VerticalScroll():
            yield Static(id="completions")
            yield Static(id="scans")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_history()

    def action_refresh_history(self) -> None:
        self.query_one("#completions", Static).update(completions_table(self.ws))
        self.query_one("#scans", Static).update(scans_table(self.ws))
