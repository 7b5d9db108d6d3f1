"""The repositories screen: every repository of the store, and a way to move the TUI to one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from sqlalchemy.exc import DBAPIError
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...backlog.repositories import RepositorySummary, list_repositories
from ...backlog.workspace import workspace_on
from ...core.errors import TerragonError
from ...core.text import printable
from ...reports.terminal import plain, top_item_text
from ..host import TerragonHost
from ..widgets.screen_tabs import ScreenTabs

if TYPE_CHECKING:
    from ...backlog.workspace import Workspace


#: The top item's cells at most, so that its path still fits on a wide screen.
TOP_WIDTH = 60

#: The table's columns, as summary_cells fills them.
COLUMNS = ("", "Repository", "Open", "Last scan (UTC)", "Score", "Top item", "Path")


def summary_cells(summary: RepositorySummary, current: bool) -> tuple[Text | str, ...]:
    """One row of the table: mark, name (missing or not), open count, scan, top item, path."""
    name = plain(summary.name)
    if not summary.exists:
        name.append(" (missing)", style="bold red")
    top = top_item_text(summary)
    top.truncate(TOP_WIDTH, overflow="ellipsis")
    scanned = summary.last_scan_at
    return (
        "*" if current else "",
        name,
        str(summary.open_items),
        scanned.strftime("%Y-%m-%d %H:%M") if scanned else "never",
        f"{summary.top.score:.1f}" if summary.top is not None else "",
        top,
        Text(printable(summary.path, single_line=True), style="dim"),
    )


class RepositoriesScreen(Screen[None]):
    """The store's repositories with open items, top item and last scan; enter moves there."""

    DEFAULT_CSS = """
    RepositoriesScreen #repos-status {
        height: auto; padding: 0 1; background: $boost; color: $text-muted;
    }
    RepositoriesScreen DataTable { height: 1fr; }
    """
    app = getters.app(TerragonHost)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Work on this repository", id="repositories.open"),
        Binding("escape", "app.pop_screen", "Back", id="repositories.back"),
        Binding("j", "move(1)", "Down", show=False, id="repositories.down"),
        Binding("k", "move(-1)", "Up", show=False, id="repositories.up"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="repositories.reload"),
    ]

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.summaries: list[RepositorySummary] = []

    def compose(self) -> ComposeResult:
        yield ScreenTabs("repositories", self.ws)
        yield Static("Reading the store…", id="repos-status", markup=False)
        yield DataTable(id="repos", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name or "mark")
        table.focus()
        self.action_reload()

    def action_move(self, rows: int) -> None:
        """Move the cursor down (or up) as the backlog's j and k do."""
        table = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + rows)

    def action_reload(self) -> None:
        """Read the store's repositories again, off the UI thread."""
        self.read_repositories()

    @work(thread=True, exclusive=True, group="repositories")
    def read_repositories(self) -> None:
        try:
            summaries = list_repositories(self.ws.engine)
        except (DBAPIError, TerragonError) as exc:
            reason = exc.orig if isinstance(exc, DBAPIError) else exc
            self.app.call_from_thread(self.say, f"Cannot read the store: {reason}")
            return
        self.app.call_from_thread(self.show, summaries)

    def say(self, message: str) -> None:
        """Put `message` in the line above the table."""
        self.query_one("#repos-status", Static).update(printable(message))

    def show(self, summaries: list[RepositorySummary]) -> None:
        """Fill the table, the cursor on the repository the TUI works on."""
        self.summaries = summaries
        table = self.query_one(DataTable)
        table.clear()
        current = str(self.ws.root)
        for summary in summaries:
            table.add_row(*summary_cells(summary, summary.path == current), key=summary.path)
        here = next((i for i, s in enumerate(summaries) if s.path == current), 0)
        table.move_cursor(row=here)
        self.say(
            f"{len(summaries)} repositories · enter: work on the highlighted one · escape: back"
        )

    def highlighted(self) -> RepositorySummary | None:
        """The repository under the cursor, once the table is filled."""
        row = self.query_one(DataTable).cursor_row
        return self.summaries[row] if 0 <= row < len(self.summaries) else None

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Move the TUI to the highlighted repository: its backlog replaces this one."""
        summary = self.highlighted()
        if summary is None:
            return
        if summary.path == str(self.ws.root):
            self.app.pop_screen()
            return
        if not summary.exists:
            self.notify(
                f"{summary.name} cannot be opened: {summary.path} no longer exists "
                "(moved or deleted since its last scan).",
                severity="error",
                markup=False,
            )
            return
        self.open_workspace(Path(summary.path))

    @work(thread=True, exclusive=True, group="repositories")
    def open_workspace(self, root: Path) -> None:
        # Reading the repository's config and the store stays off the UI thread.
        try:
            ws = workspace_on(self.ws.engine, root)
        except (DBAPIError, TerragonError) as exc:
            reason = exc.orig if isinstance(exc, DBAPIError) else exc
            self.app.call_from_thread(
                self.notify, f"Cannot open {root}: {reason}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self.app.switch_repository, ws)
