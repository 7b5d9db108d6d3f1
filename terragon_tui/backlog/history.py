"""What happened to a backlog: completions with their impact notes, and scan runs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from ..store.models import Completion, Item, ScanRun
from .workspace import Workspace


@dataclass(frozen=True)
class CompletionEntry:
    """A completion with the ID and title of the item it completed."""

    completion: Completion
    key: str
    title: str
    category: str


def completion_history(ws: Workspace, limit: int | None = None) -> list[CompletionEntry]:
    """Completions of this repository's items, newest first."""
    with ws.reading() as session:
        query = (
            select(Completion, Item)
            .join(Item, col(Completion.item_id) == col(Item.id))
            .where(Item.repo_id == ws.repo_id)
            .order_by(col(Completion.completed_at).desc(), col(Completion.id).desc())
        )
        if limit is not None:
            query = query.limit(limit)
        return [CompletionEntry(c, i.key, i.title, i.category) for c, i in session.exec(query)]


def scan_history(ws: Workspace, limit: int | None = None) -> list[ScanRun]:
    """Scan runs of this repository, newest first."""
    with ws.reading() as session:
        query = (
            select(ScanRun)
            .where(ScanRun.repo_id == ws.repo_id)
            .order_by(col(ScanRun.started_at).desc(), col(ScanRun.id).desc())
        )
        if limit is not None:
            query = query.limit(limit)
        return list(session.exec(query).all())
