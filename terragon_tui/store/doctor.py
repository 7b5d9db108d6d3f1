"""Checking a store without changing it: integrity, schema, orphans, permissions, journal, and
whether the latest scan of each kind failed (a scheduled one, say, that nobody watched)."""

from __future__ import annotations

import json
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from .location import parse_store_url, resolve_db_url, sqlite_path
from .migrations_runner import known_revisions
from .store_file import connect_read_only, foreign_reason, not_sqlite_reason, read_only_reason

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

OK, WARNING, PROBLEM, SKIPPED = "ok", "warning", "problem", "skipped"
SQLITE_ONLY = "skipped: SQLite only"
UNREADABLE = "cannot read the store"


@dataclass
class Check:
    """One thing doctor looked at: its name, ok / warning / problem / skipped, and what it saw."""

    name: str
    status: str
    detail: str


@dataclass
class DoctorReport:
    """Every check doctor ran on one store; `ok` unless one of them found a problem."""

    store: str
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(check.status != PROBLEM for check in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {"store": self.store, "ok": self.ok, "checks": [asdict(c) for c in self.checks]}


def _driver_error(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc)


def doctor(db: str | None = None) -> DoctorReport:
    """Check the store at `db` (as `--db` takes it) without changing a byte of it."""
    url = resolve_db_url(db)
    path = sqlite_path(url)
    if path is None:
        shown = parse_store_url(url).render_as_string(hide_password=True)
        return DoctorReport(shown, _server_checks(url))
    return DoctorReport(str(path), _sqlite_checks(path))


def _sqlite_checks(path: Path) -> list[Check]:
    reason = not_sqlite_reason(path) or foreign_reason(path)
    if reason is not None:
        names = ("integrity", "schema", "orphans", "permissions", "journal mode")
        return [Check("file", PROBLEM, reason), *(Check(n, SKIPPED, "skipped") for n in names)]
    # Without a -wal file no process has the store open, and reading it as immutable leaves
    # no -wal or -shm behind; should someone write meanwhile, the file changes and doctor
    # reads it again the ordinary (read-only) way.
    quiet = not Path(f"{path}-wal").exists()
    before = _fingerprint(path)
    checks = _read_checks(path, immutable=quiet)
    if quiet and _fingerprint(path) != before:
        checks = _read_checks(path, immutable=False)
    return [Check("file", OK, f"{path.stat().st_size:,} bytes"), *checks]


def _fingerprint(path: Path) -> tuple[int, int, int, bool]:
    info = path.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns, Path(f"{path}-wal").exists()


def _read_checks(path: Path, *, immutable: bool) -> list[Check]:
    engine = create_engine(
        "sqlite://",
        creator=lambda: connect_read_only(path, immutable=immutable),
        poolclass=NullPool,
    )
    try:
        integrity = _guarded("integrity", engine, _integrity)
        if integrity.detail.startswith(UNREADABLE):
            unread = "skipped: the store cannot be read"
            schema, orphans = Check("schema", SKIPPED, unread), Check("orphans", SKIPPED, unread)
            scans = Check("scans", SKIPPED, unread)
        else:
            schema = _guarded("schema", engine, _schema)
            orphans = _guarded("orphans", engine, _orphans)
            scans = _guarded("scans", engine, _scans)
        return [integrity, schema, orphans, _permissions(path), _journal_mode(path), scans]
    finally:
        engine.dispose()


def _server_checks(url: str) -> list[Check]:
    try:
        engine = create_engine(url, poolclass=NullPool)
    except (ArgumentError, ImportError) as exc:
        return [Check("connection", PROBLEM, f"cannot use store URL: {exc}")]
    try:
        return [
            Check("integrity", SKIPPED, SQLITE_ONLY),
            _guarded("schema", engine, _schema),
            _guarded("orphans", engine, _orphans),
            Check("permissions", SKIPPED, SQLITE_ONLY),
            Check("journal mode", SKIPPED, SQLITE_ONLY),
            _guarded("scans", engine, _scans),
        ]
    finally:
        engine.dispose()


def _guarded(name: str, engine: Engine, check: Any) -> Check:
    """Run one check; a store too damaged (or unreachable) to answer is that check's problem."""
    try:
        with engine.connect() as conn:
            status, detail = check(conn)
    except DBAPIError as exc:
        status, detail = PROBLEM, f"{UNREADABLE}: {_driver_error(exc)}"
    return Check(name, status, detail)


def _integrity(conn: Connection) -> tuple[str, str]:
    found = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
    if found == ["ok"]:
        return OK, "PRAGMA integrity_check: ok"
    more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
    return PROBLEM, "PRAGMA integrity_check: " + "; ".join(found[:3]) + more


def _schema(conn: Connection) -> tuple[str, str]:
    head, known = known_revisions()
    if not inspect(conn).has_table("alembic_version"):
        return WARNING, "no schema yet: terragon creates it when it first opens the store"
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision == head:
        return OK, f"revision {revision}, this terragon's newest"
    if revision in known:
        return WARNING, f"revision {revision}: terragon upgrades it to {head} when it next opens it"
    return PROBLEM, f"store is from a newer terragon (revision {revision}; this one knows {head})"


def find_orphans(conn: Connection) -> dict[str, int]:
    """Rows whose foreign key points at a missing row, counted per `table.column -> parent`.

    The foreign keys are the models' (the same on every backend); on SQLite, violations
    `PRAGMA foreign_key_check` finds among other tables are added as `table -> parent`.
    """
    from sqlmodel import SQLModel

    from . import models  # noqa: F401  (registers the tables)

    present = set(inspect(conn).get_table_names())
    counts: dict[str, int] = {}
    covered: set[tuple[str, str]] = set()
    for table in SQLModel.metadata.sorted_tables:
        columns = (
            {c["name"] for c in inspect(conn).get_columns(table.name)}
            if table.name in present
            else set()
        )
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            covered.add((table.name, parent))
            if fk.parent.name not in columns or parent not in present:
                continue  # an older schema without this table or column yet
            q = conn.dialect.identifier_preparer.quote
            child, column, key = q(table.name), q(fk.parent.name), q(fk.column.name)
            found = conn.execute(
                text(
                    f"SELECT count(*) FROM {child} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {q(parent)} p WHERE p.{key} = c.{column})"
                )
            ).scalar()
            if found:
                counts[f"{table.name}.{fk.parent.name} -> {parent}"] = found
    if conn.dialect.name == "sqlite":
        for child, _rowid, parent, _fkid in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            if (child, parent) not in covered:
                counts[f"{child} -> {parent}"] = counts.get(f"{child} -> {parent}", 0) + 1
    return counts


def _orphans(conn: Connection) -> tuple[str, str]:
    counts = find_orphans(conn)
    if not counts:
        return OK, "every foreign key points at an existing row"
    listed = ", ".join(f"{where}: {n} row{'s' if n != 1 else ''}" for where, n in counts.items())
    return PROBLEM, f"rows pointing at missing rows: {listed}"


def failed_scans(conn: Connection) -> list[tuple[str, str, str, str]]:
    """(repository, kind, when, reason) of each repository's scan kinds whose latest run
    failed."""
    tables = set(inspect(conn).get_table_names())
    if not {"scan_run", "repository"} <= tables:  # no schema yet: nothing has run
        return []
    rows = conn.execute(
        text(
            "SELECT r.name, s.kind, s.status, s.started_at, s.counts FROM scan_run s "
            "JOIN repository r ON r.id = s.repo_id ORDER BY s.repo_id, s.kind, s.id"
        )
    ).all()
    latest = {(name, kind): (status, at, counts) for name, kind, status, at, counts in rows}
    failed = []
    for (name, kind), (status, at, counts) in latest.items():
        if status != "failed":
            continue
        if isinstance(counts, str):  # SQLite hands JSON back as text
            try:
                counts = json.loads(counts)
            except ValueError:
                counts = {}
        reason = counts.get("error", "") if isinstance(counts, dict) else ""
        failed.append((name, kind, str(at)[:19], str(reason)))
    return failed


def _scans(conn: Connection) -> tuple[str, str]:
    from ..core.errors import one_line

    failed = failed_scans(conn)
    if not failed:
        return OK, "the latest scan of each kind did not fail"
    name, kind, at, reason = failed[0]
    more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
    return WARNING, one_line(f"the {kind} scan of {name} failed at {at}: {reason}{more}", 300)


def _permissions(path: Path) -> Check:
    mode = stat.S_IMODE(path.stat().st_mode)
    read_only = read_only_reason(path)
    if read_only is not None:
        return Check("permissions", PROBLEM, f"{read_only}: terragon cannot write to the store")
    if mode & 0o077:
        return Check(
            "permissions",
            WARNING,
            f"mode {mode:04o}: other users can read or change it; expected 0600 (chmod 600 {path})",
        )
    return Check("permissions", OK, f"mode {mode:04o}, owner only")


def _journal_mode(path: Path) -> Check:
    # Only WAL is a property of the file: header bytes 18 and 19 are 2 (an immutable
    # connection would always say "delete"). A -wal file exists only in WAL mode, and while
    # it does some connection (maybe this process's) has the store open: closing a
    # descriptor of our own on the file would drop that connection's locks, so read the
    # header only when there is none.
    if Path(f"{path}-wal").exists():
        return Check("journal mode", OK, "wal")
    with path.open("rb") as handle:
        header = handle.read(20)
    if header[18:20] == b"\x02\x02":
        return Check("journal mode", OK, "wal")
    return Check(
        "journal mode",
        WARNING,
        "rollback journal, not wal: terragon switches it to wal when it next opens the store",
    )
