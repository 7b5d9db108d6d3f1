"""The textual-serve web server that runs one TUI session per browser tab."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable

from aiohttp import web
from textual_serve.server import Server

from ..core.text import printable


class _PrintableFormatter(logging.Formatter):
    """Log lines with what a browser sent (a path, a user agent) unable to drive the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        return "\n".join(printable(line) for line in super().format(record).splitlines())


class BacklogServer(Server):
    """textual-serve's server, announcing itself in the product's own words instead of a logo
    and logging only what goes wrong, not every request."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str,
        title: str,
        say: Callable[[str], None],
    ) -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self._say = say
        self._sessions: set[asyncio.Task[object]] = set()

    def initialize_logging(self) -> None:
        """Send textual-serve's and aiohttp's warnings and errors to stderr, escaped."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_PrintableFormatter("terragon: %(name)s: %(message)s"))
        for name in ("textual-serve", "aiohttp"):
            logger = logging.getLogger(name)
            logger.setLevel(logging.DEBUG if self.debug else logging.WARNING)
            logger.handlers[:] = [handler]
            logger.propagate = False

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Run one browser tab's session, noted so that stopping the server ends it."""
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            self._sessions.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        """End every open session (its TUI is asked to quit) before the server stops: aiohttp
        would otherwise wait a minute for the tabs' connections, and leave their TUIs running."""
        sessions = list(self._sessions)
        for task in sessions:
            task.cancel()
        if sessions:
            await asyncio.wait(sessions, timeout=10)

    async def on_startup(self, app: web.Application) -> None:
        """Say where the backlog is served once the server is about to listen."""
        self._say(f"serving the TUI on {self.public_url} (ctrl+c stops)")
