"""`terragon schedule`: the seed's cadence as systemd user timers or crontab lines."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Annotated

import typer

from ..core.errors import TerragonError, UsageError
from . import common

if TYPE_CHECKING:  # imported where used, as the rest of the command line does
    from ..backlog.workspace import Workspace
    from ..schedule.units import Target

_F = typer.Option

SCHEDULE_HELP = (
    "Run the seed's cadence on this repository: hourly security scans, daily full scans, "
    "weekly architecture reviews, monthly recalibration.\n\n"
    "Times are cron expressions in \\[tool.terragon.schedule] (keys hourly, daily, weekly, "
    "monthly; false turns a job off). --install writes systemd user units (no root) under "
    "$XDG_CONFIG_HOME/systemd/user; each run appends to a log in the user log directory, and "
    "a failed run is recorded as a failed scan, which the TUI's history and doctor show.\n\n"
    "Examples:\n"
    "  terragon schedule --print                the units, to read first\n"
    "  terragon schedule --print --cron         crontab lines instead\n"
    "  terragon schedule --install --systemctl  write and enable the timers\n"
    "  terragon schedule --remove               remove this repository's units"
)

schedule_app = typer.Typer(help=SCHEDULE_HELP, invoke_without_command=True)


def _target(ctx: typer.Context) -> tuple[Workspace, Target]:
    from ..schedule.units import Target
    from ..store.location import resolve_db_url

    ws = common.workspace(ctx)
    return ws, Target(ws.root, resolve_db_url(ctx.ensure_object(common.State).db))


def _say(text: str) -> None:
    """Print text of ours and the user's (paths, commands) as it is, controls escaped."""
    from ..core.text import printable

    common.console.out(printable(text))


def _systemctl(*args: str) -> None:
    """Run `systemctl --user ARGS`, its failure one line."""
    if shutil.which("systemctl") is None:
        raise UsageError("systemctl is not installed; run the commands above without --systemctl")
    done = subprocess.run(
        ["systemctl", "--user", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise TerragonError(
            f"systemctl --user {' '.join(args)} failed: {reason[0] if reason else done.returncode}"
        )


@schedule_app.callback()
def schedule_cmd(
    ctx: typer.Context,
    print_: Annotated[bool, _F("--print", help="Print the units (or crontab lines).")] = False,
    install: Annotated[
        bool, _F("--install", help="Write the systemd user units (again: only what changed).")
    ] = False,
    remove: Annotated[
        bool, _F("--remove", help="Remove the units terragon wrote for this repository.")
    ] = False,
    cron: Annotated[bool, _F("--cron", help="With --print: crontab lines.")] = False,
    systemctl: Annotated[
        bool,
        _F("--systemctl", help="Also run systemctl --user to (en|dis)able the timers."),
    ] = False,
) -> None:
    """Run the seed's cadence on this repository as systemd user timers or crontab lines."""
    if ctx.invoked_subcommand is not None:
        return
    chosen = [
        name
        for name, on in (("--print", print_), ("--install", install), ("--remove", remove))
        if on
    ]
    if len(chosen) != 1:
        raise UsageError("give one of --print, --install or --remove")
    if cron and not print_:
        raise UsageError("--cron goes with --print (crontab lines are installed with crontab -e)")
    if systemctl and print_:
        raise UsageError("--systemctl goes with --install or --remove")
    from ..core.cadence import cadences
    from ..schedule.units import (
        crontab_lines,
        install_units,
        installed_units,
        log_dir,
        remove_units,
        service_text,
        timer_text,
    )

    ws, target = _target(ctx)
    jobs = cadences(ws.config.schedule)
    out = _say
    if print_ and cron:
        out("\n".join(crontab_lines(jobs, target)))
        return
    if print_:
        for job in jobs:
            if job.cron is None:
                continue
            unit = target.unit(job.job.kind)
            out(f"# {unit}.service\n{service_text(job, target)}")
            out(f"# {unit}.timer\n{timer_text(job, target)}")
        return
    timers = [f"{target.unit(job.job.kind)}.timer" for job in jobs if job.cron is not None]
    # Timers about to go: all of ours on --remove, those of jobs turned off on --install.
    going = [
        path.name
        for path in installed_units(target)
        if path.suffix == ".timer" and (remove or path.name not in timers)
    ]
    if systemctl and going:  # while their files still exist
        _systemctl("disable", "--now", *going)
    changes = remove_units(target) if remove else install_units(jobs, target)
    for change in changes:
        out(f"{change.action:<9} {change.path}")
    if not changes:
        out("no units of terragon for this repository" if remove else "no job is on")
        return
    steps = ["daemon-reload"] + ([f"enable --now {' '.join(timers)}"] if timers and install else [])
    if going and not systemctl:
        steps.insert(0, f"stop {' '.join(going)}")
    if systemctl:
        for step in steps:
            _systemctl(*step.split())
        out("systemctl --user: " + "; ".join(steps))
    else:
        out("now run: " + " && ".join(f"systemctl --user {s}" for s in steps))
    if install:
        out(f"each run logs to {log_dir()}")


@schedule_app.command("run")
def run_cmd(
    ctx: typer.Context,
    kind: Annotated[
        str, _F("--kind", "-k", help="security, full, architecture or calibrate.")
    ] = "security",
) -> None:
    """Run one scheduled job now, as its timer does: log it, and record a failure in the store."""
    from ..core.cadence import KINDS
    from ..schedule.run import run_job

    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}; choose one of: {', '.join(KINDS)}")
    done = run_job(_plain_target(ctx), kind)
    _say(done.line)
    if not done.ok:
        raise typer.Exit(1)


def _plain_target(ctx: typer.Context) -> Target:
    """The target without opening the workspace: a broken config is the run's to record."""
    from pathlib import Path

    from ..config.project import find_repo_root
    from ..schedule.units import Target
    from ..store.location import resolve_db_url

    state = ctx.ensure_object(common.State)
    root = find_repo_root(state.repo if state.repo is not None else Path.cwd())
    return Target(root, resolve_db_url(state.db))
