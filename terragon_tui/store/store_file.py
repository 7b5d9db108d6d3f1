"""The SQLite file behind a store: refusing another application's, and noticing one that
vanished, was replaced or turned read-only before a write is lost in it."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from ..errors import StoreError

#: Tables every terragon schema has; with `alembic_version`, what makes a file terragon's.
TERRAGON_TABLES = frozenset({"alembic_version", "repository", "item"})
#: SQLite's primary result codes for "cannot write here" and "cannot open the file".
_SQLITE_READONLY, _SQLITE_CANTOPEN = 8, 14
NOTHING_WRITTEN = "nothing was written"


def foreign_reason(path: Path) -> str | None:
    """Why the SQLite database `path` belongs to another application; None if it is terragon's.

    A database with no table yet is terragon's to fill. Asked through a read-only SQLite
    connection, so nothing (not even the journal mode) changes in a file that is refused.
    """
    from .maintenance import connect_read_only

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
