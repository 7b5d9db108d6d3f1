"""`terragon diff` and `terragon check` on a real repository with a feature branch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.generators import git, write

#: What these test is git and scanning; both stores are covered by the store and
#: command tests, so they run on SQLite alone.
pytestmark = pytest.mark.sqlite_only

SHELL = "import subprocess\n\n\ndef run(c):\n    return subprocess.call(c, shell=True)\n"


@pytest.fixture
def feature(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo repository on a branch that adds a shell call and a hostile TODO."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"shell.py": SHELL, "notes.py": "# TODO: see [x](http://e.vil) | <b>\x1b[31m\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature")
    return repo


def test_diff_tables_json_and_markdown(cli, feature: Path) -> None:  # type: ignore[no-untyped-def]
    table = cli("diff", "-j", "1")
    assert table.code == 0, table.err
    assert "3 introduced, 0 worsened, 0 resolved" in table.out
    assert "B602" in table.out and "\x1b[31m" not in table.out
    data = json.loads(cli("diff", "--json", "-j", "1").out)
    assert data["base"] == "merge-base with main"
    assert {c["rule"] for c in data["introduced"]} == {"B602", "B404", "todo"}
    assert data["worsened"] == [] and data["resolved"] == []
    md = cli("diff", "main", "-f", "md", "-j", "1").out
    assert md.startswith("### terragon diff\n")
    assert "#### Introduced (3)" in md and "| Score | Item | Where | Category |" in md
    todo = next(line for line in md.splitlines() if "TODO" in line)
    assert "\\[x\\]\\(http://e.vil\\) \\| \\<b\\>" in todo and "\x1b" not in todo
    assert todo.count(" | ") == 3  # the scanned pipe cannot open a column


def test_diff_writes_markdown_to_a_file(cli, feature: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "comment.md"
    assert cli("diff", "-o", str(target), "-j", "1").code == 0
    assert target.read_text().startswith("### terragon diff")
    bad = cli("diff", "-f", "xml")
    assert bad.code == 2 and "unknown format 'xml'" in bad.err


def test_check_exit_codes(cli, feature: Path) -> None:  # type: ignore[no-untyped-def]
    failed = cli("check", "-j", "1")  # new:severity>=high by default
    assert failed.code == 1
    assert failed.out.splitlines() == [
        "new:severity>=high: 1 new item: B602 subprocess_popen_with_shell_equals_true in "
        "shell.py:5 (shell.py:5)"
    ]
    two = cli("check", "--fail-on", "new:count>=3,new:security>=2", "--fail-on", "new:score>=99")
    assert two.code == 1 and len(two.out.splitlines()) == 2
    passed = cli("check", "--fail-on", "new:technical-debt>=2", "--base", "HEAD", "-j", "1")
    assert passed.code == 0 and passed.out.startswith("ok: none of new:technical-debt>=2 holds")
    bad = cli("check", "--fail-on", "new:severity>=urgent")
    assert bad.code == 2 and bad.out == ""
    assert bad.err.startswith("terragon: error: bad condition") and len(bad.err.splitlines()) == 1


def test_check_open_conditions_read_the_scanned_backlog(cli, feature: Path) -> None:  # type: ignore[no-untyped-def]
    unscanned = cli("check", "--fail-on", "open:security>=1")
    assert unscanned.code == 2 and "run `terragon scan`" in unscanned.err
    assert cli("scan", "-j", "1").code == 0
    held = cli("check", "--fail-on", "open:security>=1", "--json")
    assert held.code == 1
    data = json.loads(held.out)
    assert data["failed"] is True and data["diff"] is None and data["open_items"] >= 2
    assert data["reasons"][0].startswith("open:security>=1: 3 open security items: SEC-")
    assert "Add a SECURITY.md" in data["reasons"][0]


def test_sigterm_ends_a_diff_as_ctrl_c_does() -> None:
    import os
    import signal

    from terragon_tui.cli.diff import _terminated_as_interrupt

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt), _terminated_as_interrupt():
        os.kill(os.getpid(), signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) == before


def test_check_help_documents_the_grammar_and_its_default(cli) -> None:  # type: ignore[no-untyped-def]
    shown = cli("check", "--help")
    assert shown.code == 0
    assert "SCOPE:FIELD OP VALUE" in shown.out and "[default: new:severity>=high]" in shown.out
    assert "[default: the merge-base]" in cli("diff", "--help").out
