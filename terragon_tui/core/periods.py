"""Calendar periods (ISO weeks, months, quarters) in UTC, for reports over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from .errors import UsageError

PERIODS = ("week", "month", "quarter")
#: How many periods a report covers when no start date is given.
DEFAULT_SPAN = {"week": 12, "month": 12, "quarter": 8}
#: The farthest back a report reaches (`--since`, `--weeks`): older than any backlog or most
#: histories, and still a report of a few thousand rows, not of 100,000.
MAX_YEARS = 50
MAX_WEEKS = MAX_YEARS * 52


def as_utc(value: datetime) -> datetime:
    """`value` as an aware UTC datetime (SQLite hands stored times back naive, in UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def check_period(name: str) -> str:
    """The period name in canonical form, or a UsageError naming the valid ones."""
    key = name.strip().lower().removesuffix("ly")
    if key in PERIODS:
        return key
    raise UsageError(f"unknown period {name!r}; choose one of: {', '.join(PERIODS)}")


def parse_day(text: str) -> date:
    """A `YYYY-MM-DD` date given by the user, or a UsageError."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def earliest_day(today: date) -> date:
    """The first day a report may start on: January 1st, MAX_YEARS years back."""
    return date(today.year - MAX_YEARS, 1, 1)


@dataclass(frozen=True, slots=True)
class Period:
    """One calendar period: [start, end) in UTC, with a short label."""

    kind: str
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        """`2026-W47`, `2026-11` or `2026-Q4`."""
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    def __contains__(self, moment: object) -> bool:
        return isinstance(moment, datetime) and self.start <= as_utc(moment) < self.end


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, moment: datetime | date) -> Period:
    """The period of `kind` that contains `moment`."""
    day = as_utc(moment).date() if isinstance(moment, datetime) else moment
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return Period(kind, _midnight(first), _midnight(first + timedelta(days=7)))
    step = 1 if kind == "month" else 3
    first = date(day.year, day.month - (day.month - 1) % step, 1)
    return Period(kind, _midnight(first), _midnight(_add_months(first, step)))


def periods_between(kind: str, first: datetime | date, last: datetime | date) -> list[Period]:
    """Every period of `kind` from the one holding `first` to the one holding `last`."""
    current, final = period_of(kind, first), period_of(kind, last)
    periods = [current]
    while current.start < final.start:
        current = period_of(kind, current.end)
        periods.append(current)
    return periods


def periods_back(kind: str, count: int, now: datetime) -> list[Period]:
    """The `count` periods of `kind` ending with the one holding `now`."""
    current = period_of(kind, now)
    periods = [current]
    while len(periods) < count:
        current = period_of(kind, current.start - timedelta(days=1))
        periods.append(current)
    return periods[::-1]
