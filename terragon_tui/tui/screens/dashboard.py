"""The dashboard: categories, discovery sources, value per week, health, next item, delivery."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import DBAPIError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ...backlog.listing import load_rows
from ...backlog.ranked import rank_items
from ...core.errors import TerragonError
from ...core.vocabulary import OPEN_STATUSES, SOURCE_GROUPS
from ...reports.terminal import plain
from ..reads import LOADING, ReadDone, failure
from ..widgets.screen_tabs import ScreenTabs

if TYPE_CHECKING:
    from textual.worker import Worker

    from ...backlog.workspace import Workspace

BAR = "█"


def bars(rows: Sequence[tuple[str, float]], *, width: int = 24, unit: str = "") -> Table:
    """Horizontal bars, longest for the largest value, with the value beside each."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    top = max((value for _label, value in rows), default=0) or 1
    for label, value in rows:
        length = round(width * value / top)
        table.add_row(plain(label), Text(BAR * length or "·", style="cyan"), f"{value:g}{unit}")
    if not rows:
        table.add_row(Text("nothing yet", style="dim"), "", "")
    return table


def shares(counter: Counter[str]) -> list[tuple[str, float]]:
    """(name, percent) rows, largest first."""
    total = sum(counter.values()) or 1
    return [(name, round(100 * count / total)) for name, count in counter.most_common()]


def _panel(title: str, body: RenderableType) -> Static:
    widget = Static(body, classes="panel")
    widget.border_title = title
    return widget


class DeliveryRead(Message):
    """Delivery metrics read from git in a worker."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        super().__init__()


class TargetsRead(Message):
    """The success indicators, measured in a worker (they read the store and git)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        super().__init__()


class PanelsRead(ReadDone):
    """The backlog panels' renderables, read from the store in a worker."""


#: The screen's width classes: `-narrow` below 110 columns, `-wide` from there.
BREAKPOINTS: list[tuple[int, str]] = [(0, "-narrow"), (110, "-wide")]


class DashboardScreen(Screen[None]):
    """Where the backlog stands and what has been delivered."""

    DEFAULT_CSS = """
    DashboardScreen Grid { grid-size: 2; grid-gutter: 0 1; height: auto; }
    DashboardScreen .panel {
        border: round $primary; border-title-color: $primary; padding: 0 1; height: auto;
    }
    DashboardScreen #delivery, DashboardScreen #targets { column-span: 2; }
    DashboardScreen.-narrow Grid { grid-size: 1; }
    DashboardScreen.-narrow #delivery, DashboardScreen.-narrow #targets { column-span: 1; }
    """
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="dashboard.back"),
        Binding("ctrl+r", "refresh_dashboard", "Reload", id="dashboard.reload"),
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="dashboard.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="dashboard.up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="dashboard.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="dashboard.page_up"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="dashboard.bottom"),
        Binding("g,home", "scroll_home", "Top", show=False, id="dashboard.top"),
    ]

    def __init__(self, ws: Workspace, now: datetime | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.now = now
        self.panels_read: Worker[None] | None = None  # the read whose panels are awaited

    def compose(self) -> ComposeResult:
        loading = Text(LOADING, style="dim")
        yield ScreenTabs("dashboard", self.ws)
        with Grid():
            yield _panel("Repository health", loading)
            yield _panel("Next best value item", loading)
            yield _panel("Open items by category", loading)
            yield _panel("Discovery sources (all items)", loading)
            yield _panel("Value delivered per week", loading)
            yield _panel("Open backlog", loading)
            delivery = _panel("Delivery (git)", Text("reading git history…", style="dim"))
            delivery.id = "delivery"
            yield delivery
            targets = _panel("Success indicators", Text("measuring…", style="dim"))
            targets.id = "targets"
            yield targets
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_dashboard()

    def action_refresh_dashboard(self) -> None:
        """Read the backlog panels from the store and the delivery from git, off the UI thread."""
        self.panels_read = self._read_panels()
        self._read_delivery()
        self._read_targets()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _read_panels(self) -> None:
        worker = get_current_worker()
        try:
            panels = self.backlog_panels()
        except (DBAPIError, TerragonError) as exc:
            self.post_message(PanelsRead(worker, error=failure(exc)))
            return
        self.post_message(PanelsRead(worker, panels))

    @on(PanelsRead)
    def _panels_read(self, event: PanelsRead) -> None:
        if event.worker is not self.panels_read:
            return  # a newer read is under way
        self.panels_read = None
        if event.error:
            self.notify(f"Cannot read the store: {event.error}", severity="error", markup=False)
            self.query_one(".panel", Static).update(plain(f"Cannot read the store: {event.error}"))
            return
        panels = list(self.query(".panel").results(Static))
        for panel, body in zip(panels, event.result, strict=False):
            panel.update(body)

    def backlog_panels(self) -> list[RenderableType]:
        """The renderables of the backlog panels, in compose order (delivery comes later)."""
        from ...reports.value import value_report

        rows, settings = load_rows(self.ws)
        with self.ws.reading() as session:
            repo = self.ws.repository(session)
        open_rows = [row for row in rows if row.status in OPEN_STATUSES]
        ranked = rank_items(open_rows, settings)
        health: RenderableType
        if repo.maturity_score is None:
            health = Text(
                f"Not measured yet: press s on the backlog to scan.\nWeights: {settings.origin}"
            )
        else:
            health = Group(
                bars([("health", repo.maturity_score)], unit="/100", width=30),
                Text(f"Level: {settings.level} · weights: {settings.origin}"),
            )
        if ranked:
            best = ranked[0]
            nxt: RenderableType = Group(
                plain(f"[{best.item.key}] {best.item.title}"),
                Text(
                    f"score {best.score:.1f} · {best.item.category} · {best.item.priority} · "
                    f"{best.item.estimated_hours:g} h · {best.lane}"
                ),
            )
        else:
            nxt = Text("No open items.")
        report = value_report(self.ws, "week", now=self.now)
        weeks = report.periods[-8:]
        value_rows = [(p.period.label, round(p.score, 1)) for p in weeks]
        done = Group(
            bars(value_rows, width=28),
            Text(
                f"{sum(p.completed for p in weeks)} items · "
                f"{sum(p.actual_hours for p in weeks):g} h actual in these weeks",
                style="dim",
            ),
        )
        hours = sum(row.estimated_hours for row in open_rows)
        lanes = Counter(entry.lane for entry in ranked)
        backlog = Group(
            Text(f"{len(open_rows)} open items · {hours:g} estimated hours"),
            bars([(lane, count) for lane, count in lanes.most_common()], width=28),
        )
        return [
            health,
            nxt,
            bars(shares(Counter(row.category for row in open_rows)), unit="%"),
            bars(
                shares(Counter(SOURCE_GROUPS.get(row.source, row.source) for row in rows)), unit="%"
            ),
            done,
            backlog,
        ]

    @work(thread=True, exclusive=True, group="delivery", exit_on_error=False)
    def _read_delivery(self) -> None:
        from ...backlog.delivery import delivery_metrics
        from ...reports.delivery_render import delivery_tables

        try:
            body: Any = delivery_tables(delivery_metrics(self.ws.root, now=self.now))
        except Exception as exc:  # git missing or broken: say so in the panel
            body = plain(f"Could not read git history: {exc}")
            body.stylize("red")
        self.post_message(DeliveryRead(body))

    @on(DeliveryRead)
    def _delivery_read(self, event: DeliveryRead) -> None:
        self.query_one("#delivery", Static).update(event.renderable)

    @work(thread=True, exclusive=True, group="targets", exit_on_error=False)
    def _read_targets(self) -> None:
        from ...backlog.planning import workspace_planning
        from ...reports.planning_render import indicators_table

        try:
            body: Any = indicators_table(workspace_planning(self.ws, now=self.now))
        except Exception as exc:  # the store or git unreadable: say so in the panel
            body = plain(f"Could not measure the success indicators: {exc}")
            body.stylize("red")
        self.post_message(TargetsRead(body))

    @on(TargetsRead)
    def _targets_read(self, event: TargetsRead) -> None:
        self.query_one("#targets", Static).update(event.renderable)
