"""Delivery metrics from git: commits and releases per week, lead time, reverts, hotfixes."""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..core.periods import MAX_WEEKS, MAX_YEARS, Period, as_utc, periods_back
from ..git.history import Commit, Release, read_history

DEFAULT_WEEKS = 12
#: A release is judged failed when a fix release follows it within this many days.
FAILURE_WINDOW_DAYS = 14
#: The fewest judged releases from which a change failure rate is given.
MIN_JUDGED_RELEASES = 3
_REVERT_OR_HOTFIX = re.compile(r"^\s*(\[?revert\b)|\bhot[-_ ]?fix", re.IGNORECASE)


def is_revert_or_hotfix(subject: str) -> bool:
    """A commit that undoes or urgently repairs an earlier change, judged by its subject."""
    return _REVERT_OR_HOTFIX.search(subject) is not None


def _version(name: str) -> tuple[int, ...] | None:
    """The release parts of a tag name (`v1.4.1` → (1, 4, 1)), or None for another name."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(name.removeprefix("v").removeprefix("V")).release
    except InvalidVersion:
        return None


def is_patch_of(later: Release, earlier: Release) -> bool:
    """Whether `later` is a patch release of `earlier`: three-part versions that differ in
    the last part only, upwards (`1.4.0` → `1.4.1`)."""
    new, old = _version(later.name), _version(earlier.name)
    return (
        new is not None
        and old is not None
        and len(new) == len(old) == 3
        and new[:2] == old[:2]
        and new[2] > old[2]
    )


def first_releases(commits: Iterable[Commit], releases: Sequence[Release]) -> dict[str, Release]:
    """For each commit id, the earliest release whose history contains it.

    Releases are walked in date order and each walk stops at commits an earlier release
    already holds (their ancestors are held too), so the whole history is visited once.
    """
    parents = {c.sha: c.parents for c in commits}
    owner: dict[str, Release] = {}
    for release in releases:
        stack = [release.sha]
        while stack:
            sha = stack.pop()
            if sha in owner or sha not in parents:
                continue
            owner[sha] = release
            stack.extend(parents[sha])
    return owner


@dataclass(frozen=True, slots=True)
class WeekDelivery:
    """One ISO week: commits (merges aside), releases, and reverts or hotfixes."""

    week: Period
    commits: int
    releases: int
    reverts_or_hotfixes: int


@dataclass(frozen=True, slots=True)
class Failure:
    """A release that a fix release followed within the failure window, and that fix."""

    release: Release
    fixed_by: Release

    @property
    def restore_hours(self) -> float:
        """Hours from the failed release to the release that fixed it."""
        return max(0.0, (self.fixed_by.at - self.release.at).total_seconds() / 3600)


@dataclass
class DeliveryMetrics:
    """What git says about delivery over the last weeks; `status` says why figures are missing."""

    status: str  # ok, no-history, not-a-repository
    weeks: list[WeekDelivery] = field(default_factory=list)
    tags: int = 0
    lead_times: list[float] = field(default_factory=list)  # hours, changes of releases in window
    unreleased: int = 0  # commits no tag contains yet
    first_commit_at: datetime | None = None
    last_commit_at: datetime | None = None
    last_release: Release | None = None
    #: Releases of the window whose fate is known: a later release exists, or the failure
    #: window has passed since them.
    judged: list[Release] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def has_tags(self) -> bool:
        """Whether the repository tags its releases (without tags, releases are unknown)."""
        return self.tags > 0

    @property
    def commits(self) -> int:
        """Commits in the window, merges aside."""
        return sum(w.commits for w in self.weeks)

    @property
    def releases(self) -> int:
        """Releases (tags) made in the window."""
        return sum(w.releases for w in self.weeks)

    @property
    def commits_per_week(self) -> float:
        """Average commits per week over the window."""
        return self.commits / len(self.weeks) if self.weeks else 0.0

    @property
    def releases_per_week(self) -> float | None:
        """Average releases per week, or None without tags."""
        return self.releases / len(self.weeks) if self.weeks and self.has_tags else None

    @property
    def revert_share(self) -> float | None:
        """Share of the window's commits that are reverts or hotfixes (None without commits)."""
        if not self.commits:
            return None
        return sum(w.reverts_or_hotfixes for w in self.weeks) / self.commits

    @property
    def lead_time_median(self) -> float | None:
        """Median hours from commit to the first release containing it."""
        return statistics.median(self.lead_times) if self.lead_times else None

    @property
    def lead_time_mean(self) -> float | None:
        """Mean hours from commit to the first release containing it."""
        return statistics.fmean(self.lead_times) if self.lead_times else None

    @property
    def change_failure_rate(self) -> float | None:
        """Share of the window's judged releases followed by a fix release, or None with
        fewer than MIN_JUDGED_RELEASES of them (not enough history to say)."""
        if len(self.judged) < MIN_JUDGED_RELEASES:
            return None
        return len(self.failures) / len(self.judged)

    @property
    def time_to_restore_median(self) -> float | None:
        """Median hours from a failed release to its fix release (None without failures)."""
        if not self.failures:
            return None
        return statistics.median(f.restore_hours for f in self.failures)

    def notes(self) -> list[str]:
        """Plain sentences for what cannot be measured, instead of printing zeros."""
        if self.status == "not-a-repository":
            return ["Not a git repository: delivery metrics need git history."]
        if self.status == "no-history":
            return ["The repository has no commits yet: nothing to measure."]
        notes = []
        if not self.has_tags:
            notes.append(
                "No tags: releases per week and lead time cannot be measured "
                "(tag releases, e.g. `git tag v1.0`, to see them)."
            )
        elif not self.releases:
            notes.append("No release was tagged in this window.")
        if not self.commits:
            notes.append("No commits in this window.")
        if self.has_tags and len(self.judged) < MIN_JUDGED_RELEASES:
            notes.append(
                f"Not enough history for the change failure rate: {len(self.judged)} judged "
                f"release(s) in this window, it needs {MIN_JUDGED_RELEASES}."
            )
        elif self.has_tags and not self.failures:
            notes.append("No release needed a fix release: no time to restore to measure.")
        return notes

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view; figures that cannot be measured are null, with a note."""

        def rounded(value: float | None, digits: int = 2) -> float | None:
            return None if value is None else round(value, digits)

        return {
            "status": self.status,
            "notes": self.notes(),
            "weeks": [
                {
                    "week": w.week.label,
                    "start": w.week.start.date().isoformat(),
                    "commits": w.commits,
                    "releases": w.releases if self.has_tags else None,
                    "reverts_or_hotfixes": w.reverts_or_hotfixes,
                }
                for w in self.weeks
            ],
            "commits": self.commits,
            "commits_per_week": rounded(self.commits_per_week),
            "tags": self.tags,
            "releases": self.releases if self.has_tags else None,
            "releases_per_week": rounded(self.releases_per_week),
            "lead_time_hours_median": rounded(self.lead_time_median),
            "lead_time_hours_mean": rounded(self.lead_time_mean),
            "released_changes_measured": len(self.lead_times),
            "unreleased_commits": self.unreleased if self.has_tags else None,
            "revert_or_hotfix_share": rounded(self.revert_share, 4),
            "releases_judged": len(self.judged) if self.has_tags else None,
            "failed_releases": [
                {"release": f.release.name, "fixed_by": f.fixed_by.name} for f in self.failures
            ],
            "change_failure_rate": rounded(self.change_failure_rate, 4),
            "time_to_restore_hours_median": rounded(self.time_to_restore_median),
            "first_commit_at": self.first_commit_at.isoformat() if self.first_commit_at else None,
            "last_commit_at": self.last_commit_at.isoformat() if self.last_commit_at else None,
            "last_release": self.last_release.name if self.last_release else None,
        }


def measure(
    commits: Sequence[Commit],
    releases: Sequence[Release],
    *,
    weeks: int = DEFAULT_WEEKS,
    now: datetime | None = None,
) -> DeliveryMetrics:
    """Delivery metrics of a parsed history over the `weeks` ISO weeks ending with `now`."""
    if not commits:
        return DeliveryMetrics("no-history")
    now = as_utc(now or datetime.now(UTC))
    window = periods_back("week", weeks, now)
    owner = first_releases(commits, releases)
    changes = [c for c in commits if not c.is_merge]
    start, end = window[0].start, window[-1].end
    counts = [[0, 0, 0] for _ in window]  # commits, releases, reverts or hotfixes
    for c in changes:
        if start <= c.at < end:
            index = (c.at - start).days // 7
            counts[index][0] += 1
            counts[index][2] += is_revert_or_hotfix(c.subject)
    for r in releases:
        if start <= r.at < end:
            counts[(r.at - start).days // 7][1] += 1
    rows = [WeekDelivery(week, *count) for week, count in zip(window, counts, strict=True)]
    judged, failures = judge_releases(commits, releases, owner, start, end, now)
    lead_times = [
        max(0.0, (owner[c.sha].at - c.at).total_seconds() / 3600)
        for c in changes
        if c.sha in owner and start <= owner[c.sha].at < end
    ]
    return DeliveryMetrics(
        "ok",
        weeks=rows,
        tags=len(releases),
        lead_times=lead_times,
        unreleased=sum(c.sha not in owner for c in changes),
        first_commit_at=min(c.at for c in commits),
        last_commit_at=max(c.at for c in commits),
        last_release=releases[-1] if releases else None,
        judged=judged,
        failures=failures,
    )


def judge_releases(
    commits: Sequence[Commit],
    releases: Sequence[Release],
    owner: dict[str, Release],
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    window_days: int = FAILURE_WINDOW_DAYS,
) -> tuple[list[Release], list[Failure]]:
    """The window's releases whose fate is known, and those among them that failed.

    The rule: a *fix release* is one whose own changes (the commits it is the first release
    to contain) include a revert or a hotfix, as `is_revert_or_hotfix` reads the subject, or
    a patch release: its version differs from the release before it in the last part only
    (`v1.4.0` → `v1.4.1`).
    A release *failed* when the next release is a fix release made within `window_days` of
    it; the time to restore is the time between the two. A release is *judged* once the next
    release exists or `window_days` have passed without one; the latest release, younger
    than that, is not judged yet.
    """
    fixes = {
        owner[c.sha].name for c in commits if c.sha in owner and is_revert_or_hotfix(c.subject)
    }
    fixes |= {
        later.name for earlier, later in itertools.pairwise(releases) if is_patch_of(later, earlier)
    }
    window = window_days * 86400
    judged: list[Release] = []
    failures: list[Failure] = []
    for index, release in enumerate(releases):
        if not start <= release.at < end:
            continue
        after = releases[index + 1] if index + 1 < len(releases) else None
        if after is None:
            if (now - release.at).total_seconds() >= window:
                judged.append(release)
            continue
        judged.append(release)
        if after.name in fixes and (after.at - release.at).total_seconds() <= window:
            failures.append(Failure(release, after))
    return judged, failures


def delivery_metrics(
    path: Path | str, *, weeks: int = DEFAULT_WEEKS, now: datetime | None = None
) -> DeliveryMetrics:
    """Read the repository at `path` and measure its delivery over the last `weeks` weeks."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise UsageError(
            f"weeks must be from 1 to {MAX_WEEKS:,} ({MAX_YEARS} years back), got {weeks}"
        )
    history = read_history(Path(path))
    if history is None:
        return DeliveryMetrics("not-a-repository")
    return measure(*history, weeks=weeks, now=now)
