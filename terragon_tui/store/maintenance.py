"""Store upkeep: backing a store up while in use, restoring a backup, and naming a damaged file."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import NotFoundError, StoreError, UsageError
from .location import resolve_db_url, sqlite_path
from .migrations_runner import known_revisions
from .store_file import (
    BUSY_TIMEOUT_MS,
    connect_quietly,
    connect_read_only,
    damaged_store_error,
    is_damage,
    not_sqlite_reason,
)

if TYPE_CHECKING:
    pass


# -- damaged files -------------------------------------------------------------------------


# -- backup and restore --------------------------------------------------------------------


class _CopyCheckFailed(StoreError):
    """The copy SQLite made fails its own check: the source is damaged."""


@dataclass
class StoreCopy:
    """A store file as a backup or restore left it: where, how big, what it holds."""

    path: Path
    size: int
    items: int
    revision: str | None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "path": str(self.path)}


@dataclass
class RestoreResult:
    """What a restore did: the store it replaced, the backup it used, the copy it kept."""

    store: StoreCopy
    backup: StoreCopy
    previous: Path | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "store": self.store.as_dict(),
            "backup": self.backup.as_dict(),
            "previous": str(self.previous) if self.previous else None,
        }


def _sqlite_store(db: str | None, verb: str, tool: str) -> Path:
    url = resolve_db_url(db)
    path = sqlite_path(url)
    if path is None:
        raise StoreError(
            f"{verb} works on SQLite stores only; for this database use {tool} instead"
        )
    return path


def _same_file(a: Path, b: Path) -> bool:
    return a.exists() and b.exists() and os.path.samefile(a, b)


def describe_copy(path: Path) -> StoreCopy:
    """Size, item count and schema revision of a (healthy) store file."""
    with closing(connect_quietly(path)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        items = conn.execute("SELECT count(*) FROM item").fetchone()[0] if "item" in tables else 0
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None  # an empty table: no terragon schema yet
    return StoreCopy(path, path.stat().st_size, items, revision)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_copy(source: sqlite3.Connection, target: Path, *, drop_sidecars: bool = False) -> None:
    """Copy the database `source` is connected to into `target`, owner-only, atomically.

    The copy goes to a temporary file beside `target` and is renamed over it once complete
    and checked, so `target` is either what it was or the whole copy, never half of one.
    """
    directory = target.parent
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror}") from exc
    os.close(fd)  # mkstemp made it 0600, and SQLite keeps the file's mode
    tmp = Path(name)
    try:
        with closing(sqlite3.connect(tmp)) as dest:
            source.backup(dest)  # one step: a consistent snapshot, even with writers about
            # DELETE mode: one self-contained file, with no -wal beside it to lose
            dest.execute("PRAGMA journal_mode = DELETE")
            verdict = dest.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise _CopyCheckFailed(f"the copy failed its check ({verdict}); {target} not written")
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        if drop_sidecars:  # the old file's WAL must never be replayed onto the new one
            for suffix in ("-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, target)
        _fsync_directory(directory)
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror}") from exc
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)


def backup_store(
    target: Path | None = None, db: str | None = None, *, force: bool = False
) -> StoreCopy:
    """Copy the live store into `target` with SQLite's online backup, safe while others write.

    Without `target`, or when it is a directory, the copy is a new file named after the
    store and the time (`terragon-20261126-021500.db`), in `backups/` beside the store.
    """
    store = _sqlite_store(db, "backup", "pg_dump")
    if target is None:
        target = store.parent / "backups"
        try:
            target.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot make the backup directory {target}: {exc.strerror}") from exc
    target = target.expanduser()
    if target.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = target / f"{store.stem}-{stamp}{store.suffix or '.db'}"
    if _same_file(target, store):
        raise UsageError(f"{target} is the store itself; give another file")
    if target.exists() and not force:
        raise UsageError(f"{target} exists; give --force to overwrite it")
    reason = not_sqlite_reason(store)
    if reason is not None:
        raise StoreError(f"cannot back up the store: {reason}")
    try:
        with closing(connect_read_only(store)) as source:
            _write_copy(source, target)
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise damaged_store_error(store, exc) from exc
        raise StoreError(f"cannot back up {store}: {exc}") from exc
    return describe_copy(target)


def check_backup(path: Path) -> StoreCopy:
    """Refuse `path` unless it is an intact terragon store whose schema this terragon knows."""
    path = path.expanduser()
    if not path.exists():
        raise NotFoundError(f"no backup file {path}")
    reason = not_sqlite_reason(path)
    if reason is not None or path.stat().st_size == 0:
        raise StoreError(reason or f"{path} is empty, not a terragon store")
    try:
        with closing(connect_quietly(path)) as conn:
            verdict = [row[0] for row in conn.execute("PRAGMA integrity_check(3)")]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is damaged ({exc}); choose another backup") from exc
    if verdict != ["ok"]:
        raise StoreError(f"{path} is damaged ({verdict[0]}); choose another backup")
    copy = describe_copy(path)
    if copy.revision is None:
        raise StoreError(f"{path} is an SQLite database but not a terragon store")
    head, known = known_revisions()
    if copy.revision not in known:
        raise StoreError(
            f"{path} is from a newer terragon (schema {copy.revision}; this one knows {head}); "
            "upgrade terragon to restore it"
        )
    return copy


def _keep_previous(store: Path) -> Path:
    """Copy the current store beside itself before it is replaced; return the copy's path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = store.with_name(f"{store.name}.before-restore-{stamp}")
    n = 1
    while target.exists():
        target, n = store.with_name(f"{store.name}.before-restore-{stamp}-{n}"), n + 1
    try:
        with closing(connect_read_only(store)) as source:
            _write_copy(source, target)
    except (sqlite3.DatabaseError, _CopyCheckFailed):
        # SQLite cannot read it: keep its bytes (and its WAL) exactly as they are instead
        for suffix in ("", "-wal"):
            original = Path(f"{store}{suffix}")
            if original.exists() and original.stat().st_size > 0:
                _copy_bytes(original, Path(f"{target}{suffix}"))
    return target


def _copy_bytes(source: Path, target: Path) -> None:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with source.open("rb") as src, os.fdopen(fd, "wb") as dest:
            shutil.copyfileobj(src, dest)
            os.fsync(dest.fileno())
    except OSError as exc:
        raise StoreError(f"cannot keep a copy of the store in {target}: {exc.strerror}") from exc


def restore_store(backup: Path, db: str | None = None) -> RestoreResult:
    """Replace the store with `backup`, after checking it and keeping a copy of the store."""
    from .opening import open_engine

    store = _sqlite_store(db, "restore", "pg_restore")
    backup = backup.expanduser()
    source_copy = check_backup(backup)  # before anything touches the current store
    if _same_file(backup, store):
        raise UsageError(f"{backup} is the store itself")
    reason = None
    if store.exists():
        from .store_file import foreign_reason

        reason = not_sqlite_reason(store) or foreign_reason(store)
    if reason is not None:
        raise StoreError(f"{reason}; it was not replaced: point --db at the store")
    previous = None
    if store.exists() and store.stat().st_size > 0:
        previous = _replace_live(store, backup)
    else:
        try:
            store.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            message = f"cannot make the store's directory {store.parent}: {exc.strerror}"
            raise StoreError(message) from exc
        with closing(connect_read_only(backup)) as source:
            _write_copy(source, store)
    open_engine(str(store)).dispose()  # an older backup's schema is upgraded to the newest
    return RestoreResult(describe_copy(store), source_copy, previous)


def _replace_live(store: Path, backup: Path) -> Path:
    """Write `backup` into the live store, keeping a copy of the store first; the copy's path.

    The backup API writes into the live file as one ordinary write transaction: it waits for
    other writers, goes through the store's own WAL, and other processes that have the store
    open see the old content or the new, never a mix. Renaming a file over the store would not
    be safe: processes with it open would keep writing to the unlinked old file, and the old
    -wal beside it would be replayed onto the new one.

    The copy of the store is taken once that transaction holds the write lock (after its
    first step), so no write can land between the copy and the restore and be in neither.
    """
    kept: list[Path] = []

    def keep_once_locked(status: int, _remaining: int, _total: int) -> None:
        if status == sqlite3.SQLITE_OK and not kept:  # not BUSY: the lock is ours until done
            kept.append(_keep_previous(store))

    with closing(connect_read_only(backup)) as source:
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        if pages < 2:  # one step, so no moment between steps; never a terragon store
            kept.append(_keep_previous(store))
        dest = sqlite3.connect(store, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            # As the engine has it: readers (the copy below) never wait for the writer.
            dest.execute("PRAGMA journal_mode = WAL")
            # In two steps, so that the callback runs between them, with the lock held.
            source.backup(dest, pages=max(1, pages - 1), progress=keep_once_locked)
            return kept[0]
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise StoreError(f"cannot restore into {store}: {exc}") from exc
        finally:
            dest.close()
        # SQLite cannot open the current file as a database, so no process can be using it:
        # keep its bytes, then put the copy in its place by rename.
        previous = kept[0] if kept else _keep_previous(store)
        _write_copy(source, store, drop_sidecars=True)
        return previous
