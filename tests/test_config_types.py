"""Config files with values of the wrong kind: one line naming the file and key, never a crash."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from terragon_tui.backlog.user_config import UserConfig, load_user_config
from terragon_tui.config.project import load_project_config
from terragon_tui.core.errors import ConfigError

PYPROJECT = "pyproject.toml"
OWN = ".terragon/config.toml"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        (PYPROJECT, "[tool.terragon]\nweights = 'abc'\n", "tool.terragon.weights must be a table"),
        (PYPROJECT, "[tool.terragon.weights]\nwsjf = 'x'\n", "tool.terragon.weights.wsjf must"),
        (PYPROJECT, "[tool.terragon]\nmaturity = 3\n", "tool.terragon.maturity must be a string"),
        (PYPROJECT, "[tool.terragon]\nboosts = [2, 3]\n", "tool.terragon.boosts must be a table"),
        (PYPROJECT, "[tool.terragon]\nscan = 'fast'\n", "tool.terragon.scan must be a table"),
        (PYPROJECT, "[tool.terragon.scan]\nchurn_days = 'x'\n", "scan.churn_days must be a"),
        (PYPROJECT, "[tool.terragon.scan]\nexclude = 'vendor'\n", "scan.exclude must be a list"),
        (PYPROJECT, "[tool.terragon.scan]\nexclude = [1, 2]\n", "scan.exclude must be a list"),
        (PYPROJECT, "[tool.terragon.scan]\ncomplexity_rank = 'Z'\n", "scan.complexity_rank must"),
        (PYPROJECT, "[tool.terragon.scan]\nsize_limit = -5\n", "scan.size_limit must be from 1 to"),
        (PYPROJECT, "[tool.terragon.scan]\nfile_budget = nan\n", "scan.file_budget must be a"),
        (PYPROJECT, "[tool.terragon.scan]\ndependencies_budget = 0\n", "dependencies_budget must"),
        (PYPROJECT, "[tool.terragon]\nmaturity = 'legendary'\n", "maturity must be one of"),
        (PYPROJECT, "[tool.terragon.weights]\nwsjf = -1\n", "weights.wsjf must not be negative"),
        (PYPROJECT, "[tool.terragon.weights]\nspeed = 1\n", "weights has unknown key 'speed'"),
        (PYPROJECT, "tool = 'x'\n", "tool must be a table"),
        (PYPROJECT, "[tool]\nterragon = 'x'\n", "tool.terragon must be a table"),
        (PYPROJECT, "[tool.terragon\n", "invalid TOML"),
        (OWN, "weights = 'abc'\n", "config.toml: weights must be a table"),
        (OWN, "[weights]\nwsjf = 'x'\n", "config.toml: weights.wsjf must be a number"),
        (OWN, "maturity = 3\n", "config.toml: maturity must be a string"),
        (OWN, "[scan]\nmi_rank = 'Q'\n", "config.toml: scan.mi_rank must be one of"),
        (OWN, "maturity = 'legendary'\n", "config.toml: maturity must be one of nascent,"),
        (OWN, "[boosts]\nsecurity = 0\n", "config.toml: boosts.security must be above 0"),
        (OWN, "[boosts]\nsecurity = 1e200\n", "boosts.security must be above 0 and at most"),
        (OWN, "[boosts]\nspeed = 2\n", "config.toml: boosts has unknown key 'speed'"),
        (OWN, "colour = 'blue'\n", "config.toml has unknown key 'colour'"),
        (OWN, "weights = \n", "invalid TOML"),
        (OWN, b"maturity = 'caf\xe9'\n", "not UTF-8"),
    ],
)
def test_a_wrong_value_in_a_project_config_is_one_line_naming_file_and_key(
    cli, repo, name, content, fragment
):
    path = repo / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = cli("list")
    assert result.code == 1
    assert result.out == ""
    [line] = result.err.splitlines()
    assert line.startswith("terragon: error: ")
    assert str(path) in line
    assert fragment in line


@pytest.mark.parametrize("command", [("scan",), ("list",), ("weights",), ("export", "backlog")])
def test_every_command_refuses_a_config_value_out_of_range(cli, repo, command):
    (repo / PYPROJECT).write_text("[tool.terragon]\nmaturity = 'legendary'\n")
    result = cli(*command)
    assert result.code == 1 and result.out == ""
    [line] = result.err.splitlines()
    assert f"{repo / PYPROJECT}: tool.terragon.maturity must be one of" in line


def test_a_config_value_that_is_fine_is_still_read(repo):
    (repo / PYPROJECT).write_text("[tool.terragon.scan]\nchurn_days = 30.0\nexclude = ['x/**']\n")
    config = load_project_config(repo)
    assert config.scan == {"churn_days": 30.0, "exclude": ["x/**"]}


def test_the_tui_does_not_start_on_a_bad_project_config(cli, repo, monkeypatch):
    from terragon_tui.tui.app import TerragonApp

    started = []
    monkeypatch.setattr(TerragonApp, "run", lambda self: started.append(self))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli().code == 0 and len(started) == 1  # a terminal: `terragon` opens the TUI

    (repo / PYPROJECT).write_text("[tool.terragon]\nmaturity = 'legendary'\n")
    result = cli()
    assert result.code == 1
    [line] = result.err.splitlines()
    assert "'legendary'" in line and str(repo / PYPROJECT) in line
    assert len(started) == 1


def user_config(tmp_path: Path, monkeypatch, content: str | bytes) -> Path:
    """Write the user's config file where platformdirs looks for it."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "xdg" / "terragon-tui" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("keymap = 'C'\n", "[keymap] must map binding ids to keys"),
        ("[keymap]\n'backlog.complete' = 3\n", "[keymap] must map binding ids to keys"),
        ("[keymap]\n'backlog.complete' = ['C']\n", "[keymap] must map binding ids to keys"),
        ("theme = 3\n", "theme must be a string, got 3"),
        ("[keymap\n", "invalid TOML"),
        (b"theme = '\xff'\n", "not UTF-8"),
    ],
)
def test_a_wrong_value_in_the_user_config_is_one_line_and_the_tui_does_not_start(
    cli, tmp_path, monkeypatch, content, fragment
):
    from terragon_tui.tui.app import TerragonApp

    path = user_config(tmp_path, monkeypatch, content)
    with pytest.raises(ConfigError, match="^" + re.escape(str(path))) as caught:
        load_user_config()
    assert fragment in str(caught.value)

    started = []
    monkeypatch.setattr(TerragonApp, "run", lambda self: started.append(self))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    result = cli()
    assert result.code == 1
    [line] = result.err.splitlines()
    assert str(path) in line and fragment in line
    assert started == []


async def test_an_unknown_theme_and_unknown_keys_are_shown_not_fatal(ws, tmp_path):
    from terragon_tui.tui.app import TerragonApp
    from terragon_tui.tui.screens.backlog import BacklogScreen

    user = UserConfig(
        keymap={"no.such.binding": "z", "backlog.weights": "ctrl+shift+nonsense,", "app.help": ""},
        theme="[bold]no-such-theme\x1b[31m",
        path=tmp_path / "config.toml",
    )
    app = TerragonApp(ws, user)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BacklogScreen)
        [note] = [n.message for n in app._notifications if "theme" in n.message]
        assert note.startswith("Unknown theme '[bold]no-such-theme\\x1b[31m'")
        assert str(tmp_path / "config.toml") in note
