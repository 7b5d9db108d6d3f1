"""The SQLite file behind a store: refusing another application's, and noticing one that
vanished, was replaced or turned read-only before a write is lost in it."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..core.errors import StoreError
from .location import sqlite_path

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Tables every terragon schema has; with `alembic_version`, what makes a file terragon's.
TERRAGON_TABLES = frozenset({"alembic_version", "repository", "item"})
#: SQLite's primary result codes for "cannot write here" and "cannot open the file".
_SQLITE_READONLY, _SQLITE_CANTOPEN = 8, 14
NOTHING_WRITTEN = "nothing was written"
#: How long a writer waits for another process's lock before SQLite gives up (ms).
BUSY_TIMEOUT_MS = 10_000


def foreign_reason(path: Path) -> str | None:
    """Why the SQLite database `path` belongs to another application; None if it is terragon's.

    A database with no table yet is terragon's to fill. Asked through a read-only SQLite
    connection, so nothing (not even the journal mode) changes in a file that is refused.
    """
    quiet = not Path(f"{path}-wal").exists()  # no process has it open: leave no -shm behind
    try:
        with closing(connect_read_only(path, immutable=quiet)) as conn:
            rows = conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            )
            tables = [row[0] for row in rows]
    except sqlite3.DatabaseError:
        return None  # damaged: the damage checks name it, with the way back
    if not tables or set(tables) >= TERRAGON_TABLES or tables == ["alembic_version"]:
        return None
    theirs = [name for name in tables if name not in TERRAGON_TABLES] or tables
    shown = ", ".join(name[:40] for name in theirs[:3])
    more = f" and {len(theirs) - 3} more" if len(theirs) > 3 else ""
    return (
        f"{path} is not a terragon store: it is another application's SQLite database "
        f"(tables {shown}{more})"
    )


def read_only_reason(path: Path) -> str | None:
    """What keeps this process from writing to the store file `path`; None if nothing does."""
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists() and not os.access(file, os.W_OK):
            what = "the file" if file == path else f"{file.name} beside it"
            return f"{what} is read-only (mode {file.stat().st_mode & 0o777:04o})"
    if not os.access(path.parent, os.W_OK | os.X_OK) and not Path(f"{path}-wal").exists():
        return f"its directory {path.parent} is read-only"
    return None


def read_only_error(path: Path, reason: str) -> StoreError:
    return StoreError(
        f"cannot write to the store {path}: {reason}; {NOTHING_WRITTEN}: make it writable "
        "or point --db at another store"
    )


def gone_error(path: Path) -> StoreError:
    return StoreError(
        f"the store {path} is gone (its file or directory was removed while terragon had it "
        f"open); {NOTHING_WRITTEN}: restore a backup with `terragon restore FILE`"
    )


class StoreFile:
    """The file an engine opened, remembered so that a write notices it vanish or change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.identity = self._identity()

    def _identity(self) -> tuple[int, int] | None:
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        return info.st_dev, info.st_ino

    def check_writable(self) -> None:
        """Refuse a write the file would lose: it vanished, was replaced, or is read-only.

        SQLite goes on writing into a file whose name was removed (its descriptor still
        works), so without this the write would succeed into a file no one can open again.
        """
        identity = self._identity()
        if identity is None:
            raise gone_error(self.path)
        if self.identity is None:  # created after the engine: it is the store from now on
            self.identity = identity
        elif identity != self.identity:
            raise StoreError(
                f"the store {self.path} was replaced by another file while terragon had it "
                f"open; {NOTHING_WRITTEN}: run the command again (restart the TUI)"
            )
        reason = read_only_reason(self.path)
        if reason is not None:
            raise read_only_error(self.path, reason)

    def explain(self, exc: BaseException) -> StoreError | None:
        """The one-line error for a driver error that means the file cannot be written or
        opened any more; None for any other error."""
        orig: Any = getattr(exc, "orig", None) or exc
        code = getattr(orig, "sqlite_errorcode", None)
        if code is None or code & 0xFF not in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
            return None
        if not self.path.exists():
            return gone_error(self.path)
        reason = read_only_reason(self.path)
        if reason is not None:
            return read_only_error(self.path, reason)
        verb = "write to" if code & 0xFF == _SQLITE_READONLY else "open"
        return StoreError(f"cannot {verb} the store {self.path}: {orig}; {NOTHING_WRITTEN}")


RECOVERY_HINT = "run `terragon doctor`; restore a backup with `terragon restore FILE`"


#: SQLite's primary result codes for a damaged file: SQLITE_CORRUPT, SQLITE_NOTADB.
_DAMAGE_CODES = frozenset({11, 26})


def is_damage(exc: BaseException) -> bool:
    """Whether a driver error says the SQLite file itself is damaged (not busy, not missing)."""
    exc = getattr(exc, "orig", None) or exc
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE_CODES
    message = str(exc)
    return "file is not a database" in message or "disk image is malformed" in message


def damaged_store_error(path: Path | str, exc: BaseException) -> StoreError:
    """The one-line error for a damaged store file, with what to do about it."""
    reason = getattr(exc, "orig", None) or exc
    return StoreError(
        f"the store {path} is damaged ({reason}); it was left as it is: {RECOVERY_HINT}"
    )


def report_damage(engine: Engine) -> None:
    """Make every statement that meets a damaged SQLite file raise a StoreError naming it."""
    from sqlalchemy import event  # the rest of the module is on `store.plain`'s way, without it

    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        return

    def on_error(context: Any) -> None:
        if is_damage(context.original_exception):
            raise damaged_store_error(path, context.original_exception)

    event.listen(engine, "handle_error", on_error)


def connect_read_only(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    """A connection to the SQLite file `path` that cannot write to it.

    With `immutable`, SQLite also takes no locks and creates no -wal or -shm files: only for
    a file no process has open.
    """
    # mode=ro: SQLite itself refuses to write, so nothing done here can change the store.
    mode = "ro&immutable=1" if immutable else "ro"
    conn = sqlite3.connect(
        f"file:{quote(str(path))}?mode={mode}", uri=True, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def connect_quietly(path: Path) -> sqlite3.Connection:
    """A read-only connection that leaves no -wal or -shm behind when there is none yet.

    A WAL store has a -wal file for as long as any connection has it open; without one,
    no process (this one included) holds a lock an immutable connection could disturb.
    """
    return connect_read_only(path, immutable=not Path(f"{path}-wal").exists())


def not_sqlite_reason(path: Path) -> str | None:
    """Why `path` cannot be an SQLite store; None if SQLite takes it for a database.

    SQLite itself is asked rather than the header read with open(): closing any descriptor
    on the file would drop every POSIX lock this process's connections hold on it.
    """
    if not path.exists():
        return f"{path} does not exist"
    if not path.is_file():
        return f"{path} is not a file"
    try:
        with closing(connect_quietly(path)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            return f"{path} is not a terragon store (not an SQLite database)"
        if not is_damage(exc):  # unreadable (permissions...) rather than damaged
            return f"cannot read {path}: {exc}"
    return None
