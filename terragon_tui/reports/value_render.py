"""The value report as Rich tables, Markdown and JSON; every text from the store escaped."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..core.text import markdown_inline as md
from ..core.text import printable
from .value import PeriodValue, ValueReport

FORMATS = ("md", "json")
PERIOD_HEADER = {"week": "Week", "month": "Month", "quarter": "Quarter"}
EMPTY = (
    "No activity in this window: nothing was discovered, completed or resolved, "
    "and the backlog has no open items."
)


def hours(value: float) -> str:
    """Hours for people: at most two decimals, no trailing zeros."""
    return f"{round(value, 2):g}"


def ratio_text(value: float | None) -> str:
    """Actual ÷ estimated as `1.50×`, or `–` without an estimate."""
    return "–" if value is None else f"{value:.2f}×"


def _period_cells(p: PeriodValue) -> list[str]:
    return [
        str(p.completed),
        hours(p.estimated_hours),
        hours(p.actual_hours),
        ratio_text(p.ratio),
        f"{p.score:.1f}",
        str(p.discovered),
        str(p.resolved),
        str(p.open_items),
        hours(p.open_hours),
    ]


PERIOD_COLUMNS = (
    "Done",
    "Est. h",
    "Actual h",
    "Actual ÷ est.",
    "Value",
    "Discovered",
    "Resolved",
    "Open at end",
    "Open est. h",
)


def _window_text(report: ValueReport) -> str:
    last = report.periods[-1].period.label
    return (
        f"{report.kind}ly, {report.periods[0].period.label} to {last} "
        f"(generated {report.generated_at:%Y-%m-%d %H:%M} UTC)"
    )


def value_tables(report: ValueReport) -> RenderableType:
    """The report for a terminal: a table per concern, notes beneath."""
    title = Text(f"Value report: {printable(report.repository, single_line=True)}", style="bold")
    parts: list[RenderableType] = [title, Text(_window_text(report), style="dim")]
    if report.is_empty:
        return Group(*parts, Text(EMPTY))
    periods = Table(header_style="bold", title="Per " + report.kind)
    periods.add_column(PERIOD_HEADER[report.kind])
    for name in PERIOD_COLUMNS:
        periods.add_column(name, justify="right")
    for p in report.periods:
        periods.add_row(p.period.label, *_period_cells(p))
    periods.add_row(Text("Total", style="bold"), *_period_cells(report.totals()), end_section=True)
    parts.append(periods)
    categories = report.categories()
    if categories:
        table = Table(header_style="bold", title="Completed by category")
        table.add_column("Category")
        for name in ("Done", "Est. h", "Actual h", "Actual ÷ est.", "Value"):
            table.add_column(name, justify="right")
        for c in categories:
            table.add_row(
                c.category,
                str(c.completed),
                hours(c.estimated_hours),
                hours(c.actual_hours),
                ratio_text(c.ratio),
                f"{c.score:.1f}",
            )
        parts.append(table)
    shares = report.source_shares()
    if shares:
        table = Table(header_style="bold", title="Discovery sources (items discovered)")
        table.add_column("Source")
        table.add_column("Items", justify="right")
        table.add_column("Share", justify="right")
        for name, count, share in shares:
            table.add_row(name, str(count), f"{share:.0%}")
        parts.append(table)
    notes = [d for d in report.delivered if d.impact_notes]
    if notes:
        parts.append(Text("Impact notes", style="bold"))
        for d in notes:
            line = Text(f"{d.completed_at:%Y-%m-%d} ")
            line.append(printable(d.key, single_line=True), style="bold")
            line.append(" " + printable(f"{d.title}: {d.impact_notes}", single_line=True))
            parts.append(line)
    return Group(*parts)


def value_markdown(report: ValueReport) -> str:
    """The report as a Markdown document."""
    lines = [
        f"# 📈 Value Report: {md(report.repository)}",
        "",
        f"*{_window_text(report)}*",
        "",
    ]
    if report.is_empty:
        return "\n".join([*lines, EMPTY, ""])
    total = report.totals()
    lines += [
        "## Summary",
        "",
        "| Metric | Value |",
        "|--------|-------|",
        f"| Items completed | {total.completed} |",
        f"| Value delivered (composite score) | {total.score:.1f} |",
        f"| Hours actual / estimated | {hours(total.actual_hours)} / "
        f"{hours(total.estimated_hours)} ({ratio_text(total.ratio)}) |",
        f"| Items discovered / resolved | {total.discovered} / {total.resolved} |",
        f"| Deferred or rejected | {total.set_aside} |",
        f"| Open backlog now | {total.open_items} items, {hours(total.open_hours)} h estimated |",
        "",
        f"## Per {report.kind}",
        "",
        f"| {PERIOD_HEADER[report.kind]} | " + " | ".join(PERIOD_COLUMNS) + " |",
        "|" + "---|" * (len(PERIOD_COLUMNS) + 1),
    ]
    for p in report.periods:
        lines.append(f"| {p.period.label} | " + " | ".join(_period_cells(p)) + " |")
    lines.append("| **Total** | " + " | ".join(_period_cells(total)) + " |")
    lines += ["", "## Completed by category", ""]
    categories = report.categories()
    if categories:
        lines += [
            "| Category | Done | Est. h | Actual h | Actual ÷ est. | Value |",
            "|---" * 6 + "|",
        ]
        for c in categories:
            lines.append(
                f"| {md(c.category)} | {c.completed} | {hours(c.estimated_hours)} | "
                f"{hours(c.actual_hours)} | {ratio_text(c.ratio)} | {c.score:.1f} |"
            )
    else:
        lines.append("Nothing was completed in this window.")
    lines += ["", "## Discovery sources", ""]
    shares = report.source_shares()
    if shares:
        lines += ["| Source | Items discovered | Share |", "|---|---|---|"]
        lines += [f"| {md(name)} | {n} | {share:.0%} |" for name, n, share in shares]
    else:
        lines.append("No items were discovered in this window.")
    lines += ["", "## Impact notes", ""]
    for p in report.periods:
        if not p.delivered:
            continue
        lines += [f"### {p.period.label}", ""]
        for d in p.delivered:
            notes = f" — {md(d.impact_notes)}" if d.impact_notes else ""
            lines.append(
                f"- **[{md(d.key)}]** {md(d.title)} ({md(d.category)}; "
                f"{hours(d.actual_hours)} h actual / {hours(d.estimated_hours)} h estimated; "
                f"value {d.score:.1f}; {d.outcome}){notes}"
            )
        lines.append("")
    if not report.delivered:
        lines += ["Nothing was completed in this window.", ""]
    return "\n".join(lines)


def _period_record(p: PeriodValue) -> dict[str, Any]:
    return {
        "period": p.period.label,
        "start": p.period.start.date().isoformat(),
        "completed": p.completed,
        "completed_by_category": dict(sorted(p.by_category.items())),
        "estimated_hours": round(p.estimated_hours, 2),
        "actual_hours": round(p.actual_hours, 2),
        "actual_to_estimated": None if p.ratio is None else round(p.ratio, 4),
        "value_delivered": round(p.score, 2),
        "discovered": p.discovered,
        "resolved": p.resolved,
        "resolved_by_scan": p.resolved_by_scan,
        "deferred_or_rejected": p.set_aside,
        "open_items_at_end": p.open_items,
        "open_estimated_hours_at_end": round(p.open_hours, 2),
    }


def value_json(report: ValueReport) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    return {
        "repository": report.repository,
        "period": report.kind,
        "generated_at": report.generated_at.isoformat(),
        "empty": report.is_empty,
        "totals": _period_record(report.totals()),
        "periods": [_period_record(p) for p in report.periods],
        "categories": [
            {
                "category": c.category,
                "completed": c.completed,
                "estimated_hours": round(c.estimated_hours, 2),
                "actual_hours": round(c.actual_hours, 2),
                "actual_to_estimated": None if c.ratio is None else round(c.ratio, 4),
                "value_delivered": round(c.score, 2),
            }
            for c in report.categories()
        ],
        "discovery_sources": [
            {"source": name, "items": n, "share": round(share, 4)}
            for name, n, share in report.source_shares()
        ],
        "completed": [
            {
                "id": d.key,
                "title": d.title,
                "category": d.category,
                "source": d.source,
                "estimated_hours": d.estimated_hours,
                "actual_hours": d.actual_hours,
                "value": round(d.score, 2),
                "outcome": d.outcome,
                "impact_notes": d.impact_notes,
                "completed_at": d.completed_at.isoformat(),
            }
            for d in report.delivered
        ],
    }
