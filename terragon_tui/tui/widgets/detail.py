"""The detail pane: the highlighted item's facts, description and live score breakdown."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...backlog.ranked import inputs_for
from ...reports.terminal import item_view
from ...scoring.breakdown import breakdown
from ...scoring.scale import MEDIUM
from ...scoring.weights import Boosts, Weights
from ...store.models import Completion, Item, Occurrence

#: The occurrences the pane lists before saying how many more `terragon show` has.
OCCURRENCES_SHOWN = 50


class DetailPane(VerticalScroll):
    """Shows one item under the weights in force, including unsaved ones."""

    DEFAULT_CSS = """
    DetailPane { border: round $primary; padding: 0 1; border-title-color: $primary; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Item"

    def show(
        self,
        item: Item | None,
        *,
        rank: int | None = None,
        score: float = 0.0,
        weights: Weights | None = None,
        boosts: Boosts | None = None,
        security_from: float = MEDIUM,
        origin: str = "",
        completions: Sequence[Completion] = (),
        occurrences: Sequence[Occurrence] = (),
        occurrence_counts: tuple[int, int] | None = None,
        hint: str = "No item selected. Press n to suggest one or s to scan.",
        note: str = "",
    ) -> None:
        """Show `item` (or, when there is none, `note` or `hint`, and no item's ID in the
        header); `occurrence_counts` (places, files) are the totals when `occurrences` holds
        only the first of a large group's; `note` says what is still being read."""
        body = self.query_one("#detail-body", Static)
        if item is None or weights is None or boosts is None:
            self.border_title = "Item"
            body.update(note or hint)
            return
        self.border_title = item.key
        view = item_view(
            item,
            rank=rank,
            score=score,
            breakdown=breakdown(inputs_for(item), weights, boosts, security_from),
            origin=origin,
            completions=completions,
            occurrences=occurrences,
            occurrence_limit=OCCURRENCES_SHOWN,
            occurrence_counts=occurrence_counts,
        )
        body.update(Group(view, Text(f"\n{note}", style="dim")) if note else view)
