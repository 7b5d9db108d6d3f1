"""The store's engine: SQLite pragmas and locking, PostgreSQL's write lock, NUL-free text."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, DBAPIError

from ..core.errors import StoreError
from .location import parse_store_url, shown_url, sqlite_path
from .store_file import BUSY_TIMEOUT_MS, StoreFile, foreign_reason
from .transactions import noticing_waits

if TYPE_CHECKING:
    from collections.abc import Callable

#: Execution option naming how a SQLite transaction begins (DEFERRED or IMMEDIATE).
BEGIN_OPTION = "terragon_sqlite_begin"
#: Execution option: a PostgreSQL transaction takes the store's write lock before anything else.
PG_WRITE_LOCK_OPTION = "terragon_pg_write_lock"
#: The store's write lock on PostgreSQL: one writer at a time, readers never blocked.
#: SHARE ROW EXCLUSIVE conflicts with itself and with any write to the repository table, which
#: every unit of work that writes makes (it bumps the revision), but not with reads.
PG_WRITE_LOCK = "LOCK TABLE repository IN SHARE ROW EXCLUSIVE MODE"


def _file_to_check(url: str) -> Path | None:
    """The file terragon checks, or creates owner-only, before SQLite opens it.

    Not for a `file:` URI: SQLite interprets those itself (`mode=ro`...).
    """
    path = sqlite_path(url)
    if path is None or parse_store_url(url).query.get("uri"):
        return None
    return path


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database, before SQLite touches it."""
    if path.is_dir():
        raise StoreError(f"store path {path} is a directory, not a database file")
    if path.exists() and path.stat().st_size > 0:
        from .store_file import RECOVERY_HINT, not_sqlite_reason

        reason = not_sqlite_reason(path)
        if reason is not None:
            raise StoreError(
                f"{reason}; it was left untouched: point --db elsewhere, or {RECOVERY_HINT}"
            )
        reason = foreign_reason(path)
        if reason is not None:
            raise StoreError(
                f"{reason}; it was left untouched: point --db at a terragon store or a new file"
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
    # The sqlite3 module would BEGIN only before the first write, so a unit of work's reads
    # would see other processes' commits half-way; the begin listener opens it instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _without_nul(value: object) -> object:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_nul(item) for item in value)
    return value


def _store_text_without_nul(
    _conn: Connection,
    _cursor: object,
    statement: str,
    parameters: object,
    _context: object,
    _executemany: bool,
) -> tuple[str, object]:
    """NUL becomes U+FFFD in every value stored, on every database.

    PostgreSQL cannot keep NUL in text at all, and a scanned file may hold one; doing it for
    SQLite too keeps what a store shows the same whichever database is behind it.
    """
    return statement, _without_nul(parameters)


_ENGINE_OPTIONS: dict[str, dict[str, object]] = {
    "postgresql": {"isolation_level": "SERIALIZABLE", "pool_pre_ping": True},
}


def _sqlite_begin(store: StoreFile | None) -> Callable[[Connection], None]:
    """The `begin` listener: BEGIN as the engine asks; a writer checks its file once it holds
    the lock, and says so when the lock keeps it waiting."""

    def begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        if mode == "DEFERRED":  # a reader: in WAL mode it never waits for a writer
            connection.exec_driver_sql("BEGIN DEFERRED")
            return
        with noticing_waits(str(store.path) if store else "in memory"):
            connection.exec_driver_sql(f"BEGIN {mode}")
        if store is None:
            return
        try:
            store.check_writable()
        except StoreError:
            connection.exec_driver_sql("ROLLBACK")
            raise

    return begin


def _naming_the_store(store: StoreFile) -> Callable[[Any], None]:
    """The `handle_error` listener: a file that cannot be written or opened, named in one line."""

    def on_error(context: Any) -> None:
        explained = store.explain(context.original_exception)
        if explained is not None:
            raise explained

    return on_error


def _on_postgresql_begin(connection: Connection) -> None:
    if not connection.get_execution_options().get(PG_WRITE_LOCK_OPTION):
        return
    # LOCK TABLE does not take the transaction's snapshot (nor does SET LOCAL), so the first
    # query after it sees every writer that held the lock before: SERIALIZABLE has nothing
    # left to fail on. SELECT ... FOR UPDATE or an advisory lock would take the snapshot
    # before waiting, and the writer would still lose to the one it waited for.
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
    with noticing_waits(shown_url(connection.engine.url.render_as_string(hide_password=True))):
        connection.exec_driver_sql(PG_WRITE_LOCK)


def writer(engine: Engine, *, schema_exists: bool = True) -> Engine:
    """The engine for units of work that write: they take the store's write lock up front.

    Taking it at BEGIN (rather than at the first write, after reading) is what keeps a
    read-modify-write from losing another process's update. On PostgreSQL it also keeps
    writers from failing each other under SERIALIZABLE isolation: a scan's long transaction
    would otherwise lose to every completion committed meanwhile, and be rerun until none
    came (transactions.retrying still reruns the loser of any conflict that remains).
    `schema_exists=False` is for creating the schema, before there is a table to lock.
    """
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
    if engine.dialect.name == "postgresql" and schema_exists:
        return engine.execution_options(**{PG_WRITE_LOCK_OPTION: True})
    return engine


def reader(engine: Engine) -> Engine:
    """The engine for units of work that only read: one consistent snapshot, no write lock."""
    if engine.dialect.name == "postgresql":
        # A read-only REPEATABLE READ transaction never fails to serialize.
        return engine.execution_options(isolation_level="REPEATABLE READ")
    return engine


def create_store_engine(url: str) -> Engine:
    """An engine for the store URL, with WAL and a busy timeout for SQLite files."""
    path = _file_to_check(url)
    if path is not None:
        _check_sqlite_file(path)
        existed = path.exists()
    options = _ENGINE_OPTIONS.get(parse_store_url(url).get_backend_name(), {})
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use store URL {shown_url(url)!r}: {exc}") from exc
    event.listen(engine, "before_cursor_execute", _store_text_without_nul, retval=True)
    sqlite = engine.dialect.name == "sqlite"
    if engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _on_postgresql_begin)
    if sqlite:
        event.listen(engine, "connect", _on_sqlite_connect)
    if path is not None and not existed:
        try:
            # Owner-only from the first byte; SQLite gives its -wal and -shm files the same mode.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            path.chmod(0o600)  # in case an empty file was there already
            with engine.connect():
                pass
        except (DBAPIError, OSError) as exc:
            raise StoreError(f"cannot create the store at {path}: {exc}") from exc
    if sqlite:
        file = sqlite_path(url)
        store = StoreFile(file) if file is not None else None
        event.listen(engine, "begin", _sqlite_begin(store))
        if store is not None:
            event.listen(engine, "handle_error", _naming_the_store(store))
    return engine
