"""Decisions at the source: `terragon ignore` writes the repository's config (keeping its
comments), closes what it covers, and the next scan respects it."""

from __future__ import annotations

import json
import tomllib

from ..conftest import git

PYPROJECT = """\
# the project's own notes
[project]
name = "dice"  # keep this comment

[tool.ruff]
line-length = 100
"""


def _dice(cli, repo):
    (repo / "tests").mkdir(exist_ok=True)
    (repo / "src").mkdir(exist_ok=True)
    dice = "import random\n\n\ndef roll():\n    return random.random()\n"
    (repo / "tests" / "test_a.py").write_text(dice)
    (repo / "src" / "game.py").write_text(dice)
    (repo / "pyproject.toml").write_text(PYPROJECT)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "dice")
    assert cli("scan").code == 0
    return json.loads(cli("list", "--json", "-n", "1000").out)["items"]


def _b311(rows):
    return {row["file"]: row for row in rows if row["rule"] == "B311"}


def test_ignore_a_rule_under_a_path_writes_the_config_closes_and_a_rescan_respects_it(cli, repo):
    before = _b311(_dice(cli, repo))
    assert set(before) >= {"tests/test_a.py", "src/game.py"}, before
    done = cli("ignore", "--rule", "B311", "--path", "tests/**", "-r", "random is fine in tests")
    assert done.code == 0, done.err
    assert "Added 'B311:tests/**' to ignore_rules in pyproject.toml." in done.out
    text = (repo / "pyproject.toml").read_text()
    assert text.startswith(PYPROJECT)  # comments and layout kept, the setting added after
    assert tomllib.loads(text)["tool"]["terragon"]["scan"]["ignore_rules"] == ["B311:tests/**"]
    rows = {
        r["id"]: r for r in json.loads(cli("list", "--all", "--json", "-n", "1000").out)["items"]
    }
    assert rows[before["tests/test_a.py"]["id"]]["status"] == "rejected"
    assert rows[before["src/game.py"]["id"]]["status"] == "open"
    rescan = json.loads(cli("scan", "--json").out)
    assert rescan["new"] == []  # the ignored finding is not found again as a new item
    assert any(s["reason"] == "ignore_rules: B311:tests/**" for s in rescan["suppressed"]["items"])
    after = _b311(json.loads(cli("list", "--json", "-n", "1000").out)["items"])
    assert set(after) == {"src/game.py"}


def test_ignore_a_path_adds_to_exclude_and_twice_adds_once(cli, repo):
    _dice(cli, repo)
    assert cli("ignore", "--path", "tests/**", "-r", "fixtures").code == 0
    assert cli("ignore", "--path", "tests/**", "-r", "fixtures").code == 0
    scan = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["terragon"]["scan"]
    assert scan["exclude"] == ["tests/**"]
    assert "tests/test_a.py" not in _b311(
        json.loads(cli("list", "--json", "-n", "99").out)["items"]
    )


def test_ignore_without_a_pyproject_writes_terragons_own_config(cli, repo):
    (repo / "pyproject.toml").unlink(missing_ok=True)
    done = cli("ignore", "--rule", "hotspot", "--json")
    assert done.code == 0, done.err
    assert json.loads(done.out)["file"] == ".terragon/config.toml"
    own = tomllib.loads((repo / ".terragon" / "config.toml").read_text())
    assert own["scan"]["ignore_rules"] == ["hotspot"]


def test_ignore_refuses_bad_input_and_a_config_it_cannot_change(cli, repo):
    assert cli("ignore").code == 2
    assert "not a rule name" in cli("ignore", "--rule", "B3:11").err
    (repo / "pyproject.toml").write_text("[tool.terragon]\nscan = 3\n")
    broken = cli("ignore", "--rule", "B311")
    assert broken.code != 0 and "pyproject.toml" in broken.err
    assert (repo / "pyproject.toml").read_text() == "[tool.terragon]\nscan = 3\n"
