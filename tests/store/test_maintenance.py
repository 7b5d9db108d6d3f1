"""Store upkeep: doctor reads without changing a byte, backups are whole, restores are checked."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from terragon_tui.core.errors import StoreError, UsageError
from terragon_tui.store.doctor import doctor, find_orphans
from terragon_tui.store.maintenance import backup_store, restore_store
from terragon_tui.store.migrations_runner import known_revisions
from terragon_tui.store.opening import open_engine
from terragon_tui.store.store_file import RECOVERY_HINT
from tests.conftest import suggest

#: Backups, restores and the file checks work on SQLite files; test_postgres.py covers the
#: server's side.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def store(ws, db_url) -> Path:
    """A healthy store file with three items, closed (so no -wal is left beside it)."""
    for title in ("Add CI", "Write docs", "Fix the parser"):
        suggest(ws, title)
    ws.close()
    path = Path(db_url.removeprefix("sqlite:///"))
    assert not Path(f"{path}-wal").exists()
    return path


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file in `directory` and its bytes: what "left untouched" is checked against."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def titles(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {row[0] for row in conn.execute("SELECT title FROM item")}


def truncate_to_half(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def checks(report) -> dict[str, tuple[str, str]]:
    return {check.name: (check.status, check.detail) for check in report.checks}


def test_doctor_finds_a_healthy_store_well(store):
    report = doctor(str(store))
    found = checks(report)
    assert report.ok
    assert found["integrity"][0] == found["orphans"][0] == found["schema"][0] == "ok"
    assert found["journal mode"] == ("ok", "wal")
    assert found["permissions"][0] == "ok"


def test_doctor_on_a_truncated_store_reports_it_and_changes_nothing(store):
    truncate_to_half(store)
    before = snapshot(store.parent)
    report = doctor(str(store))
    assert not report.ok
    status, detail = checks(report)["integrity"]
    assert status == "problem" and "malformed" in detail
    assert snapshot(store.parent) == before  # not even a -wal or -shm beside it


def test_doctor_never_checkpoints_the_wal_of_a_store_left_by_a_crash(store, db_url, tmp_path):
    engine = open_engine(db_url)  # keeps a connection open, so the WAL is not checkpointed
    try:
        with sqlite3.connect(store) as conn:
            conn.execute("UPDATE item SET title = 'in the wal only' WHERE key = 'FEAT-001'")
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for suffix in ("", "-wal"):  # what a process killed now would leave behind
            (crashed / f"t.db{suffix}").write_bytes(Path(f"{store}{suffix}").read_bytes())
    finally:
        engine.dispose()
    main_file, wal = (crashed / "t.db").read_bytes(), (crashed / "t.db-wal").read_bytes()
    assert len(wal) > 0
    assert doctor(str(crashed / "t.db")).ok
    assert (crashed / "t.db").read_bytes() == main_file
    assert (crashed / "t.db-wal").read_bytes() == wal


def swap_item_indexes(path: Path) -> None:
    """Point two of the item table's indexes at each other's pages: SQLite reads on, wrongly."""
    with sqlite3.connect(path) as conn:
        roots = dict(
            conn.execute(
                "SELECT name, rootpage FROM sqlite_master "
                "WHERE name IN ('ix_item_status', 'ix_item_category')"
            )
        )
        conn.execute("PRAGMA writable_schema = ON")
        for name, other in (
            ("ix_item_status", "ix_item_category"),
            ("ix_item_category", "ix_item_status"),
        ):
            conn.execute(
                "UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (roots[other], name)
            )


def test_doctor_reports_what_integrity_check_finds(store):
    swap_item_indexes(store)
    status, detail = checks(doctor(str(store)))["integrity"]
    assert status == "problem" and "missing from index" in detail


def test_doctor_finds_an_orphan_left_with_foreign_keys_off(store):
    with sqlite3.connect(store) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM item WHERE key = 'FEAT-002'")  # its `suggest` change stays
    report = doctor(str(store))
    status, detail = checks(report)["orphans"]
    assert not report.ok
    assert status == "problem" and "change.item_id -> item: 1 row" in detail


def test_orphans_in_a_table_terragon_does_not_model_come_from_sqlite_itself(store):
    from sqlalchemy import create_engine

    with sqlite3.connect(store) as conn:
        conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, item_id REFERENCES item(id))")
        conn.execute("INSERT INTO note (item_id) VALUES (4242)")
    engine = create_engine(f"sqlite:///{store}")
    with engine.connect() as conn:
        assert find_orphans(conn) == {"note -> item": 1}
    engine.dispose()


def test_doctor_warns_about_a_store_others_can_read(store):
    store.chmod(0o644)
    report = doctor(str(store))
    assert report.ok  # a warning, not a problem
    assert checks(report)["permissions"][0] == "warning"


def test_doctor_reports_a_store_from_a_newer_terragon(store):
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    status, detail = checks(doctor(str(store)))["schema"]
    assert status == "problem" and "newer terragon" in detail


def test_doctor_reports_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n")
    report = doctor(str(path))
    assert checks(report)["file"][0] == "problem"
    assert path.read_text() == "shopping list\n"


def test_a_backup_is_a_whole_owner_only_store(store, tmp_path):
    target = tmp_path / "backups" / "t.db"
    target.parent.mkdir()
    copy = backup_store(target, str(store))
    assert (copy.path, copy.items, copy.revision) == (target, 3, known_revisions()[0])
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert titles(target) == titles(store)
    assert sorted(p.name for p in target.parent.iterdir()) == ["t.db"]  # no temp file left


def test_a_backup_never_overwrites_without_force(store, tmp_path):
    target = tmp_path / "t.db"
    target.write_text("an older backup\n")
    with pytest.raises(UsageError, match="--force"):
        backup_store(target, str(store))
    assert target.read_text() == "an older backup\n"
    backup_store(target, str(store), force=True)
    assert titles(target) == titles(store)


def test_a_backup_over_the_store_itself_is_refused(store):
    with pytest.raises(UsageError, match="the store itself"):
        backup_store(store, str(store), force=True)


def test_a_backup_of_a_damaged_store_says_so_and_writes_nothing(store, tmp_path):
    truncate_to_half(store)
    with pytest.raises(StoreError, match=r"damaged.*terragon restore FILE"):
        backup_store(tmp_path / "b.db", str(store))
    assert not (tmp_path / "b.db").exists()


def test_backup_and_restore_refuse_postgresql_with_a_pointer_to_its_tools(tmp_path):
    url = "postgresql+psycopg://terragon@localhost/terragon"
    with pytest.raises(StoreError, match="pg_dump"):
        backup_store(tmp_path / "b.db", url)
    with pytest.raises(StoreError, match="SQLite stores only"):
        restore_store(tmp_path / "b.db", url)


def test_restore_puts_the_backup_back_and_keeps_the_store_it_replaced(store, tmp_path):
    backup = tmp_path / "b.db"
    backup_store(backup, str(store))
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE item SET title = 'changed after the backup'")
    result = restore_store(backup, str(store))
    assert titles(store) == {"Add CI", "Write docs", "Fix the parser"}
    assert result.previous is not None and result.previous.name.startswith(
        "terragon.db.before-restore-"
    )
    assert titles(result.previous) == {"changed after the backup"}
    assert stat.S_IMODE(result.previous.stat().st_mode) == 0o600
    assert doctor(str(store)).ok


def test_no_write_can_land_between_the_safety_copy_and_the_restore(store, tmp_path, monkeypatch):
    # Such a write would be in neither the restored store nor the copy of the one replaced.
    from terragon_tui.store import maintenance

    backup = tmp_path / "b.db"
    backup_store(backup, str(store))
    keep_previous, tried = maintenance._keep_previous, []

    def keep_then_try_to_write(path):
        kept = keep_previous(path)
        writer = sqlite3.connect(path, timeout=0.05, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE item SET title = 'slipped in'")
            writer.execute("COMMIT")
            tried.append("committed")
        except sqlite3.OperationalError as exc:
            tried.append(str(exc))
        finally:
            writer.close()
        return kept

    monkeypatch.setattr(maintenance, "_keep_previous", keep_then_try_to_write)
    result = restore_store(backup, str(store))
    assert tried == ["database is locked"]  # the restore already held the store
    assert titles(store) == titles(result.previous) == {"Add CI", "Write docs", "Fix the parser"}


def test_a_process_with_the_store_open_writes_into_the_restored_store(ws, store, tmp_path):
    # `ws` stays open across the restore, as the TUI would: its connection must not be
    # left writing to a file that is no longer the store.
    backup = tmp_path / "b.db"
    backup_store(backup, str(store))
    suggest(ws, "Lost with the restore")
    restore_store(backup, str(store))
    suggest(ws, "Written after the restore")
    assert titles(store) == {"Add CI", "Write docs", "Fix the parser", "Written after the restore"}


def test_restore_upgrades_an_older_backup_to_the_newest_schema(store, tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    from terragon_tui.store.migrations_runner import _config

    old = tmp_path / "old.db"
    backup_store(old, str(store))
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        try:
            command.downgrade(config, "0001")
        finally:
            config.attributes.pop("connection", None)
    engine.dispose()
    result = restore_store(old, str(store))
    assert result.backup.revision == "0001"
    assert result.store.revision == known_revisions()[0] != "0001"
    assert titles(store) == {"Add CI", "Write docs", "Fix the parser"}


def test_restore_replaces_a_damaged_store(store, tmp_path):
    backup = tmp_path / "b.db"
    backup_store(backup, str(store))
    truncate_to_half(store)
    damaged = store.read_bytes()
    result = restore_store(backup, str(store))
    assert titles(store) == {"Add CI", "Write docs", "Fix the parser"}
    assert result.previous is not None and result.previous.read_bytes() == damaged
    assert doctor(str(store)).ok


def _corrupt(backup: Path) -> None:
    truncate_to_half(backup)


def _not_sqlite(backup: Path) -> None:
    backup.write_text("not a database at all\n")


def _newer(backup: Path) -> None:
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")


def _index_astray(backup: Path) -> None:
    swap_item_indexes(backup)


def _not_terragon(backup: Path) -> None:
    backup.unlink()
    with sqlite3.connect(backup) as conn:
        conn.execute("CREATE TABLE mine (x)")


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_corrupt, "damaged"),
        (_index_astray, "missing from index"),
        (_not_sqlite, "not an SQLite database"),
        (_newer, "newer terragon"),
        (_not_terragon, "not a terragon store"),
    ],
)
def test_restore_refuses_a_bad_backup_before_touching_the_store(store, tmp_path, spoil, message):
    backup = tmp_path / "b.db"
    backup_store(backup, str(store))
    spoil(backup)
    before = snapshot(store.parent)
    with pytest.raises(StoreError, match=message):
        restore_store(backup, str(store))
    assert snapshot(store.parent) == before  # no safety copy either: nothing was started


def test_a_damaged_store_names_the_file_and_the_way_back_and_is_left_as_it_is(store):
    truncate_to_half(store)
    before = snapshot(store.parent)
    with pytest.raises(StoreError) as caught:
        open_engine(str(store))
    assert str(store) in str(caught.value) and RECOVERY_HINT in str(caught.value)
    assert snapshot(store.parent) == before


def test_restore_refuses_a_database_whose_schema_table_is_empty(store, tmp_path):
    backup = tmp_path / "empty-version.db"
    with sqlite3.connect(backup) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)")
    before = snapshot(store.parent)
    with pytest.raises(StoreError, match="not a terragon store"):
        restore_store(backup, str(store))
    assert snapshot(store.parent) == before
