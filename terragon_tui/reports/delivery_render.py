"""Delivery metrics from git as a Rich table for the terminal."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..backlog.delivery import DeliveryMetrics
from .stakeholder import delivery_rows


def delivery_tables(metrics: DeliveryMetrics) -> RenderableType:
    """Per week commits, releases and reverts, the summary, and what cannot be measured."""
    parts: list[RenderableType] = []
    if metrics.weeks:
        weekly = Table(header_style="bold", title="Delivery per week (from git)")
        weekly.add_column("Week")
        for name in ("Commits", "Releases", "Reverts/hotfixes"):
            weekly.add_column(name, justify="right")
        for w in metrics.weeks:
            releases = str(w.releases) if metrics.has_tags else "–"
            weekly.add_row(w.week.label, str(w.commits), releases, str(w.reverts_or_hotfixes))
        parts.append(weekly)
        summary = Table.grid(padding=(0, 2))
        summary.add_column(style="bold")
        summary.add_column()
        for label, value in delivery_rows(metrics):
            summary.add_row(label, value)
        parts.append(summary)
    parts += [Text(note) for note in metrics.notes()]
    return Group(*parts)
