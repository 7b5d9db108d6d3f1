"""Opening the store: location, pragmas, permissions, and refusing what is not a store."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from terragon_tui.core.errors import StoreError
from terragon_tui.store.location import default_db_path, resolve_db_url
from terragon_tui.store.opening import open_engine


def test_default_store_lives_in_the_user_data_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("TERRAGON_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "terragon-tui" / "terragon.db"
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'data' / 'terragon-tui' / 'terragon.db'}"


def test_explicit_url_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("TERRAGON_DB", "sqlite:////env.db")
    assert resolve_db_url("sqlite:////flag.db") == "sqlite:////flag.db"
    assert resolve_db_url() == "sqlite:////env.db"


def test_a_bare_path_is_a_sqlite_file(tmp_path):
    assert resolve_db_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"


def test_new_store_is_created_owner_only_in_wal_mode(tmp_path):
    path = tmp_path / "deep" / "dir" / "t.db"
    engine = open_engine(str(path))
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_store_files_are_owner_only_whatever_the_umask(tmp_path):
    path = tmp_path / "open" / "t.db"
    old = os.umask(0)
    try:
        engine = open_engine(str(path))
        with engine.begin() as conn:  # a write, so the -wal and -shm files exist
            conn.execute(text("CREATE TABLE scratch (x)"))
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
        engine.dispose()
    finally:
        os.umask(old)
    assert modes == {"t.db": 0o600, "t.db-wal": 0o600, "t.db-shm": 0o600}
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"my precious notes\n" * 10)
    with pytest.raises(StoreError, match="not a terragon store"):
        open_engine(str(path))
    assert path.read_bytes() == b"my precious notes\n" * 10


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        open_engine(str(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_read_only_location_is_a_clear_error(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(StoreError, match="read-only"):
        open_engine(str(locked / "t.db"))


def test_a_read_only_location_is_a_clear_error_even_for_root(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(os, "access", lambda *_args, **_kw: False)
    with pytest.raises(StoreError, match="read-only"):
        open_engine(str(locked / "t.db"))
    assert not (locked / "t.db").exists()


def test_an_unknown_url_scheme_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot use store URL"):
        open_engine("nosuchdb://host/x")


def test_a_table_of_the_users_own_in_a_store_is_kept(tmp_path):
    # Another application's database is refused (test_store_file.py); a store is still a
    # store with a table someone added to it.
    path = tmp_path / "shared.db"
    open_engine(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE mine (x)")
        conn.execute("INSERT INTO mine VALUES (42)")
    open_engine(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT x FROM mine").fetchall() == [(42,)]


def test_reopening_is_idempotent(tmp_path: Path):
    url = str(tmp_path / "t.db")
    open_engine(url).dispose()
    engine = open_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def test_opening_the_store_again_keeps_the_locks_of_connections_already_open(repo, tmp_path):
    # Closing any descriptor on a database file drops all of this process's POSIX locks on it;
    # if opening read the file directly, another process could delete the WAL under us.
    from terragon_tui.backlog.items import suggest_item
    from terragon_tui.backlog.listing import list_items
    from terragon_tui.backlog.workspace import open_workspace

    db = tmp_path / "shared.db"
    first = open_workspace(repo, f"sqlite:///{db}")
    suggest_item(first, category="testing", title="before")  # leaves an open connection
    open_workspace(repo, f"sqlite:///{db}").close()
    other = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('select count(*) from item'); c.close()"
    )
    subprocess.run([sys.executable, "-c", other, str(db)], check=True)
    assert Path(f"{db}-wal").exists()  # the other process saw it was not the last user
    assert [e.item.title for e in list_items(first)] == ["before"]
    first.close()


def test_a_password_in_a_bad_url_is_not_repeated_in_the_error():
    with pytest.raises(StoreError, match="cannot use store URL") as caught:
        open_engine("bogus://alice:sekrit@db.example.com/terragon")
    assert "sekrit" not in str(caught.value) and "alice:***@" in str(caught.value)
