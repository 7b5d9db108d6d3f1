"""The repositories one store holds: each with its open items, top item and last scan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from ..config.project import ProjectConfig, load_project_config
from ..core.errors import ConfigError
from ..core.vocabulary import OPEN_STATUSES
from ..store.engine import reader
from ..store.models import Item, Repository, stored_id
from .listing import next_item
from .ranked import RankedItem
from .workspace import Workspace


@dataclass(frozen=True)
class RepositorySummary:
    """One repository of the store, as `terragon repos` lists it."""

    id: int
    name: str
    path: str
    #: False when the path is no longer a directory (moved or deleted since its last scan).
    exists: bool
    open_items: int
    #: The open item `terragon next` would give there, None if it has none or cannot be scored.
    top: RankedItem | None
    last_scan_at: datetime | None
    #: Why its items could not be scored (its config or saved weights are broken), else None.
    problem: str | None = None


def list_repositories(engine: Engine) -> list[RepositorySummary]:
    """Every repository the store holds, by path, scored as `terragon next` scores it there."""
    with Session(reader(engine)) as session:
        repos = session.exec(select(Repository).order_by(col(Repository.path))).all()
        counts: dict[int, int] = dict(
            session.execute(
                select(Item.repo_id, func.count())
                .where(col(Item.status).in_(OPEN_STATUSES))
                .group_by(col(Item.repo_id))
            ).all()
        )
    return [_summary(engine, repo, int(counts.get(stored_id(repo), 0))) for repo in repos]


def _summary(engine: Engine, repo: Repository, open_items: int) -> RepositorySummary:
    assert repo.id is not None
    root = Path(repo.path)
    exists = root.is_dir()
    top, problem = None, None
    try:
        # A vanished repository has no config left to read: its items score with the defaults
        # and its saved weights, which is all the store still knows.
        config = load_project_config(root) if exists else ProjectConfig()
        if open_items:
            top = next_item(Workspace(engine=engine, root=root, repo_id=repo.id, config=config))
    except ConfigError as exc:
        problem = str(exc)
    return RepositorySummary(
        id=repo.id,
        name=repo.name,
        path=repo.path,
        exists=exists,
        open_items=open_items,
        top=top,
        last_scan_at=repo.last_scan_at,
        problem=problem,
    )
