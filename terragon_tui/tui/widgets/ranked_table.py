"""A table of ranked items that renders only the visible lines (Textual's line API)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

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

from ..model import BacklogModel, count_label


@dataclass(frozen=True)
class Column:
    """A table column: header, widest it gets (0 = the title), sort key, drop order."""

    header: str
    width: int
    sort_key: str | None
    justify: str = "left"
    drop: int = 0  # columns with a higher number disappear first on narrow terminals
    hide_empty: bool = False  # left out while no row has anything in it


COLUMNS: tuple[Column, ...] = (
    Column("Rank", 5, "score", "right"),
    # while re-weighting, how far each item moved is what the table is looked at for
    Column("Move", 5, None, "left", hide_empty=True),
    Column("ID", 12, "key"),
    Column("Title", 0, "title"),
    Column("Score", 8, "score", "right"),
    Column("Category", 15, "category", drop=2),
    Column("Priority", 9, "priority", drop=1),
    Column("Est.h", 6, "estimated_hours", "right", drop=4),
    Column("Impact", 6, "impact", "right", drop=5),
    Column("Lane", 14, "risk", drop=7),
    Column("Status", 17, "status", drop=6),
)
TITLE = next(index for index, column in enumerate(COLUMNS) if not column.width)
MIN_TITLE = 16
#: The marker of a marked row, in a gutter left of Rank shown only while something is marked.
MARK = "*"
GUTTER = 2
#: Optional columns give way until the title has this much room, three fifths of the table,
#: or the width of its longest text, whichever is least.
TITLE_WANTED = 60


def sort_title(sort_key: str) -> str:
    """The header of the column that sorts by `sort_key`, as the table shows it ("Score")."""
    return next(c.header for c in COLUMNS if c.sort_key == sort_key and c.header != "Rank")


def _shows_arrow(column: Column, sort_key: str | None) -> bool:
    """Whether the column's header carries the sort arrow (Rank is always by score)."""
    return bool(column.sort_key) and column.sort_key == sort_key and column.header != "Rank"


@lru_cache(maxsize=64)
def layout(
    width: int,
    content: tuple[int, ...] = (),
    sort_key: str | None = None,
    keep: frozenset[str] = frozenset(),
) -> tuple[tuple[int, int], ...]:
    """(column index, width) pairs that fit `width`; the title takes whatever is left,
    however little, rather than pushing Score off the edge.

    Columns named in `keep` (Move while the weights panel is open) are shown and never
    dropped.
    `content` is each column's widest text (as `BacklogModel.widths` gives it; none given,
    each column's `width`): a column is as wide as its header or its widest text, never
    more than its `width`; an optional or `hide_empty` column with no text at all (Move
    before anything moved) is left out. Optional columns drop out, highest `drop` first,
    until the title gets the room `TITLE_WANTED` says.
    """
    content = content or tuple(column.width or TITLE_WANTED for column in COLUMNS)

    def natural(index: int) -> int:
        column = COLUMNS[index]
        header = cell_len(column.header) + (2 if _shows_arrow(column, sort_key) else 0)
        return min(column.width, max(header, content[index])) if column.width else 0

    shown = [
        i
        for i, column in enumerate(COLUMNS)
        if content[i] or not (column.hide_empty or column.drop) or column.header in keep
    ]
    wanted = max(MIN_TITLE, min(TITLE_WANTED, content[TITLE], width * 3 // 5))
    for drop in sorted({c.drop for c in COLUMNS if c.drop}, reverse=True):
        fixed = sum(natural(i) + 1 for i in shown if i != TITLE)
        if width - fixed - 1 >= wanted:
            break
        shown = [i for i in shown if COLUMNS[i].drop != drop or COLUMNS[i].header in keep]
    fixed = sum(natural(i) + 1 for i in shown if i != TITLE)
    return tuple((i, max(1, width - fixed - 1) if i == TITLE else natural(i)) for i in shown)


def _fit(text: str, width: int, justify: str) -> str:
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else text[:width]
    pad = " " * (width - cell_len(text))
    return pad + text if justify == "right" else text + pad


class RankedTable(ScrollView, can_focus=True):
    """The ranked backlog: a sticky header, a cursor, marks, movement arrows, sortable columns."""

    DEFAULT_CSS = """
    RankedTable { height: 1fr; }
    RankedTable > .ranked-table--header { text-style: bold; background: $panel; }
    RankedTable > .ranked-table--cursor { background: $accent 40%; }
    RankedTable:focus > .ranked-table--cursor { background: $accent; color: $text; }
    RankedTable > .ranked-table--up { color: $success; }
    RankedTable > .ranked-table--down { color: $error; }
    RankedTable > .ranked-table--closed { color: $text-muted; }
    RankedTable > .ranked-table--critical { color: $error; text-style: bold; }
    RankedTable > .ranked-table--marked { color: $warning; text-style: bold; }
    RankedTable > .ranked-table--count { color: $text-accent; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ranked-table--header",
        "ranked-table--cursor",
        "ranked-table--up",
        "ranked-table--down",
        "ranked-table--closed",
        "ranked-table--critical",
        "ranked-table--marked",
        "ranked-table--count",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g,home", "first", "First", show=False, id="table.first"),
        Binding("G,end", "last", "Last", show=False, id="table.last"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="table.page_up"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)
    #: Keep the Move column at any width (while the weights panel re-ranks).
    keep_moves: reactive[bool] = reactive(False)

    class Highlighted(Message):
        """The cursor moved to another row (or the rows changed under it)."""

        def __init__(self, position: int) -> None:
            self.position = position
            super().__init__()

    class SortRequested(Message):
        """A column header was clicked."""

        def __init__(self, sort_key: str) -> None:
            self.sort_key = sort_key
            super().__init__()

    def __init__(
        self,
        model: BacklogModel,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.model = model

    def refresh_rows(self, keep_key: str | None = None) -> None:
        """Re-read the model after it changed; the cursor stays on `keep_key` if visible."""
        target = self.cursor
        if keep_key is not None:
            position = self.model.position_of(keep_key)
            if position is not None:
                target = position
        self.virtual_size = Size(self.size.width, len(self.model) + 1)
        self.cursor = min(target, max(0, len(self.model) - 1))

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, max(0, len(self.model) - 1)))

    def watch_cursor(self, _old: int, _new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self.cursor))

    def _scroll_cursor_into_view(self) -> None:
        rows = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False)

    def on_resize(self, _event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, len(self.model) + 1)

    def shown_columns(self) -> tuple[tuple[int, int], ...]:
        """(column index, width) of the columns the table shows at its current width."""
        width = self.scrollable_content_region.width  # the scrollbar must not cover a column
        keep = frozenset(
            {
                *(["Move"] if self.keep_moves else []),
                *(["Status"] if self.model.showing_closed else []),
            }
        )
        gutter = GUTTER if self.model.marked else 0
        return layout(width - gutter, self.model.widths, self.model.sort_key, keep)

    def sort_choices(self) -> list[tuple[str, str]]:
        """(sort key, header) of each column shown that sorts, once per key, in table order:
        Rank and Score both sort by score, and that is called Score."""
        choices: dict[str, str] = {}
        for index, _width in self.shown_columns():
            column = COLUMNS[index]
            if column.sort_key and (column.sort_key not in choices or column.header != "Rank"):
                choices[column.sort_key] = column.header
        return list(choices.items())

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        gutter = GUTTER if self.model.marked else 0
        columns = self.shown_columns()
        if y == 0:
            return self._header(columns, width, gutter)
        position = round(self.scroll_y) + y - 1
        if position >= len(self.model):
            return Strip.blank(width, self.rich_style)
        return self._row(position, columns, width, gutter)

    def _header(self, columns: tuple[tuple[int, int], ...], width: int, gutter: int) -> Strip:
        style = self.get_component_rich_style("ranked-table--header")
        segments = [Segment(" " * gutter, style)] if gutter else []
        for index, col_width in columns:
            column = COLUMNS[index]
            label = column.header
            if _shows_arrow(column, self.model.sort_key):
                label += " ▼" if not self.model.sort_reverse else " ▲"
            meta = {"sort": column.sort_key} if column.sort_key else {}
            segments.append(
                Segment(_fit(label, col_width, column.justify) + " ", style + Style.from_meta(meta))
            )
        return Strip(segments).extend_cell_length(width, style).crop(0, width)

    def _row(
        self, position: int, columns: tuple[tuple[int, int], ...], width: int, gutter: int
    ) -> Strip:
        cells = self.model.cells(position)
        base = self.rich_style
        if not self.model.ranks[int(self.model.visible[position])]:
            base = base + self.get_component_rich_style("ranked-table--closed")
        marked = gutter and self.model.is_marked(position)
        if marked:
            base = base + self.get_component_rich_style("ranked-table--marked")
        if position == self.cursor:
            base = base + self.get_component_rich_style("ranked-table--cursor")
        meta = Style.from_meta({"row": position})
        segments = []
        if gutter:
            segments.append(Segment(_fit(MARK if marked else "", gutter, "left"), base + meta))
        for index, col_width in columns:
            column, text = COLUMNS[index], cells[index]
            style = base
            if column.header == "Move" and text:
                part = "ranked-table--up" if text.startswith("▲") else "ranked-table--down"
                style = base + self.get_component_rich_style(part)
            elif column.header == "Priority" and text == "critical":
                style = base + self.get_component_rich_style("ranked-table--critical")
            elif index == TITLE and self.model.count_at(position):
                segments.extend(self._titled_count(text, col_width, position, style + meta))
                continue
            segments.append(Segment(_fit(text, col_width, column.justify) + " ", style + meta))
        return Strip(segments).extend_cell_length(width, base + meta).crop(0, width)

    def _titled_count(self, title: str, width: int, position: int, style: Style) -> list[Segment]:
        """A grouped item's title cut short enough to leave its count in sight."""
        count = count_label(self.model.count_at(position))
        room = width - cell_len(count)
        if room < 4:  # too narrow for both: the title wins
            return [Segment(_fit(title, width, "left") + " ", style)]
        cut = set_cell_size(title, room - 1) + "…" if cell_len(title) > room else title
        shown = self.get_component_rich_style("ranked-table--count", partial=True)
        return [
            Segment(cut, style),
            Segment(count, style + shown),
            Segment(" " * (width - cell_len(cut) - cell_len(count)) + " ", style),
        ]

    async def _on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "row" in meta:
            self.cursor = meta["row"]
        elif meta.get("sort"):
            self.post_message(self.SortRequested(meta["sort"]))

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.model) - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 2)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 2)
