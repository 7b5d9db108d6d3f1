"""The TUI's view of the backlog: items in memory, re-ranked on every weight change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any, cast

import numpy as np

from ..backlog.filters import ItemFilter, sort_value
from ..backlog.ranked import ranker_for
from ..core.text import printable
from ..core.vocabulary import OPEN_STATUSES
from ..scoring.lanes import decision_lane
from ..scoring.ranker import Ranker
from ..scoring.scale import MEDIUM
from ..scoring.weights import Boosts, Weights
from ..store.rows import ItemRow


@dataclass
class Filters:
    """What the table shows: free text, the item filters (category, status, source, rule, path
    glob, path role), and closed items or not."""

    text: str = ""
    category: str | None = None
    status: str | None = None
    source: str | None = None
    rule: str | None = None
    path: str | None = None
    role: str | None = None
    show_closed: bool = False

    @property
    def items(self) -> ItemFilter:
        """The item filters in force, without the text and the closed toggle."""
        return ItemFilter(self.category, self.status, self.source, self.rule, self.path, self.role)

    def set_items(self, chosen: ItemFilter) -> None:
        """Put every item filter to `chosen`'s (the text and the closed toggle stay)."""
        for key, value in vars(chosen).items():
            setattr(self, key, value)

    def describe(self) -> str:
        """A short line naming the active filters, empty when none are."""
        parts = [
            printable(f"/{self.text}", single_line=True) if self.text else "",
            self.items.describe(),
            "showing closed" if self.show_closed else "",
        ]
        return "  ".join(part for part in parts if part)


@dataclass
class BacklogModel:
    """Items, their scores under the current weights, and the order the table shows them in.

    Scores come from the pure Ranker, so re-weighting 50,000 items is a vector operation; the
    table reads rows by position and never holds a widget per item.
    """

    items: list[ItemRow] = field(default_factory=list)
    weights: Weights | None = None
    boosts: Boosts | None = None
    security_from: float = MEDIUM
    filters: Filters = field(default_factory=Filters)
    #: The paths of each item's occurrences, by item id: a path glob matches any of them.
    places: Mapping[int, Sequence[str]] = field(default_factory=dict)
    sort_key: str = "score"
    sort_reverse: bool = False
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    ranks: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    moves: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    visible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    baseline: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: The widest text of each column of `cells`, over every item (the table sizes by it).
    widths: tuple[int, ...] = ()
    _ranker: Ranker | None = None
    _index_of_key: dict[str, int] = field(default_factory=dict)
    _open: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    _place: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # in order
    _text_widths: tuple[int, ...] = (0,) * 8
    #: IDs of the marked items: by ID, so marks outlive re-ranks, searches, filters, reloads.
    _marked: set[str] = field(default_factory=set)
    _marked_mask: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: Each item's occurrence count, by index in `items` (0 for an item that is not a group).
    _counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def load(
        self,
        items: Sequence[ItemRow],
        weights: Weights,
        boosts: Boosts,
        security_from: float = MEDIUM,
        places: Mapping[int, Sequence[str]] | None = None,
        counts: Mapping[int, int] | None = None,
    ) -> None:
        """Take a fresh list of items (after a scan or an edit), the paths of their
        occurrences and the occurrence counts of grouped items by item id (others have none);
        moves are reset."""
        self.security_from = security_from
        self.places = places or {}
        self.items = list(items)
        counts = counts or {}
        self._counts = np.fromiter(
            (counts.get(item.id, 0) for item in self.items), dtype=np.int64, count=len(self.items)
        )
        self._index_of_key = {item.key: index for index, item in enumerate(self.items)}
        self._marked &= self._index_of_key.keys()  # an item gone from the store is unmarked
        self._marked_mask = np.zeros(len(self.items), dtype=bool)
        self._marked_mask[[self._index_of_key[key] for key in self._marked]] = True
        self._ranker = ranker_for(self.items)
        self._open = np.fromiter(
            (i.status in OPEN_STATUSES for i in self.items), dtype=bool, count=len(self.items)
        )
        self.ranks = np.zeros(len(self.items), dtype=np.int64)
        self.weights, self.boosts = weights, boosts
        self._text_widths = _text_widths(self.items)
        if counts:  # the title column also holds the widest count
            key, title, *rest = self._text_widths
            self._text_widths = (key, title + len(count_label(max(counts.values()))), *rest)
        self._score(track_moves=False)
        self.set_baseline()
        self.apply_view()

    def set_baseline(self) -> None:
        """Moves are counted from the ranks as they are now."""
        self.baseline = self.ranks.copy()
        self.moves = np.zeros(len(self.items), dtype=np.int64)
        self._measure()

    def reweight(self, weights: Weights, boosts: Boosts) -> None:
        """Re-score under new weights; moves count places gained since the baseline."""
        self.weights, self.boosts = weights, boosts
        self._score(track_moves=True)
        self.apply_view()

    def _score(self, *, track_moves: bool) -> None:
        assert self._ranker is not None and self.weights is not None and self.boosts is not None
        if not len(self.items):
            self.scores, self._place = np.zeros(0), np.zeros(0, dtype=np.int64)
            self._measure()
            return
        self.scores, order = self._ranker.ranked(self.weights, self.boosts, self.security_from)
        self._place = np.empty(len(order), dtype=np.int64)
        self._place[order] = np.arange(len(order))
        open_order = order[self._open[order]]
        ranks = np.zeros(len(self.items), dtype=np.int64)
        ranks[open_order] = np.arange(1, len(open_order) + 1)
        if track_moves and len(self.baseline) == len(ranks):
            had_rank = self.baseline > 0
            self.moves = np.where(had_rank & (ranks > 0), self.baseline - ranks, 0)
        self.ranks = ranks
        self._measure()

    def _measure(self) -> None:
        """Widths of the columns that change with the weights: rank, move, score."""
        if not len(self.items):
            self.widths = (0,) * 11
            return
        rank = len(str(int(self.ranks.max()))) if self.ranks.any() else 1
        moved = int(np.abs(self.moves).max()) if len(self.moves) else 0
        score = max(len(f"{self.scores.max():.1f}"), len(f"{self.scores.min():.1f}"))
        key, title, *rest = self._text_widths
        self.widths = (rank, 1 + len(str(moved)) if moved else 0, key, title, score, *rest)

    def apply_view(self) -> None:
        """Recompute which items are visible, in the current sort order."""
        if not len(self.items):
            self.visible = np.zeros(0, dtype=np.int64)
            return
        chosen = self._matching()
        if self.sort_key == "score":
            chosen = chosen[np.argsort(self._place[chosen], kind="stable")]
        else:
            keyed = sorted(chosen.tolist(), key=self._sort_value)
            chosen = np.asarray(keyed, dtype=np.int64)
        chosen = chosen[::-1] if self.sort_reverse else chosen
        # closed items (shown with `t`) come after the open ones, each in the sort's order
        opened = self._open[chosen]
        self.visible = np.concatenate([chosen[opened], chosen[~opened]])

    def _sort_value(self, index: int) -> str | float:
        return sort_value(self.items[index], self.sort_key)

    def _matching(self) -> np.ndarray:
        f = self.filters
        mask = (
            self._open.copy()
            if not (f.show_closed or f.status)
            else np.ones(len(self.items), dtype=bool)
        )
        chosen = f.items
        if chosen.as_dict() or f.text:
            needle = f.text.casefold()
            for index, item in enumerate(self.items):
                if not mask[index]:
                    continue
                mask[index] = chosen.matches(item, self.places.get(item.id, ())) and (
                    not needle
                    or needle in item.key.casefold()
                    or needle in item.title.casefold()
                    or needle in item.description.casefold()
                )
        return np.flatnonzero(mask)

    @property
    def showing_closed(self) -> bool:
        """Whether closed items may be shown (`t`, or a status filter): then Status shows."""
        return bool(self.filters.show_closed or self.filters.status)

    def __len__(self) -> int:
        return len(self.visible)

    def index_at(self, position: int) -> int | None:
        """The index in `items` of the row shown at a table position, if any."""
        if 0 <= position < len(self.visible):
            return int(self.visible[position])
        return None

    def item_at(self, position: int) -> ItemRow | None:
        """The item shown at a table position, if any."""
        index = self.index_at(position)
        return None if index is None else self.items[index]

    def position_of(self, key: str) -> int | None:
        """Where the item with ID `key` is shown, if it is."""
        index = self._index_of_key.get(key)
        if index is None:
            return None
        found = np.flatnonzero(self.visible == index)
        return int(found[0]) if len(found) else None

    @property
    def marked(self) -> AbstractSet[str]:
        """The IDs of the marked items (change them with the mark methods)."""
        return self._marked

    def is_marked(self, position: int) -> bool:
        """Whether the row shown at `position` is marked."""
        return bool(self._marked_mask[int(self.visible[position])])

    def toggle_mark(self, position: int) -> bool:
        """Mark the row at `position`, or unmark it if it was; whether it is marked now."""
        index = int(self.visible[position])
        key = self.items[index].key
        self._marked ^= {key}
        self._marked_mask[index] = key in self._marked
        return key in self._marked

    def mark(self, keys: Iterable[str]) -> None:
        """Mark the items with these IDs (those in the backlog)."""
        found = [key for key in keys if key in self._index_of_key]
        self._marked.update(found)
        self._marked_mask[[self._index_of_key[key] for key in found]] = True

    def unmark(self, keys: Iterable[str]) -> None:
        """Unmark the items with these IDs."""
        found = [key for key in keys if key in self._marked]
        self._marked.difference_update(found)
        self._marked_mask[[self._index_of_key[key] for key in found]] = False

    def clear_marks(self) -> None:
        """Unmark everything."""
        self._marked.clear()
        self._marked_mask[:] = False

    def mark_shown(self) -> int:
        """Mark every row shown (after a search or a filter); how many were not marked yet."""
        new = self.visible[~self._marked_mask[self.visible]]
        self._marked.update(self.items[index].key for index in new.tolist())
        self._marked_mask[new] = True
        return len(new)

    def marked_items(self) -> list[ItemRow]:
        """The marked items, best ranked first."""
        chosen = np.flatnonzero(self._marked_mask)
        chosen = chosen[np.argsort(self._place[chosen], kind="stable")]
        return [self.items[index] for index in chosen.tolist()]

    def marked_hidden(self) -> int:
        """How many marked items the current search and filters do not show."""
        return len(self._marked) - int(self._marked_mask[self.visible].sum())

    def count_at(self, position: int) -> int:
        """How many occurrences the grouped item at `position` has; 0 for a single item."""
        return int(self._counts[int(self.visible[position])])

    def cells(self, position: int) -> tuple[str, ...]:
        """The text of each column for the row at `position`, made safe for a terminal."""
        index = int(self.visible[position])
        item = self.items[index]
        rank = int(self.ranks[index])
        return (
            str(rank) if rank else "–",
            _moved(int(self.moves[index])),
            printable(item.key, single_line=True),
            printable(item.title, single_line=True),
            f"{self.scores[index]:.1f}",
            item.category,
            item.priority,
            f"{item.estimated_hours:g}",
            f"{item.impact:g}",
            decision_lane(item.risk),
            item.status,
        )


def _text_widths(items: Sequence[ItemRow]) -> tuple[int, ...]:
    """The widest ID, title, category, priority, estimate, impact, lane and status.

    Lengths, not terminal cells, and before `printable`: close enough to size columns by,
    and quick over 50,000 items (a few milliseconds).
    """
    if not items:
        return (0,) * 8

    def widest(values: Iterable[str]) -> int:
        return max(map(len, values), default=0)

    def numbers(name: str) -> int:
        return widest(f"{value:g}" for value in np.unique(_column(items, name)))

    risk = np.asarray(_column(items, "risk"), dtype=np.float64)
    # lanes run auto-apply < auto-pr < manual-review (NaN too) with risk, so the lowest
    # and the highest risk between them hold the widest lane present
    lanes = {decision_lane(float(np.min(risk))), decision_lane(float(np.max(risk)))}
    return (
        widest(_column(items, "key")),
        widest(_column(items, "title")),
        widest(set(_column(items, "category"))),
        widest(set(_column(items, "priority"))),
        numbers("estimated_hours"),
        numbers("impact"),
        widest(lanes),
        widest(set(_column(items, "status"))),
    )


def _column(items: Sequence[ItemRow], name: str) -> list[Any]:
    """One attribute of every item; by position for the store's rows, which is much quicker."""
    fields = getattr(items[0], "_fields", None)
    if fields is not None:  # a Row is a tuple of its columns
        rows = cast("Sequence[tuple[Any, ...]]", items)
        return list(map(itemgetter(fields.index(name)), rows))
    return list(map(attrgetter(name), items))


def count_label(count: int) -> str:
    """What follows a grouped item's title in the table: how many places it stands for."""
    return f" ×{count:,}"


def _moved(delta: int) -> str:
    if delta > 0:
        return f"▲{delta}"
    if delta < 0:
        return f"▼{-delta}"
    return ""
