"""Schema migrations: applied on open, from an empty store, never onto a newer schema."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect

from terragon_tui.core.errors import StoreError
from terragon_tui.store.migrations_runner import current_revision, head_revision
from terragon_tui.store.opening import open_engine


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
    from terragon_tui.store.schema_version import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


def test_a_store_with_data_from_an_older_schema_upgrades_and_keeps_it(repo, db_url):
    from alembic import command

    from terragon_tui.backlog.items import complete_item, suggest_item, undo
    from terragon_tui.backlog.listing import show_item
    from terragon_tui.backlog.workspace import open_workspace
    from terragon_tui.store.migrations_runner import migrate

    ws = open_workspace(repo, db_url)
    key = suggest_item(ws, category="testing", title="Add tests").key
    complete_item(ws, key, hours=2, impact="caught a bug")
    migrate(ws.engine, command.downgrade, "0002")  # before revisions and actors
    ws.close()

    ws = open_workspace(repo, db_url)  # upgrades on open
    assert current_revision(ws.engine) == head_revision()
    detail = show_item(ws, key)
    assert detail.ranked.item.status == "done"
    assert [c.impact_notes for c in detail.completions] == ["caught a bug"]
    assert [c.actor for c in detail.changes] == ["", ""]  # made before changes had actors
    assert undo(ws).key == key  # and still anyone's to undo
    assert ws.revision() == 1
    ws.close()
