"""Rich renderables for the command line: item tables, item details, weights."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from ..core.text import printable
from ..scoring.lanes import decision_lane
from ..scoring.scale import severity_word

if TYPE_CHECKING:  # only what is drawn: `next` and `show` draw without the store's models
    from ..backlog.ranked import ItemDetail, Ranked
    from ..backlog.repositories import RepositorySummary
    from ..backlog.weights_in_force import ScoringSettings
    from ..scoring.breakdown import ScoreBreakdown
    from ..store.rows import StoredCompletion, StoredItem, StoredOccurrence

PRIORITY_STYLES = {"critical": "bold red", "high": "yellow", "medium": "cyan", "low": "dim"}


def plain(value: object, *, single_line: bool = True) -> Text:
    """Untrusted text as a Rich Text that shows markup and escapes literally."""
    return Text(printable("" if value is None else str(value), single_line=single_line))


#: (header, justify, min console width to show it); the title column takes what is left.
#: (heading, justification, the narrowest terminal that shows it) of each item column.
ITEM_COLUMNS: tuple[tuple[str, JustifyMethod, int], ...] = (
    ("Rank", "right", 0),
    ("ID", "left", 0),
    ("Title", "left", 0),
    ("Score", "right", 0),
    ("Category", "left", 70),
    ("Priority", "left", 90),
    ("Est. h", "right", 100),
    ("Impact", "right", 110),
    ("Lane", "left", 125),
    ("Status", "left", 140),
)


def items_table(
    entries: Sequence[Ranked[StoredItem]], width: int = 200, title: str | None = None
) -> Table:
    """The ranked backlog as the seed's table; narrow terminals drop the least useful columns."""
    table = Table(title=title, header_style="bold", expand=False)
    shown = [(name, justify) for name, justify, min_width in ITEM_COLUMNS if width >= min_width]
    for name, justify in shown:
        if name == "Title":
            table.add_column(name, justify="left", overflow="fold", min_width=20, ratio=1)
        else:
            table.add_column(name, justify=justify, no_wrap=True)
    for entry in entries:
        item = entry.item
        cells: dict[str, str | Text] = {
            "Rank": str(entry.rank) if entry.rank is not None else "–",
            "ID": plain(item.key),
            "Title": plain(item.title),
            "Score": f"{entry.score:.1f}",
            "Category": item.category,
            "Priority": Text(item.priority, style=PRIORITY_STYLES.get(item.priority, "")),
            "Est. h": f"{item.estimated_hours:g}",
            "Impact": f"{item.impact:g}",
            "Lane": entry.lane,
            "Status": item.status,
        }
        table.add_row(*(cells[name] for name, _justify in shown))
    return table


def _facts(rows: Sequence[tuple[str, object]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for label, value in rows:
        grid.add_row(label, value if isinstance(value, Text) else plain(value))
    return grid


def item_detail(detail: ItemDetail[StoredItem]) -> RenderableType:
    """An item's facts, description, score breakdown, and completion with impact notes."""
    return item_view(
        detail.ranked.item,
        rank=detail.ranked.rank,
        score=detail.ranked.score,
        breakdown=detail.breakdown,
        origin=detail.settings.origin,
        completions=detail.completions,
        occurrences=detail.occurrences,
    )


def occurrences_view(
    places: Sequence[StoredOccurrence],
    limit: int | None = None,
    counts: tuple[int, int] | None = None,
) -> RenderableType:
    """The places an item stands for, one a line: file:line, symbol, what was measured there.

    `counts` (places, files) are the totals when `places` holds only the first of them.
    """
    total, files = counts or (len(places), len({place.path for place in places}))
    head = f"\nOccurrences ({total} in {files} file{'s' if files != 1 else ''})"
    lines: list[RenderableType] = [Text(head, style="bold")]
    shown = places if limit is None else places[:limit]
    for place in shown:
        where = f"{place.path}:{place.line}" if place.line else str(place.path)
        symbol, measured = place_note(place.symbol, place.data)
        text = Text("  ") + plain(where)
        if symbol:
            text += Text("  ") + plain(symbol, single_line=True)
        if measured:
            shown_measure = plain(measured)
            shown_measure.stylize("dim")
            text += Text("  ") + shown_measure
        lines.append(text)
    if len(shown) < total:
        lines.append(Text(f"  … and {total - len(shown)} more (terragon show)", style="dim"))
    return Group(*lines)


def place_note(symbol: str | None, data: dict[str, object] | None) -> tuple[str, str]:
    """What a place of an item says of itself: its symbol, and what was measured there (left
    out when it only says the symbol again, as a secret's type does)."""
    shown = _symbol_shown(str(symbol)) if symbol else ""
    measured = _place_measure(data or {})
    return shown, "" if measured == shown else measured


def _symbol_shown(symbol: str) -> str:
    """A place's symbol for reading: a function's name; hashes that only give identity left out."""
    head = symbol.split("@", 1)[0].split(":", 1)
    if len(head) == 2 and len(head[1]) >= 12 and head[1].isalnum():  # "Secret Keyword:ab12..."
        return head[0]
    return symbol if "@" not in symbol else ""


def _place_measure(data: dict[str, object]) -> str:
    if "cc" in data:
        return f"CC {data['cc']} (rank {data.get('rank')})"
    if "tag" in data:
        return str(data.get("text", ""))[:80]
    if "severity" in data and "confidence" in data:
        return f"severity {data['severity']}, confidence {data['confidence']}"
    if "type" in data:
        return str(data["type"])
    return ""


def item_view(
    item: StoredItem,
    *,
    rank: int | None,
    score: float,
    breakdown: ScoreBreakdown,
    origin: str,
    completions: Sequence[StoredCompletion] = (),
    occurrences: Sequence[StoredOccurrence] = (),
    occurrence_limit: int | None = None,
    occurrence_counts: tuple[int, int] | None = None,
) -> RenderableType:
    """The detail of one item under the given weights (the TUI passes live ones)."""
    location = f"{item.file_path}:{item.line}" if item.file_path and item.line else item.file_path
    rows: list[tuple[str, object]] = [
        ("ID", item.key),
        ("Title", item.title),
        ("Status", item.status + (f" ({item.status_reason})" if item.status_reason else "")),
        ("Rank", rank if rank is not None else "–"),
        ("Score", f"{score:.2f}"),
        ("Category", item.category),
        ("Priority", item.priority),
        ("Estimate", f"{item.estimated_hours:g} h"),
        ("Impact / confidence / ease", f"{item.impact:g} / {item.confidence:g} / {item.ease:g}"),
        ("Risk", f"{item.risk:g} → {decision_lane(item.risk)}"),
        ("Source", item.source + (f" ({item.rule})" if item.rule else "")),
    ]
    role = (item.data or {}).get("role")
    if role and role != "production":
        rows.append(("Role", _role_note(item)))
    if location:
        rows.append(("Location", location))
    if item.branch:
        rows.append(("Branch", item.branch))
    if item.issue_url:
        rows.append(("Issue", item.issue_url))
    if item.business_value_text:
        rows.append(("Business value", item.business_value_text))
    parts: list[RenderableType] = [_facts(rows)]
    if item.description:
        parts += [Text("\nDescription", style="bold"), plain(item.description, single_line=False)]
    located = [place for place in occurrences if place.path]  # a repository-wide item has none
    if len(located) > 1 or (located and not item.line):
        parts.append(occurrences_view(located, occurrence_limit, occurrence_counts))
    parts.append(Text(f"\nScore breakdown ({origin})", style="bold"))
    parts.append(breakdown_table(breakdown))
    for completion in completions:
        parts.append(Text("\nCompletion", style="bold"))
        parts.append(
            _facts(
                [
                    ("Completed", completion.completed_at.strftime("%Y-%m-%d %H:%M UTC")),
                    (
                        "Hours",
                        f"{completion.actual_hours:g} actual / "
                        f"{completion.estimated_hours:g} estimated",
                    ),
                    ("Outcome", completion.outcome),
                    ("Value counted", f"{completion.score:.2f}"),
                ]
            )
        )
        if completion.impact_notes:
            parts += [
                Text("Impact notes", style="bold"),
                plain(completion.impact_notes, single_line=False),
            ]
    return Group(*parts)


def breakdown_table(breakdown: ScoreBreakdown) -> RenderableType:
    """Each component as value × weight = contribution, its inputs beneath, then the boosts."""
    lines: list[Text] = []
    for term in breakdown.components:
        lines.append(
            Text(
                f"{term.label:<15}{term.value:7.2f} × {term.weight:4.2f} = {term.contribution:6.2f}"
            )
        )
        lines.append(Text(f"  {term.detail}", style="dim"))
    lines.append(Text(f"{'base':<31}= {breakdown.base:6.2f}"))
    lines.extend(Text(f"{name + ' boost':<22}× {factor:g}") for name, factor in breakdown.boosts)
    if breakdown.withheld:
        lines.append(Text(breakdown.withheld, style="dim"))
    if breakdown.boosts:
        lines.append(Text(f"{'boosted':<31}= {breakdown.boosted:6.2f}"))
    if breakdown.on_scale != breakdown.boosted:
        lines.append(Text(f"{'on the 0-100 scale':<31}= {breakdown.on_scale:6.2f}"))
        lines.append(Text("  above 50: 50 + 50 × (1 - e^(-(boosted - 50) / 50))", style="dim"))
    if breakdown.placement:
        lines.append(Text(f"  {breakdown.placement}", style="dim"))
    lines.append(Text(f"{'composite':<31}= {breakdown.composite:6.2f}", style="bold"))
    return Group(*lines)


def _role_note(item: StoredItem) -> str:
    data = item.data or {}
    role = str(data.get("role"))
    found = data.get("severity_as_found")
    if isinstance(found, int | float) and found > item.security_severity:
        was = severity_word(float(found))
        return f"{role}: not shipped, so severity {was} counts as low here"
    shipped = role not in ("test", "example", "docs", "benchmark", "tooling")
    return role if shipped else f"{role}: not shipped"


def weights_table(settings: ScoringSettings) -> RenderableType:
    """The weights (as set and normalised) and boosts in force, and where they came from."""
    table = Table(header_style="bold")
    table.add_column("Component")
    table.add_column("Weight", justify="right")
    table.add_column("Share", justify="right")
    normalised = settings.weights.normalised().as_dict()
    for name, value in settings.weights.as_dict().items():
        table.add_row(name, f"{value:g}", f"{normalised[name]:.0%}")
    boosts = Table(header_style="bold")
    boosts.add_column("Boost")
    boosts.add_column("Factor", justify="right")
    for name, value in settings.boosts.as_dict().items():
        boosts.add_row(name, f"×{value:g}")
    origin = Text(f"From: {settings.origin}; maturity level {settings.level}")
    return Group(origin, table, boosts)


def top_item_text(summary: RepositorySummary) -> Text:
    """A repository's top item as `next` gives it (ID and title), or why there is none."""
    if summary.problem is not None:
        return Text(printable(f"cannot score: {summary.problem}"), style="yellow")
    if summary.top is None:
        return Text("–", style="dim")
    return Text.assemble(plain(summary.top.item.key), "  ", plain(summary.top.item.title))


def repositories_table(summaries: Sequence[RepositorySummary], current: str | None) -> Table:
    """The store's repositories: name and path, open items, the top one, last scan; `*` marks
    `current`, and a path that is gone says so."""
    table = Table(header_style="bold", expand=False)
    table.add_column("", no_wrap=True)
    table.add_column("Repository", overflow="fold", ratio=2, min_width=16)
    table.add_column("Open", justify="right", no_wrap=True)
    table.add_column("Top item", overflow="fold", ratio=3, min_width=20)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Last scan (UTC)", no_wrap=True)
    for summary in summaries:
        where = plain(summary.name)
        where.append("\n" + printable(summary.path, single_line=True), style="dim")
        if not summary.exists:
            where.append(" (missing)", style="bold red")
        top = top_item_text(summary)
        scanned = summary.last_scan_at
        table.add_row(
            "*" if summary.path == current else "",
            where,
            str(summary.open_items),
            top,
            f"{summary.top.score:.1f}" if summary.top is not None else "",
            scanned.strftime("%Y-%m-%d %H:%M") if scanned else "never",
        )
    return table
