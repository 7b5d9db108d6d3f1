"""The implementation roadmap: open items packed into weeks and phases by the team's capacity.

Items are taken in ranked order; one that must come after another open item ("after" links,
`terragon edit ID --after OTHER`) waits until that one is placed and then comes right after
it. Each item starts where the one before it ended, so the weeks fill up hour by hour: an
item longer than what is left of a week runs into the next ones. Phases are runs of
`weeks_per_phase` weeks; the next actions are the roadmap's first day, week and month.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..core.periods import as_utc
from ..core.vocabulary import PRIORITIES
from ..store.models import Completion
from .ranked import RankedItem

DEFAULT_HOURS_PER_WEEK = 20.0
DEFAULT_WEEKS_PER_PHASE = 2
#: Completions needed, over at least two weeks, before the pace they show is the capacity.
MIN_COMPLETIONS_FOR_PACE = 3
#: A working week has five days: the first day of the roadmap is a fifth of its first week.
DAYS_PER_WEEK = 5


@dataclass(frozen=True, slots=True)
class Capacity:
    """Hours of work a week, weeks a phase, and where those figures come from."""

    hours_per_week: float = DEFAULT_HOURS_PER_WEEK
    weeks_per_phase: int = DEFAULT_WEEKS_PER_PHASE
    origin: str = "default"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "hours_per_week": round(self.hours_per_week, 2),
            "weeks_per_phase": self.weeks_per_phase,
            "origin": self.origin,
        }


def capacity(
    settings: Mapping[str, float],
    completions: Sequence[Completion],
    *,
    now: datetime | None = None,
) -> Capacity:
    """The capacity `[tool.terragon.roadmap]` sets, else the pace of past completions, else
    the default (20 hours a week, 2-week phases).

    The pace is the actual hours completed per week from the first completion to now, once
    there are MIN_COMPLETIONS_FOR_PACE completions spanning two weeks or more.
    """
    weeks = int(settings.get("weeks_per_phase", DEFAULT_WEEKS_PER_PHASE))
    if "hours_per_week" in settings:
        return Capacity(float(settings["hours_per_week"]), weeks, "configured")
    now = now or datetime.now(UTC)
    done = [c for c in completions if c.actual_hours > 0]
    if len(done) >= MIN_COMPLETIONS_FOR_PACE:
        first = min(as_utc(c.completed_at) for c in done)
        span = (now - first) / timedelta(weeks=1)
        if span >= 2:
            pace = sum(c.actual_hours for c in done) / span
            if pace > 0:
                origin = f"the pace of {len(done)} completions over {span:.0f} weeks"
                return Capacity(round(pace, 2), weeks, origin)
    origin = "configured" if "weeks_per_phase" in settings else "default"
    return Capacity(DEFAULT_HOURS_PER_WEEK, weeks, origin)


@dataclass(frozen=True, slots=True)
class Placed:
    """An item on the roadmap: from which hour of work it starts and where it ends."""

    entry: RankedItem
    start: float  # hours of work before it
    end: float
    waited_for: tuple[str, ...] = ()  # the keys it comes after

    def week(self, hours_per_week: float) -> int:
        """The week (from 1) the item starts in."""
        return int(self.start // hours_per_week) + 1

    def last_week(self, hours_per_week: float) -> int:
        """The week (from 1) the item ends in."""
        return max(self.week(hours_per_week), math.ceil(self.end / hours_per_week))


@dataclass
class Phase:
    """A run of weeks with the items that start in them."""

    number: int
    first_week: int
    last_week: int
    items: list[Placed] = field(default_factory=list)

    @property
    def hours(self) -> float:
        """Estimated hours of the phase's items."""
        return sum(p.entry.item.estimated_hours for p in self.items)

    @property
    def value(self) -> float:
        """The value the phase delivers: the sum of its items' composite scores."""
        return sum(p.entry.score for p in self.items)

    @property
    def priority(self) -> str:
        """The highest priority among its items."""
        found = {p.entry.item.priority for p in self.items}
        return next((name for name in PRIORITIES if name in found), "low")

    @property
    def categories(self) -> list[str]:
        """Its items' categories, the most hours first."""
        hours: dict[str, float] = {}
        for p in self.items:
            hours[p.entry.item.category] = hours.get(p.entry.item.category, 0.0) + max(
                p.entry.item.estimated_hours, 0.0
            )
        return sorted(hours, key=lambda name: (-hours[name], name))


@dataclass
class Roadmap:
    """Every open item placed, the phases they make, and the links that could not be kept."""

    capacity: Capacity
    placed: list[Placed]
    phases: list[Phase]
    cycles: list[str] = field(default_factory=list)  # keys whose "after" links form a loop

    @property
    def hours(self) -> float:
        """Estimated hours of every open item."""
        return sum(p.entry.item.estimated_hours for p in self.placed)

    @property
    def weeks(self) -> int:
        """Weeks of work at this capacity."""
        return self.placed[-1].last_week(self.capacity.hours_per_week) if self.placed else 0

    @property
    def span(self) -> str:
        """The weeks of work as words: `1 week`, `21 weeks`."""
        return f"{self.weeks} week{'s' * (self.weeks != 1)}"

    def next_actions(self, most: int = 5) -> dict[str, list[Placed]]:
        """Immediate (the first working day), this week and this month (weeks 2 to 4).

        An item belongs where it starts; the first item is always immediate.
        """
        per_week = self.capacity.hours_per_week
        day = per_week / DAYS_PER_WEEK
        actions: dict[str, list[Placed]] = {"immediate": [], "this_week": [], "this_month": []}
        for index, p in enumerate(self.placed):
            if index == 0 or p.start < day:
                actions["immediate"].append(p)
            elif p.week(per_week) == 1:
                actions["this_week"].append(p)
            elif p.week(per_week) <= 4:
                actions["this_month"].append(p)
            else:
                break
        return {name: placed[:most] for name, placed in actions.items()}

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view: capacity, phases with their items, next actions."""
        per_week = self.capacity.hours_per_week

        def placed(p: Placed) -> dict[str, Any]:
            return {
                "id": p.entry.item.key,
                "title": p.entry.item.title,
                "score": round(p.entry.score, 2),
                "estimated_hours": p.entry.item.estimated_hours,
                "week": p.week(per_week),
                "last_week": p.last_week(per_week),
                "after": list(p.waited_for),
            }

        return {
            "capacity": self.capacity.as_dict(),
            "hours": round(self.hours, 2),
            "weeks": self.weeks,
            "phases": [
                {
                    "phase": phase.number,
                    "weeks": [phase.first_week, phase.last_week],
                    "priority": phase.priority,
                    "hours": round(phase.hours, 2),
                    "value": round(phase.value, 2),
                    "items": [placed(p) for p in phase.items],
                }
                for phase in self.phases
            ],
            "next_actions": {
                name: [placed(p) for p in entries] for name, entries in self.next_actions().items()
            },
            "cycles": list(self.cycles),
        }


def plan(
    ranked: Sequence[RankedItem],
    cap: Capacity,
    after: Mapping[str, Sequence[str]] | None = None,
) -> Roadmap:
    """Pack the open items `ranked` (best first) into weeks and phases at capacity `cap`.

    `after` maps an item's key to the keys it must come after; links to items not among
    `ranked` (closed, or gone) are met already. Items whose links loop are placed last, in
    ranked order, and named in `cycles`.
    """
    after = after or {}
    keys = {entry.item.key for entry in ranked}
    waits = {
        entry.item.key: tuple(
            k for k in after.get(entry.item.key, ()) if k in keys and k != entry.item.key
        )
        for entry in ranked
    }
    placed: list[Placed] = []
    done: set[str] = set()
    waiting: dict[str, list[RankedItem]] = {}  # by the key each waits for
    hours = 0.0

    def place(entry: RankedItem) -> None:
        nonlocal hours
        todo = [entry]
        while todo:
            current = todo.pop()
            key = current.item.key
            if key in done:  # placed already, out of a loop of links
                continue
            length = max(current.item.estimated_hours, 0.0)
            placed.append(Placed(current, hours, hours + length, waits[key]))
            hours += length
            done.add(key)
            released = []
            for waiter in waiting.pop(key, []):
                missing = [k for k in waits[waiter.item.key] if k not in done]
                if missing:
                    waiting.setdefault(missing[0], []).append(waiter)
                else:
                    released.append(waiter)
            todo.extend(reversed(released))  # the best-ranked of them next

    for entry in ranked:
        missing = [k for k in waits[entry.item.key] if k not in done]
        if missing:
            waiting.setdefault(missing[0], []).append(entry)
            continue
        place(entry)
    # what still waits can only be waiting on a loop: place it in ranked order
    stuck = [entry for entry in ranked if entry.item.key not in done]
    for entry in stuck:
        if entry.item.key not in done:
            place(entry)
    return Roadmap(cap, placed, _phases(placed, cap), [e.item.key for e in stuck])


def _phases(placed: Sequence[Placed], cap: Capacity) -> list[Phase]:
    phases: list[Phase] = []
    for p in placed:
        number = (p.week(cap.hours_per_week) - 1) // cap.weeks_per_phase + 1
        if not phases or phases[-1].number != number:
            first = (number - 1) * cap.weeks_per_phase + 1
            phases.append(Phase(number, first, first + cap.weeks_per_phase - 1))
        phases[-1].items.append(p)
    return phases
