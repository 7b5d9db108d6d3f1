"""Store reads off the UI thread: what each read returns, and the messages that bring it back.

The screens start these reads in thread workers (an exclusive group per kind of read, so a
newer read supersedes an older one) and apply the result when its message arrives on the UI
thread; a worker superseded meanwhile is recognised by its message and dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DBAPIError
from sqlmodel import select
from textual.message import Message

from ..backlog.occurrences import occurrence_preview, occurrences_of
from ..store.models import Completion, Item

if TYPE_CHECKING:
    from textual.worker import Worker

    from ..backlog.workspace import Workspace
    from ..store.models import Occurrence

#: What a screen shows where the store has not answered yet.
LOADING = "loading…"


def failure(exc: DBAPIError | Exception) -> str:
    """The one line a failed read shows: the driver's reason, not SQLAlchemy's wrapping."""
    return str(exc.orig if isinstance(exc, DBAPIError) else exc)


@dataclass(frozen=True)
class ItemExtras:
    """What the detail shows beyond the table's row: the whole item, its places, completions."""

    item: Item
    occurrences: list[Occurrence]
    completions: list[Completion]
    #: (places, files) of a large group when `occurrences` holds only its first places.
    totals: tuple[int, int] | None = None


def read_extras(
    ws: Workspace, item_id: int, status: str, preview: int | None = None
) -> ItemExtras | None:
    """The detail's extras for one item, or None if the item is gone from the store; with
    `preview`, only that many of its places and the totals (a group of 20,000 would take
    seconds to read on every cursor move)."""
    with ws.reading() as session:
        item = session.get(Item, item_id)
        if item is None:
            return None
        completions: list[Completion] = []
        if status == "done":
            completions = list(
                session.exec(select(Completion).where(Completion.item_id == item_id)).all()
            )
        totals = None
        if preview is not None:
            places, totals = occurrence_preview(session, item_id, preview)
        else:
            places = occurrences_of(session, [item_id])[item_id]
    return ItemExtras(item=item, occurrences=list(places), completions=completions, totals=totals)


class ReadDone(Message):
    """A read worker finished: `result` is what it read, or `error` the line to show."""

    def __init__(self, worker: Worker[Any] | None, result: Any = None, error: str = "") -> None:
        self.worker, self.result, self.error = worker, result, error
        super().__init__()


class BacklogRead(ReadDone):
    """The backlog's rows, settings and revision; `keep_key` is the row to highlight."""

    def __init__(
        self, worker: Worker[Any] | None, result: Any = None, error: str = "", keep_key: str = ""
    ) -> None:
        self.keep_key = keep_key
        super().__init__(worker, result, error)


class PlacesRead(ReadDone):
    """The paths of grouped items' places, for path filters: read after the rows, so that a
    store with 100,000 places paints its table first."""


class RevisionRead(ReadDone):
    """The repository's revision, read by the poll that notices other processes' writes."""


class ExtrasRead(ReadDone):
    """One item's detail extras (`ItemExtras`, or None when the item is gone); `key` is its ID."""

    def __init__(
        self, worker: Worker[Any] | None, result: Any = None, error: str = "", key: str = ""
    ) -> None:
        self.key = key
        super().__init__(worker, result, error)
