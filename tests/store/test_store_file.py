"""The store's file: another application's database is left alone, readers never wait for a
writer, and a file that vanished or turned read-only fails the write instead of losing it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from terragon_tui.backlog.items import defer_item, suggest_item
from terragon_tui.backlog.listing import list_items
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.core import waiting
from terragon_tui.core.errors import StoreError
from terragon_tui.store import transactions
from terragon_tui.store.opening import open_engine

from ..backlog.faults import hold_write_lock

#: Every case here is about a SQLite file; PostgreSQL has no file to lose or share.
pytestmark = pytest.mark.sqlite_only

ROOT = os.geteuid() == 0


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


# -- readers and the write lock -------------------------------------------------------------


@pytest.fixture
def registered(repo, db_url):
    """The demo repository, registered in a store that has one item."""
    ws = open_workspace(repo, db_url)
    suggest_item(ws, category="testing", title="Cover the parser")
    ws.close()
    return repo


@pytest.fixture
def quick_give_up(monkeypatch):
    """A unit of work that waits for the lock fails within a second instead of a minute."""
    monkeypatch.setattr("terragon_tui.store.engine.BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(transactions, "RETRY_DEADLINE_S", 0.5)


def test_opening_and_reading_a_registered_repository_never_waits_for_a_writer(
    registered, db_url, quick_give_up
):
    release = threading.Event()
    holder = hold_write_lock(db_url, 60, release)
    try:
        ws = open_workspace(registered, db_url)
        titles = [entry.item.title for entry in list_items(ws)]
        ws.close()
    finally:
        release.set()
        holder.join()
    assert titles == ["Cover the parser"]


def test_waiting_for_the_write_lock_is_said_once_a_second_has_passed(
    repo, db_url, tmp_path, monkeypatch
):
    open_workspace(repo, db_url).close()  # the store exists; `other` is not registered yet
    other = tmp_path / "other-repo"
    shutil.copytree(repo, other)
    said: list[str] = []
    monkeypatch.setattr(waiting, "listener", said.append)
    release = threading.Event()
    holder = hold_write_lock(db_url, 60, release)
    opened = []
    opener = threading.Thread(target=lambda: opened.append(open_workspace(other, db_url)))
    opener.start()
    try:
        # Registering a new repository must write, so it waits; then it says so.
        for _ in range(600):
            if said:
                break
            opener.join(0.05)
        assert not opened
    finally:
        release.set()
        holder.join()
        opener.join(30)
    assert len(said) == 1
    assert "waiting" in said[0] and str(Path(db_url.removeprefix("sqlite:///"))) in said[0]
    assert opened and opened[0].repo_id
    opened[0].close()


def test_work_that_does_not_wait_says_nothing(ws, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(waiting, "listener", said.append)
    suggest_item(ws, category="testing", title="Cover the parser")
    assert list_items(ws)
    assert said == []


# -- a store that vanished or turned read-only ----------------------------------------------


def test_a_write_into_a_store_whose_directory_was_removed_fails_naming_it(ws, db_url):
    item = suggest_item(ws, category="testing", title="Cover the parser")
    path = Path(db_url.removeprefix("sqlite:///"))
    shutil.rmtree(path.parent)
    with pytest.raises(StoreError) as failed:
        defer_item(ws, item.key, reason="after the release")
    message = str(failed.value)
    assert "\n" not in message and str(path) in message and "nothing was written" in message
    assert not path.exists()  # nothing made a new, empty store in its place either


def test_a_write_into_a_store_file_replaced_under_it_fails_naming_it(ws, db_url):
    item = suggest_item(ws, category="testing", title="Cover the parser")
    path = Path(db_url.removeprefix("sqlite:///"))
    copy = path.with_name("copy.db")
    shutil.copy(path, copy)
    os.replace(copy, path)  # the file open in `ws` is now unlinked
    with pytest.raises(StoreError, match="replaced") as failed:
        defer_item(ws, item.key, reason="after the release")
    assert str(path) in str(failed.value)


@pytest.mark.skipif(ROOT, reason="root writes to a read-only file all the same")
def test_a_write_into_a_store_turned_read_only_fails_naming_it(ws, db_url):
    item = suggest_item(ws, category="testing", title="Cover the parser")
    path = Path(db_url.removeprefix("sqlite:///"))
    path.chmod(0o400)
    try:
        with pytest.raises(StoreError, match="read-only") as failed:
            defer_item(ws, item.key, reason="after the release")
    finally:
        path.chmod(0o600)
    assert str(path) in str(failed.value) and "\n" not in str(failed.value)
    assert [entry.item.status for entry in list_items(ws)] == ["open"]
