"""Shared fixtures: real git repositories and real SQLite stores in tmp_path."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from terragon_tui.backlog.workspace import Workspace, open_workspace

# Property tests judge results, not speed: on a loaded CI machine a slow example is no failure.
settings.register_profile("terragon", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("terragon")


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` with a fixed identity, returning its output."""
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def make_repo(path: Path, files: dict[str, str] | None = None) -> Path:
    """A real git repository at `path` with one commit of `files` (in folders too; an app.py
    by default)."""
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    for name, text in (files or {"app.py": "def main():\n    return 1\n"}).items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "first")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A real git repository with one commit."""
    return make_repo(tmp_path / "demo-repo")


#: A PostgreSQL server the store and command tests also run against (`.ci/postgres` starts one).
PG_URL = os.environ.get("TERRAGON_TEST_PG_URL")
#: The test folders whose `db_url` tests run on PostgreSQL as well as on SQLite.
ON_BOTH_STORES = ("store", "backlog", "cli")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run the store and command tests once per store, unless marked `sqlite_only`."""
    if "db_url" not in metafunc.fixturenames or not PG_URL:
        return
    folder = Path(metafunc.definition.path).parent.name
    if folder in ON_BOTH_STORES and not metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


@cache
def _pg_admin() -> Engine:
    assert PG_URL is not None
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store that does not exist yet: a SQLite file, or a new database on the PG server."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'terragon.db'}"
        return
    name = f"terragon_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin().connect() as admin:
        admin.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with _pg_admin().connect() as admin:
        admin.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def ws(repo: Path, db_url: str):  # type: ignore[no-untyped-def]
    """A workspace on the demo repository and a fresh store."""
    workspace = open_workspace(repo, db_url)
    yield workspace
    workspace.close()


@dataclass
class CliResult:
    """What one run of the command line did."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(repo: Path, db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch):  # type: ignore[no-untyped-def]
    """Run `terragon ARGS` on the demo repository and store; returns code, stdout, stderr."""
    from terragon_tui.cli import main

    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, repo_path: Path | None = None, db: str | None = None) -> CliResult:
        capsys.readouterr()
        argv = ["--db", db or db_url, "-C", str(repo_path or repo), *args]
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    run.db_url = db_url  # type: ignore[attr-defined]
    return run


def suggest(ws: Workspace, title: str, category: str = "feature", **fields):  # type: ignore[no-untyped-def]
    """Add a suggestion through the service, as `terragon suggest` would."""
    from terragon_tui.backlog.items import suggest_item

    return suggest_item(ws, category=category, title=title, **fields)
