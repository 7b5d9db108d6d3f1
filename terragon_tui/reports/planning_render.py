"""The success indicators and the debt rating as a Rich table, for the terminal and the TUI."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from ..backlog.assessment import INDICATOR_LABELS
from ..backlog.planning import Planning
from ..backlog.roadmap import Phase
from .terminal import plain

MARKS = {True: ("met", "green"), False: ("NOT MET", "bold red"), None: ("unknown", "dim")}


def indicators_table(plan: Planning) -> Table:
    """One row per target of `[tool.terragon.targets]`: wanted, now, met or not; the debt
    rating beneath."""
    table = Table(title="Success indicators", header_style="bold", title_justify="left")
    for name in ("Indicator", "Target", "Now", ""):
        table.add_column(name)
    for indicator in plan.indicators:
        word, style = MARKS[indicator.met]
        table.add_row(
            INDICATOR_LABELS[indicator.name],
            indicator.wanted,
            indicator.shown,
            Text(word, style=style),
        )
    if not plan.indicators:
        table.add_row(
            Text("No targets set"), Text("add [tool.terragon.targets] to pyproject.toml"), "", ""
        )
    debt = plan.debt
    rating = (
        f"{debt.rating} ({debt.ratio:.1f}% of {debt.code_lines:,} lines)"
        if debt.rating and debt.ratio is not None and debt.code_lines
        else "not measured (needs a full scan)"
    )
    table.caption = Text(
        f"Technical debt: {debt.remediation_hours:g} h of remediation, rating {rating}"
    )
    return table


def phase_table(phase: Phase, hours_per_week: float, *, wide: bool = False) -> Table:
    """One roadmap phase: each item's weeks, ID, title (and what it comes after), hours and
    score; `wide` fills the width and cuts long titles (the TUI), else titles wrap."""
    weeks = (
        f"week {phase.first_week}"
        if phase.first_week == phase.last_week
        else f"weeks {phase.first_week}-{phase.last_week}"
    )
    table = Table(
        title=f"Phase {phase.number}, {weeks} ({phase.priority}): {len(phase.items)} items, "
        f"{phase.hours:g} h, value {phase.value:.1f}",
        title_justify="left",
        expand=wide,
        header_style="bold",
    )
    table.add_column("Week", justify="right", no_wrap=True)
    table.add_column("ID", no_wrap=True)
    if wide:
        table.add_column("Title", ratio=1, overflow="ellipsis", no_wrap=True)
    else:
        table.add_column("Title")
    table.add_column("Hours", justify="right", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    for p in phase.items:
        first, last = p.week(hours_per_week), p.last_week(hours_per_week)
        after = f" (after {', '.join(p.waited_for)})" if p.waited_for else ""
        table.add_row(
            str(first) if first == last else f"{first}-{last}",
            plain(p.entry.item.key),
            plain(p.entry.item.title + after),
            f"{p.entry.item.estimated_hours:g}",
            f"{p.entry.score:.1f}",
        )
    return table
