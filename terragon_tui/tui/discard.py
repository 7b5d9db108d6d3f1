"""Asked on escape from a form whose values were changed: discard them, or go back to it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class DiscardPrompt(ModalScreen[bool]):
    """Dismissed with True to throw the form's changes away, False to keep editing."""

    DEFAULT_CSS = """
    DiscardPrompt { align: center middle; }
    DiscardPrompt > Vertical {
        width: 56; max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 0 1;
    }
    DiscardPrompt .title { text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose(True)", "Discard", id="discard.yes"),
        Binding("n,escape", "choose(False)", "Back to the form", id="discard.no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Discard what you changed in this form?", classes="title")
            yield Static(
                "  [b]y[/b]  yes, discard it\n  [b]n[/b]  no, back to the form (or escape)"
            )

    def action_choose(self, discard: bool) -> None:
        self.dismiss(discard)
