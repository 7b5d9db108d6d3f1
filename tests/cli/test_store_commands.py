"""`terragon doctor`, `backup` and `restore` as a user runs them, and a damaged store's error."""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from terragon_tui.core.errors import TerragonError
from tests.conftest import suggest

#: Backups, restores and the file checks work on SQLite files; test_postgres.py covers the
#: server's side.
pytestmark = pytest.mark.sqlite_only

HINT = "run `terragon doctor`; restore a backup with `terragon restore FILE`"

#: A second process that runs `terragon suggest` over and over, logging each item once stored.
WRITER = """
import sys
from pathlib import Path
from terragon_tui.cli import main


db, repo, log, stop = sys.argv[1:5]
n = 0
while not Path(stop).exists():
    n += 1
    try:
        main(["--db", db, "-C", repo, "suggest", "-c", "feature", "-t", f"written {n}"])
    except SystemExit as exc:
        if exc.code == 2:  # stored, then a restore replaced the store before it was shown
            continue
        if exc.code:
            sys.exit(f"suggest {n} failed with exit code {exc.code}")
    with open(log, "a") as handle:
        handle.write(f"written {n}\\n")
"""


@pytest.fixture
def store(ws, db_url) -> Path:
    """A healthy store file with two items, closed (no -wal beside it)."""
    suggest(ws, "Add CI")
    suggest(ws, "Write docs")
    ws.close()
    return Path(db_url.removeprefix("sqlite:///"))


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def titles(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return {row[0] for row in conn.execute("SELECT title FROM item")}


def one_line_error(result) -> str:
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("terragon: ")
    return lines[0]


def logged(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def wait_for(log: Path, count: int, writer: subprocess.Popen) -> list[str]:
    deadline = time.monotonic() + 60
    while len(lines := logged(log)) < count:
        assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
        assert time.monotonic() < deadline, f"the writer logged only {len(lines)} items"
        time.sleep(0.02)
    return lines


def test_backup_while_another_process_writes_then_restore(cli, store, repo, tmp_path):
    log, stop, backup = tmp_path / "written.log", tmp_path / "stop", tmp_path / "b.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store), str(repo), str(log), str(stop)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stored_before = set(wait_for(log, 3, writer))  # committed before the backup began
        backed_up = cli("backup", str(backup), "--json")
        assert backed_up.code == 0, backed_up.err
        after_backup = len(logged(log))
        # The first item logged after the backup may have been stored just before it; the
        # next ones were certainly stored after it, and so are not in it.
        lost = set(wait_for(log, after_backup + 4, writer)[after_backup + 1 :])
        restored = cli("restore", str(backup), "--yes", "--json")  # while the writer goes on
        assert restored.code == 0, restored.err
    finally:
        stop.touch()
        _, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert all("no item" in line for line in err.splitlines()), err
    assert json.loads(backed_up.out)["items"] == len(titles(backup))
    assert stored_before | {"Add CI", "Write docs"} <= titles(backup)
    now = titles(store)
    assert stored_before <= now
    assert not lost & now, "the restore left items written after the backup"
    previous = Path(json.loads(restored.out)["previous"])
    assert lost <= titles(previous), "the copy kept before the restore misses items"
    assert cli("doctor").code == 0


def test_doctor_on_a_healthy_store_exits_0(cli, store):
    result = cli("doctor")
    assert result.code == 0, result.out
    assert "integrity: PRAGMA integrity_check: ok" in result.out
    assert "all well" in result.out
    record = json.loads(cli("doctor", "--json").out)
    assert record["ok"] is True
    assert {c["name"] for c in record["checks"]} >= {
        "integrity",
        "schema",
        "orphans",
        "permissions",
        "journal mode",
    }


def test_doctor_on_a_truncated_store_exits_1_and_changes_nothing(cli, store, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(store.read_bytes())
    os.truncate(copy, copy.stat().st_size // 2)
    before = snapshot(tmp_path)
    result = cli("doctor", db=str(copy))
    assert result.code == 1
    assert "PROBLEM integrity" in result.out and "malformed" in result.out
    record = json.loads(cli("doctor", "--json", db=str(copy)).out)
    assert record["ok"] is False
    assert [c["status"] for c in record["checks"] if c["name"] == "integrity"] == ["problem"]
    assert snapshot(tmp_path) == before


def test_doctor_finds_an_orphan_with_exit_1(cli, store):
    with sqlite3.connect(store) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DELETE FROM item WHERE key = 'FEAT-001'")
    result = cli("doctor")
    assert result.code == 1
    assert "PROBLEM orphans" in result.out and "change.item_id -> item: 1 row" in result.out


@pytest.mark.parametrize("damage", ["truncate", "scribble"])
def test_a_damaged_store_is_one_line_with_the_way_back_and_left_as_it_is(cli, store, damage):
    if damage == "truncate":  # the schema itself is gone: fails as the store is opened
        os.truncate(store, store.stat().st_size // 2)
    else:  # only the item table's page: the store opens, the first read of items fails
        with sqlite3.connect(store) as conn:
            page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'item'")
            root = page.fetchone()[0]
        with store.open("r+b") as handle:
            handle.seek((root - 1) * 4096)
            handle.write(b"\xff" * 4096)
    before = snapshot(store.parent)
    result = cli("list")
    assert result.code == 1
    line = one_line_error(result)
    assert str(store) in line and "damaged" in line and line.endswith(HINT)
    assert snapshot(store.parent) == before


def test_backup_refuses_to_overwrite_without_force(cli, store, tmp_path):
    target = tmp_path / "b.db"
    target.write_text("keep me\n")
    result = cli("backup", str(target))
    assert result.code == 2
    assert "--force" in one_line_error(result)
    assert target.read_text() == "keep me\n"
    forced = cli("backup", str(target), "--force")
    assert forced.code == 0, forced.err
    assert f"Backed up the store to {target}" in forced.out and "2 items" in forced.out


def test_backup_without_a_file_goes_to_backups_beside_the_store(cli, store, tmp_path):
    first = cli("backup", "--json")
    assert first.code == 0, first.err
    written = Path(json.loads(first.out)["path"])
    assert written.parent == store.parent / "backups"
    assert written.name.startswith("terragon-") and written.suffix == ".db"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    into_dir = cli("backup", str(tmp_path), "--json")  # a directory: a time-stamped file in it
    assert into_dir.code == 0, into_dir.err
    assert Path(json.loads(into_dir.out)["path"]).parent == tmp_path
    restored = cli("restore", str(written), "--yes")
    assert restored.code == 0, restored.err
    assert "2 items" in restored.out


def test_backup_on_postgresql_points_at_pg_dump(cli, tmp_path):
    url = "postgresql+psycopg://terragon@localhost/terragon"
    result = cli("backup", str(tmp_path / "b.db"), db=url)
    assert result.code == 1
    assert "pg_dump" in one_line_error(result)
    assert not (tmp_path / "b.db").exists()


def test_restore_without_a_terminal_needs_yes(cli, store, tmp_path):
    backup = tmp_path / "b.db"
    assert cli("backup", str(backup)).code == 0
    cli("suggest", "-c", "testing", "-t", "After the backup")
    gc.collect()  # the in-process run's connections close now, not half-way through the test
    before = snapshot(store.parent)
    result = cli("restore", str(backup))
    assert result.code == 2
    assert "--yes" in one_line_error(result)
    assert snapshot(store.parent) == before
    done = cli("restore", str(backup), "--yes")
    assert done.code == 0, done.err
    assert "Restored" in done.out and "kept in" in done.out
    assert "After the backup" not in titles(store)


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("truncate", "damaged"),
        ("text", "not an SQLite database"),
        ("newer", "newer terragon"),
    ],
)
def test_restore_refuses_a_bad_file_and_leaves_the_store_byte_identical(
    cli, store, tmp_path, spoil, message
):
    bad = tmp_path / "bad.db"
    assert cli("backup", str(bad)).code == 0
    if spoil == "truncate":
        os.truncate(bad, bad.stat().st_size // 2)
    elif spoil == "text":
        bad.write_text("not a database\n")
    else:
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = snapshot(store.parent)
    result = cli("restore", str(bad), "--yes")
    assert result.code == 1
    assert message in one_line_error(result)
    assert snapshot(store.parent) == before


# -- the store's edges: another application's file, readers, a store gone or read-only -----


def test_another_applications_database_is_one_line_and_left_untouched(cli, tmp_path):
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    before = snapshot(tmp_path)
    result = cli("list", db=str(other))
    assert result.code == 1
    line = one_line_error(result)
    assert str(other) in line and "not a terragon store" in line
    assert snapshot(tmp_path) == before
    assert cli("doctor", db=str(other)).code == 1
    assert "PROBLEM file" in cli("doctor", db=str(other)).out
    assert snapshot(tmp_path) == before


READ_COMMANDS = [
    ("list",),
    ("list", "--json"),
    ("show", "FEAT-001"),
    ("next",),
    ("export", "backlog"),
    ("report", "value"),
    ("weights",),
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_read_commands_run_while_another_process_holds_the_write_lock(
    cli, store, db_url, command, monkeypatch
):
    from terragon_tui.store import transactions

    from ..backlog.faults import hold_write_lock

    # Waiting for the lock would fail in half a second rather than after a minute.
    monkeypatch.setattr("terragon_tui.store.engine.BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(transactions, "RETRY_DEADLINE_S", 0.5)
    release = threading.Event()
    holder = hold_write_lock(db_url, 60, release)
    try:
        result = cli(*command)
    finally:
        release.set()
        holder.join()
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.out


WAITING_LIST = "import sys; from terragon_tui.cli import main; main(sys.argv[1:])"


def test_a_first_registration_behind_a_writer_says_it_is_waiting(store, repo, db_url, tmp_path):
    from ..backlog.faults import hold_write_lock

    other = tmp_path / "other-repo"
    shutil.copytree(repo, other)  # a repository the store has not seen: it must be written
    release = threading.Event()
    holder = hold_write_lock(db_url, 120, release)
    command = subprocess.Popen(
        [sys.executable, "-c", WAITING_LIST, "--db", str(store), "-C", str(other), "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert command.stderr is not None
        said = command.stderr.readline()  # comes while the lock is still held
        assert command.poll() is None
    finally:
        release.set()
        holder.join()
        out, err = command.communicate(timeout=60)
    assert said.startswith("terragon: waiting for the store") and str(store) in said
    assert command.returncode == 0, err
    assert err == "" and "No items" in out


def test_a_store_removed_while_open_fails_the_write_and_doctor_says_so(cli, store, ws):
    from terragon_tui.backlog.items import defer_item

    # A workspace opened before the removal, as an open TUI has it.
    shutil.rmtree(store.parent)
    with pytest.raises(TerragonError) as failed:
        defer_item(ws, "FEAT-001", reason="later")
    assert str(store) in str(failed.value) and "gone" in str(failed.value)
    doctor = cli("doctor")
    assert doctor.code == 1
    assert "PROBLEM file" in doctor.out and "does not exist" in doctor.out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to a read-only file all the same")
def test_a_read_only_store_fails_writes_with_one_line_and_doctor_says_so(cli, store):
    store.chmod(0o400)
    try:
        result = cli("suggest", "-c", "testing", "-t", "Never stored")
        doctor = cli("doctor")
    finally:
        store.chmod(0o600)
    assert result.code == 1
    line = one_line_error(result)
    assert str(store) in line and "read-only" in line
    assert "Never stored" not in titles(store)
    assert doctor.code == 1
    assert "PROBLEM permissions" in doctor.out and "read-only" in doctor.out


def test_doctor_reports_a_store_on_a_read_only_mount_even_for_root(cli, store, monkeypatch):
    real = os.access

    def read_only_mount(path, mode, **kwargs) -> bool:
        return False if mode & os.W_OK else real(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", read_only_mount)
    doctor = cli("doctor")
    assert doctor.code == 1
    assert "PROBLEM permissions" in doctor.out and "read-only" in doctor.out
