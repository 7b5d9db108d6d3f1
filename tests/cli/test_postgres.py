"""What the store commands do on a PostgreSQL server rather than a SQLite file."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool


@pytest.fixture
def pg_url(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's side of the store commands")
    return db_url


def test_doctor_checks_schema_and_orphans_and_skips_the_file_checks(cli, pg_url):
    assert cli("suggest", "-c", "testing", "-t", "Add tests").code == 0
    result = cli("doctor", "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    statuses = {check["name"]: check["status"] for check in report["checks"]}
    assert statuses == {
        "integrity": "skipped",
        "schema": "ok",
        "orphans": "ok",
        "permissions": "skipped",
        "journal mode": "skipped",
        "scans": "ok",
    }


def test_doctor_finds_an_orphan_left_by_hand(cli, pg_url):
    cli("suggest", "-c", "testing", "-t", "Add tests")
    engine = create_engine(pg_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE completion DROP CONSTRAINT completion_item_id_fkey"))
        conn.execute(
            text(
                "INSERT INTO completion (item_id, actual_hours, estimated_hours, impact_notes,"
                " outcome, score, completed_at) VALUES (999, 1, 1, '', 'success', 1, now())"
            )
        )
    result = cli("doctor")
    assert result.code == 1
    assert "orphan" in result.out and "completion" in result.out


def test_backup_and_restore_point_to_the_servers_own_tools(cli, pg_url, tmp_path):
    result = cli("backup", str(tmp_path / "copy.db"))
    assert result.code == 1
    assert result.err.count("\n") == 1 and "pg_dump" in result.err
    assert not (tmp_path / "copy.db").exists()


def test_a_password_in_the_url_is_never_printed(cli, pg_url):
    url = make_url(pg_url).set(password="sekrit")
    result = cli("doctor", db=url.render_as_string(hide_password=False))
    assert result.code == 0 and "sekrit" not in result.out + result.err
    unreachable = url.set(port=1).render_as_string(hide_password=False)
    result = cli("list", db=unreachable)
    assert result.code == 1 and result.err.count("\n") == 1
    assert "sekrit" not in result.out + result.err
