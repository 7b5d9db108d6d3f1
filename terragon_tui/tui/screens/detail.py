"""One item's detail on the whole screen: for terminals too narrow for the side pane."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from ..widgets.detail import DetailPane


class DetailScreen(Screen[None]):
    """What the side pane shows (description, location, occurrences, breakdown), scrollable.

    It shows the item as it was when opened (and the rest of it once read); closing it
    returns to the backlog with the same row highlighted.
    """

    DEFAULT_CSS = """
    DetailScreen DetailPane { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="detail.close"),
        # arrows, PgUp / PgDn, Home / End scroll the pane itself
        Binding("j", "scroll('down')", "Scroll down", show=False, id="detail.down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="detail.up"),
    ]

    def __init__(self, shown: dict[str, Any]) -> None:
        """`shown` holds the arguments of `DetailPane.show` for the item."""
        super().__init__()
        self.shown = shown
        item = shown.get("item")
        self.key = item.key if item is not None else None

    def update(self, shown: dict[str, Any]) -> None:
        """Show the item again, now with what was still being read when the screen opened."""
        self.shown = shown
        if self.is_mounted:
            self.query_one(DetailPane).show(**shown)

    def compose(self) -> ComposeResult:
        yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        pane = self.query_one(DetailPane)
        pane.show(**self.shown)
        pane.focus()

    def action_scroll(self, direction: str) -> None:
        pane = self.query_one(DetailPane)
        if direction == "down":
            pane.scroll_down(animate=False)
        else:
            pane.scroll_up(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
