"""The history screen: completions with their impact notes, and scan runs with their counts."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import DBAPIError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ...backlog.history import completion_history, scan_history
from ...core.errors import TerragonError
from ...reports.terminal import plain
from ..reads import LOADING, ReadDone, failure
from ..widgets.screen_tabs import ScreenTabs

if TYPE_CHECKING:
    from textual.worker import Worker

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


class HistoryRead(ReadDone):
    """The completions and scans tables, read from the store in a worker."""


class HistoryScreen(Screen[None]):
    """Completions and scans, newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="history.back"),
        Binding("ctrl+r", "refresh_history", "Reload", show=False, id="history.reload"),
    ]

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.history_read: Worker[None] | None = None  # the read whose tables are awaited

    def compose(self) -> ComposeResult:
        yield ScreenTabs("history", self.ws)
        with VerticalScroll():
            yield Static(Text(LOADING, style="dim"), id="completions")
            yield Static(id="scans")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_history()

    def action_refresh_history(self) -> None:
        """Read the completions and scans again, off the UI thread."""
        self.history_read = self._read_history()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _read_history(self) -> None:
        worker = get_current_worker()
        try:
            tables = (completions_table(self.ws), scans_table(self.ws))
        except (DBAPIError, TerragonError) as exc:
            self.post_message(HistoryRead(worker, error=failure(exc)))
            return
        self.post_message(HistoryRead(worker, tables))

    @on(HistoryRead)
    def _history_read(self, event: HistoryRead) -> None:
        if event.worker is not self.history_read:
            return  # a newer read is under way
        self.history_read = None
        if event.error:
            self.notify(f"Cannot read the store: {event.error}", severity="error", markup=False)
            self.query_one("#completions", Static).update(
                plain(f"Cannot read the store: {event.error}")
            )
            return
        completions, scans = event.result
        self.query_one("#completions", Static).update(completions)
        self.query_one("#scans", Static).update(scans)
