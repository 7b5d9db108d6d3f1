"""`terragon list` on a real terminal (a pty): the pager, --no-pager, pipes, one screenful."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from terragon_tui.backlog.listing import list_items
from terragon_tui.cli.paging import can_run, pager_command
from tests.conftest import suggest

#: A pty and a child process per test; the store side is covered by the other command tests.
pytestmark = pytest.mark.sqlite_only

ITEMS = 40
ROWS, COLUMNS = 20, 100
PROGRAM = "import sys; from terragon_tui.cli import main; main(sys.argv[1:])"
#: A pager that records what it was given, and the LESS it was run with.
RECORDER = """
import os, sys
from pathlib import Path
Path(sys.argv[1]).write_text(sys.stdin.read())
Path(sys.argv[1] + ".less").write_text(os.environ.get("LESS", "<unset>"))
"""
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def backlog(ws) -> list[str]:
    """A backlog of 40 open items, longer than one 20-line screen; their IDs, best first."""
    for n in range(ITEMS):
        suggest(ws, f"Feature number {n}", impact=1 + n % 9)
    keys = [entry.item.key for entry in list_items(ws)]
    ws.close()
    return keys


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[str, Path]:
    """A $PAGER command line, and the file it writes what it was given to."""
    script = tmp_path / "recorder.py"
    script.write_text(RECORDER)
    record = tmp_path / "paged.txt"
    return f"{sys.executable} {script} {record}", record


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    """The child's environment: no size, pager or LESS of the caller's, and `values`."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("COLUMNS", "LINES", "PAGER", "TERRAGON_PAGER", "LESS", "FORCE_COLOR")
    }
    env.update(TERM="xterm-256color", XDG_CONFIG_HOME=str(tmp_path / "config"), **values)
    return env


def on_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run `terragon ARGS` with a 100x20 pty as its terminal; what the terminal showed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-c", PROGRAM, *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    assert child.wait(timeout=120) == 0, shown.decode("utf-8", "replace")
    os.close(leader)
    return ANSI.sub("", shown.decode("utf-8", "replace")).replace("\r\n", "\n")


def listed(text: str, keys: list[str]) -> list[str]:
    """The item IDs that appear in `text`, in backlog order."""
    return [key for key in keys if re.search(rf"\b{key}\b", text)]


def args_for(repo: Path, db_url: str, *extra: str) -> list[str]:
    return ["--db", db_url, "-C", str(repo), "list", *extra]


def test_a_terminal_pages_through_pager_with_colours(backlog, recorder, repo, db_url, tmp_path):
    command, record = recorder
    shown = on_terminal(args_for(repo, db_url), environment(tmp_path, PAGER=command))
    paged = record.read_text()
    assert listed(ANSI.sub("", paged), backlog) == backlog
    assert "\x1b[" in paged  # the styles go to the pager, for less -R
    assert Path(f"{record}.less").read_text() == "FRX"
    assert listed(shown, backlog) == []  # the pager had the rows, not the terminal


def test_terragon_pager_wins_over_pager_and_less_is_respected(
    backlog, recorder, repo, db_url, tmp_path
):
    command, record = recorder
    env = environment(tmp_path, TERRAGON_PAGER=command, PAGER="false", LESS="-i")
    on_terminal(args_for(repo, db_url), env)
    assert listed(record.read_text(), backlog) == backlog
    assert Path(f"{record}.less").read_text() == "-i"


@pytest.mark.parametrize("switch", [["--no-pager"], ["--json"]])
def test_no_pager_and_json_print_everything_to_the_terminal(
    switch, backlog, recorder, repo, db_url, tmp_path
):
    command, record = recorder
    shown = on_terminal(args_for(repo, db_url, *switch), environment(tmp_path, PAGER=command))
    assert not record.exists()
    assert listed(shown, backlog) == backlog


@pytest.mark.parametrize("value", ["", "cat"])
def test_an_empty_pager_or_cat_turns_paging_off(value, backlog, repo, db_url, tmp_path):
    shown = on_terminal(args_for(repo, db_url), environment(tmp_path, PAGER=value))
    assert listed(shown, backlog) == backlog


def test_a_pipe_gets_every_row_and_no_pager(backlog, recorder, repo, db_url, tmp_path):
    command, record = recorder
    env = environment(tmp_path, PAGER=command)
    for extra in ([], ["--json"]):
        done = subprocess.run(
            [sys.executable, "-c", PROGRAM, *args_for(repo, db_url, *extra)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert not record.exists()
        assert "\x1b[" not in done.stdout
        assert listed(done.stdout, backlog) == backlog
    assert [r["id"] for r in json.loads(done.stdout)["items"]] == backlog


def test_without_a_pager_program_one_screenful_says_how_many_more(backlog, repo, db_url, tmp_path):
    nowhere = tmp_path / "empty-path"
    nowhere.mkdir()  # no less, no more: nothing to page with
    shown = on_terminal(args_for(repo, db_url), environment(tmp_path, PATH=str(nowhere)))
    lines = shown.rstrip("\n").split("\n")
    assert len(lines) <= ROWS - 1  # the table, the note, and the prompt's line fit one screen
    visible = listed(shown, backlog)
    assert visible == backlog[: len(visible)] and 0 < len(visible) < ITEMS
    assert lines[-1] == f"{ITEMS - len(visible)} more: -n {ITEMS} or --no-pager prints them all"


def test_without_a_pager_program_n_prints_what_was_asked(backlog, repo, db_url, tmp_path):
    nowhere = tmp_path / "empty-path"
    nowhere.mkdir()
    env = environment(tmp_path, PAGER="no-such-pager --flag")
    shown = on_terminal(args_for(repo, db_url, "-n", "30"), {**env, "PATH": str(nowhere)})
    assert listed(shown, backlog) == backlog[:30]
    assert "more:" not in shown


def test_pager_command_follows_git_order():
    assert pager_command({}) == "less -R"
    assert pager_command({"PAGER": "most"}) == "most"
    assert pager_command({"PAGER": "most", "TERRAGON_PAGER": "less -S"}) == "less -S"
    assert pager_command({"TERRAGON_PAGER": " ", "PAGER": "most"}) is None
    assert pager_command({"PAGER": "cat"}) is None


def test_can_run_looks_the_program_up_on_path(tmp_path):
    assert can_run(f"{sys.executable} -q")
    assert not can_run("no-such-pager -R", {"PATH": str(tmp_path)})
    assert not can_run("less 'unbalanced", {"PATH": os.environ.get("PATH", "")})
    assert not can_run("   ")
