"""Which items a list or the table shows: filters by field, path glob and path role, with counts."""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from ..core.errors import UsageError
from ..core.text import printable
from ..core.vocabulary import (
    FILTER_KEYS,
    OPEN_STATUSES,
    check_category,
    check_role,
    check_sort,
    check_source,
    check_status,
)
from ..store.rows import ItemFields, ItemRow, StoredItem
from .ranked import Ranked

#: What a list shows: a whole stored item, read by `ListRequest.answer`'s caller.
WholeT = TypeVar("WholeT", bound=StoredItem)

#: Filters whose values are a fixed set of words (or the rules present): each has counts.
CHOICE_KEYS = ("category", "status", "source", "rule", "role")

PRIORITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def sort_value(item: ItemFields, key: str) -> str | float:
    """What `item` is ordered by under the sort `key` (not "score": the ranking orders that)."""
    if key == "priority":
        return PRIORITY_ORDER.get(item.priority, 9)
    value = getattr(item, key)  # a SORT_KEYS name: a text or a number field
    return value.casefold() if isinstance(value, str) else float(value)


def path_matches(glob: str, places: Iterable[str | None]) -> bool:
    """Whether any of `places` matches `glob` as `ignore`'s globs match: fnmatch, case kept,
    `*` crossing `/` so `src/**` is everything under src/."""
    return any(fnmatch.fnmatchcase(place, glob) for place in places if place)


def role_of(item: ItemFields) -> str | None:
    """The path role a scan gave the item (a row's `role` column, else its data), if any."""
    role = getattr(item, "role", None)
    if role is None and not hasattr(item, "_fields"):
        role = (getattr(item, "data", None) or {}).get("role")
    return role if isinstance(role, str) else None


@dataclass(frozen=True)
class ItemFilter:
    """The fields an item must have to be shown; None is any. `path` is a glob."""

    category: str | None = None
    status: str | None = None
    source: str | None = None
    rule: str | None = None
    path: str | None = None
    role: str | None = None

    def checked(self) -> ItemFilter:
        """The same filter in canonical words, or a UsageError naming the choices."""
        path = (self.path or "").strip() or None
        rule = (self.rule or "").strip() or None
        return ItemFilter(
            category=check_category(self.category) if self.category else None,
            status=check_status(self.status) if self.status else None,
            source=check_source(self.source) if self.source else None,
            rule=rule,
            path=path,
            role=check_role(self.role) if self.role else None,
        )

    def over(self, other: ItemFilter) -> ItemFilter:
        """This filter with every field it leaves open taken from `other` (a view's)."""
        return replace(
            other, **{f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}
        )

    def as_dict(self) -> dict[str, str]:
        """The fields in force, by name, in FILTER_KEYS order."""
        return {key: getattr(self, key) for key in FILTER_KEYS if getattr(self, key)}

    def describe(self) -> str:
        """A short line naming the fields in force, empty when none are."""
        # a rule comes from a scan and a glob from the keyboard: shown, never obeyed
        return "  ".join(
            printable(f"{key}={value}", single_line=True) for key, value in self.as_dict().items()
        )

    def matches(
        self, item: ItemFields, places: Sequence[str] = (), *, leave_out: str | None = None
    ) -> bool:
        """Whether `item` (whose other paths are `places`) passes every field but `leave_out`."""
        return all(key == leave_out for key in self.failed(item, places, most=2))

    def failed(self, item: ItemFields, places: Sequence[str] = (), *, most: int = 6) -> list[str]:
        """The fields `item` does not pass, the first `most` of them."""
        failed: list[str] = []
        for key in ("category", "status", "source", "rule", "role", "path"):
            wanted = getattr(self, key)
            if not wanted:
                continue
            if key == "path":
                passes = path_matches(wanted, (item.file_path, *places))
            else:
                passes = value_of(item, key) == wanted
            if not passes:
                failed.append(key)
                if len(failed) >= most:
                    break
        return failed


def value_of(item: ItemFields, key: str) -> str | None:
    """The value of a choice filter `key` that `item` has."""
    if key == "role":
        return role_of(item)
    value = getattr(item, key)  # category, status, source, rule: a text, or None for a rule
    return value if isinstance(value, str) else None


def choice_counts(
    items: Sequence[ItemRow],
    places: Mapping[int, Sequence[str]],
    chosen: ItemFilter,
    *,
    include_closed: bool = False,
) -> dict[str, list[tuple[str, int]]]:
    """For each choice filter, its values with how many items the other filters leave, most
    first. Closed items count only with `include_closed` or a status filter, as they show;
    status itself counts them all, so its choices say where the closed ones are."""
    counts: dict[str, Counter[str]] = {key: Counter() for key in CHOICE_KEYS}
    for item in items:
        failed = chosen.failed(item, places.get(item.id, ()), most=2)
        if len(failed) > 1:
            continue  # left out whichever filter is counted
        shown = include_closed or chosen.status or item.status in OPEN_STATUSES
        for key in failed or CHOICE_KEYS:  # failing one filter: it counts toward that one only
            if key == "path" or (key != "status" and not shown):
                continue
            value = value_of(item, key)
            if value is not None:
                counts[key][value] += 1
    return {
        key: sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))
        for key, counter in counts.items()
    }


def places_by_item(pairs: Iterable[tuple[int, str | None]]) -> dict[int, tuple[str, ...]]:
    """(item id, path) pairs of places as each item's paths, sorted, by item id."""
    places: dict[int, set[str]] = {}
    for item_id, path in pairs:
        if path is not None:  # always: the queries leave out places without a path
            places.setdefault(item_id, set()).add(path)
    return {item_id: tuple(sorted(paths)) for item_id, paths in places.items()}


def check_rule(rule: str, items: Iterable[ItemFields]) -> str:
    """`rule` as the backlog spells it (any case), or a UsageError naming the rules present."""
    counted = Counter(item.rule for item in items if item.rule)
    if rule in counted:
        return rule
    for known in counted:
        if known.casefold() == rule.casefold():
            return known
    if not counted:
        raise UsageError(f"no item has rule {rule!r}: no item in this backlog has a rule")
    ranked = [f"{name} ({count})" for name, count in counted.most_common(12)]
    more = ", …" if len(counted) > 12 else ""
    raise UsageError(f"no item has rule {rule!r}; rules here: {', '.join(ranked)}{more}")


@dataclass(frozen=True)
class ListRequest:
    """What `list` asks for: the filter, text in ID, title or description, closed items or
    not, how many, and the order (a SORT_KEYS name, `-` first for reversed; None: best first).
    """

    wanted: ItemFilter
    text: str | None = None
    include_closed: bool = False
    limit: int | None = None
    sort: str | None = None

    def checked(self) -> ListRequest:
        """The same request in canonical words, or a UsageError naming the choices."""
        if self.limit is not None and self.limit < 1:
            raise UsageError(f"limit must be at least 1, got {self.limit}")
        if self.sort:
            check_sort(self.sort)
        return replace(self, wanted=self.wanted.checked())

    def answer(
        self,
        ranked: list[Ranked[ItemRow]],
        places: Callable[[], dict[int, tuple[str, ...]]],
        whole: Callable[[list[Ranked[ItemRow]]], list[Ranked[WholeT]]],
    ) -> list[Ranked[WholeT]]:
        """The entries of the ranked light rows `ranked` this (checked) request shows, read
        whole by `whole`; `places` gives each item's places beyond its own file."""
        wanted = self.wanted
        sort_key, reverse = check_sort(self.sort) if self.sort else ("score", False)
        needle = self.text.casefold() if self.text else None
        if wanted.rule is not None:
            wanted = replace(wanted, rule=check_rule(wanted.rule, (e.item for e in ranked)))
        found = places() if wanted.path else {}
        enough = self.limit if (sort_key, reverse) == ("score", False) else None  # best first
        chosen = whole(_chosen(ranked, wanted, found, needle, self.include_closed, enough))
        if sort_key != "score":
            chosen.sort(key=lambda entry: sort_value(entry.item, sort_key))
        if reverse:
            chosen.reverse()
        return chosen[: self.limit]


def _chosen(
    ranked: list[Ranked[ItemRow]],
    wanted: ItemFilter,
    places: dict[int, tuple[str, ...]],
    needle: str | None,
    include_closed: bool,
    enough: int | None,
) -> list[Ranked[ItemRow]]:
    """The entries of `ranked` a list shows, best first, stopping at `enough`."""
    chosen: list[Ranked[ItemRow]] = []
    for entry in ranked:
        item = entry.item
        if wanted.status is None and not include_closed and item.status not in OPEN_STATUSES:
            continue
        if not wanted.matches(item, places.get(item.id or 0, ())):
            continue
        if needle is not None and not any(
            needle in value.casefold() for value in (item.key, item.title, item.description)
        ):
            continue
        chosen.append(entry)
        if enough is not None and len(chosen) >= enough:
            break
    return chosen
