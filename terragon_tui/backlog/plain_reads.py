"""`next`, `show` and `list` answered from a plain read of the store (`store.plain`), so they
start without SQLAlchemy: the same answers as `listing`'s, by the same rules.

Both answer the questions of a `BacklogReader`: `PlainBacklog` here, `listing.StoredBacklog`
through the workspace. `answer` gives None when the store cannot be read plainly (see
`store.plain`), and the command asks the workspace instead, which opens the store proper.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from ..config.project import ProjectConfig, find_repo_root, load_project_config
from ..core.errors import NotFoundError
from ..store.plain import PlainStore, plain_store
from .filters import ListRequest, places_by_item
from .ranked import ItemDetail, Ranked, detail_of, rank_items
from .weights_in_force import ScoringSettings, settings_in_force

if TYPE_CHECKING:
    from ..store.rows import (
        ItemRow,
        StoredChange,
        StoredCompletion,
        StoredItem,
        StoredOccurrence,
    )

T = TypeVar("T")


class BacklogReader(Protocol):
    """What `next`, `show` and `list` ask of a repository's backlog."""

    def top(self) -> Ranked[StoredItem] | None: ...
    def next_detail(self) -> ItemDetail[StoredItem] | None: ...
    def show_item(self, key: str) -> ItemDetail[StoredItem]: ...
    def list_items(self, request: ListRequest) -> Sequence[Ranked[StoredItem]]: ...


class PlainBacklog:
    """A repository's backlog in one read-only snapshot of a SQLite store."""

    def __init__(self, store: PlainStore, root: Path, config: ProjectConfig) -> None:
        self.store, self.root, self.config = store, root, config
        self._settings: ScoringSettings | None = None

    def settings(self) -> ScoringSettings:
        """The weights and boosts in force."""
        if self._settings is None:
            saved = self.store.saved_profile()
            self._settings = settings_in_force(self.config, self.store.maturity_level, saved)
        return self._settings

    def ranked_rows(self) -> list[Ranked[ItemRow]]:
        """Every item as a light row, scored and ordered best first."""
        return rank_items(cast("list[ItemRow]", self.store.item_rows()), self.settings())

    def whole(self, entries: list[Ranked[ItemRow]]) -> list[Ranked[StoredItem]]:
        """`entries` with each row replaced by its whole stored item, in the same order."""
        items = self.store.items([entry.item.id for entry in entries])
        return [Ranked(items[entry.item.id], entry.score, entry.rank) for entry in entries]

    def top(self) -> Ranked[StoredItem] | None:
        """The open item ranked first, read whole, or None when none is open."""
        top = next((entry for entry in self.ranked_rows() if entry.rank == 1), None)
        return self.whole([top])[0] if top is not None else None

    def next_detail(self) -> ItemDetail[StoredItem] | None:
        """What `show` tells about the next best value item, or None when none is open."""
        top = self.top()
        return self._detail(top) if top is not None else None

    def show_item(self, key: str) -> ItemDetail[StoredItem]:
        """An item with its score breakdown and history, or a NotFoundError naming it."""
        item = self.store.item_by_key(key)
        if item is None:
            raise NotFoundError(f"no item {key!r} in the backlog of {self.root}")
        row = next(entry for entry in self.ranked_rows() if entry.item.id == item.id)
        return self._detail(Ranked(cast("StoredItem", item), row.score, row.rank))

    def places(self) -> dict[int, tuple[str, ...]]:
        """The paths of each item's places beyond its own file, by item id."""
        return places_by_item(self.store.place_pairs())

    def list_items(self, request: ListRequest) -> list[Ranked[StoredItem]]:
        """What `listing.list_items` gives for the same request."""
        checked = request.checked()
        return checked.answer(self.ranked_rows(), self.places, self.whole)

    def _detail(self, ranked: Ranked[StoredItem]) -> ItemDetail[StoredItem]:
        item_id = ranked.item.id
        assert item_id is not None
        read = self.store.of_item
        return detail_of(
            ranked,
            self.settings(),
            cast("list[StoredCompletion]", read("completion", item_id)),
            cast("list[StoredChange]", read("change", item_id)),
            cast("list[StoredOccurrence]", read("occurrence", item_id, "path, line, id")),
        )


def answer(
    path: Path | None, db: str | None, question: Callable[[PlainBacklog], T]
) -> tuple[T] | None:
    """`question`'s answer on the backlog of the repository at `path` (default: the cwd) in
    the store `db`, as a 1-tuple; None when the store cannot be read plainly.

    The repository and its config are found first, as `open_workspace` finds them, so their
    errors are the same; so are the question's own (an unknown ID, a bad filter).
    """
    root = find_repo_root(path if path is not None else Path.cwd())
    config = load_project_config(root)
    try:
        with plain_store(db, root) as store:
            if store is None:
                return None
            return (question(PlainBacklog(store, root, config)),)
    except sqlite3.Error:  # damaged, locked, changed shape: the store proper says what
        return None
