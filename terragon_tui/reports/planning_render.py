"""The success indicators and the debt rating as a Rich table, for the terminal and the TUI."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from ..backlog.planning import Planning
from .planning_md import INDICATOR_LABELS

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
