"""The roadmap screen: the open items in weeks and phases by capacity, and the next actions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...backlog.roadmap import Roadmap
from ...reports.planning_render import phase_table
from ...reports.terminal import plain
from ..widgets.screen_tabs import ScreenTabs

if TYPE_CHECKING:
    from ...backlog.workspace import Workspace

NEXT_TITLES = {
    "immediate": "Next 24 hours",
    "this_week": "This week",
    "this_month": "This month",
}


def roadmap_view(plan: Roadmap) -> RenderableType:
    """The capacity, one table per phase, and the next actions, all text escaped."""
    cap = plan.capacity
    parts: list[RenderableType] = [
        plain(
            f"{cap.hours_per_week:g} hours a week, {cap.weeks_per_phase}-week phases "
            f"({cap.origin}): {plan.hours:g} hours of open work in {plan.span}."
        )
    ]
    if not plan.phases:
        parts.append(Text("No open items to plan: press s to scan, or n to suggest one."))
        return Group(*parts)
    next_up = Table(title="Next actions", expand=True, header_style="bold", title_justify="left")
    next_up.add_column("When", no_wrap=True)
    next_up.add_column("ID", no_wrap=True)
    next_up.add_column("Title", ratio=1, overflow="ellipsis", no_wrap=True)
    next_up.add_column("Hours", justify="right", no_wrap=True)
    for name, entries in plan.next_actions().items():
        for index, p in enumerate(entries):
            next_up.add_row(
                NEXT_TITLES[name] if index == 0 else "",
                plain(p.entry.item.key),
                plain(p.entry.item.title),
                f"{p.entry.item.estimated_hours:g}",
            )
    parts.append(next_up)
    per_week = cap.hours_per_week
    for phase in plan.phases:
        parts.append(phase_table(phase, per_week, wide=True))
    if plan.cycles:
        parts.append(plain(f"Links that loop were set aside for: {', '.join(plan.cycles)}."))
    return Group(*parts)


class RoadmapScreen(Screen[None]):
    """The roadmap, read from the store in a worker so the screen never waits on it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="roadmap.back"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="roadmap.down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="roadmap.up"),
        Binding("ctrl+r", "refresh_roadmap", "Reload", show=False, id="roadmap.reload"),
    ]

    def __init__(self, ws: Workspace, *, now: datetime | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.now = now  # a fixed clock for reproducible screens (the pace of completions)
        self.plan: Roadmap | None = None

    def compose(self) -> ComposeResult:
        yield ScreenTabs("roadmap", self.ws)
        with VerticalScroll(id="roadmap-scroll"):
            yield Static("Planning…", id="roadmap")
        yield Footer()

    def on_mount(self) -> None:
        self.action_refresh_roadmap()

    def action_refresh_roadmap(self) -> None:
        self._read()

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#roadmap-scroll", VerticalScroll)
        (scroll.scroll_down if direction == "down" else scroll.scroll_up)(animate=False)

    @work(thread=True, exclusive=True, group="roadmap-read")
    def _read(self) -> None:
        from ...backlog.planning import workspace_roadmap
        from ...core.errors import TerragonError

        try:
            plan = workspace_roadmap(self.ws, now=self.now)
        except TerragonError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, plan)

    def _show(self, plan: Roadmap) -> None:
        self.plan = plan
        self.query_one("#roadmap", Static).update(roadmap_view(plan))

    def _failed(self, message: str) -> None:
        self.query_one("#roadmap", Static).update(plain(f"The roadmap cannot be read: {message}"))
        self.notify(message, severity="error", markup=False)
