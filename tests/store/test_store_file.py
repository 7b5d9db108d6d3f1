"""The store's file: another application's database is left alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from terragon_tui.backlog.items import suggest_item
from terragon_tui.errors import StoreError
from terragon_tui.store.engine import open_engine

#: Every case here is about a SQLite file; PostgreSQL has no file to lose or share.
pytestmark = pytest.mark.sqlite_only


def journal_mode(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]


def another_applications_database(path: Path, *tables: str) -> bytes:
    """A rollback-journal SQLite file with `tables`, one row each; its bytes."""
    conn = sqlite3.connect(path)
    for table in tables:
        conn.execute(f"CREATE TABLE {table} (note TEXT)")
        conn.execute(f"INSERT INTO {table} VALUES ('keep me')")
    conn.commit()
    conn.close()
    return path.read_bytes()


# -- another application's database ---------------------------------------------------------


@pytest.mark.parametrize(
    "tables",
    [("notes", "contacts"), ("item",)],
    ids=["unrelated tables", "a clashing table name"],
)
def test_another_applications_database_is_refused_and_left_byte_for_byte(tmp_path, tables):
    path = tmp_path / "other.db"
    before = another_applications_database(path, *tables)
    with pytest.raises(StoreError) as refused:
        open_engine(str(path))
    message = str(refused.value)
    assert "\n" not in message
    assert str(path) in message and "not a terragon store" in message
    assert tables[0] in message  # what is in it, so the user recognises the file
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -shm
    assert journal_mode(path) == "delete"


@pytest.fixture
def store_backup(ws, tmp_path) -> Path:
    """A backup of a store with one item."""
    from terragon_tui.store.maintenance import backup_store

    suggest_item(ws, category="testing", title="Cover the parser")
    return backup_store(tmp_path / "backup.db", str(ws.engine.url)).path


def test_an_empty_sqlite_file_becomes_a_store(tmp_path):
    path = tmp_path / "empty.db"
    with sqlite3.connect(path) as conn:  # a database with a header but no table yet
        conn.execute("PRAGMA user_version = 7")
    assert path.stat().st_size > 0
    open_engine(str(path)).dispose()
    assert journal_mode(path) == "wal"


def test_a_restore_does_not_replace_another_applications_database(store_backup, tmp_path):
    from terragon_tui.store.maintenance import restore_store

    other = tmp_path / "other.db"
    before = another_applications_database(other, "notes")
    with pytest.raises(StoreError, match="not a terragon store.*not replaced"):
        restore_store(store_backup, str(other))
    assert other.read_bytes() == before
