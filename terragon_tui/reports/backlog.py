"""BACKLOG.md in the seed's layout, and the JSON and CSV exports of every item."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from .. import __version__
from ..backlog.listing import ranked_backlog
from ..backlog.occurrences import repository_occurrences
from ..backlog.planning import Planning, read_planning
from ..backlog.ranked import RankedItem
from ..backlog.scoring_settings import scoring_settings
from ..backlog.weights_in_force import ScoringSettings
from ..backlog.workspace import Workspace
from ..core.errors import UsageError
from ..core.text import markdown_inline as md
from ..core.vocabulary import OPEN_STATUSES, SOURCE_GROUPS
from ..scoring.lanes import decision_lane
from ..store.models import Completion, Item, Occurrence, Repository, utcnow
from . import planning_md
from .contract import document
from .records import completion_record, item_record, items_csv, to_json

FORMATS = ("md", "json", "csv", "sarif")
#: Weeks of git history the DORA keys of the document are measured over.
DORA_WEEKS = 52
WEIGHT_LABELS = {
    "wsjf": "WSJF (Weighted Shortest Job First)",
    "debt": "Technical Debt Impact",
    "ice": "ICE (Impact × Confidence × Ease)",
    "security": "Security Priority",
}
BOOST_LABELS = {
    "security": "Security Issues",
    "compliance": "Compliance Impact",
    "performance": "Performance Optimization",
}
LANE_TITLES = {
    "auto-apply": "Auto-Apply (Risk < 0.3)",
    "auto-pr": "Auto-PR (Risk 0.3-0.6)",
    "manual-review": "Manual Review (Risk > 0.6)",
}


@dataclass(frozen=True)
class BacklogSnapshot:
    """Everything the backlog document shows, read in one session."""

    repo: Repository
    ranked: list[RankedItem]
    settings: ScoringSettings
    completions: list[tuple[Completion, Item]]
    generated_at: datetime
    occurrences: dict[int, list[Occurrence]] = field(default_factory=dict)  # by item id
    planning: Planning | None = None
    schedule: dict[str, str | bool] = field(default_factory=dict)  # [tool.terragon.schedule]

    @property
    def open(self) -> list[RankedItem]:
        """Open items, best first."""
        return [entry for entry in self.ranked if entry.item.status in OPEN_STATUSES]


def backlog_snapshot(
    ws: Workspace, *, planning: bool = False, now: datetime | None = None
) -> BacklogSnapshot:
    """Read the repository, its ranked items, the weights and the completions; with
    `planning`, also the roadmap, the practices, the debt, the targets and delivery from git."""
    delivery = None
    if planning:
        from ..backlog.delivery import delivery_metrics

        delivery = delivery_metrics(ws.root, weeks=DORA_WEEKS, now=now)
    with ws.reading() as session:
        settings = scoring_settings(ws, session)
        repo = ws.repository(session)
        ranked = ranked_backlog(ws, session, settings)
        completions = _completions(ws, session)
        occurrences = repository_occurrences(session, ws.repo_id)
        plan = None
        if planning:
            plan = read_planning(
                ws,
                session,
                repo,
                ranked,
                [completion for completion, _ in completions],
                places=occurrences,
                delivery=delivery,
                now=now,
            )
        return BacklogSnapshot(
            repo=repo,
            ranked=ranked,
            settings=settings,
            completions=completions,
            generated_at=now or utcnow(),
            occurrences=occurrences,
            planning=plan,
            schedule=dict(ws.config.schedule),
        )


def _completions(ws: Workspace, session: Session) -> list[tuple[Completion, Item]]:
    rows = session.exec(
        select(Completion, Item)
        .join(Item, col(Completion.item_id) == col(Item.id))
        .where(Item.repo_id == ws.repo_id)
        .order_by(col(Completion.completed_at))
    ).all()
    return [(completion, item) for completion, item in rows]


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else "never"


def _share(counter: Counter[str], total: int) -> list[tuple[str, int, float]]:
    return [(name, count, count / total) for name, count in counter.most_common()]


def _maturity(repo: Repository, level: str) -> str:
    if repo.maturity_score is None:
        return f"{level.capitalize()} (default profile; run a scan to measure)"
    return f"{level.capitalize()} ({repo.maturity_score:.0f}/100)"


def _header(snap: BacklogSnapshot) -> list[str]:
    return [
        "# 📊 Terragon Value Backlog",
        "",
        f"**Repository**: {md(snap.repo.name)}  ",
        f"**Maturity Level**: {_maturity(snap.repo, snap.settings.level)}  ",
        f"**Last Updated**: {_stamp(snap.generated_at)}  ",
        f"**Last Scan**: {_stamp(snap.repo.last_scan_at)}  ",
        "",
    ]


def _summary(snap: BacklogSnapshot) -> list[str]:
    open_items = snap.open
    categories = Counter(entry.item.category for entry in open_items)
    lines = ["## 🎯 Executive Summary", ""]
    if not open_items:
        lines += [
            "The backlog has **no open work items**. Run `terragon scan` or "
            "`terragon suggest` to add some.",
            "",
        ]
        return lines
    hours = sum(entry.item.estimated_hours for entry in open_items)
    top_category = categories.most_common(1)[0][0]
    lines += [
        f"Value discovery has identified **{len(open_items)} open work items** across "
        f"**{len(categories)} categories**, about **{hours:g} hours** of estimated effort; "
        f"the largest share is **{top_category}**. "
        f"{len(snap.completions)} items have been completed so far.",
        "",
    ]
    if snap.planning is not None:
        lines += planning_md.achievements(snap.planning)
    best = open_items[0]
    item = best.item
    lines += [
        f"### 🎯 Next Best Value Item (Composite Score: {best.score:.1f})",
        "",
        f"**[{md(item.key)}] {md(item.title)}**",
        f"- **Category**: {item.category.capitalize()} | "
        f"**Priority**: {item.priority.capitalize()}",
        f"- **Estimated Effort**: {item.estimated_hours:g} hours | **Impact**: {item.impact:g}/10",
    ]
    if item.description:
        lines.append(f"- **Description**: {md(item.description)}")
    places = snap.occurrences.get(item.id or -1, [])
    if len(places) > 1:
        shown = ", ".join(md(f"{p.path}:{p.line}" if p.line else str(p.path)) for p in places[:10])
        more = f", and {len(places) - 10} more" if len(places) > 10 else ""
        lines.append(f"- **Where**: {len(places)} places: {shown}{more}")
    if item.business_value_text:
        lines.append(f"- **Business Value**: {md(item.business_value_text)}")
    lane = decision_lane(item.risk)
    lines += [f"- **Risk**: {item.risk:g} - {LANE_TITLES[lane]}", "", "---", ""]
    return lines


def _top_table(snap: BacklogSnapshot) -> list[str]:
    lines = [
        "## 📋 Top 10 Value-Ranked Backlog Items",
        "",
        "| Rank | ID | Title | Score | Category | Priority | Est. Hours | Impact |",
        "|------|-----|--------|---------|----------|----------|------------|---------|",
    ]
    for entry in snap.open[:10]:
        item = entry.item
        lines.append(
            f"| {entry.rank} | {md(item.key)} | {md(item.title)} | {entry.score:.1f} | "
            f"{item.category.capitalize()} | {item.priority.capitalize()} | "
            f"{item.estimated_hours:g} | {item.impact:g} |"
        )
    if not snap.open:
        lines.append("| – | – | No open items | – | – | – | – | – |")
    return [*lines, "", "---", ""]


def _metrics(snap: BacklogSnapshot) -> list[str]:
    done = snap.completions
    actual = sum(c.actual_hours for c, _ in done)
    estimated = sum(c.estimated_hours for c, _ in done)
    accuracy = f"{actual / estimated:.2f}× of estimate" if estimated else "–"
    open_hours = sum(entry.item.estimated_hours for entry in snap.open)
    closed = Counter(entry.item.status for entry in snap.ranked)
    lines = [
        "## 📈 Value Delivery Metrics",
        "",
        "| Metric | Value |",
        "|--------|-------|",
        f"| Items completed | {len(done)} |",
        f"| Value delivered (composite score) | {sum(c.score for c, _ in done):.1f} |",
        f"| Hours spent (actual / estimated) | {actual:g} / {estimated:g} ({accuracy}) |",
        f"| Open items | {len(snap.open)} ({open_hours:g} estimated hours) |",
        f"| Deferred / rejected | {closed['deferred']} / {closed['rejected']} |",
        f"| Resolved by scans | {closed['resolved-by-scan']} |",
        "",
    ]
    if done:
        lines += ["### ✅ Recently Completed", ""]
        for completion, item in reversed(done[-5:]):
            notes = f" — {md(completion.impact_notes)}" if completion.impact_notes else ""
            lines.append(
                f"- **[{md(item.key)}]** {md(item.title)} ({completion.actual_hours:g} h, "
                f"{completion.completed_at:%Y-%m-%d}){notes}"
            )
        lines.append("")
    if snap.planning is not None:
        lines += planning_md.dora(snap.planning.delivery)
        lines += planning_md.current_vs_target(snap.planning)
    return [*lines, "---", ""]


def _discovery(snap: BacklogSnapshot) -> list[str]:
    lines = ["## 🔄 Continuous Discovery Stats", "", "### 📊 Discovery Sources Active"]
    total = len(snap.ranked)
    sources = Counter(
        SOURCE_GROUPS.get(entry.item.source, entry.item.source) for entry in snap.ranked
    )
    for name, _count, share in _share(sources, total):
        lines.append(f"- **{name}**: {share:.0%} of items discovered")
    if not total:
        lines.append("- No items discovered yet.")
    lines += ["", "### 🎯 Value Categories Distribution", "```"]
    open_total = len(snap.open)
    by_category: dict[str, list[str]] = {}
    for entry in snap.open:
        by_category.setdefault(entry.item.category, []).append(entry.item.key)
    categories = Counter({name: len(keys) for name, keys in by_category.items()})
    for name, _count, share in _share(categories, open_total):
        keys = by_category[name]
        more = f" and {len(keys) - 3} more" if len(keys) > 3 else ""
        shown = ", ".join(md(key) for key in keys[:3])
        lines.append(f"{name.capitalize()} ({share:.0%}): {shown}{more}")
    if not open_total:
        lines.append("No open items.")
    return [*lines, "```", ""]


def _methodology(snap: BacklogSnapshot) -> list[str]:
    settings = snap.settings
    lines = [
        "### 📈 Scoring Methodology",
        f"**{settings.level.capitalize()} Repository Weights** ({md(settings.origin)}):",
    ]
    for name, share in settings.weights.normalised().as_dict().items():
        lines.append(f"- {WEIGHT_LABELS[name]}: {share:.0%}")
    lines += ["", "**Boost Factors**:"]
    for name, factor in settings.boosts.as_dict().items():
        lines.append(f"- {BOOST_LABELS[name]}: {factor:g}× multiplier")
    return [*lines, "", "---", ""]


def _lanes(snap: BacklogSnapshot) -> list[str]:
    lines = ["## 🚦 Autonomous Decision Framework", ""]
    by_lane: dict[str, list[RankedItem]] = {lane: [] for lane in LANE_TITLES}
    for entry in snap.open:
        by_lane[entry.lane].append(entry)
    for lane, title in LANE_TITLES.items():
        entries = by_lane[lane]
        lines.append(f"**{title}**: {len(entries)} items")
        lines += [f"- [{md(e.item.key)}] {md(e.item.title)}" for e in entries[:5]]
        if len(entries) > 5:
            lines.append(f"- … and {len(entries) - 5} more")
        lines.append("")
    return [*lines, "---", ""]


def _footer(snap: BacklogSnapshot) -> list[str]:
    health = (
        f"{snap.repo.maturity_score:.0f}/100 ({snap.settings.level.capitalize()})"
        if snap.repo.maturity_score is not None
        else "not measured yet"
    )
    return [
        f"*This backlog is kept up to date by terragon {__version__}. "
        f"Last scan: {_stamp(snap.repo.last_scan_at)} | Generated: {_stamp(snap.generated_at)}*",
        "",
        f"**Repository Health Score**: {health}  ",
        "",
    ]


def _knowledge(plan: Planning) -> list[str]:
    return [
        "## 📚 Knowledge Base & Learning",
        "",
        *planning_md.technical_debt(plan),
        *planning_md.success_indicators(plan),
        "---",
        "",
    ]


def backlog_markdown(snap: BacklogSnapshot) -> str:
    """The backlog document in the seed's layout and order; all repository text is escaped.
    The planning sections (roadmap, debt, indicators, next actions) need `snap.planning`."""
    plan = snap.planning
    sections: Sequence[list[str]] = (
        _header(snap),
        _summary(snap),
        _top_table(snap),
        _metrics(snap),
        _discovery(snap),
        _methodology(snap),
        planning_md.roadmap(plan.roadmap) if plan else [],
        planning_md.execution_protocol(snap.schedule) if plan else [],
        _lanes(snap),
        _knowledge(plan) if plan else [],
        planning_md.contributing() if plan else [],
        planning_md.next_actions(plan.roadmap) if plan else [],
        _footer(snap),
    )
    return "\n".join(line for section in sections for line in section)


def backlog_json(snap: BacklogSnapshot) -> str:
    """Every item, ranked, with the repository, the weights and the completions."""
    completions: dict[int | None, list[dict[str, object]]] = {}
    for completion, item in snap.completions:
        completions.setdefault(item.id, []).append(completion_record(completion))
    items = []
    for entry in snap.ranked:
        record = item_record(entry, snap.occurrences.get(entry.item.id or -1, []))
        record["completions"] = completions.get(entry.item.id, [])
        items.append(record)
    return (
        to_json(
            document(
                "backlog",
                repository={
                    "name": snap.repo.name,
                    "path": snap.repo.path,
                    "maturity_score": snap.repo.maturity_score,
                    "maturity_level": snap.settings.level,
                    "last_scan_at": _stamp(snap.repo.last_scan_at)
                    if snap.repo.last_scan_at
                    else None,
                },
                generated_at=_stamp(snap.generated_at),
                scoring=snap.settings.as_dict(),
                **(snap.planning.as_dict() if snap.planning else {}),
                items=items,
            )
        )
        + "\n"
    )


def export_backlog(ws: Workspace, fmt: str = "md") -> str:
    """The backlog as text in `fmt`: md (the seed's layout), json, csv or sarif."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    snap = backlog_snapshot(ws, planning=fmt in ("md", "json"))
    if fmt == "md":
        return backlog_markdown(snap)
    if fmt == "json":
        return backlog_json(snap)
    if fmt == "sarif":
        from .sarif import flagged_items, repository_anchor, sarif_log

        items = flagged_items(snap.ranked, snap.occurrences)
        return to_json(sarif_log(items, anchor=repository_anchor(ws.root))) + "\n"
    return items_csv(snap.ranked)
