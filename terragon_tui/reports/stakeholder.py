"""The stakeholder report: health, next item, top 10, value delivered, risks, weights in force."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ..backlog.delivery import DeliveryMetrics, delivery_metrics
from ..backlog.listing import ranked_backlog
from ..backlog.planning import after_links, repository_completions
from ..backlog.ranked import RankedItem
from ..backlog.roadmap import Roadmap, capacity, plan
from ..backlog.scoring_settings import scoring_settings
from ..backlog.weights_in_force import ScoringSettings
from ..backlog.workspace import Workspace
from ..core.errors import UsageError
from ..core.periods import as_utc, check_period, periods_back
from ..core.text import markdown_inline as md
from ..core.vocabulary import OPEN_STATUSES
from ..store.models import utcnow
from .backlog import BOOST_LABELS, WEIGHT_LABELS
from .value import ValueReport, value_report
from .value_render import hours, ratio_text

FORMATS = ("md", "html", "pdf")
#: Periods of the chosen kind shown in "value delivered"; weeks in the value-per-week chart.
PERIODS_SHOWN = 3
WEEKS_SHOWN = 12
RISK_ROWS = 5


@dataclass(frozen=True)
class StakeholderReport:
    """Everything the stakeholder report shows, read at one moment."""

    repository: str
    generated_at: datetime
    maturity_score: float | None
    settings: ScoringSettings
    open: list[RankedItem]
    value: ValueReport
    weekly: ValueReport
    delivery: DeliveryMetrics
    roadmap: Roadmap | None = None

    def roadmap_rows(self, most: int = 4) -> list[tuple[str, str, str, str, str]]:
        """(phase, weeks, items, hours, value) of the first `most` phases of the roadmap."""
        if self.roadmap is None:
            return []
        rows = []
        for phase in self.roadmap.phases[:most]:
            weeks = (
                str(phase.first_week)
                if phase.first_week == phase.last_week
                else f"{phase.first_week}-{phase.last_week}"
            )
            keys = ", ".join(p.entry.item.key for p in phase.items[:4])
            more = f" +{len(phase.items) - 4}" if len(phase.items) > 4 else ""
            rows.append(
                (
                    f"Phase {phase.number} ({phase.priority})",
                    weeks,
                    keys + more,
                    hours(phase.hours),
                    f"{phase.value:.1f}",
                )
            )
        return rows

    @property
    def next(self) -> RankedItem | None:
        """The next best value item."""
        return self.open[0] if self.open else None

    @property
    def top(self) -> list[RankedItem]:
        """The ten best open items."""
        return self.open[:10]

    @property
    def maturity(self) -> str:
        """The maturity level, with the measured score when a scan measured one."""
        level = self.settings.level.capitalize()
        return level if self.maturity_score is None else f"{level} ({self.maturity_score:.0f}/100)"

    @property
    def health(self) -> str:
        """The maturity, saying so when no scan has measured it."""
        if self.maturity_score is None:
            return f"{self.maturity} (default profile; not measured by a scan yet)"
        return self.maturity

    @property
    def open_hours(self) -> float:
        """Estimated hours of the open backlog."""
        return sum(entry.item.estimated_hours for entry in self.open)

    def categories(self) -> list[tuple[str, float]]:
        """Open items per category, most first."""
        counts = Counter(entry.item.category for entry in self.open)
        return [(name, float(n)) for name, n in sorted(counts.items(), key=lambda c: (-c[1], c[0]))]

    def value_per_week(self) -> list[tuple[str, float]]:
        """Composite score delivered in each of the last weeks."""
        return [(p.period.label, p.score) for p in self.weekly.periods]

    def security_open(self) -> list[RankedItem]:
        """Open security items, best first."""
        return [e for e in self.open if e.item.category == "security" or e.item.is_security]

    def oldest(self) -> list[RankedItem]:
        """The open items waiting longest."""
        return sorted(self.open, key=lambda e: (e.item.created_at, e.item.id or 0))[:RISK_ROWS]

    def age_days(self, entry: RankedItem) -> int:
        """Days an item has been in the backlog."""
        return max(0, (self.generated_at - as_utc(entry.item.created_at)).days)

    def lanes(self) -> Counter[str]:
        """Open items per decision lane."""
        return Counter(entry.lane for entry in self.open)


def stakeholder_report(
    ws: Workspace, period: str = "month", *, now: datetime | None = None
) -> StakeholderReport:
    """Read everything the stakeholder report shows, over the last periods of `period`."""
    kind = check_period(period)
    now = as_utc(now or utcnow())
    with ws.reading() as session:
        settings = scoring_settings(ws, session)
        repo = ws.repository(session)
        ranked = ranked_backlog(ws, session, settings)
        name, maturity = repo.name, repo.maturity_score
        completions = repository_completions(session, ws.repo_id)
    open_entries = [e for e in ranked if e.item.status in OPEN_STATUSES]
    roadmap = plan(
        open_entries, capacity(ws.config.roadmap, completions, now=now), after_links(ranked)
    )
    since = periods_back(kind, PERIODS_SHOWN, now)[0].start.date()
    weeks_since = periods_back("week", WEEKS_SHOWN, now)[0].start.date()
    return StakeholderReport(
        repository=name,
        generated_at=now,
        maturity_score=maturity,
        settings=settings,
        open=open_entries,
        value=value_report(ws, kind, since=since, now=now),
        weekly=value_report(ws, "week", since=weeks_since, now=now),
        delivery=delivery_metrics(ws.root, weeks=WEEKS_SHOWN, now=now),
        roadmap=roadmap,
    )


def check_format(fmt: str) -> str:
    """The report format in canonical form, or a UsageError naming the valid ones."""
    key = fmt.strip().lower()
    if key not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return key


def count(n: int, noun: str) -> str:
    """`1 item`, `2 items`."""
    return f"{n} {noun}{'s' * (n != 1)}"


def lead_time_text(value: float | None) -> str:
    """Hours as `5.0 h` or, from two days, `3.2 days`; `–` when unknown."""
    if value is None:
        return "–"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} days"


def delivery_rows(d: DeliveryMetrics) -> list[tuple[str, str]]:
    """(metric, value) lines for the delivery section; unmeasurable figures are left out."""
    if d.status != "ok":
        return []
    rows = [("Commits per week", f"{d.commits_per_week:.1f} ({d.commits} in {len(d.weeks)} weeks)")]
    if d.has_tags:
        rows += [
            ("Releases per week", f"{d.releases_per_week:.2f} ({d.releases} tagged)"),
            ("Lead time, commit to release (median)", lead_time_text(d.lead_time_median)),
            ("Commits not released yet", str(d.unreleased)),
        ]
        if d.change_failure_rate is not None:
            rows.append(
                (
                    "Change failure rate",
                    f"{d.change_failure_rate:.0%} ({len(d.failures)} of {len(d.judged)} "
                    "releases needed a fix release)",
                )
            )
        if d.time_to_restore_median is not None:
            rows.append(("Time to restore (median)", lead_time_text(d.time_to_restore_median)))
    if d.revert_share is not None:
        rows.append(("Reverts and hotfixes", f"{d.revert_share:.0%} of commits"))
    return rows


def stakeholder_markdown(r: StakeholderReport) -> str:
    """The report as one Markdown document; every text from the repository escaped."""
    value = r.value.totals()
    lines = [
        f"# 📊 Stakeholder Report: {md(r.repository)}",
        "",
        f"*Generated {r.generated_at:%Y-%m-%d %H:%M} UTC*",
        "",
        "## Repository health",
        "",
        f"- **Maturity**: {r.health}",
        f"- **Open backlog**: {len(r.open)} items, {hours(r.open_hours)} hours estimated",
        f"- **Delivered** ({r.value.periods[0].period.label} to "
        f"{r.value.periods[-1].period.label}): {value.completed} items, value "
        f"{value.score:.1f}, {hours(value.actual_hours)} h spent",
        "",
        "## Next best value item",
        "",
    ]
    best = r.next
    if best is None:
        lines.append("The backlog has no open items.")
    else:
        item = best.item
        lines += [
            f"**[{md(item.key)}] {md(item.title)}** (score {best.score:.1f})",
            "",
            f"- {md(item.category)}, {md(item.priority)} priority, "
            f"{hours(item.estimated_hours)} h estimated, impact {item.impact:g}/10, "
            f"risk {item.risk:g} ({best.lane})",
        ]
        if item.description:
            lines.append(f"- {md(item.description)}")
    lines += ["", "## Top 10", "", "| Rank | ID | Title | Score | Category | Est. h |"]
    lines.append("|---|---|---|---|---|---|")
    for e in r.top:
        lines.append(
            f"| {e.rank} | {md(e.item.key)} | {md(e.item.title)} | {e.score:.1f} | "
            f"{md(e.item.category)} | {hours(e.item.estimated_hours)} |"
        )
    if not r.top:
        lines.append("| – | – | No open items | – | – | – |")
    lines += ["", f"## Value delivered (per {r.value.kind})", ""]
    lines += ["| Period | Done | Value | Actual h | Actual ÷ est. |", "|---|---|---|---|---|"]
    for p in r.value.periods:
        lines.append(
            f"| {p.period.label} | {p.completed} | {p.score:.1f} | {hours(p.actual_hours)} | "
            f"{ratio_text(p.ratio)} |"
        )
    lines += ["", "Value per week: " + ", ".join(f"{w} {v:.1f}" for w, v in r.value_per_week())]
    lines += ["", "Open items by category: "]
    lines[-1] += ", ".join(f"{md(c)} {n:g}" for c, n in r.categories()) or "none"
    lines += ["", "## Roadmap", ""]
    if r.roadmap is not None and r.roadmap.phases:
        cap = r.roadmap.capacity
        lines += [
            f"At {hours(cap.hours_per_week)} hours a week ({md(cap.origin)}): "
            f"{hours(r.roadmap.hours)} hours of open work in {r.roadmap.span}.",
            "",
            "| Phase | Weeks | Items | Hours | Value |",
            "|---|---|---|---|---|",
        ]
        lines += [f"| {' | '.join(md(cell) for cell in row)} |" for row in r.roadmap_rows()]
    else:
        lines.append("No open items to plan.")
    lines += ["", "## Delivery (from git)", ""]
    lines += [f"- **{label}**: {text}" for label, text in delivery_rows(r.delivery)]
    lines += [f"- {md(note)}" for note in r.delivery.notes()]
    lines += ["", "## Risks", ""]
    security = r.security_open()
    lines.append(f"**Open security items**: {len(security)}")
    lines += [f"- [{md(e.item.key)}] {md(e.item.title)} ({e.score:.1f})" for e in security[:5]]
    lanes = r.lanes()
    lines += [
        "",
        f"**Manual review needed** (risk > 0.6): {count(lanes['manual-review'], 'item')}",
        "",
        "**Oldest open items**:",
    ]
    lines += [f"- [{md(e.item.key)}] {md(e.item.title)} ({r.age_days(e)} days)" for e in r.oldest()]
    if not r.open:
        lines.append("- none")
    lines += ["", "## Weights in force", "", f"From {md(r.settings.origin)}.", ""]
    for name, share in r.settings.weights.normalised().as_dict().items():
        lines.append(f"- {WEIGHT_LABELS[name]}: {share:.0%}")
    for name, factor in r.settings.boosts.as_dict().items():
        lines.append(f"- {BOOST_LABELS[name]}: ×{factor:g}")
    return "\n".join([*lines, ""])
