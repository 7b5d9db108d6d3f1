"""Applying the Alembic migrations shipped in the package, and refusing newer schemas."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from ..core.errors import StoreError
from .engine import writer
from .schema_version import HEAD_REVISION
from .transactions import retrying

if TYPE_CHECKING:
    from collections.abc import Callable

    from alembic.config import Config


@cache
def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "terragon_tui.store:migrations")
    return config


@cache
def known_revisions() -> tuple[str, frozenset[str]]:
    """This terragon's newest schema revision, and every revision it can upgrade from."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    head = script.get_current_head()
    assert head is not None
    return head, frozenset(rev.revision for rev in script.walk_revisions())


def head_revision() -> str:
    """The newest schema revision this version of terragon knows."""
    return known_revisions()[0]


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the store, or None for an empty store."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _recorded_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no table yet: a new store
        return None


@retrying
def upgrade_to_head(engine: Engine) -> None:
    """Bring the store's schema to the newest revision; refuse one from a newer terragon."""
    if _recorded_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    current = current_revision(engine)
    head, known = known_revisions()
    if current == head:
        return
    if current is not None and current not in known:
        raise StoreError(
            f"the store's schema ({current}) is newer than this terragon knows; "
            "upgrade terragon to open it (the store was left untouched)"
        )
    migrate(engine, command.upgrade, "head")


def migrate(engine: Engine, step: Callable[[Config, str], None], target: str) -> None:
    """Run an Alembic command (upgrade, downgrade) to `target` in one transaction.

    It takes the write lock up front, so two processes opening a new store migrate it once.
    On SQLite, foreign keys are off meanwhile: a migration that rebuilds a table (SQLite's
    only way to change most things) drops it, which referencing rows would otherwise
    refuse; the keys are checked before the transaction commits.
    """
    # A new store has no table to lock yet (PostgreSQL); a SQLite file always has its lock.
    schema_exists = _recorded_revision(engine) is not None
    with writer(engine, schema_exists=schema_exists).connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        raw = connection.connection.driver_connection
        assert raw is not None  # a checked-out connection always holds its driver's
        if sqlite:  # outside any transaction, or SQLite ignores it
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                config = _config()
                config.attributes["connection"] = connection
                try:
                    step(config, target)
                finally:
                    config.attributes.pop("connection", None)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise StoreError(
                        "a migration left rows pointing at missing ones; nothing was changed"
                    )
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys = ON")
