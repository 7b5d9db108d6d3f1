"""What a branch changes in the backlog: the findings it introduces, resolves and worsens.

The base revision is scanned in a temporary worktree (discovery/worktrees.py) and the
branch as it is in the work tree (or HEAD's commit on its own, `head=True`); both scans stay
in memory, so a diff never changes the backlog. Findings are matched by fingerprint: one
only on the branch is introduced, one only at the base resolved, and one on both sides is
worsened when it got more places, a function's complexity rose, a module's
maintainability fell or a hotspot got hotter (churn counted in the history up to each side).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..discovery.cache import ScanCache
from ..discovery.finding import Finding, Occurrence
from ..scoring.scale import severity_word
from .workspace import Workspace

Progress = Callable[[str, int, int], None]
#: How a change is named, in the order reports show them.
CHANGES = ("introduced", "worsened", "resolved")


class _KeepingCache(ScanCache):
    """The repository's scan cache for a scan of another revision: it takes that
    revision's results but drops none, since that scan sees only part of what it serves."""

    def prune(self) -> int:
        """Nothing is dropped."""
        return 0


@dataclass(frozen=True)
class Change:
    """One finding the branch changes, with the places the change is about and why.

    `finding` is the branch's (the base's for a resolved one); `before` the base's for a
    worsened one. `places` are every place of an introduced or resolved finding and the new
    or worse places of a worsened one.
    """

    change: str  # one of CHANGES
    finding: Finding
    score: float
    places: tuple[Occurrence, ...]
    reasons: tuple[str, ...] = ()
    before: Finding | None = None
    before_score: float | None = None

    @property
    def fingerprint(self) -> str:
        """The finding's stable identity, the same on both sides."""
        return self.finding.fingerprint

    @property
    def severity(self) -> str | None:
        """low, medium or high for a finding with a security severity, else None."""
        return severity_word(self.finding.security_severity)

    @property
    def where(self) -> str:
        """`path:line` of its first place, or the path alone, or "" for the repository."""
        place = self.places[0] if self.places else None
        path = place.path if place is not None else self.finding.path
        line = place.line if place is not None else self.finding.line
        if not path:
            return ""
        return f"{path}:{line}" if line else path

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: what it is, its score, where, and why (for a worsened one)."""
        finding = self.finding
        data: dict[str, Any] = {
            "change": self.change,
            "fingerprint": self.fingerprint,
            "source": finding.source,
            "rule": finding.rule,
            "category": finding.category,
            "title": finding.title,
            "path": finding.path,
            "line": finding.line,
            "severity": self.severity,
            "score": round(self.score, 2),
            "reasons": list(self.reasons),
            "places": [
                {"path": p.path, "line": p.line, "symbol": p.symbol, "data": dict(p.data)}
                for p in self.places
            ],
        }
        if self.before_score is not None:
            data["score_before"] = round(self.before_score, 2)
        return data


@dataclass
class BranchDiff:
    """The changes between a base revision and the branch, each kind best score first."""

    base: str  # how the base was named ("main", "merge-base with origin/main")
    base_commit: str
    head: str  # "work tree" or "HEAD"
    head_commit: str
    introduced: list[Change] = field(default_factory=list)
    worsened: list[Change] = field(default_factory=list)
    resolved: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Files each side analysed afresh and took from the cache.
    files: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0

    def changes(self) -> list[Change]:
        """Every change: introduced, then worsened, then resolved."""
        return [*self.introduced, *self.worsened, *self.resolved]

    def summary(self) -> str:
        """One line: N introduced, M worsened, K resolved."""
        return (
            f"{len(self.introduced)} introduced, {len(self.worsened)} worsened, "
            f"{len(self.resolved)} resolved"
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for `terragon diff --json`."""
        return {
            "base": self.base,
            "base_commit": self.base_commit,
            "head": self.head,
            "head_commit": self.head_commit,
            **{name: [c.as_dict() for c in getattr(self, name)] for name in CHANGES},
            "notes": list(self.notes),
            "files": self.files,
            "seconds": round(self.seconds, 3),
        }


def _scan(
    root: Path,
    kind: str,
    cache: ScanCache,
    cache_file: Path,
    progress: Progress | None,
    workers: int | None,
) -> Any:
    """Scan `root` with its own settings, within the user's limits; save the cache after."""
    from ..config.project import load_project_config
    from ..config.schema import scan_config
    from ..discovery import ScanConfig, scan
    from .user_config import load_user_config

    project = load_project_config(root)
    config = ScanConfig()
    if project.scan:
        where = f"{', '.join(project.sources)}: [tool.terragon.scan]"
        config = scan_config(project.scan, where=where)
    config, _above = config.within(load_user_config().limits)
    result = scan(root, kind, cache=cache, progress=progress, workers=workers, config=config)
    try:
        cache.save(cache_file)
    except OSError as exc:
        result.notes.append(f"the scan cache could not be written ({exc.strerror or exc})")
    return result


def _side(progress: Progress | None, side: str) -> Progress | None:
    if progress is None:
        return None
    return lambda phase, done, total: progress(f"{side}: {phase}", done, total)


def diff_branch(
    ws: Workspace,
    base: str | None = None,
    *,
    head: bool = False,
    kind: str = "full",
    workers: int | None = None,
    progress: Progress | None = None,
) -> BranchDiff:
    """What the branch changes since `base` (default: its merge-base with the default branch).

    The branch is the work tree as it is, uncommitted changes included, or with `head` the
    commit HEAD names, checked out on its own. Nothing is written to the store.
    """
    from ..git import worktrees
    from .scanning import cache_path, check_kind

    kind = check_kind(kind)
    started = time.monotonic()
    root = ws.root
    if base is None:
        label, commit = worktrees.merge_base(root)
    else:
        label, commit = base, worktrees.commit_of(root, base)
    head_commit = worktrees.commit_of(root, "HEAD")
    cache_file = cache_path(root)
    if head:
        with worktrees.checked_out(root, head_commit) as place:
            after = _scan(place, kind, _other(cache_file, "head"), cache_file,
                          _side(progress, "HEAD"), workers)  # fmt: skip
    else:
        after = _scan(root, kind, ScanCache.deferred(cache_file), cache_file,
                      _side(progress, "branch"), workers)  # fmt: skip
    with worktrees.checked_out(root, commit) as place:
        before = _scan(place, kind, _other(cache_file, "base"), cache_file,
                       _side(progress, "base"), workers)  # fmt: skip
    diff = BranchDiff(label, commit, "HEAD" if head else "work tree", head_commit)
    if commit == head_commit and head:
        diff.notes.append(f"the base is HEAD ({commit[:12]}): nothing to compare")
    compare(diff, before, after, _scorer(ws))
    diff.files = {
        "base": {"analysed": before.files_analysed, "cached": before.files_cached},
        "branch": {"analysed": after.files_analysed, "cached": after.files_cached},
    }
    diff.seconds = time.monotonic() - started
    return diff


def _other(cache_file: Path, side: str) -> ScanCache:
    """The repository's cache for a scan of another revision, remembering its own result."""
    cache = _KeepingCache.deferred(cache_file)
    cache.memo_path = cache_file.with_name(f"{cache_file.name}.memo-{side}")
    return cache


def _scorer(ws: Workspace) -> Callable[[Finding], float]:
    """A finding's score as the backlog would give it, with the repository's settings."""
    from ..scoring.breakdown import score
    from .ranked import inputs_for
    from .scoring_settings import scoring_settings

    with ws.reading() as session:
        settings = scoring_settings(ws, session)

    def scored(finding: Finding) -> float:
        inputs = inputs_for(finding)
        return score(inputs, settings.weights, settings.boosts, settings.security_from)

    return scored


def _places(finding: Finding) -> list[Occurrence]:
    return list(finding.occurrences) or [finding.as_occurrence()]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _place_name(place: Occurrence) -> str:
    """A function's name with its place, or the place alone (other symbols are identities)."""
    where = f"{place.path}:{place.line}" if place.path and place.line else place.path or ""
    if place.symbol and "@" not in place.symbol:
        return f"{place.symbol} ({where})" if where else place.symbol
    return where or "the repository"


def worse(before: Finding, after: Finding) -> tuple[list[str], list[Occurrence]]:
    """Why `after` is worse than `before` (same fingerprint), and its new or worse places."""
    reasons: list[str] = []
    places: list[Occurrence] = []
    old = {place.fingerprint: place for place in _places(before)}
    added: list[Occurrence] = []
    for place in _places(after):
        was = old.get(place.fingerprint)
        name = place.symbol or place.path or "the repository"
        if was is None:
            added.append(place)
            continue
        cc_now, cc_was = _number(place.data.get("cc")), _number(was.data.get("cc"))
        if cc_now is not None and cc_was is not None and cc_now > cc_was:
            reasons.append(f"complexity of {name} rose from {cc_was:g} to {cc_now:g}")
            places.append(place)
    if added:
        named = [_place_name(place) for place in added[:3]]
        more = f" and {len(added) - 3} more" if len(added) > 3 else ""
        count = f"{len(added)} new place{'s' if len(added) != 1 else ''}"
        reasons.insert(0, f"{count}: {', '.join(named)}{more}")
        places[:0] = added
    data, data_was = after.data, before.data
    mi_now, mi_was = _number(data.get("mi")), _number(data_was.get("mi"))
    if mi_now is not None and mi_was is not None and mi_now < mi_was:
        reasons.append(f"maintainability index fell from {mi_was:g} to {mi_now:g}")
    if after.rule == "hotspot":
        hot_now, hot_was = _number(data.get("score")), _number(data_was.get("score"))
        if hot_now is not None and hot_was is not None and hot_now > hot_was:
            reasons.append(f"hotter: {_moved(data_was, data)} (score {hot_was:g} → {hot_now:g})")
    if reasons and not places:
        places = _places(after)[:1]
    return reasons, places


def _moved(was: dict[str, object], now: dict[str, object]) -> str:
    """commits and complexity of a hotspot on both sides, each once when it stayed."""
    parts = []
    for key, label in (("commits", "commits"), ("total_cc", "complexity")):
        before, after = was.get(key), now.get(key)
        parts.append(f"{label} {before} → {after}" if before != after else f"{label} {after}")
    return ", ".join(parts)


def _comparable(result: Any, other: Any) -> Callable[[Finding], bool]:
    """Whether a finding of `result` can be told apart on the other side: its source ran
    there too, and its file was read there."""
    sources = set(other.sources)
    unread = other.unread

    def seen(finding: Finding) -> bool:
        if finding.source not in sources:
            return False
        read = unread.get(finding.path or "")
        return read is None or finding.source in read

    return seen


def compare(
    diff: BranchDiff, before: Any, after: Any, scored: Callable[[Finding], float]
) -> BranchDiff:
    """Fill `diff` with the changes from scan result `before` to scan result `after`."""
    old = _by_fingerprint(before.findings)
    new = _by_fingerprint(after.findings)
    on_base, on_branch = _comparable(after, before), _comparable(before, after)
    left_out = 0
    for key, finding in new.items():
        if key in old:
            reasons, places = worse(old[key], finding)
            if reasons:
                diff.worsened.append(
                    Change("worsened", finding, scored(finding), tuple(places), tuple(reasons),
                           old[key], scored(old[key]))
                )  # fmt: skip
        elif on_base(finding):
            diff.introduced.append(
                Change("introduced", finding, scored(finding), tuple(_places(finding)))
            )
        else:
            left_out += 1
    for key, finding in old.items():
        if key in new:
            continue
        if on_branch(finding):
            diff.resolved.append(
                Change("resolved", finding, scored(finding), tuple(_places(finding)))
            )
        else:
            left_out += 1
    for name in CHANGES:
        getattr(diff, name).sort(key=lambda c: (-c.score, c.finding.path or "", c.fingerprint))
    if left_out:
        diff.notes.append(
            f"{left_out} finding{'s' if left_out != 1 else ''} left out: their source did not run "
            "or their file was not read on the other side"
        )
    return diff


def _by_fingerprint(findings: Iterable[Finding]) -> dict[str, Finding]:
    chosen: dict[str, Finding] = {}
    for finding in findings:
        chosen.setdefault(finding.fingerprint, finding)
    return chosen


__all__ = ["CHANGES", "BranchDiff", "Change", "compare", "diff_branch", "worse"]
