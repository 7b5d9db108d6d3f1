"""A Workspace: the store opened on one repository, with that repository's settings."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlmodel import Session, select

from ..config import ProjectConfig, find_repo_root, load_project_config
from ..store.engine import open_engine
from ..store.models import Repository

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass
class Workspace:
    """The store and the repository every service call works on."""

    engine: Engine
    root: Path
    repo_id: int
    config: ProjectConfig

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def repository(self, session: Session) -> Repository:
        """This workspace's repository row, in `session`."""
        repo = session.get(Repository, self.repo_id)
        assert repo is not None
        return repo

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()


def open_workspace(path: str | Path | None = None, db: str | None = None) -> Workspace:
    """Open the store at `db` on the repository containing `path` (default: the cwd).

    The repository is registered in the store the first time it is seen.
    """
    root = find_repo_root(Path(path) if path is not None else Path.cwd())
    config = load_project_config(root)
    engine = open_engine(db)
    with Session(engine) as session:
        repo = session.exec(select(Repository).where(Repository.path == str(root))).first()
        if repo is None:
            repo = Repository(path=str(root), name=root.name or str(root))
            session.add(repo)
            session.commit()
            session.refresh(repo)
        repo_id = repo.id
    assert repo_id is not None
    return Workspace(engine=engine, root=root, repo_id=repo_id, config=config)
