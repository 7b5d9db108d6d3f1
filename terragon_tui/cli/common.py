"""What every command shares: the console, the workspace of this run, JSON output, the TUI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console

if TYPE_CHECKING:  # imported where used: `--version` and `--help` open no store
    from collections.abc import Callable

    from ..backlog.plain_reads import BacklogReader
    from ..backlog.workspace import Workspace

T = TypeVar("T")

console = Console(highlight=False, soft_wrap=True)


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


class State:
    """The run's global options, and the workspace they name once a command opens it."""

    def __init__(self, db: str | None, repo: Path | None) -> None:
        self.db, self.repo = db, repo
        self._ws: Workspace | None = None

    def workspace(self) -> Workspace:
        """The workspace of the run, opened on first use."""
        if self._ws is None:
            from ..backlog.workspace import open_workspace

            self._ws = open_workspace(self.repo, self.db)
        return self._ws


def workspace(ctx: typer.Context) -> Workspace:
    """The workspace of the command's run."""
    return ctx.ensure_object(State).workspace()


def read_backlog(ctx: typer.Context, question: Callable[[BacklogReader], T]) -> T:
    """`question`'s answer on the run's backlog: from a plain read of the store, which spares
    `next`, `show` and `list` SQLAlchemy's start-up, or, when the store must be opened proper
    (a store to create or migrate, PostgreSQL...), through the run's workspace."""
    from ..backlog.plain_reads import answer

    state = ctx.ensure_object(State)
    answered = answer(state.repo, state.db, question)
    if answered is not None:
        return answered[0]
    from ..backlog.listing import StoredBacklog

    return question(StoredBacklog(state.workspace()))


def print_json(shape: str, fields: dict[str, Any] | None = None, /, **named: Any) -> None:
    """Print a `shape` document of the JSON contract: its `schema`, `fields` and `named` keys."""
    from ..reports.contract import document
    from ..reports.records import to_json

    sys.stdout.write(to_json(document(shape, fields, **named)) + "\n")


def run_tui(ws: Workspace) -> None:
    """Open the triage TUI on a workspace; a bad setting stops it before it starts, in one line."""
    from ..backlog.scoring_settings import scoring_settings
    from ..backlog.user_config import load_user_config
    from ..core import waiting
    from ..tui.app import TerragonApp, settle_memory

    user = load_user_config()
    with ws.reading() as session:
        scoring_settings(ws, session)  # the repository's maturity, weights and boosts
    waiting.listener = None  # the TUI says a write is waiting in its own window
    app = TerragonApp(ws, user, first_scan=True)
    settle_memory()
    app.run()
