"""`terragon serve`: the command each browser session runs, the address checks and warnings."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from textual_serve.server import Server

from terragon_tui.cli.serve import is_loopback, public_url, session_command
from tests.conftest import make_repo

#: What these test is git and scanning; both stores are covered by the store and
#: command tests, so they run on SQLite alone.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def started(monkeypatch) -> list[Server]:
    """The servers `terragon serve` would start, recorded instead of served."""
    servers: list[Server] = []
    monkeypatch.setattr(Server, "serve", lambda self, debug=False: servers.append(self))
    return servers


def test_the_session_command_runs_the_tui_on_the_same_repository_and_store(cli, started, repo):
    result = cli("serve")
    assert result.code == 0, result.err
    (server,) = started
    assert shlex.split(server.command) == [
        *("exec", sys.executable),
        *("-m", "terragon_tui", "--repo", str(repo.resolve()), "--db", cli.db_url),
        *("serve", "--session"),
    ]
    assert (server.host, server.port) == ("127.0.0.1", 3000)
    assert server.public_url == "http://127.0.0.1:3000"
    assert result.err == ""  # loopback: no warning


def test_a_path_and_store_the_shell_would_misread_reach_the_session_as_they_are(tmp_path):
    root = make_repo(tmp_path / "it's $(touch pwned) `id` ; a repo")
    db = f"sqlite:///{tmp_path}/store & $HOME.db"
    command = session_command(root, db)
    # the shell textual-serve runs it with sees exactly these arguments, and runs nothing else
    shown = subprocess.run(
        ["sh", "-c", "printf '%s\\n' " + command], capture_output=True, text=True, check=True
    )
    assert shown.stdout.splitlines()[5:8] == [str(root), "--db", db]
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_without_a_store_option_the_session_uses_the_same_default(tmp_path):
    assert "--db" not in shlex.split(session_command(tmp_path, None))


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_loopback_addresses(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10"])
def test_other_addresses_are_not_loopback(host):
    assert not is_loopback(host)


def test_any_other_address_is_served_after_a_one_line_warning(cli, started):
    result = cli("serve", "--host", "0.0.0.0", "--port", "3999")
    assert result.code == 0
    (warning,) = result.err.splitlines()
    assert warning.startswith("terragon: warning: serving on 0.0.0.0")
    assert "anyone who can reach it can drive the TUI and change the backlog" in warning
    assert (started[0].host, started[0].port) == ("0.0.0.0", 3999)


def test_a_port_in_use_is_one_line_and_exit_1(cli, started):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.code == 1
    assert (
        result.err
        == f"terragon: error: port {port} on 127.0.0.1 is in use; choose another with --port\n"
    )
    assert started == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--port", "0"), "--port"),
        (("--port", "70000"), "--port"),
        (("--host", "no-such-host.invalid"), "cannot listen on 'no-such-host.invalid'"),
        (("--public-url", "javascript:alert(1)"), "is not an http:// or https:// address"),
    ],
)
def test_bad_addresses_are_refused_with_exit_2(cli, started, args, says):
    result = cli("serve", *args)
    assert result.code == 2
    assert says in result.err
    assert started == []


def test_a_public_url_is_what_the_page_sends_browsers_to(cli, started):
    result = cli("serve", "--host", "0.0.0.0", "--public-url", "https://backlog.example.org/")
    assert result.code == 0
    assert started[0].public_url == "https://backlog.example.org"


def test_an_ipv6_address_is_bracketed_in_the_url():
    assert public_url("::1", 3000, None) == "http://[::1]:3000"


def test_without_textual_serve_it_says_how_to_install_it(cli, started, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # import fails as if absent
    monkeypatch.delitem(sys.modules, "terragon_tui.cli.web_server", raising=False)
    result = cli("serve")
    assert result.code == 1
    assert result.err == (
        "terragon: error: terragon serve needs textual-serve: pip install 'terragon-tui[serve]'\n"
    )


def test_a_store_that_cannot_open_fails_before_serving(cli, started, tmp_path):
    (tmp_path / "notes.db").write_text("not a database\n" * 100)
    result = cli("serve", db=f"sqlite:///{tmp_path / 'notes.db'}")
    assert result.code == 1
    assert len(result.err.splitlines()) == 1
    assert started == []
