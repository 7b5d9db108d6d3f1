"""Bad input: one clear line on stderr, exit 2 (usage) or 1 (failure), stored data untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool


def one_line_error(result) -> str:
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("terragon: ")
    return lines[0]


def stored_items(cli) -> list[dict]:
    return json.loads(cli("list", "--all", "--json").out)


@pytest.fixture
def seeded(cli):
    assert cli("suggest", "-c", "testing", "-t", "Keep me", "--hours", "2").code == 0
    return stored_items(cli)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("show", "NOPE-1"), "no item 'NOPE-1'"),
        (("complete", "NOPE-1", "--hours", "1"), "no item"),
        (("suggest", "-c", "bogus", "-t", "x"), "unknown category 'bogus'"),
        (("suggest", "-c", "testing", "-t", "x", "--impact", "42"), "impact"),
        (("suggest", "-c", "testing", "-t", "x", "--line", "9" * 30), "line must be"),
        (("suggest", "-c", "testing", "-t", "x", "--hours", "1e400"), "estimated_hours"),
        (("weights", "--set", "security_boost=1e200"), "at most 100"),
        (("complete", "TEST-001", "--hours", "-1"), "hours"),
        (("weights", "--set", "wsjf=-1"), "negative"),
        (("weights", "--set", "wsjf=0,debt=0,ice=0,security=0"), "zero"),
        (("weights", "--set", "wsjf=lots"), "wsjf"),
        (("weights", "--focus", "speed"), "speed"),
        (("weights", "--focus", "debt", "--reset"), "only one"),
        (("defer", "TEST-001", "--reason", " "), "reason"),
        (("list", "--status", "finished"), "unknown status"),
        (("export", "backlog", "--format", "pdf"), "unknown format"),
    ],
)
def test_usage_errors_exit_2_with_one_line_and_change_nothing(cli, seeded, args, fragment):
    result = cli(*args)
    assert result.code == 2
    assert fragment in one_line_error(result)
    assert stored_items(cli) == seeded


def test_a_missing_required_option_is_a_usage_error(cli):
    result = cli("complete", "TEST-001")
    assert result.code == 2
    assert "--hours" in result.err


def test_a_malformed_config_file_is_a_failure_with_one_line(cli, repo):
    (repo / "pyproject.toml").write_text("[tool.terragon.weights]\nwsjf = 'lots'\n")
    result = cli("list")
    assert result.code == 1
    assert "must be a number" in one_line_error(result)


def test_a_file_that_is_not_a_database_is_left_untouched(cli, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n")
    result = cli("list", db=str(path))
    assert result.code == 1
    assert "not a terragon store" in one_line_error(result)
    assert path.read_text() == "shopping list\n"


def test_a_store_from_a_newer_version_is_refused(cli, seeded, db_url):
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    result = cli("list")
    assert result.code == 1
    assert "newer than this terragon" in one_line_error(result)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT title FROM item")).all() == [("Keep me",)]
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "ffff"


@pytest.mark.sqlite_only
def test_a_read_only_store_reports_a_store_error(cli, seeded, db_url):
    path = Path(db_url.removeprefix("sqlite:///"))
    result = cli(
        "suggest", "-c", "testing", "-t", "x", db=f"sqlite:///file:{path}?mode=ro&uri=true"
    )
    assert result.code == 1
    assert "readonly" in one_line_error(result) or "read-only" in one_line_error(result)
    assert [i["title"] for i in stored_items(cli)] == ["Keep me"]


def test_a_saved_profile_out_of_range_is_one_line_and_reset_clears_it(cli, seeded, db_url):
    assert cli("weights", "--focus", "security").code == 0
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.begin() as conn:  # as an older terragon without the boost cap could save it
        conn.execute(text("UPDATE weight_profile SET security_boost = 1e200"))
    for args in (("list",), ("weights",), ("next",)):
        result = cli(*args)
        assert result.code == 1, args
        assert "saved weights profile is out of range" in one_line_error(result)
        assert "terragon weights --reset" in result.err
    assert cli("weights", "--reset").code == 0
    assert cli("list").code == 0
