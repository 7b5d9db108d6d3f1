"""The filter screen (each choice with its count) and the saved-view picker."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ..backlog.filters import CHOICE_KEYS, ItemFilter, choice_counts
from ..backlog.views import View
from ..config.keys import VIEW_NAME
from ..core.errors import UsageError
from ..core.text import printable
from ..core.vocabulary import CATEGORIES, OPEN_STATUSES, PATH_ROLES, SOURCES, STATUSES
from ..store.rows import ItemRow
from .forms import FormScreen

#: The label of each filter on the form.
LABELS = {
    "category": "Category",
    "status": "Status",
    "source": "Source",
    "rule": "Rule",
    "path": "Path glob",
    "role": "Path role",
}


@dataclass(frozen=True)
class FilterEntry:
    """What the filter form gives: the filters chosen, and the name of the view to save them
    as (None: apply them only)."""

    filters: ItemFilter
    view: str | None


class FilterForm(FormScreen[FilterEntry]):
    """Choose which items the table shows; every choice counts the items the other filters
    leave, most first, and the filters can be saved as a view of the user's config."""

    DEFAULT_CSS = """
    FilterForm Grid { grid-columns: 16 1fr; grid-gutter: 0 1; }
    FilterForm Grid > Label { padding: 0; }
    FilterForm SelectCurrent { margin-top: 0; }  /* a Horizontal, which FormScreen spaces */
    FilterForm #matching { color: $text-muted; }
    """
    heading = "Filter the backlog (blank = any; (n) = items the other filters leave)"
    ask_before_discard = False  # a choice of filters: nothing typed to lose

    def __init__(
        self,
        items: Sequence[ItemRow],
        places: Mapping[int, Sequence[str]],
        chosen: ItemFilter,
        *,
        show_closed: bool = False,
    ) -> None:
        super().__init__()
        self.items, self.places = items, places
        self.initial, self.show_closed = chosen, show_closed
        self._recount_timer: Timer | None = None
        rules = sorted({item.rule for item in items if item.rule})
        self.every = {
            "category": tuple(CATEGORIES),
            "status": STATUSES,
            "source": SOURCES,
            "rule": tuple(rules),
            "role": PATH_ROLES,
        }

    def fields(self) -> ComposeResult:
        counts = choice_counts(
            self.items, self.places, self.initial, include_closed=self.show_closed
        )
        for key in ("category", "status", "source", "rule", "role"):
            yield Label(LABELS[key])
            value = getattr(self.initial, key)
            yield Select(
                _options(counts[key], self.every[key], value),
                value=value or Select.NULL,
                prompt="any",
                id=key,
                compact=True,
            )
            if key == "rule":
                yield Label(LABELS["path"])
                yield Input(self.initial.path or "", id="path", placeholder="src/**", compact=True)
        yield Label("Save as view")
        yield Input(id="view", placeholder="name (blank: apply only)", compact=True)
        yield Label("Shown")
        yield Static(id="matching", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.recount()

    def chosen(self) -> ItemFilter:
        """The filters as the form holds them now."""
        values: dict[str, str | None] = {}
        for key in CHOICE_KEYS:
            value = self.query_one(f"#{key}", Select).value
            values[key] = None if value is Select.NULL else str(value)
        path = self.query_one("#path", Input).value.strip()
        return ItemFilter(**values, path=path or None)

    def recount(self) -> None:
        """List each choice's values with their counts under the other filters chosen now."""
        chosen = self.chosen()
        counts = choice_counts(self.items, self.places, chosen, include_closed=self.show_closed)
        for key in CHOICE_KEYS:
            select = self.query_one(f"#{key}", Select)
            value = getattr(chosen, key)
            with select.prevent(Select.Changed):
                select.set_options(_options(counts[key], self.every[key], value))
                select.value = value or Select.NULL
        shown = sum(
            1
            for item in self.items
            if (self.show_closed or chosen.status or item.status in OPEN_STATUSES)
            and chosen.matches(item, self.places.get(item.id, ()))
        )
        self.query_one("#matching", Static).update(f"{shown} of {len(self.items)} items match")

    @on(Select.Changed)
    def _choice_changed(self) -> None:
        self.recount()

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        if self._recount_timer is not None:  # typing a glob: count once it pauses
            self._recount_timer.stop()
        self._recount_timer = self.set_timer(0.2, self.recount)

    def values(self) -> dict[str, Any]:
        return {"filters": self.chosen(), "view": self.query_one("#view", Input).value.strip()}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        name = values["view"]
        if name and not VIEW_NAME.fullmatch(name):
            raise UsageError(f"a view name is letters, digits, - and _; got {name!r}")
        return {"filters": values["filters"], "view": name or None}

    def result(self, checked: dict[str, Any]) -> FilterEntry:
        return FilterEntry(checked["filters"], checked["view"])


def _options(
    counts: Sequence[tuple[str, int]], every: Sequence[str], value: str | None
) -> list[tuple[Text, str]]:
    """`value (count)` options, most first, then the values no item left has, so any choice
    can change without clearing the others first. Plain Text: a rule's name comes from a
    scan and is never read as markup."""
    counted = dict(counts)
    rest = [name for name in (*every, *([value] if value else [])) if name not in counted]
    pairs = [*counts, *((name, 0) for name in dict.fromkeys(rest))]
    return [(Text(printable(f"{name} ({count})", single_line=True)), name) for name, count in pairs]


class ViewPicker(ModalScreen[str | None]):
    """Pick one of the saved views of the user's config; escape cancels."""

    DEFAULT_CSS = """
    ViewPicker { align: center middle; }
    ViewPicker > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ViewPicker .title { text-style: bold; margin-bottom: 1; }
    ViewPicker OptionList { height: auto; max-height: 16; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="views.cancel"),
    ]

    def __init__(self, views: Mapping[str, View]) -> None:
        super().__init__()
        self.views = views

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Saved views (enter applies, escape cancels)", classes="title")
            yield OptionList(
                *(
                    Option(
                        Text.assemble((name, "bold"), "  ", view.describe()),
                        id=name,
                    )
                    for name, view in sorted(self.views.items())
                )
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
