"""The cadence of scheduled work: `[tool.terragon.schedule]` cron expressions, checked and
turned into systemd `OnCalendar` values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Job:
    """One scheduled job: its config key, what it runs and its default cron expression."""

    key: str
    kind: str  # a scan kind, or "calibrate"
    default: str
    what: str


#: The seed's cadence: hourly security scans, daily full scans, weekly architecture reviews,
#: monthly recalibration; staggered so two jobs never start in the same minute.
JOBS: tuple[Job, ...] = (
    Job("hourly", "security", "5 * * * *", "security scan"),
    Job("daily", "full", "30 2 * * *", "full scan"),
    Job("weekly", "architecture", "45 3 * * 1", "architecture review"),
    Job("monthly", "calibrate", "15 4 1 * *", "recalibration"),
)
JOB_KEYS = tuple(job.key for job in JOBS)
KINDS = tuple(job.kind for job in JOBS)
SHORTHANDS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
#: name, lowest, highest, names (numbered from the lowest)
FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, MONTHS),
    ("day of week", 0, 7, DAYS),
)


@dataclass(frozen=True)
class Cadence:
    """When one job runs: its cron expression, or None when the config turns it off."""

    job: Job
    cron: str | None

    @property
    def on_calendar(self) -> str:
        """The same times as a systemd `OnCalendar` value."""
        assert self.cron is not None
        return on_calendar(self.cron)


def _number(text: str, low: int, names: tuple[str, ...], field: str) -> int:
    if text.lower() in names:
        return names.index(text.lower()) + low
    if not text.isdigit():
        raise ValueError(f"{field} {text!r} is not a number")
    return int(text)


def _values(text: str, field: tuple[str, int, int, tuple[str, ...]]) -> list[int] | None:
    """The values a cron field names, sorted; None for `*` (every value)."""
    name, low, high, names = field
    if text == "*":
        return None
    values: set[int] = set()
    for part in text.split(","):
        span, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) < 1:
                raise ValueError(f"{name} step {step_text!r} must be a whole number above 0")
            step = int(step_text)
        if span == "*":
            first, last = low, high
        elif "-" in span:
            start, _, end = span.partition("-")
            first, last = _number(start, low, names, name), _number(end, low, names, name)
        elif step_text:
            raise ValueError(f"{name} {part!r}: a step needs * or a range before it")
        else:
            first = last = _number(span, low, names, name)
        for value in (first, last):
            if not low <= value <= high:
                raise ValueError(f"{name} {value} is outside {low}-{high}")
        if first > last:
            raise ValueError(f"{name} range {span!r} runs backwards")
        values.update(range(first, last + 1, step))
    if name == "day of week" and 7 in values:  # both 0 and 7 are Sunday
        values = (values - {7}) | {0}
    return sorted(values)


def parse_cron(expression: str) -> list[list[int] | None]:
    """The five fields of a cron expression (or @hourly, @daily, @weekly, @monthly) as values.

    Raises ValueError saying what is wrong. Cron runs a job when either the day of month or
    the day of week matches if both are given, which a systemd timer cannot say: give one.
    """
    text = SHORTHANDS.get(expression.strip().lower(), expression.strip())
    parts = text.split()
    if len(parts) != 5:
        raise ValueError(
            "a cron expression has five fields (minute hour day-of-month month day-of-week), "
            f"got {len(parts)}"
        )
    fields = [_values(part, field) for part, field in zip(parts, FIELDS, strict=True)]
    if fields[2] is not None and fields[4] is not None:
        raise ValueError("give the day of month or the day of week, not both (the other as *)")
    return fields


def _joined(values: list[int] | None, width: int = 2) -> str:
    return "*" if values is None else ",".join(f"{v:0{width}}" for v in values)


def on_calendar(expression: str) -> str:
    """A cron expression as a systemd `OnCalendar` value: `Mon *-*-* 03:45:00`."""
    minute, hour, day, month, weekday = parse_cron(expression)
    days = ",".join(DAYS[d].capitalize() for d in weekday) + " " if weekday is not None else ""
    return f"{days}*-{_joined(month)}-{_joined(day)} {_joined(hour)}:{_joined(minute)}:00"


def check_schedule(table: Any, where: str) -> dict[str, str | bool]:
    """`[tool.terragon.schedule]` checked key by key: each job's cron expression, or false to
    turn the job off. Raises ConfigError naming the file and key."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table, got {type(table).__name__}")
    checked: dict[str, str | bool] = {}
    for key, value in table.items():
        if key not in JOB_KEYS:
            raise ConfigError(f"{where} has unknown key {key!r}; known keys: {', '.join(JOB_KEYS)}")
        if value is False:
            checked[key] = False
            continue
        if not isinstance(value, str):
            raise ConfigError(
                f'{where}.{key} must be a cron expression such as "0 * * * *" or false, '
                f"got {value!r}"
            )
        try:
            parse_cron(value)
        except ValueError as exc:
            raise ConfigError(f"{where}.{key} = {value!r}: {exc}") from None
        checked[key] = value
    return checked


def cadences(schedule: Mapping[str, str | bool]) -> list[Cadence]:
    """Every job with the cron expression the settings give it (its default when they say
    nothing), None for one they turn off."""
    made = []
    for job in JOBS:
        value = schedule.get(job.key, job.default)
        made.append(Cadence(job, None if value is False else str(value)))
    return made
