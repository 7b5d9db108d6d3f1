"""Scoring the stored items and ranking them: list, next, show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar, cast

import numpy as np
from sqlalchemy import func
from sqlalchemy import select as core_select  # SQLModel's takes at most four columns
from sqlmodel import Session, col, select

from ..core.errors import NotFoundError, UsageError
from ..core.vocabulary import OPEN_STATUSES, check_sort
from ..scoring.breakdown import ScoreBreakdown, breakdown
from ..scoring.components import ScoreInputs
from ..scoring.lanes import decision_lane
from ..scoring.ranker import NUMBER_FIELDS, Ranker
from ..store.models import Change, Completion, Item, Occurrence, table_of
from ..store.rows import ItemFields, ItemRow, ScoredFields
from .filters import ItemFilter, check_rule, load_places, sort_value
from .occurrences import occurrences_of
from .scoring_settings import ScoringSettings, scoring_settings
from .workspace import Workspace


def inputs_for(item: ScoredFields) -> ScoreInputs:
    """The scoring inputs of a stored item (or a finding); its category also switches on its
    boost."""
    return ScoreInputs(
        estimated_hours=item.estimated_hours,
        impact=item.impact,
        confidence=item.confidence,
        ease=item.ease,
        business_value=item.business_value,
        time_criticality=item.time_criticality,
        risk_reduction=item.risk_reduction,
        debt_hours=item.debt_hours,
        debt_interest=item.debt_interest,
        security_severity=item.security_severity,
        security=item.is_security or item.category == "security",
        compliance=item.is_compliance or item.category == "compliance",
        performance=item.is_performance or item.category == "performance",
    )


def ranker_for(items: Sequence[ItemFields]) -> Ranker:
    """A Ranker over stored items (or rows with their attribute names), read column by column."""
    count = len(items)
    columns = {
        name: np.fromiter((getattr(item, name) for item in items), np.float64, count)
        for name in NUMBER_FIELDS
    }
    flags = np.array(
        [
            (
                item.is_security or item.category == "security",
                item.is_compliance or item.category == "compliance",
                item.is_performance or item.category == "performance",
            )
            for item in items
        ],
        dtype=bool,
    ).reshape(count, 3)
    return Ranker.from_columns(columns, flags)


#: What is ranked: a stored item, or a light row of one (`load_rows`).
ItemT = TypeVar("ItemT", bound=ItemFields)


@dataclass(frozen=True)
class Ranked(Generic[ItemT]):
    """An item with its composite score, its rank among open items (None if closed), its lane."""

    item: ItemT
    score: float
    rank: int | None

    @property
    def lane(self) -> str:
        """The decision lane its risk puts it in."""
        return decision_lane(self.item.risk)


#: A stored item, ranked: what lists, `show`, reports and plans read.
RankedItem = Ranked[Item]


def rank_items(items: Sequence[ItemT], settings: ScoringSettings) -> list[Ranked[ItemT]]:
    """Score `items` and order them best first; open items get ranks 1..n, closed ones None."""
    if not items:
        return []
    ranker = ranker_for(items)
    scores, order = ranker.ranked(settings.weights, settings.boosts, settings.security_from)
    ranked: list[Ranked[ItemT]] = []
    rank = 0
    for index in order:
        item = items[int(index)]
        is_open = item.status in OPEN_STATUSES
        rank += is_open
        ranked.append(Ranked(item, float(scores[index]), rank if is_open else None))
    return ranked


def ranked_backlog(
    ws: Workspace, session: Session, settings: ScoringSettings | None = None
) -> list[RankedItem]:
    """Every item of the repository, scored and ordered best first."""
    settings = settings or scoring_settings(ws, session)
    items = session.exec(
        select(Item).where(Item.repo_id == ws.repo_id).order_by(col(Item.id))
    ).all()
    return rank_items(items, settings)


#: The item columns a live view reads: every scalar field, none of the JSON ones.
ROW_COLUMNS = tuple(
    column
    for name, column in table_of(Item).columns.items()
    if name not in ("edited_fields", "data", "created_at", "updated_at")
)
#: The path role a scan gave an item, kept in its data.
ROLE_COLUMN = table_of(Item).c.data["role"].as_string().label("role")


def load_rows(ws: Workspace) -> tuple[list[ItemRow], ScoringSettings]:
    """Every item as a light read-only row (same attribute names as Item, and `role`, the
    path role a scan gave it), and the settings.

    Reading plain rows is several times faster than building ORM objects, which matters for a
    view that loads tens of thousands of items.
    """
    with ws.reading() as session:
        return _rows(ws, session), scoring_settings(ws, session)


def _rows(ws: Workspace, session: Session) -> list[ItemRow]:
    rows = session.execute(
        core_select(*ROW_COLUMNS, ROLE_COLUMN)
        .where(col(Item.repo_id) == ws.repo_id)
        .order_by(col(Item.id))
    ).all()
    # a Row reads its columns by name, which are ItemRow's (ROW_COLUMNS and `role`)
    return cast("list[ItemRow]", list(rows))


def _ranked_rows(
    ws: Workspace, session: Session, settings: ScoringSettings
) -> list[Ranked[ItemRow]]:
    """Every item of the repository as a light row, scored and ordered best first: ranking
    needs only the scalar columns, and building an ORM object for every item would cost more
    than the ranking itself."""
    return rank_items(_rows(ws, session), settings)


#: Above this many entries, the repository's items are read whole in one query rather than
#: by id (which would also need more bound parameters than SQLite takes in one statement).
MOST_BY_ID = 500


def _whole(ws: Workspace, session: Session, entries: list[Ranked[ItemRow]]) -> list[RankedItem]:
    """`entries` with each row replaced by its stored Item, in the same order."""
    ids = [entry.item.id for entry in entries]
    query = select(Item).where(Item.repo_id == ws.repo_id)
    if len(ids) <= MOST_BY_ID:
        query = query.where(col(Item.id).in_(ids))
    items = {item.id: item for item in session.exec(query).all()}
    return [Ranked(items[entry.item.id], entry.score, entry.rank) for entry in entries]


def load_item_places(ws: Workspace) -> dict[int, tuple[str, ...]]:
    """The paths of every grouped item's places beyond its own file, by item id."""
    with ws.reading() as session:
        return load_places(session, ws.repo_id)


def list_items(
    ws: Workspace,
    *,
    category: str | None = None,
    status: str | None = None,
    source: str | None = None,
    text: str | None = None,
    include_closed: bool = False,
    limit: int | None = None,
    rule: str | None = None,
    path: str | None = None,
    role: str | None = None,
    sort: str | None = None,
) -> list[RankedItem]:
    """Ranked items, open ones only unless `status` or `include_closed` says otherwise, of
    every given kind: category, status, source, rule, a place matching the glob `path`, and
    path role; best first, or by `sort` (a SORT_KEYS name, `-` first for reversed). A value
    that names nothing is a UsageError naming the choices."""
    if limit is not None and limit < 1:
        raise UsageError(f"limit must be at least 1, got {limit}")
    wanted = ItemFilter(category, status, source, rule, path, role).checked()
    sort_key, reverse = check_sort(sort) if sort else ("score", False)
    needle = text.casefold() if text else None
    with ws.reading() as session:
        ranked = _ranked_rows(ws, session, scoring_settings(ws, session))
        if wanted.rule is not None:
            wanted = replace(wanted, rule=check_rule(wanted.rule, (e.item for e in ranked)))
        places = load_places(session, ws.repo_id) if wanted.path else {}
        enough = limit if (sort_key, reverse) == ("score", False) else None  # best first
        shown = _chosen(ranked, wanted, places, needle, include_closed, enough)
        chosen = _whole(ws, session, shown)
    if sort_key != "score":
        chosen.sort(key=lambda entry: sort_value(entry.item, sort_key))
    if reverse:
        chosen.reverse()
    return chosen[:limit]


def _chosen(
    ranked: list[Ranked[ItemRow]],
    wanted: ItemFilter,
    places: dict[int, tuple[str, ...]],
    needle: str | None,
    include_closed: bool,
    enough: int | None,
) -> list[Ranked[ItemRow]]:
    """The entries of `ranked` that `list_items` shows, best first, stopping at `enough`."""
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


def next_item(ws: Workspace) -> RankedItem | None:
    """The next best value item: the open item with the highest composite score."""
    with ws.reading() as session:
        return _top(ws, session, scoring_settings(ws, session))


def _top(ws: Workspace, session: Session, settings: ScoringSettings) -> RankedItem | None:
    """The open item ranked first, read whole, or None when none is open."""
    top = next((r for r in _ranked_rows(ws, session, settings) if r.rank == 1), None)
    return _whole(ws, session, [top])[0] if top is not None else None


def get_item(ws: Workspace, session: Session, key: str) -> Item:
    """The item with ID `key` (any case), or a NotFoundError naming it."""
    wanted = key.strip().upper()
    item = session.exec(
        select(Item).where(Item.repo_id == ws.repo_id, func.upper(Item.key) == wanted)
    ).first()
    if item is None:
        raise NotFoundError(f"no item {key!r} in the backlog of {ws.root}")
    return item


@dataclass(frozen=True)
class ItemDetail:
    """Everything `show` tells about an item: rank, score breakdown, completions, history."""

    ranked: RankedItem
    breakdown: ScoreBreakdown
    settings: ScoringSettings
    completions: list[Completion] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)


def show_item(ws: Workspace, key: str) -> ItemDetail:
    """An item with its score breakdown and, once done, its completion and impact notes."""
    with ws.reading() as session:
        item = get_item(ws, session, key)
        settings = scoring_settings(ws, session)
        row = next(r for r in _ranked_rows(ws, session, settings) if r.item.id == item.id)
        return _detail(session, Ranked(item, row.score, row.rank), settings)


def next_detail(ws: Workspace) -> ItemDetail | None:
    """What `show` tells about the next best value item, or None when none is open."""
    with ws.reading() as session:
        settings = scoring_settings(ws, session)
        entry = _top(ws, session, settings)
        return _detail(session, entry, settings) if entry is not None else None


def _detail(session: Session, ranked: RankedItem, settings: ScoringSettings) -> ItemDetail:
    item = ranked.item
    assert item.id is not None
    completions = session.exec(
        select(Completion).where(Completion.item_id == item.id).order_by(col(Completion.id))
    ).all()
    changes = session.exec(
        select(Change).where(Change.item_id == item.id).order_by(col(Change.id))
    ).all()
    return ItemDetail(
        ranked=ranked,
        breakdown=breakdown(
            inputs_for(item), settings.weights, settings.boosts, settings.security_from
        ),
        settings=settings,
        completions=list(completions),
        changes=list(changes),
        occurrences=occurrences_of(session, [item.id])[item.id],
    )


__all__ = [
    "ItemDetail",
    "Ranked",
    "RankedItem",
    "get_item",
    "inputs_for",
    "list_items",
    "load_item_places",
    "load_rows",
    "next_detail",
    "next_item",
    "rank_items",
    "ranked_backlog",
    "ranker_for",
    "show_item",
]
