"""The value report: what each period delivered, discovered and resolved, read from the store."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select as core_select  # SQLModel's takes at most four columns
from sqlmodel import col

from ..backlog.workspace import Workspace
from ..core.errors import UsageError
from ..core.periods import (
    DEFAULT_SPAN,
    MAX_YEARS,
    Period,
    as_utc,
    check_period,
    earliest_day,
    periods_between,
)
from ..core.vocabulary import SOURCE_GROUPS
from ..store.models import Completion, Item, utcnow

#: Completions with this outcome delivered nothing; they count as hours spent, not value.
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Delivered:
    """One completion in the report: the item, its hours, the value counted, the notes."""

    key: str
    title: str
    category: str
    source: str
    estimated_hours: float
    actual_hours: float
    score: float
    outcome: str
    impact_notes: str
    completed_at: datetime


def hours_ratio(actual: float, estimated: float) -> float | None:
    """Actual over estimated hours, or None when nothing was estimated."""
    return actual / estimated if estimated > 0 else None


@dataclass
class PeriodValue:
    """One period of the report; `open_items`/`open_hours` are the backlog at its end."""

    period: Period
    delivered: list[Delivered] = field(default_factory=list)
    discovered: int = 0
    resolved_by_scan: int = 0
    set_aside: int = 0  # deferred or rejected
    open_items: int = 0
    open_hours: float = 0.0

    @property
    def completed(self) -> int:
        """Completions in the period."""
        return len(self.delivered)

    @property
    def resolved(self) -> int:
        """Items done or resolved by a scan in the period."""
        return self.completed + self.resolved_by_scan

    @property
    def estimated_hours(self) -> float:
        """Estimated hours of the items completed."""
        return sum(d.estimated_hours for d in self.delivered)

    @property
    def actual_hours(self) -> float:
        """Hours actually spent on the items completed."""
        return sum(d.actual_hours for d in self.delivered)

    @property
    def ratio(self) -> float | None:
        """Actual over estimated hours."""
        return hours_ratio(self.actual_hours, self.estimated_hours)

    @property
    def score(self) -> float:
        """Composite score delivered (failed completions deliver none)."""
        return sum(d.score for d in self.delivered if d.outcome != FAILED)

    @property
    def by_category(self) -> Counter[str]:
        """Completions per category."""
        return Counter(d.category for d in self.delivered)


@dataclass(frozen=True, slots=True)
class CategoryValue:
    """One category's completions over the whole report."""

    category: str
    completed: int
    estimated_hours: float
    actual_hours: float
    score: float

    @property
    def ratio(self) -> float | None:
        """Actual over estimated hours."""
        return hours_ratio(self.actual_hours, self.estimated_hours)


@dataclass
class ValueReport:
    """Every period from the first to the current one, and the window's totals."""

    kind: str
    repository: str
    periods: list[PeriodValue]
    generated_at: datetime
    sources: Counter[str] = field(default_factory=Counter)  # discovered in the window

    @property
    def start(self) -> datetime:
        """Start of the first period."""
        return self.periods[0].period.start

    @property
    def delivered(self) -> list[Delivered]:
        """Every completion in the window, oldest first."""
        return [d for p in self.periods for d in p.delivered]

    @property
    def is_empty(self) -> bool:
        """Nothing was completed, discovered or closed, and nothing is open."""
        return not any(
            p.delivered or p.discovered or p.resolved_by_scan or p.set_aside or p.open_items
            for p in self.periods
        )

    def totals(self) -> PeriodValue:
        """The window as one period (the backlog figures are those of the last period)."""
        last = self.periods[-1]
        return PeriodValue(
            period=Period(self.kind, self.start, last.period.end),
            delivered=self.delivered,
            discovered=sum(p.discovered for p in self.periods),
            resolved_by_scan=sum(p.resolved_by_scan for p in self.periods),
            set_aside=sum(p.set_aside for p in self.periods),
            open_items=last.open_items,
            open_hours=last.open_hours,
        )

    def categories(self) -> list[CategoryValue]:
        """Completions per category over the window, most value first."""
        groups: dict[str, list[Delivered]] = {}
        for d in self.delivered:
            groups.setdefault(d.category, []).append(d)
        rows = [
            CategoryValue(
                name,
                len(ds),
                sum(d.estimated_hours for d in ds),
                sum(d.actual_hours for d in ds),
                sum(d.score for d in ds if d.outcome != FAILED),
            )
            for name, ds in groups.items()
        ]
        return sorted(rows, key=lambda row: (-row.score, row.category))

    def source_shares(self) -> list[tuple[str, int, float]]:
        """(discovery source group, items, share) of the items discovered in the window."""
        total = sum(self.sources.values())
        return [(name, n, n / total) for name, n in self.sources.most_common()]


def _window(
    kind: str, since: date | None, first_event: datetime | None, now: datetime
) -> list[Period]:
    if since is not None:
        if since > now.date():
            raise UsageError(f"--since {since} is in the future")
        if since < earliest_day(now.date()):
            raise UsageError(
                f"--since {since} is more than {MAX_YEARS} years back; "
                f"a report starts on {earliest_day(now.date())} at the earliest"
            )
        return periods_between(kind, since, now)
    periods = periods_between(kind, first_event or now, now)
    return periods[-DEFAULT_SPAN[kind] :]


def value_report(
    ws: Workspace,
    period: str = "month",
    *,
    since: date | None = None,
    now: datetime | None = None,
) -> ValueReport:
    """Per period: completions, hours, value, discovered vs resolved, and the open backlog.

    Without `since`, the report starts at the first activity, at most DEFAULT_SPAN periods
    back. The open backlog at the end of each period is rebuilt from when items were created
    and closed, with their current estimates.
    """
    kind = check_period(period)
    now = as_utc(now or utcnow())
    with ws.reading() as session:
        name = ws.repository(session).name
        # Plain rows of the few columns needed: a report reads every item of the repository.
        items = session.execute(
            core_select(
                col(Item.created_at),
                col(Item.closed_at),
                col(Item.status),
                col(Item.source),
                col(Item.estimated_hours),
            )
            .where(col(Item.repo_id) == ws.repo_id)
            .order_by(col(Item.id))
        ).all()
        done = session.execute(
            core_select(
                col(Item.key),
                col(Item.title),
                col(Item.category),
                col(Item.source),
                col(Completion.estimated_hours),
                col(Completion.actual_hours),
                col(Completion.score),
                col(Completion.outcome),
                col(Completion.impact_notes),
                col(Completion.completed_at),
            )
            .join(Item, col(Completion.item_id) == col(Item.id))
            .where(col(Item.repo_id) == ws.repo_id)
            .order_by(col(Completion.completed_at), col(Completion.id))
        ).all()
    delivered = [
        Delivered(
            key, title, category, source, estimated, actual, score, outcome, notes, as_utc(at)
        )
        for key, title, category, source, estimated, actual, score, outcome, notes, at in done
    ]
    spans = [
        (as_utc(made), as_utc(closed) if closed else None, status, source, hours)
        for made, closed, status, source, hours in items
    ]
    events = [span[0] for span in spans] + [d.completed_at for d in delivered]
    periods = [PeriodValue(p) for p in _window(kind, since, min(events, default=None), now)]
    starts = [p.period.start for p in periods]
    last = periods[-1].period.end
    report = ValueReport(kind, name, periods, now)

    def bucket(moment: datetime | None) -> PeriodValue | None:
        if moment is None or not starts[0] <= moment < last:
            return None
        return periods[bisect_right(starts, moment) - 1]

    for delivery in delivered:
        target = bucket(delivery.completed_at)
        if target is not None:
            target.delivered.append(delivery)
    for made, closed, status, source, _hours in spans:
        target = bucket(made)
        if target is not None:
            target.discovered += 1
            report.sources[SOURCE_GROUPS.get(source, source)] += 1
        target = bucket(closed)
        if target is not None and status == "resolved-by-scan":
            target.resolved_by_scan += 1
        elif target is not None and status in ("deferred", "rejected"):
            target.set_aside += 1
    for entry in periods:
        moment = min(entry.period.end, now)
        still_open = [
            hours
            for made, closed, _status, _source, hours in spans
            if made < moment and (closed is None or closed >= moment)
        ]
        entry.open_items = len(still_open)
        entry.open_hours = sum(still_open)
    return report
