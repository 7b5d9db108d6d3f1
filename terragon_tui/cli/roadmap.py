"""`terragon roadmap`: the open items packed into weeks and phases by the team's capacity."""

from __future__ import annotations

from typing import Annotated

import typer

from ..core.errors import UsageError
from . import common

_F = typer.Option

ROADMAP_HELP = (
    "Plan the open items into weeks and phases by the team's capacity.\n\n"
    "Items are taken in ranked order, each starting where the one before ended, so a week "
    "holds as many hours as the capacity; an item set to come after another (`terragon edit "
    "ID --after OTHER`) comes right after it. The capacity is `[tool.terragon.roadmap]` "
    "hours_per_week and weeks_per_phase, else the pace of past completions (three or more "
    "over two weeks or more), else 20 hours a week in 2-week phases. The next actions are "
    "the first working day, the first week and weeks 2 to 4.\n\n"
    "Examples:\n"
    "  terragon roadmap                        the first three phases and the next actions\n"
    "  terragon roadmap --phases 0             every phase\n"
    "  terragon roadmap --hours-per-week 32    as if the team had 32 hours a week\n"
    "  terragon roadmap --json | jq '.phases[0].items[].id'"
)


def roadmap_cmd(
    ctx: typer.Context,
    phases: Annotated[
        int, _F("--phases", "-p", help="Phases to show; 0 shows every one.", min=0)
    ] = 3,
    hours_per_week: Annotated[
        float | None, _F("--hours-per-week", help="Capacity in hours a week, this time only.")
    ] = None,
    weeks_per_phase: Annotated[
        int | None, _F("--weeks-per-phase", help="Weeks a phase, this time only.")
    ] = None,
    json_: Annotated[bool, _F("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Plan the open items into weeks and phases by the team's capacity."""
    from ..backlog.planning import workspace_roadmap
    from ..reports.planning_render import phase_table
    from ..reports.terminal import plain

    if hours_per_week is not None and not 0.5 <= hours_per_week <= 168:
        raise UsageError(f"--hours-per-week must be from 0.5 to 168, got {hours_per_week:g}")
    if weeks_per_phase is not None and not 1 <= weeks_per_phase <= 26:
        raise UsageError(f"--weeks-per-phase must be from 1 to 26, got {weeks_per_phase}")
    plan = workspace_roadmap(
        common.workspace(ctx), hours_per_week=hours_per_week, weeks_per_phase=weeks_per_phase
    )
    if json_:
        common.print_json("roadmap", plan.as_dict())
        return
    cap = plan.capacity
    common.console.print(
        plain(
            f"Capacity: {cap.hours_per_week:g} hours a week, {cap.weeks_per_phase}-week phases "
            f"({cap.origin}); {plan.hours:g} hours of open work in {plan.span}."
        )
    )
    if not plan.phases:
        common.console.print("No open items to plan: run `terragon scan` or `terragon suggest`.")
        return
    per_week = cap.hours_per_week
    shown = plan.phases if phases == 0 else plan.phases[:phases]
    for phase in shown:
        common.console.print(phase_table(phase, per_week))
    if len(shown) < len(plan.phases):
        rest = plan.phases[len(shown) :]
        common.console.print(
            f"{len(rest)} more phases ({sum(len(p.items) for p in rest)} items): --phases 0 "
            "shows them all."
        )
    titles = {"immediate": "Immediate (next 24 hours)", "this_week": "This week",
              "this_month": "This month"}  # fmt: skip
    for name, entries in plan.next_actions().items():
        common.console.print(f"\n[bold]{titles[name]}[/bold]")
        for p in entries:
            common.console.print(plain(f"  {p.entry.item.key}  {p.entry.item.title}"))
        if not entries:
            common.console.print("  nothing planned")
