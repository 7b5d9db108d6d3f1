"""`terragon serve`: the TUI in a web browser, one session per tab, through textual-serve."""

from __future__ import annotations

import errno
import ipaddress
import shlex
import socket
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from ..core.errors import TerragonError, UsageError
from . import common

if TYPE_CHECKING:  # imported where used, as the rest of the command line does
    from ..backlog.workspace import Workspace

_F = typer.Option
INSTALL_HINT = "terragon serve needs textual-serve: pip install 'terragon-tui[serve]'"
SERVE_HELP = (
    "Serve the TUI to web browsers on HOST:PORT, each tab its own session on this repository "
    "and store.\n\n"
    "It listens on 127.0.0.1 (this machine only) unless told otherwise: anyone who can reach "
    "the address can drive the TUI and change the backlog, so any other address prints a "
    "warning. Ctrl+C stops it.\n\n"
    "Examples:\n"
    "  terragon serve                          http://127.0.0.1:3000\n"
    "  terragon serve --port 8080\n"
    "  terragon serve --host 0.0.0.0 --public-url http://devbox:3000"
)


def session_command(root: Path, db: str | None) -> str:
    """The shell command textual-serve runs for each browser session: the TUI on the same
    repository and store as this invocation, every argument quoted for the shell (which
    hands its process over to the TUI: `exec`)."""
    args = [sys.executable, "-m", "terragon_tui", "--repo", str(root)]
    if db is not None:
        args += ["--db", db]
    return "exec " + shlex.join([*args, "serve", "--session"])


#: One address getaddrinfo gives: family, socket kind, protocol, canonical name, address.
_Address = tuple[
    socket.AddressFamily,
    socket.SocketKind,
    int,
    str,
    tuple[str, int] | tuple[str, int, int, int] | tuple[int, bytes],
]


def _addresses(host: str, port: int) -> Sequence[_Address]:
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"cannot listen on {host!r}: {exc}") from None


def is_loopback(host: str, port: int = 0) -> bool:
    """Whether every address `host` names is this machine's loopback, reachable from it alone."""
    found = _addresses(host, port)
    return bool(found) and all(
        ipaddress.ip_address(str(sockaddr[0]).split("%")[0]).is_loopback for *_, sockaddr in found
    )


def check_can_listen(host: str, port: int) -> None:
    """Raise a one-line error unless a server can listen on `host`:`port` now (a port in use,
    one that needs privileges, an address that is not this machine's)."""
    for family, kind, proto, _, sockaddr in _addresses(host, port):
        with socket.socket(family, kind, proto) as probe:
            # as the server itself does, so a port left in TIME_WAIT counts as free
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(sockaddr)
            except OSError as exc:
                raise TerragonError(_listen_error(host, port, exc)) from None


def _listen_error(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is in use; choose another with --port"
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; choose one above 1023 with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine; give one with --host"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def public_url(host: str, port: int, given: str | None) -> str:
    """The address browsers are sent to (the page's websocket too): `given`, checked, or the
    one the server listens on."""
    if given is None:
        shown = f"[{host}]" if ":" in host else host  # an IPv6 address, as URLs write it
        return f"http://{shown}:{port}"
    parts = urlsplit(given)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(
            f"--public-url {given!r} is not an http:// or https:// address (host[:port][/path])"
        )
    return given.rstrip("/")


def serve(
    root: Path,
    db: str | None,
    *,
    host: str = "127.0.0.1",
    port: int = 3000,
    public: str | None = None,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] = print,
) -> None:
    """Serve the TUI on `root` and the store `db` to browsers until ctrl+c.

    A host other than loopback is served after a warning; a port that cannot be listened on
    is refused before anything is served.
    """
    url = public_url(host, port, public)
    try:
        from .web_server import BacklogServer
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("textual_serve", "aiohttp", "aiohttp_jinja2"):
            raise TerragonError(INSTALL_HINT) from None
        raise
    if not is_loopback(host, port):
        warn(
            f"warning: serving on {host}, not this machine alone: anyone who can reach it "
            "can drive the TUI and change the backlog"
        )
    check_can_listen(host, port)
    server = BacklogServer(
        session_command(root, db),
        host=host,
        port=port,
        public_url=url,
        title=f"terragon · {root.name}",
        say=say,
    )
    try:
        server.serve()
    except OSError as exc:  # another process took the port since the check
        raise TerragonError(_listen_error(host, port, exc)) from None
    say("stopped")


def _check_settings(ws: Workspace) -> None:
    """Read the settings each session's TUI reads, so a bad one stops here, not in a tab."""
    from ..backlog.scoring_settings import scoring_settings
    from ..backlog.user_config import load_user_config

    load_user_config()
    with ws.reading() as session:
        scoring_settings(ws, session)


def _end_with_the_server(every: float = 0.5) -> None:
    """End this session when the server that started it is gone (killed, not stopped), as
    nobody can reach its TUI any more; the store's transactions make the abrupt end safe."""
    import os
    import threading
    import time

    server = os.getppid()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-the-server", daemon=True).start()


def serve_cmd(
    ctx: typer.Context,
    host: Annotated[
        str, _F("--host", metavar="ADDRESS", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[int, _F("--port", "-p", min=1, max=65535, help="Port to listen on.")] = 3000,
    public: Annotated[
        str | None,
        _F(
            "--public-url",
            metavar="URL",
            help="Address browsers use to reach the server, behind a proxy or with a --host "
            "of 0.0.0.0 (default: http://HOST:PORT).",
        ),
    ] = None,
    session: Annotated[bool, _F("--session", hidden=True)] = False,
) -> None:
    from ..core.text import printable

    state = ctx.ensure_object(common.State)
    ws = state.workspace()  # a repository or store that cannot open fails here, in one line
    if session:  # one browser tab's TUI, run by textual-serve with its web driver
        _end_with_the_server()
        common.run_tui(ws)
        return
    _check_settings(ws)
    root = ws.root
    ws.close()

    def say(line: str) -> None:
        common.console.print(printable(f"terragon: {line}", single_line=True), markup=False)

    def warn(line: str) -> None:
        sys.stderr.write(printable(f"terragon: {line}", single_line=True) + "\n")
        sys.stderr.flush()

    serve(root, state.db, host=host, port=port, public=public, say=say, warn=warn)
