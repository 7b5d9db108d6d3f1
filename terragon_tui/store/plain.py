"""Reading a SQLite store with the standard library alone, for the commands that only read and
answer at once (`next`, `show`, `list`): no SQLAlchemy to import, no models to build.

It reads a store only when nothing has to be done first: a SQLite file that is there, holds
this terragon's newest schema and knows the repository. Anything else is None here: another
database, a store to create, migrate or register the repository in, a foreign or damaged
file, a lock that does not clear. The command then opens the store proper, which does what is
needed or says in one line what is wrong.

Rows come back as named tuples with the models' attribute names and Python values: the
columns' declared types say which are booleans, timestamps and JSON, read as SQLAlchemy reads
them. A test holds every command that reads this way to the answer the models give.
"""

from __future__ import annotations

import json
import sqlite3
from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .location import resolve_db_url
from .rows import LEFT_OUT_OF_ROWS, MOST_BY_ID
from .schema_version import HEAD_REVISION
from .store_file import BUSY_TIMEOUT_MS


def _boolean(value: object) -> bool | None:
    return None if value is None else bool(value)


def _timestamp(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _json(value: str | None) -> Any:
    return None if value is None else json.loads(value)


#: How a column of each declared type is read: what SQLAlchemy's SQLite types do.
_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "BOOLEAN": _boolean,
    "DATETIME": _timestamp,
    "JSON": _json,
}


class PlainStore:
    """One read-only snapshot of a SQLite store, on one repository of it."""

    def __init__(self, conn: sqlite3.Connection, repo_id: int, maturity_level: str | None):
        self.conn = conn
        self.repo_id = repo_id
        #: The maturity level the repository's last scan measured, if any.
        self.maturity_level = maturity_level
        self._types: dict[str, dict[str, str]] = {}
        self._shapes: dict[tuple[str, ...], type[Any]] = {}

    def columns(self, table: str) -> dict[str, str]:
        """The columns of `table` and their declared types, in the table's order."""
        if table not in self._types:
            info = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
            self._types[table] = {row[1]: str(row[2]).upper() for row in info}
        return self._types[table]

    def read(
        self,
        table: str,
        where: str,
        params: Sequence[object],
        *,
        leave_out: frozenset[str] = frozenset(),
        extra: dict[str, str] | None = None,
    ) -> list[Any]:
        """The rows of `table` that `where` (with `params`) picks, as named tuples of every
        column but `leave_out`, and the `extra` expressions by name."""
        types = {n: t for n, t in self.columns(table).items() if n not in leave_out}
        extra = extra or {}
        names = (*types, *extra)
        if names not in self._shapes:
            self._shapes[names] = namedtuple(f"Stored{table.title()}", names)
        shape = self._shapes[names]
        reads = [_CONVERTERS.get(kind) for kind in types.values()] + [None] * len(extra)
        selected = ", ".join([*(f"{table}.{name}" for name in types), *extra.values()])
        cursor = self.conn.execute(f"SELECT {selected} FROM {table} {where}", params)
        return [
            shape(
                *(
                    value if read is None else read(value)
                    for read, value in zip(reads, row, strict=True)
                )
            )
            for row in cursor
        ]

    def item_rows(self) -> list[Any]:
        """The repository's items as light rows, by id, as `listing.load_rows` reads them:
        the scalar columns and `role`, the path role a scan gave the item."""
        return self.read(
            "item",
            "WHERE item.repo_id = ? ORDER BY item.id",
            (self.repo_id,),
            leave_out=LEFT_OUT_OF_ROWS,
            extra={"role": "JSON_EXTRACT(item.data, '$.\"role\"')"},
        )

    def items(self, ids: Sequence[int]) -> dict[int, Any]:
        """Whole items of the repository by id: those in `ids`, or all when there are many."""
        where, params = "WHERE item.repo_id = ?", [self.repo_id]
        if len(ids) <= MOST_BY_ID:
            where += f" AND item.id IN ({', '.join('?' * len(ids))})"
            params += list(ids)
        return {row.id: row for row in self.read("item", where, params)}

    def item_by_key(self, key: str) -> Any | None:
        """The repository's item with ID `key`, in any case."""
        rows = self.read(
            "item",
            "WHERE item.repo_id = ? AND upper(item.key) = ? LIMIT 1",
            (self.repo_id, key.strip().upper()),
        )
        return rows[0] if rows else None

    def of_item(self, table: str, item_id: int, order: str = "id") -> list[Any]:
        """The rows of `table` (completion, change, occurrence) that belong to one item."""
        return self.read(table, f"WHERE {table}.item_id = ? ORDER BY {order}", (item_id,))

    def place_pairs(self) -> list[tuple[int, str | None]]:
        """(item id, path) of every place of the repository's items other than the item's own
        file: what `occurrences.load_places` reads."""
        rows = self.conn.execute(
            "SELECT occurrence.item_id, occurrence.path FROM occurrence "
            "JOIN item ON item.id = occurrence.item_id "
            "WHERE item.repo_id = ? AND occurrence.path IS NOT NULL "
            "AND (item.file_path IS NULL OR item.file_path != occurrence.path)",
            (self.repo_id,),
        )
        return [(int(item_id), path) for item_id, path in rows]

    def saved_profile(self) -> Any | None:
        """The weights and boosts a user saved for the repository, if any."""
        rows = self.read("weight_profile", "WHERE weight_profile.repo_id = ?", (self.repo_id,))
        return rows[0] if rows else None


def plain_store_file(db: str | None) -> Path | None:
    """The SQLite file of the store `db` names (as `--db` does), if this module can read it:
    a plain path or `sqlite:///` URL of a file that is there. None for anything else."""
    url = resolve_db_url(db)
    prefix = "sqlite:///"
    if not url.startswith(prefix) or any(c in url for c in "?%#"):
        return None  # another database, a URI, or escapes: the store proper reads those
    path = Path(url.removeprefix(prefix))
    try:
        return path if path.is_file() and path.stat().st_size > 0 else None
    except OSError:
        return None


@contextmanager
def plain_store(db: str | None, root: Path) -> Iterator[PlainStore | None]:
    """A read-only snapshot of the store `db` on the repository at `root`, or None when it
    cannot be read plainly (see the module's doc): the caller then opens the store proper."""
    path = plain_store_file(db)
    if path is None:
        yield None
        return
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error:
        yield None
        return
    with closing(conn):
        store = _snapshot(conn, root)
        try:
            yield store
        finally:
            if store is not None:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")


def _snapshot(conn: sqlite3.Connection, root: Path) -> PlainStore | None:
    """The snapshot's store, in a read transaction begun; None if there is nothing to read."""
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("BEGIN DEFERRED")
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        if version != [(HEAD_REVISION,)]:
            conn.execute("ROLLBACK")
            return None
        repo = conn.execute(
            "SELECT id, maturity_level FROM repository WHERE path = ?", (str(root),)
        ).fetchone()
    except sqlite3.Error:
        return None
    if repo is None:
        conn.execute("ROLLBACK")
        return None
    return PlainStore(conn, int(repo[0]), repo[1])
