"""`terragon config show` names where each setting came from; `config init` starts a config."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

PYPROJECT = (
    "# the project's own comment\n"
    '[project]\nname = "demo"  # kept as written\n\n'
    "[tool.ruff]\nline-length = 99\n"
)


@pytest.fixture
def user_dir(tmp_path, monkeypatch) -> Path:
    """The user's config directory, of the test's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "xdg" / "terragon-tui"
    path.mkdir(parents=True)
    return path


def test_show_names_the_source_of_each_setting(cli, repo, user_dir):
    (repo / "pyproject.toml").write_text(
        "[tool.terragon]\nmaturity = 'advanced'\n\n[tool.terragon.weights]\nwsjf = 1\n"
    )
    (repo / ".terragon").mkdir()
    (repo / ".terragon" / "config.toml").write_text(
        "[weights]\nwsjf = 3\n[scan]\nchurn-days = 30\n"
    )
    (user_dir / "config.toml").write_text("theme = 'nord'\n[limits]\nfile_budget = 5\n")
    result = cli("config", "show", "--json")
    assert result.code == 0, result.err
    shown = json.loads(result.out)
    assert shown["schema"] == "terragon.config/1"
    found = {row["key"]: (row["value"], row["source"]) for row in shown["settings"]}
    assert found["maturity"] == ("advanced", "pyproject.toml")
    assert found["weights.wsjf"] == (3, ".terragon/config.toml")  # read after pyproject.toml
    assert found["scan.churn_days"] == (30, ".terragon/config.toml")
    assert found["scan.mi_rank"] == ("B", "default")
    assert found["user.theme"] == ("nord", "user config")
    assert found["user.limits.file_budget"] == (5, "user config")
    assert found["store"] == (cli.db_url, "option (--db)")

    human = cli("config", "show")
    assert human.code == 0 and "pyproject.toml" in human.out and "user config" in human.out


def test_show_names_the_environment_for_the_store(repo, user_dir, monkeypatch):
    from terragon_tui.backlog.settings_in_force import settings_in_force

    monkeypatch.setenv("TERRAGON_DB", "sqlite:///elsewhere.db")
    rows = settings_in_force(repo, user_dir / "config.toml")
    [store] = [row.as_dict() for row in rows if row.key == "store"]
    assert store == {
        "key": "store",
        "value": "sqlite:///elsewhere.db",
        "source": "environment (TERRAGON_DB)",
    }


def test_show_hides_the_password_of_a_store_url(repo, user_dir):
    from terragon_tui.backlog.settings_in_force import settings_in_force

    rows = settings_in_force(repo, user_dir / "config.toml", "postgresql://me:s3cret@db/terragon")
    [store] = [row for row in rows if row.key == "store"]
    assert store.value == "postgresql://me:***@db/terragon"
    assert store.source == "option (--db)"


def test_show_lists_only_what_the_files_set_over_the_scan_defaults(repo, user_dir):
    from terragon_tui.backlog.settings_in_force import settings_in_force

    (repo / "pyproject.toml").write_text(
        "[tool.terragon]\n[tool.terragon.weights]\n[tool.terragon.scan]\nexclude = ['v/**']\n"
    )
    found = {row.key: (row.value, row.source) for row in settings_in_force(repo, user_dir / "u")}
    assert found["scan.exclude"] == (["v/**"], "pyproject.toml")
    assert not [key for key in found if not key.startswith(("scan.", "store"))]  # empty tables


def test_show_refuses_a_key_the_user_config_does_not_know(cli, repo, user_dir):
    (user_dir / "config.toml").write_text("theme = 'nord'\nthem = 'typo'\n")
    result = cli("config", "show")
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line.endswith(
        "config.toml has unknown key 'them'; known keys: keymap, theme, limits, views"
    )


def test_show_stops_at_a_wrong_value_with_the_one_line_error(cli, repo, user_dir):
    (repo / "pyproject.toml").write_text("[tool.terragon.weights]\nwsjf = 'x'\n")
    result = cli("config", "show")
    assert result.code == 1
    [line] = result.err.splitlines()
    assert f"{repo / 'pyproject.toml'}: tool.terragon.weights.wsjf must be a number" in line


def test_init_keeps_the_file_byte_for_byte_and_the_starter_reads_back(cli, repo, user_dir):
    from terragon_tui.config.project import load_project_config

    path = repo / "pyproject.toml"
    path.write_bytes(PYPROJECT.encode())
    result = cli("config", "init")
    assert result.code == 0, result.err
    written = path.read_text()
    assert written.startswith(PYPROJECT)
    assert "[tool.terragon]\n# " in written and "# maturity = " in written
    load_project_config(repo)  # no error: the starter is valid settings
    assert cli("config", "show").code == 0


def test_init_creates_a_missing_pyproject(cli, repo, user_dir):
    from terragon_tui.cli.config import STARTER

    assert cli("config", "init").code == 0
    assert (repo / "pyproject.toml").read_text() == STARTER


def test_a_second_init_is_refused_in_one_line_and_changes_nothing(cli, repo, user_dir):
    path = repo / "pyproject.toml"
    path.write_text(PYPROJECT)
    assert cli("config", "init").code == 0
    before = path.read_bytes()
    result = cli("config", "init")
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line == f"terragon: error: {path}: tool.terragon exists already; edit it by hand instead"
    assert path.read_bytes() == before


def test_init_refuses_a_file_that_is_not_toml(cli, repo, user_dir):
    path = repo / "pyproject.toml"
    path.write_text("[project\n")
    result = cli("config", "init")
    assert result.code == 1 and "invalid TOML" in result.err
    assert path.read_text() == "[project\n"


def test_init_keeps_a_file_with_windows_line_ends_byte_for_byte(cli, repo, user_dir):
    path = repo / "pyproject.toml"
    before = PYPROJECT.replace("\n", "\r\n").encode()
    path.write_bytes(before)
    assert cli("config", "init").code == 0
    assert path.read_bytes().startswith(before)


def test_init_keeps_the_files_permissions(cli, repo, user_dir):
    path = repo / "pyproject.toml"
    path.write_text(PYPROJECT)
    path.chmod(0o640)
    assert cli("config", "init").code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in repo.iterdir() if p.name.endswith(".tmp")] == []
