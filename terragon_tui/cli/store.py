"""`terragon doctor`, `terragon backup` and `terragon restore`: looking after the store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import UsageError
from . import common

_F = typer.Option
JsonOpt = Annotated[bool, _F("--json", help="Print JSON instead of text.")]
_MARKS = {"ok": "ok", "warning": "warn", "problem": "PROBLEM", "skipped": "-"}


def _db(ctx: typer.Context) -> str | None:
    return ctx.ensure_object(common.State).db


def doctor_cmd(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Check the store without changing it: integrity, schema, orphans, permissions, journal.

    Exits 1 when a check finds a problem (warnings alone exit 0).
    """
    from rich.text import Text

    from ..reports.terminal import plain
    from ..store.doctor import doctor

    report = doctor(_db(ctx))
    if json_:
        common.print_json("doctor", report.as_dict())
    else:
        common.console.print(plain(f"store: {report.store}"))
        for check in report.checks:
            mark = _MARKS[check.status].ljust(8)
            common.console.print(Text(mark) + plain(f"{check.name}: {check.detail}"))
        problems = sum(check.status == "problem" for check in report.checks)
        if report.ok:
            common.console.print("all well")
        else:
            common.console.print(f"{problems} problem{'s' * (problems != 1)} found", markup=False)
        if any(c.status == "problem" and c.name in ("file", "integrity") for c in report.checks):
            common.console.print("restore a backup with `terragon restore FILE`", markup=False)
    if not report.ok:
        raise typer.Exit(1)


REPOS_HELP = (
    "List the repositories the store holds, with open items, top item and last scan.\n\n"
    "The top item is the one `terragon next` gives in that repository, with its score. `*` "
    "marks the repository you are in; a path that no longer exists is marked (missing).\n\n"
    "Examples:\n"
    "  terragon repos                         all of the default store\n"
    "  terragon --db team.db repos            those of another store\n"
    "  terragon repos --json | jq '.repositories[].path'  their paths"
)


def repos_cmd(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """List the repositories the store holds, with open items, top item and last scan."""
    from ..backlog.repositories import list_repositories
    from ..config.project import find_repo_root
    from ..reports.records import repository_record
    from ..reports.terminal import repositories_table
    from ..store.opening import open_engine

    state = ctx.ensure_object(common.State)
    engine = open_engine(state.db)
    try:
        summaries = list_repositories(engine)
    finally:
        engine.dispose()
    current = str(find_repo_root(state.repo if state.repo is not None else Path.cwd()))
    if json_:
        common.print_json(
            "repositories",
            repositories=[repository_record(s, s.path == current) for s in summaries],
        )
    elif not summaries:
        common.console.print(
            "The store holds no repository yet: run `terragon scan` inside one to add it."
        )
    else:
        common.console.print(repositories_table(summaries, current))


def backup_cmd(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE",
            help="The backup file, or a directory for a time-stamped one "
            "(default: backups/ beside the store).",
        ),
    ] = None,
    force: Annotated[bool, _F("--force", "-f", help="Overwrite FILE if it exists.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Copy the store into FILE, safely even while terragon is writing to it (SQLite only)."""
    from ..reports.terminal import plain
    from ..store.maintenance import backup_store

    copy = backup_store(file, _db(ctx), force=force)
    if json_:
        common.print_json("backup", copy.as_dict())
    else:
        common.console.print(
            plain(f"Backed up the store to {copy.path} ({copy.size:,} bytes, {copy.items} items)")
        )


def restore_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup made by terragon backup.")],
    yes: Annotated[bool, _F("--yes", "-y", help="Do not ask for confirmation.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Replace the store with a backup, keeping a copy of the current store beside it."""
    from ..reports.terminal import plain
    from ..store.maintenance import check_backup, restore_store

    db = _db(ctx)
    backup = check_backup(file)  # a bad FILE is refused before anyone is asked anything
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("restore replaces the whole store; give --yes to confirm")
        typer.confirm(
            f"Replace the store with {backup.path} ({backup.items} items)? "
            "A copy of the current store is kept beside it",
            abort=True,
        )
    result = restore_store(file, db)
    if json_:
        common.print_json("restore", result.as_dict())
        return
    common.console.print(
        plain(
            f"Restored {result.store.path} from {result.backup.path} "
            f"({result.store.items} items, schema {result.store.revision})"
        )
    )
    if result.previous is not None:
        common.console.print(plain(f"The store as it was is kept in {result.previous}"))
