"""Opening the store: where it lives, SQLite pragmas, and migrations applied on open."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from ..errors import StoreError

#: How long a writer waits for another process's lock before SQLite gives up (ms).
BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def default_db_path() -> Path:
    """The store's default file, under the platform's user data directory."""
    from platformdirs import user_data_path

    return user_data_path("terragon-tui", appauthor=False) / "terragon.db"


def resolve_db_url(explicit: str | None = None) -> str:
    """The store URL from `--db`, else `TERRAGON_DB`, else the default file.

    A bare path is taken as a SQLite file; anything with `://` as an SQLAlchemy URL.
    """
    value = explicit or os.environ.get("TERRAGON_DB") or str(default_db_path())
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    return value


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("uri"):  # a `file:...?mode=ro` URI: SQLite itself interprets it
        return None
    return Path(parsed.database)


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database, before SQLite touches it."""
    if path.is_dir():
        raise StoreError(f"store path {path} is a directory, not a database file")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
        if head != SQLITE_MAGIC:
            raise StoreError(
                f"{path} is not a terragon store (not an SQLite database); "
                "it was left untouched: point --db elsewhere or restore a backup"
            )
        return
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(f"cannot create the store's directory {parent}: {exc.strerror}") from exc
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError(f"cannot create the store at {path}: {parent} is read-only")


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    """An engine for the store URL, with WAL and a busy timeout for SQLite files."""
    path = _sqlite_file(url)
    if path is not None:
        _check_sqlite_file(path)
        existed = path.exists()
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use store URL {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
    if path is not None and not existed:
        try:
            with engine.connect():
                pass
            path.chmod(0o600)
        except (DBAPIError, OSError) as exc:
            raise StoreError(f"cannot create the store at {path}: {exc}") from exc
    return engine


def open_engine(url: str | None = None) -> Engine:
    """Open (creating if needed) the store at `url` and bring its schema up to date."""
    from .migrations_runner import upgrade_to_head

    engine = create_store_engine(resolve_db_url(url))
    try:
        upgrade_to_head(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store: {exc.orig}") from exc
    return engine
