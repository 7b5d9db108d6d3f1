"""Schema migrations: applied on open, from an empty store, never onto a newer schema."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect

from terragon_tui.errors import StoreError
from terragon_tui.store.engine import open_engine
from terragon_tui.store.migrations_runner import current_revision, head_revision


def test_an_empty_store_is_brought_to_the_newest_schema(tmp_path):
    engine = open_engine(str(tmp_path / "t.db"))
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert {"repository", "item", "completion", "scan_run", "weight_profile", "change"} <= tables
    engine.dispose()


def test_the_migrations_match_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    engine = open_engine(str(tmp_path / "t.db"))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_a_store_from_a_newer_terragon_is_refused_untouched(tmp_path):
    path = tmp_path / "t.db"
    open_engine(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer than this terragon"):
        open_engine(str(path))
    assert path.read_bytes() == before


def test_the_fast_path_constant_is_alembics_head():
    from terragon_tui.store.migrations_runner import HEAD_REVISION

    assert head_revision() == HEAD_REVISION
