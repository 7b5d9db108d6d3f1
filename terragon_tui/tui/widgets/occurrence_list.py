"""A grouped item's occurrences, one a row, rendering only the visible lines (line API)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...backlog.occurrences import place_data
from ...core.text import printable
from ...reports.terminal import place_note

#: The widest the file:line column gets before the place's own text.
WHERE_WIDTH = 48


def where(place: Any) -> str:
    """A place's `file:line` (or only the file), escaped for a terminal."""
    path = printable(str(place.path or ""), single_line=True)
    return f"{path}:{place.line}" if place.line else path


class OccurrenceList(ScrollView, can_focus=True):
    """Occurrences (`occurrence_rows`' rows) with a cursor; the text is escaped."""

    DEFAULT_CSS = """
    OccurrenceList { height: 1fr; }
    OccurrenceList > .occurrence-list--cursor { background: $accent 40%; }
    OccurrenceList:focus > .occurrence-list--cursor { background: $accent; color: $text; }
    OccurrenceList > .occurrence-list--note { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "occurrence-list--cursor",
        "occurrence-list--note",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="occurrences.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="occurrences.up"),
        Binding("g,home", "first", "First", show=False, id="occurrences.first"),
        Binding("G,end", "last", "Last", show=False, id="occurrences.last"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="occurrences.pgdn"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="occurrences.pgup"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to another occurrence."""

        def __init__(self, position: int) -> None:
            self.position = position
            super().__init__()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.places: Sequence[Any] = ()
        self._where_width = 0

    def show(self, places: Sequence[Any]) -> None:
        """List these occurrences, the cursor on the first."""
        self.places = places
        # sized by a sample: measuring 100,000 paths would cost more than it is worth
        sample = [cell_len(where(place)) for place in places[:2000]]
        self._where_width = min(WHERE_WIDTH, max(sample, default=0))
        self.virtual_size = Size(self.size.width, len(places))
        self.cursor = 0

    def current(self) -> Any | None:
        """The highlighted occurrence, if any."""
        return self.places[self.cursor] if self.places else None

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, max(0, len(self.places) - 1)))

    def watch_cursor(self, _old: int, _new: int) -> None:
        rows = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self.cursor))

    def on_resize(self, _event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, len(self.places))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        position = round(self.scroll_y) + y
        if position >= len(self.places):
            return Strip.blank(width, self.rich_style)
        place = self.places[position]
        base = self.rich_style
        if position == self.cursor:
            base = base + self.get_component_rich_style("occurrence-list--cursor")
        base = base + Style.from_meta({"row": position})
        note_style = base + self.get_component_rich_style("occurrence-list--note", partial=True)
        shown = where(place)
        room = max(self._where_width, 1)
        if cell_len(shown) > room:  # the end of a path says most: keep it
            shown = "…" + shown[-(room - 1) :] if room > 1 else shown[:room]
        symbol, measured = place_note(place.symbol, place_data(place.data))
        segments = [Segment(" " + set_cell_size(shown, room) + "  ", base)]
        if symbol:
            segments.append(Segment(printable(symbol, single_line=True) + "  ", base))
        if measured:
            segments.append(Segment(printable(measured, single_line=True), note_style))
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    async def _on_click(self, event: events.Click) -> None:
        if "row" in event.style.meta:
            self.cursor = event.style.meta["row"]

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.places) - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)
