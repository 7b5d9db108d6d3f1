"""The line atop each screen: the five screens and their keys, and the repository shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.widget import Widget

from ...core.text import printable

if TYPE_CHECKING:
    from ...backlog.workspace import Workspace


class ScreenTabs(Widget):
    """Which screen is shown, which keys reach the others, and which repository it is about."""

    DEFAULT_CSS = """
    ScreenTabs { dock: top; height: 1; background: $panel; color: $text-muted; }
    """
    #: (key, screen name, title), in the order of the keys.
    SCREENS: ClassVar[list[tuple[str, str, str]]] = [
        ("1", "backlog", "Backlog"),
        ("2", "dashboard", "Dashboard"),
        ("3", "history", "History"),
        ("4", "repositories", "Repositories"),
        ("5", "roadmap", "Roadmap"),
    ]

    def __init__(self, current: str, ws: Workspace) -> None:
        super().__init__()
        self.current = current
        self.ws = ws

    def render(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        for key, name, title in self.SCREENS:
            if name == self.current:
                line.append(f" {key} {title} ", style="bold reverse")
            else:
                line.append(f" {key} ", style="bold")
                line.append(f"{title} ")
        line.append("  ")
        line.append(printable(self.ws.root.name, single_line=True), style="bold")
        return line
