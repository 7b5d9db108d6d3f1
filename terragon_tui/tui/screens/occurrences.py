"""A grouped item's occurrences on the whole screen: move through them, open one in the editor."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...backlog.occurrences import occurrence_rows
from ...core.errors import TerragonError
from ...core.text import printable
from ..editor import file_command, run_editor
from ..widgets.occurrence_list import OccurrenceList

if TYPE_CHECKING:
    from ...backlog.workspace import Workspace


class OccurrencesScreen(Screen[str | None]):
    """Every place a grouped item stands for, one a row, read in the background.

    Acting on the item (`c`, `d`, `x`, here or in the backlog) acts on all of them: the group
    is one item, so this screen returns the backlog action to run on it, or None. Either way
    the backlog has the same row highlighted.
    """

    DEFAULT_CSS = """
    OccurrencesScreen #occurrences-head { height: auto; padding: 0 1; background: $boost; }
    OccurrencesScreen #occurrences-where { height: 1; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h,q", "close", "Back", id="occurrences.close"),
        Binding("o", "open_editor", "Open file", id="occurrences.open"),
        Binding("c", "act('complete')", "Complete all", show=False, id="occurrences.complete"),
        Binding("d", "act('defer')", "Defer all", show=False, id="occurrences.defer"),
        Binding("x", "act('reject')", "Reject all", show=False, id="occurrences.reject"),
    ]

    class Loaded(Message):
        """The item's occurrences were read from the store."""

        def __init__(self, places: list[Any], files: int) -> None:
            self.places = places
            self.files = files
            super().__init__()

    def __init__(self, ws: Workspace, item: Any, count: int) -> None:
        """`item` is the grouped item (a row with Item's attribute names), `count` its size."""
        super().__init__()
        self.ws = ws
        self.item = item
        self.count = count
        self.loaded = False
        self.files = 0

    def compose(self) -> ComposeResult:
        yield Static(self._head(), id="occurrences-head")
        yield Static(f"Reading {self.count:,} occurrences…", id="occurrences-where", markup=False)
        yield OccurrenceList(id="occurrence-list")
        yield Footer()

    def _head(self) -> Text:
        head = Text()
        head.append(printable(self.item.key, single_line=True), style="bold")
        head.append("  ")
        head.append(printable(self.item.title, single_line=True))
        head.append(f"  ×{self.count:,}", style="bold")
        return head

    def on_mount(self) -> None:
        self.query_one(OccurrenceList).focus()
        self._read(self.item.id)

    @work(thread=True, exclusive=True, group="occurrences")
    def _read(self, item_id: int) -> None:
        with self.ws.reading() as session:
            places = occurrence_rows(session, item_id)
        self.post_message(self.Loaded(places, len({place.path for place in places})))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.loaded = True
        self.files = event.files
        self.query_one(OccurrenceList).show(event.places)
        if not event.places:
            self._say("No occurrences are stored any more: a scan may have moved them.")

    @on(OccurrenceList.Highlighted)
    def _highlighted(self, event: OccurrenceList.Highlighted) -> None:
        places = self.query_one(OccurrenceList).places
        if not places:
            return  # still reading, or nothing left: the line says which
        self._say(
            f"{event.position + 1:,} of {len(places):,} in {self.files:,} "
            f"file{'s' if self.files != 1 else ''}  ·  o opens it  ·  c/d/x act on all"
        )

    def _say(self, text: str) -> None:
        self.query_one("#occurrences-where", Static).update(text)

    def action_open_editor(self) -> None:
        place = self.query_one(OccurrenceList).current()
        if place is None:
            self.notify("No occurrence selected.", severity="warning")
            return
        try:
            command = file_command(
                self.ws.root, f"{self.item.key} at {place.path}", place.path, place.line, os.environ
            )
        except TerragonError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        run_editor(self.app, command)

    def action_act(self, action: str) -> None:
        """Back to the backlog, which runs `action` on the group (its form asks first)."""
        self.dismiss(action)

    def action_close(self) -> None:
        self.dismiss(None)
