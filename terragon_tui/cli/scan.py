"""`terragon scan` and `terragon weights`: finding work and weighing it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..core.errors import UsageError
from . import common
from .common import JsonOpt

_F = typer.Option


def weights_cmd(
    ctx: typer.Context,
    focus: Annotated[
        str | None, _F("--focus", help="security, performance, debt or value.")
    ] = None,
    set_: Annotated[
        str | None,
        _F(
            "--set",
            metavar="K=V,...",
            help="e.g. wsjf=0.5,debt=0.3,ice=0.1,security=0.1,security_boost=2.5",
        ),
    ] = None,
    reset: Annotated[
        bool, _F("--reset", help="Back to the maturity default and the repo's config.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Show the scoring weights and boosts; --focus, --set or --reset change and save them."""
    from ..backlog import scoring_settings as service
    from ..reports.terminal import weights_table

    if sum(option is not None and option is not False for option in (focus, set_, reset)) > 1:
        raise UsageError("give only one of --focus, --set and --reset")
    ws = common.workspace(ctx)
    if focus:
        settings = service.focus_weights(ws, focus)
    elif set_:
        settings = service.set_weights(ws, set_)
    elif reset:
        settings = service.reset_weights(ws)
    else:
        with ws.reading() as session:
            settings = service.scoring_settings(ws, session)
    if json_:
        common.print_json("weights", settings.as_dict())
    else:
        common.console.print(weights_table(settings))


def scan_cmd(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="Repository to scan \\[default: --repo or the cwd].")
    ] = None,
    kind: Annotated[
        str,
        _F(
            "--kind",
            "-k",
            help="full, security (bandit, secrets), architecture (complexity, hotspots, imports) "
            "or types (mypy, also where the repository configures none).",
        ),
    ] = "full",
    since: Annotated[
        str | None, _F("--since", metavar="REV", help="Only count churn after this revision.")
    ] = None,
    no_cache: Annotated[bool, _F("--no-cache", help="Analyse every file again.")] = False,
    workers: Annotated[
        int | None, _F("--workers", "-j", help="Processes for file analysis \\[default: cores].")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Scan the repository and update its backlog: new items, updates, resolved ones.

    Findings never make the exit code non-zero: it is a discovery tool. Only a failure does.
    """
    from ..backlog.scanning import check_kind, scan_workspace

    check_kind(kind)
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    state = ctx.ensure_object(common.State)
    if path is not None:
        if not path.is_dir():
            raise UsageError(f"{path} is not a directory")
        state.repo = path
    ws = state.workspace()
    show_progress = not json_ and sys.stderr.isatty()
    if show_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("starting", total=None)

            def progress(phase: str, done: int, total: int) -> None:
                bar.update(task, description=phase, completed=done, total=total or None)

            report = scan_workspace(
                ws, kind, since=since, progress=progress, workers=workers, use_cache=not no_cache
            )
    else:
        report = scan_workspace(ws, kind, since=since, workers=workers, use_cache=not no_cache)
    if json_:
        common.print_json("scan", report.as_dict())
        return
    from ..reports.terminal import plain

    common.console.print(plain(f"Scanned {ws.root} ({kind}): {report.summary()}"))
    for note in report.result.notes:
        common.console.print(plain(f"note: {note}"))
    if report.result.skipped:
        in_part = len(report.result.partial)
        common.console.print(
            plain(
                f"skipped {len(report.result.skipped)} files"
                + (f" ({in_part} still read in part)" if in_part else "")
                + "; `terragon scan --json` lists them with reasons"
            )
        )
    if report.result.suppressed:
        from collections import Counter

        count = len(report.result.suppressed)
        reasons = Counter(s.reason for s in report.result.suppressed).most_common(3)
        top = ", ".join(f"{n} {reason}" for reason, n in reasons)
        more = ", ..." if len(reasons) == 3 else ""
        common.console.print(
            plain(
                f"suppressed {count} finding{'s' if count != 1 else ''} ({top}{more}); "
                "`terragon scan --json` lists each with its reason"
            )
        )
    if report.result.excluded:
        left = ", ".join(f"{n} {why}" for why, n in report.result.excluded.items())
        common.console.print(plain(f"not scanned: {left}"))
