"""Bad input: one clear line on stderr, exit 2 (usage) or 1 (failure), stored data untouched."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.conftest import git


def one_line_error(result) -> str:
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("terragon: ")
    return lines[0]


def stored_items(cli) -> list[dict]:
    return json.loads(cli("list", "--all", "--json").out)["items"]


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


# Each case below once ended in a traceback, or in a result silently wrong; each now has a
# line of its own saying what is wrong, bounded in length, and changes nothing stored.


def commit(repo: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        (repo / name).write_text(content)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change")


@pytest.fixture
def own_dirs(tmp_path, monkeypatch) -> Path:
    """A user cache and config directory of the test's own."""
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    return tmp_path


def test_an_argument_that_is_not_utf8_is_named_with_its_bytes(cli, seeded):
    result = cli("suggest", "-c", "testing", "-t", "caf\udce9")  # argv of b"caf\xe9"
    assert result.code == 2
    line = one_line_error(result)
    assert "'caf\\xe9') is not UTF-8 text" in line
    assert stored_items(cli) == seeded


def test_a_pyproject_nested_100000_deep_is_refused_in_one_line(cli, seeded, repo):
    depth = 100_000
    (repo / "pyproject.toml").write_text("[tool.terragon]\nx = " + "[" * depth + "]" * depth)
    for args in (("list",), ("scan",)):
        result = cli(*args)
        assert result.code == 1, args
        assert "pyproject.toml: invalid TOML: nested more than 100 levels deep" in (
            one_line_error(result)
        )
    (repo / "pyproject.toml").unlink()
    assert stored_items(cli) == seeded


def test_a_scan_whose_cache_directory_cannot_be_made_succeeds_and_says_so(
    cli, repo, own_dirs, monkeypatch
):
    blocker = own_dirs / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))  # below a file: works as root
    commit(repo, {"todo.py": "# TODO: keep me\n"})
    result = cli("scan")
    assert result.code == 0, result.err
    assert "note: the scan cache could not be written in " in result.out
    assert "(Not a directory): the next scan analyses every file again" in result.out
    assert "todo.py" in {i["file"] for i in stored_items(cli) if i["source"] == "todos"}
    again = json.loads(cli("scan", "--json").out)
    assert any("scan cache could not be written" in note for note in again["notes"])


def test_a_full_disk_under_the_scan_cache_costs_only_speed(cli, repo, own_dirs, monkeypatch):
    import errno

    from terragon_tui.discovery import cache

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cache, "write_json_object", full)
    commit(repo, {"todo.py": "# TODO: keep me\n"})
    report = json.loads(cli("scan", "--json").out)
    assert report["new"], report
    assert any("(No space left on device)" in note for note in report["notes"])
    scans = own_dirs / "xdg_cache_home" / "terragon-tui" / "scans"
    assert [p.name for p in scans.iterdir() if ".scan-cache-" in p.name] == []  # no leftover


def test_a_types_scan_whose_cache_cannot_be_written_runs_mypy_all_the_same(
    cli, repo, own_dirs, monkeypatch
):
    blocker = own_dirs / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    commit(repo, {"typed.py": "def f() -> int:\n    return 'text'\n"})
    report = json.loads(cli("scan", "-k", "types", "--json").out)
    assert any("mypy ran with a temporary one" in note for note in report["notes"])
    assert report["per_source"].get("types") == 1, report


@pytest.mark.sqlite_only
def test_a_backup_whose_directory_cannot_be_made_is_one_line(cli, seeded, db_url):
    store = Path(db_url.removeprefix("sqlite:///"))
    (store.parent / "backups").write_text("")  # where the backups directory would go
    result = cli("backup")
    assert result.code == 1
    assert "cannot make the backup directory" in one_line_error(result)


def test_report_ranges_have_a_documented_bound(cli, seeded):
    result = cli("report", "delivery", "--weeks", "99999999999999999999999")
    assert result.code == 2
    assert "weeks must be from 1 to 2,600 (50 years back)" in one_line_error(result)
    result = cli("report", "value", "--since", "0001-01-01")
    assert result.code == 2
    assert "--since 0001-01-01 is more than 50 years back" in one_line_error(result)


@pytest.mark.parametrize(
    "url", ["postgresql://u@h:notaport/db", "postgresql://u:secret@[::1/db", "://nothing"]
)
def test_a_malformed_store_url_is_one_line(cli, url):
    for args in (("list",), ("doctor",)):
        result = cli(*args, db=url)
        assert result.code == 1, args
        line = one_line_error(result)
        assert "cannot use store URL" in line
        assert "secret" not in line


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ("size_limit = 99999999999999999999", "size_limit must be from 1 to 33,554,432"),
        ("size_limit = 1e400", "size_limit must be a finite number"),
        ("file_budget = 1e300", "file_budget must be above 0 and at most 300"),
        ("churn_days = 999999999999", "churn_days must be from 1 to 18,250"),
        ("hotspot_top = 10000000000000000000000", "hotspot_top must be from 1 to 1,000"),
        ("lint_budget = " + "9" * 400, "lint_budget must be above 0 and at most 3,600"),
    ],
)
def test_a_scan_setting_out_of_bounds_is_refused_before_anything_is_scanned(
    cli, seeded, repo, setting, fragment
):
    (repo / "pyproject.toml").write_text(f"[tool.terragon.scan]\n{setting}\n")
    result = cli("scan")
    assert result.code == 1
    assert fragment in one_line_error(result)
    (repo / "pyproject.toml").unlink()
    assert stored_items(cli) == seeded  # nothing skipped, nothing resolved


def test_a_repository_cannot_raise_a_limit_above_the_users(cli, repo, own_dirs):
    user = own_dirs / "xdg_config_home" / "terragon-tui" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text("[limits]\nsize_limit = 2000\n")
    commit(
        repo,
        {
            "pyproject.toml": "[tool.terragon.scan]\nsize_limit = 30000000\n",
            "big.py": "# TODO: too big to read\n" + "x = 1\n" * 1000,
        },
    )
    report = json.loads(cli("scan", "--json").out)
    assert {"path": "big.py", "reason": "larger than the size limit (2000 bytes)"} in report[
        "skipped"
    ]
    assert any(
        "size_limit: the repository's 30,000,000 is above your limit of 2,000" in note
        for note in report["notes"]
    )
    user.write_text("[limits]\nsize_limit = 1e300\n")  # the user's own are bounded too
    result = cli("scan")
    assert result.code == 1
    assert "[limits].size_limit must be from 1 to 33,554,432" in one_line_error(result)


def test_an_error_echoing_a_huge_value_is_cut_to_one_short_line(cli, seeded, repo):
    (repo / "pyproject.toml").write_text(f'[tool.terragon]\nmaturity = "{"A" * 5_000_000}"\n')
    result = cli("list")
    assert result.code == 1
    line = one_line_error(result)
    assert len(line) <= 300
    assert "maturity must be one of" in line and "…" in line
    (repo / "pyproject.toml").unlink()
    result = cli("list", "--status", "B" * 200_000)
    line = one_line_error(result)
    assert len(line) <= 300
    assert line.startswith("terragon: error: unknown status 'BBB")
    assert "B'; choose one of: open, " in line  # how to put it right survives the cut
    assert "…" in line
