"""The SQLite file behind a store: telling another application's database from terragon's."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

#: Tables every terragon schema has; with `alembic_version`, what makes a file terragon's.
TERRAGON_TABLES = frozenset({"alembic_version", "repository", "item"})


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
