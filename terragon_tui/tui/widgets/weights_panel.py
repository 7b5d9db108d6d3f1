"""The weights panel: four weights, three boosts and the focus areas, changed key by key."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from ...scoring.weights import FOCUS_AREAS, Boosts, Weights, apply_focus

#: (kind, name, label, step, lowest)
ROWS: tuple[tuple[str, str, str, float, float], ...] = (
    ("weight", "wsjf", "WSJF", 0.05, 0.0),
    ("weight", "debt", "Technical debt", 0.05, 0.0),
    ("weight", "ice", "ICE", 0.05, 0.0),
    ("weight", "security", "Security", 0.05, 0.0),
    ("boost", "security", "Security boost", 0.1, 0.1),
    ("boost", "compliance", "Compliance boost", 0.1, 0.1),
    ("boost", "performance", "Performance boost", 0.1, 0.1),
)


class WeightsPanel(Widget, can_focus=True):
    """Change weights and boosts with the keyboard; every change re-ranks the backlog at once."""

    DEFAULT_CSS = """
    WeightsPanel {
        width: 100%; max-width: 38; height: auto; border: round $accent; padding: 0 1;
        border-title-color: $accent; display: none;
    }
    WeightsPanel.-open { display: block; }
    WeightsPanel:focus { border: round $success; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "row(1)", "Next", show=False, id="weights.down"),
        Binding("k,up", "row(-1)", "Previous", show=False, id="weights.up"),
        Binding("l,right,plus,equals_sign", "change(1)", "More", id="weights.more"),
        Binding("h,left,minus", "change(-1)", "Less", id="weights.less"),
        Binding("f", "focus_area", "Focus area", id="weights.focus"),
        Binding("ctrl+s", "save", "Save", id="weights.save"),
        Binding("R", "reset", "Reset", show=False, id="weights.reset"),  # on ?: room for q, ?
        Binding("escape,w", "close", "Close", id="weights.close"),
    ]

    row: reactive[int] = reactive(0)
    weights: reactive[Weights | None] = reactive(None, always_update=True)
    boosts: reactive[Boosts | None] = reactive(None, always_update=True)
    focus_area: reactive[str | None] = reactive(None)

    class Changed(Message):
        """The user changed weights or boosts (not yet saved)."""

        def __init__(self, weights: Weights, boosts: Boosts, focus: str | None) -> None:
            self.weights, self.boosts, self.focus = weights, boosts, focus
            super().__init__()

    class SaveRequested(Message):
        """The user asked to save the weights as the repository's profile."""

    class ResetRequested(Message):
        """The user asked to go back to the maturity default."""

    class CloseRequested(Message):
        """The user asked to leave the panel; the screen closes it, asking first if need be."""

    class Closed(Message):
        """The panel was closed."""

    def on_mount(self) -> None:
        self.border_title = "Weights"
        self.border_subtitle = "^s save · esc close"

    def show(self, weights: Weights, boosts: Boosts, focus: str | None) -> None:
        """Open the panel on the given settings and take the keyboard."""
        self.weights, self.boosts, self.focus_area = weights, boosts, focus
        self.add_class("-open")
        self.focus()

    def render(self) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(width=2)
        table.add_column(ratio=1)
        table.add_column(justify="right")
        if self.weights is None or self.boosts is None:
            return table
        shares = self.weights.normalised().as_dict()
        for index, (kind, name, label, _step, _low) in enumerate(ROWS):
            marker = "▶" if index == self.row else ""
            if kind == "weight":
                value = f"{getattr(self.weights, name):.2f} ({shares[name]:.0%})"
            else:
                value = f"×{getattr(self.boosts, name):.1f}"
            style = "bold reverse" if index == self.row and self.has_focus else ""
            table.add_row(marker, Text(label, style=style), value)
        table.add_row("", Text(f"Focus: {self.focus_area or 'custom'}", style="italic"), "")
        return table

    def action_row(self, delta: int) -> None:
        self.row = (self.row + delta) % len(ROWS)

    def action_change(self, direction: int) -> None:
        assert self.weights is not None and self.boosts is not None
        kind, name, _label, step, low = ROWS[self.row]
        if kind == "weight":
            value = max(low, round(getattr(self.weights, name) + direction * step, 4))
            candidate = self.weights.replace(**{name: value})
            if sum(candidate.as_dict().values()) <= 0:
                self.notify("The weights cannot all be zero.", severity="warning")
                return
            self.weights = candidate
        else:
            value = max(low, round(getattr(self.boosts, name) + direction * step, 4))
            self.boosts = Boosts.from_mapping({**self.boosts.as_dict(), name: value})
        self.focus_area = None
        self.post_message(self.Changed(self.weights, self.boosts, None))

    def action_focus_area(self) -> None:
        assert self.boosts is not None
        areas = list(FOCUS_AREAS)
        current = areas.index(self.focus_area) if self.focus_area in areas else -1
        area = areas[(current + 1) % len(areas)]
        self.weights, self.boosts = apply_focus(area, Boosts())
        self.focus_area = area
        self.post_message(self.Changed(self.weights, self.boosts, area))

    def action_save(self) -> None:
        self.post_message(self.SaveRequested())

    def action_reset(self) -> None:
        self.post_message(self.ResetRequested())

    def action_close(self) -> None:
        self.post_message(self.CloseRequested())

    def close(self) -> None:
        """Close the panel and give the keyboard back."""
        self.remove_class("-open")
        self.post_message(self.Closed())


class UnsavedWeightsPrompt(ModalScreen[str | None]):
    """Asked on leaving the weights panel while the weights in force are not the saved ones.

    Dismissed with "save", "discard" or "keep" (for this session), or None to stay in the
    panel.
    """

    DEFAULT_CSS = """
    UnsavedWeightsPrompt { align: center middle; }
    UnsavedWeightsPrompt > Vertical {
        width: 64; max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 0 1;
    }
    UnsavedWeightsPrompt .title { text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s,ctrl+s", "choose('save')", "Save", id="unsaved_weights.save"),
        Binding("d", "choose('discard')", "Discard", id="unsaved_weights.discard"),
        Binding("k", "choose('keep')", "Keep for this session", id="unsaved_weights.keep"),
        Binding("escape", "choose(None)", "Back to the panel", id="unsaved_weights.back"),
    ]

    def __init__(self, origin: str) -> None:
        super().__init__()
        self.origin = origin

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("The weights in force are not saved.", classes="title")
            yield Static(f"The saved ones: {self.origin}.\n", markup=False)
            yield Static(
                "  [b]s[/b]  save them as this repository's profile\n"
                f"  [b]d[/b]  discard them: back to the {escape(self.origin)}\n"
                "  [b]k[/b]  keep them for this session, unsaved\n"
                "[b]esc[/b]  back to the panel"
            )

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
