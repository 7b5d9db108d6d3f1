"""The help screen: every key of the app, the current screen and the table, by id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: Groups of key bindings as the help lists them: (the group's title, its bindings).
BindingSources = Sequence[tuple[str, list[BindingType]]]


def _key_label(app: App[object], binding: Binding) -> str:
    keys = [app.get_key_display(Binding(key, binding.action)) for key in binding.key.split(",")]
    return " / ".join(keys)


def keys_table(app: App[object], sources: BindingSources) -> Table:
    """A table of (keys, description, binding id) for every binding of `sources`."""
    table = Table(header_style="bold", expand=True, box=None)
    table.add_column("Keys", no_wrap=True)
    table.add_column("Action")
    table.add_column("Id (remap in config)", style="dim")
    for title, bindings in sources:
        table.add_row(f"[b]{title}[/b]", "", "")
        for binding in bindings:
            if isinstance(binding, Binding):
                table.add_row(
                    _key_label(app, binding),
                    binding.description or binding.action,
                    binding.id or "",
                )
    return table


class HelpScreen(ModalScreen[None]):
    """All keys, grouped by where they apply."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 100%; height: 90%; border: thick $accent;
        background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sources: BindingSources) -> None:
        super().__init__()
        self.sources = sources

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("terragon keys — ctrl+p opens the command palette with every action\n")
            yield Static(keys_table(self.app, self.sources))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
