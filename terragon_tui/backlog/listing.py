"""The ranked backlog read from the store: list, next, show (ranking itself is in `ranked`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import func
from sqlalchemy import select as core_select  # SQLModel's takes at most four columns
from sqlmodel import Session, col, select

from ..core.errors import NotFoundError
from ..store.models import Change, Completion, Item, table_of
from ..store.rows import LEFT_OUT_OF_ROWS, MOST_BY_ID, ItemRow
from .filters import ItemFilter, ListRequest
from .occurrences import load_places, occurrences_of
from .ranked import ItemDetail, Ranked, RankedItem, detail_of, rank_items
from .scoring_settings import scoring_settings
from .weights_in_force import ScoringSettings
from .workspace import Workspace


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
    column for name, column in table_of(Item).columns.items() if name not in LEFT_OUT_OF_ROWS
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
    wanted = ItemFilter(category, status, source, rule, path, role)
    return answer_list(ws, ListRequest(wanted, text, include_closed, limit, sort))


def answer_list(ws: Workspace, request: ListRequest) -> list[RankedItem]:
    """The ranked items a list request asks for (see `list_items`)."""
    checked = request.checked()
    with ws.reading() as session:
        return checked.answer(
            _ranked_rows(ws, session, scoring_settings(ws, session)),
            lambda: load_places(session, ws.repo_id),
            lambda shown: _whole(ws, session, shown),
        )


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


def show_item(ws: Workspace, key: str) -> ItemDetail[Item]:
    """An item with its score breakdown and, once done, its completion and impact notes."""
    with ws.reading() as session:
        item = get_item(ws, session, key)
        settings = scoring_settings(ws, session)
        row = next(r for r in _ranked_rows(ws, session, settings) if r.item.id == item.id)
        return _detail(session, Ranked(item, row.score, row.rank), settings)


def next_detail(ws: Workspace) -> ItemDetail[Item] | None:
    """What `show` tells about the next best value item, or None when none is open."""
    with ws.reading() as session:
        settings = scoring_settings(ws, session)
        entry = _top(ws, session, settings)
        return _detail(session, entry, settings) if entry is not None else None


def _detail(session: Session, ranked: RankedItem, settings: ScoringSettings) -> ItemDetail[Item]:
    item_id = ranked.item.id
    assert item_id is not None
    completions = session.exec(
        select(Completion).where(Completion.item_id == item_id).order_by(col(Completion.id))
    ).all()
    changes = session.exec(
        select(Change).where(Change.item_id == item_id).order_by(col(Change.id))
    ).all()
    occurrences = occurrences_of(session, [item_id])[item_id]
    return detail_of(ranked, settings, completions, changes, occurrences)


@dataclass(frozen=True)
class StoredBacklog:
    """What `next`, `show` and `list` ask of a backlog (`plain_reads.BacklogReader`), answered
    through the workspace: for a store that cannot be read plainly."""

    ws: Workspace

    def top(self) -> RankedItem | None:
        """The open item ranked first, or None when none is open."""
        return next_item(self.ws)

    def next_detail(self) -> ItemDetail[Item] | None:
        """What `show` tells about the next best value item, or None when none is open."""
        return next_detail(self.ws)

    def show_item(self, key: str) -> ItemDetail[Item]:
        """An item with its score breakdown and history, or a NotFoundError naming it."""
        return show_item(self.ws, key)

    def list_items(self, request: ListRequest) -> list[RankedItem]:
        """The ranked items a list request asks for."""
        return answer_list(self.ws, request)


__all__ = [
    "StoredBacklog",
    "answer_list",
    "get_item",
    "list_items",
    "load_item_places",
    "load_rows",
    "next_detail",
    "next_item",
    "ranked_backlog",
    "show_item",
]
