"""A Workspace: the store opened on one repository, with that repository's settings."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, update
from sqlmodel import Session, select

from ..config.project import ProjectConfig, find_repo_root, load_project_config
from ..store.engine import reader, writer
from ..store.models import Repository, table_of
from ..store.opening import open_engine
from ..store.transactions import retrying

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
        """A unit of work that writes: it commits on success and rolls back on any error.

        It holds the store's write lock from the start, and bumps the repository's revision
        so that open views notice the change. Callers wrap the whole unit in
        `store.transactions.retrying`, which reruns it when another process wins.
        """
        with Session(writer(self.engine), expire_on_commit=False) as session:
            try:
                yield session
                # Core, not ORM: an ORM UPDATE would expire the objects the caller returns.
                table = table_of(Repository)
                session.connection().execute(
                    update(table)
                    .where(table.c.id == self.repo_id)
                    .values(revision=table.c.revision + 1)
                )
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit of work that only reads, from one consistent snapshot of the store."""
        # Closing ends the transaction without expiring the objects read, as rollback would.
        with Session(reader(self.engine)) as session:
            yield session

    def revision(self) -> int:
        """How many write transactions this repository's backlog has seen; cheap to poll."""
        with self.reading() as session:
            value = session.execute(
                select(Repository.revision).where(Repository.id == self.repo_id)
            ).scalar()
        return int(value or 0)

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
    return Workspace(engine=engine, root=root, repo_id=_register(engine, root), config=config)


def workspace_on(engine: Engine, root: Path) -> Workspace:
    """A workspace on the repository at `root`, sharing `engine` (a store already open).

    It is how the TUI moves to another repository of the same store without opening it again.
    """
    config = load_project_config(root)
    return Workspace(engine=engine, root=root, repo_id=_register(engine, root), config=config)


@retrying
def _register(engine: Engine, root: Path) -> int:
    """The repository's id in the store, registering it if this is the first time.

    Looked up without the write lock, so that opening the store to read never waits for
    a writer; only a repository seen for the first time takes it.
    """
    with Session(reader(engine)) as session:
        known = session.exec(select(Repository.id).where(Repository.path == str(root))).first()
    if known is not None:
        return known
    with Session(writer(engine)) as session:
        repo = session.exec(select(Repository).where(Repository.path == str(root))).first()
        if repo is None:  # another process may have registered it meanwhile
            repo = Repository(path=str(root), name=root.name or str(root))
            session.add(repo)
            session.commit()
        assert repo.id is not None
        return repo.id
