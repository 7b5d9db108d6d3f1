"""The `terragon` command: the root, every command registered in the order `--help` shows
them, and `main()`, which turns the user's errors into one line and an exit code."""

from __future__ import annotations

import inspect
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .. import __version__
from ..core.errors import TerragonError, UsageError
from . import (
    apply,
    common,
    config,
    diff,
    export,
    items,
    reports,
    roadmap,
    scan,
    schedule,
    serve,
    store,
)

app = typer.Typer(
    name="terragon",
    help=(
        "Turn a repository into a ranked value backlog.\n\n"
        "Bare `terragon`, run inside a "
        "repository on a terminal, opens the TUI (a first visit scans first); the commands "
        "below do the same work from a shell, and each takes --json for scripts.\n\n"
        "Examples:\n"
        "  terragon                  the TUI on the current repository\n"
        "  terragon scan && terragon next\n"
        "  terragon -C ../other list -n 10\n"
        "  terragon --install-completion   tab completion for your shell"
    ),
    no_args_is_help=False,
    add_completion=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
export_app = typer.Typer(help="Export the backlog as Markdown (the seed's layout), JSON or CSV.")
app.add_typer(export_app, name="export")


def _version(value: bool) -> None:
    if value:
        common.console.print(f"terragon {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="Store: a SQLite file or any SQLAlchemy URL "
            "\\[env: TERRAGON_DB; default: the user data directory].",
        ),
    ] = None,
    repo: Annotated[
        Path | None,
        typer.Option(
            "--repo", "-C", metavar="PATH", help="Repository to work on \\[default: cwd]."
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn a repository into a ranked value backlog."""
    ctx.obj = common.State(db, repo)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            common.run_tui(ctx.obj.workspace())
        else:  # a script or a pipe: the TUI cannot run, so teach the commands instead
            common.console.print(ctx.get_help())


def _fail(message: str, code: int) -> None:
    from ..core.errors import one_line

    sys.stderr.write(one_line(message) + "\n")
    sys.exit(code)


def check_arguments(args: list[str]) -> None:
    """Refuse an argument that is not UTF-8 text (Python holds its bytes as surrogates, which
    no store, report or terminal takes), naming it with those bytes shown as `\\xNN`."""
    for number, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            except UnicodeEncodeError:
                shown = arg.encode("utf-8", "backslashreplace").decode("ascii")
            raise UsageError(
                f"argument {number} ('{shown}') is not UTF-8 text; give every argument in UTF-8"
            ) from None


def _say_waiting(message: str, said: list[str]) -> None:
    """Print, once per command, that it waits for another process's hold on the store."""
    from ..core.text import printable

    if not said:
        said.append(message)
        sys.stderr.write(printable(f"terragon: {message}", single_line=True) + "\n")
        sys.stderr.flush()


def _flowed(text: str) -> str:
    """`text` with each paragraph's lines joined, as `--help` should wrap it to the terminal.

    Rich help keeps a docstring's line breaks, which cut its first sentence mid-way in the
    command list. Indented lines (examples) and the line after one ending in a colon keep
    theirs.
    """
    out: list[str] = []
    for line in inspect.cleandoc(text).splitlines():
        previous = out[-1] if out else ""
        joins = line.strip() and previous.strip() and not line.startswith((" ", "-", "*"))
        if joins and not previous.startswith(" ") and not previous.rstrip().endswith(":"):
            out[-1] = f"{previous.rstrip()} {line.strip()}"
        else:
            out.append(line)
    return "\n".join(out)


def _flow_help(typer_app: typer.Typer) -> None:
    """Flow the help of every command and group under `typer_app` (see `_flowed`)."""
    for info in typer_app.registered_commands:
        doc = info.help or (inspect.getdoc(info.callback) if info.callback else None)
        if doc:
            info.help = _flowed(doc)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _flow_help(group.typer_instance)


def _store_failure(exc: Exception) -> object | None:
    """What the database driver said, if `exc` is its error; None for anything else.

    The driver is asked only when it was loaded, so a command that never opened the store
    never imports it.
    """
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    return exc.orig if exc.orig else exc


def main(argv: list[str] | None = None) -> None:
    """Run the command line, turning the user's errors into one line and an exit code."""
    from ..core import waiting

    # sized from the terminal (or $COLUMNS) of this run, not of an earlier one
    common.console = Console(highlight=False, soft_wrap=True)
    said: list[str] = []
    waiting.listener = lambda message: _say_waiting(message, said)
    try:
        check_arguments(sys.argv[1:] if argv is None else argv)
        app(args=argv, prog_name="terragon")
    except TerragonError as exc:
        _fail(f"terragon: error: {exc}", exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("TERRAGON_DEBUG"):  # the whole story, for a bug report
            raise
        reason = _store_failure(exc)
        if reason is not None:
            _fail(f"terragon: store error: {reason}", 1)
        # a bug: still one line, with the way to the whole story
        _fail(
            f"terragon: internal error: {type(exc).__name__}: {exc} "
            "(run again with TERRAGON_DEBUG=1 for the traceback, and report it)",
            1,
        )
    finally:
        waiting.listener = None


app.command("list", help=items.LIST_HELP)(items.list_cmd)
app.command("next")(items.next_cmd)
app.command("show")(items.show_cmd)
app.command("suggest")(items.suggest_cmd)
app.command("edit")(items.edit_cmd)
app.command("complete")(items.complete_cmd)
app.command("defer")(items.defer_cmd)
app.command("reject")(items.reject_cmd)
app.command("ignore")(items.ignore_cmd)
app.command("undo")(items.undo_cmd)
app.command("weights")(scan.weights_cmd)
app.command("scan")(scan.scan_cmd)
export_app.command("backlog")(export.export_backlog_cmd)
app.add_typer(reports.report_app, name="report")
app.command("calibrate")(reports.calibrate_cmd)
app.command("doctor")(store.doctor_cmd)
app.add_typer(config.config_app, name="config")
app.command("repos", help=store.REPOS_HELP)(store.repos_cmd)
app.command("backup")(store.backup_cmd)
app.command("restore")(store.restore_cmd)
app.add_typer(schedule.schedule_app, name="schedule")
app.command("roadmap", help=roadmap.ROADMAP_HELP)(roadmap.roadmap_cmd)
app.command("apply")(apply.apply_cmd)
app.command("link-issue")(apply.link_issue_cmd)
export_app.command("issues")(apply.export_issues_cmd)
app.command("diff", help=diff.DIFF_HELP)(diff.diff_cmd)
app.command("check", help=diff.CHECK_HELP)(diff.check_cmd)
app.command("serve", help=serve.SERVE_HELP)(serve.serve_cmd)
_flow_help(app)
