"""The scan runner: a repository's files through the per-file sources, then the repo-wide ones."""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..core.errors import NotFoundError, UsageError
from ..core.vocabulary import PRODUCTION
from ..git.churn import Churn, read_churn
from . import (
    bandit_shapes,
    complexity,
    config_audit,
    dependencies,
    grouping,
    hotspots,
    imports,
    lint,
    outline,
    overlaps,
    path_roles,
    scan_memo,
    security,
    todos,
    types,
)
from .analysis import OUTLINE_ONLY, Outcome, analysers_for
from .cache import ScanCache
from .decisions import read_decisions
from .finding import Finding, Suppressed
from .inventory import Inventory, RepoFile, blob_sha, name_and_suffix, take_inventory
from .pool import ScanCancelled, analyse_files
from .repo_sources import RepoContext, RepoSource
from .safe_read import RepoReader, Unreadable, too_large
from .scan_config import ScanConfig
from .secret_triage import SecretTriage

__all__ = ["KINDS", "CancelToken", "Progress", "ScanCancelled", "ScanResult", "scan"]

#: The sources each kind of scan covers.
KINDS: dict[str, tuple[str, ...]] = {
    "full": (
        "complexity",
        "hotspots",
        "todos",
        "security",
        "secrets",
        "config",
        "dependencies",
        "lint",
        "types",
        "imports",
    ),
    "security": ("security", "secrets"),
    "architecture": ("complexity", "hotspots", "imports"),
    "types": ("types",),
}
#: The repository-wide sources (repo_sources.py), in the order they run.
REPO_SOURCES: tuple[RepoSource, ...] = (dependencies, lint, types, imports)
#: Steps of a scan that `timings` names beside the sources: listing the files, the wall time
#: of the per-file phase, parsing Python (shared by its sources), building the findings.
OVERHEAD = ("files", "analysis", "parse", "findings")
Progress = Callable[[str, int, int], None]


class CancelToken(Protocol):
    """Anything with `is_set()`, such as a `threading.Event`."""

    def is_set(self) -> bool:
        """True once the scan should stop."""
        ...


#: Why a file was skipped when its content was not looked at, rather than found unfit to
#: analyse (binary, generated, not UTF-8): its items stay as they were (ScanResult.unread).
UNREAD_REASONS = (
    "unreadable",
    "larger than the size limit",
    "analysis took longer",
    "analyser error",
    "not a regular file",
    "symlink points outside",
    "a folder on its path",
    "changed into a symlink",
)


@dataclass
class ScanResult:
    """Everything a scan found, and what it could not look at and why.

    `sources` are the sources this scan covered: an item of one of them that is not among
    `findings` has disappeared; items of other sources were not looked at. `skipped` lists
    every file not analysed in full with the reason; `partial` names those of them still
    analysed in part, with the sources that did read them.
    """

    kind: str
    findings: list[Finding] = field(default_factory=list)
    files_total: int = 0
    files_analysed: int = 0
    files_cached: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    partial: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    per_source: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    maturity_score: float | None = None
    maturity_level: str | None = None
    #: The practices the config audit found in place (ci, tests, license...), by name.
    practices: dict[str, bool] = field(default_factory=dict)
    #: Source lines of code in the files whose complexity was measured.
    code_lines: int = 0
    sources: tuple[str, ...] = ()
    #: Files left out before analysis, by why: own files, exclude setting, path roles.
    excluded: dict[str, int] = field(default_factory=dict)
    #: Findings left out, each with why: what the repository decided against (its bandit
    #: settings, inline ignores, its secrets baseline) and known false-positive shapes.
    suppressed: list[Suppressed] = field(default_factory=list)
    #: Places found per source; several can make one item (grouping.py).
    occurrences: dict[str, int] = field(default_factory=dict)
    #: Seconds per source, and per step outside them (OVERHEAD). The per-file sources'
    #: times are summed over the analysing processes, so they can add up to more than
    #: the per-file phase's wall time ("analysis").
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def unread(self) -> dict[str, frozenset[str]]:
        """The files whose content this scan could not look at for a reason outside it (a
        read or time limit, a file that is not regular or leads out, one read in part),
        each with the sources that did read it. Their other items are not resolved: not
        seeing a finding in a file not read says nothing about it.

        A source that found something in such a file did read it: ruff and mypy read every
        file themselves, over a size or time limit of terragon's own analysers."""
        unread = {
            path: set(self.partial.get(path, ()))
            for path, reason in self.skipped
            if reason.startswith(UNREAD_REASONS)
        }
        for path, read in self.partial.items():
            unread.setdefault(path, set(read))
        if unread:
            for finding in self.findings:
                places = {finding.path, *(place.path for place in finding.occurrences)}
                for place in places & unread.keys():
                    unread[str(place)].add(finding.source)
        return {path: frozenset(read) for path, read in unread.items()}

    def summary(self) -> dict[str, Any]:
        """The counts as JSON-able data (for a scan-run record or `--json`), without findings."""
        return {
            "kind": self.kind,
            "files_total": self.files_total,
            "files_analysed": self.files_analysed,
            "files_cached": self.files_cached,
            "skipped": [list(row) for row in self.skipped],
            "partial": {path: list(read) for path, read in self.partial.items()},
            "notes": list(self.notes),
            "per_source": dict(self.per_source),
            "seconds": round(self.seconds, 3),
            "maturity_score": self.maturity_score,
            "maturity_level": self.maturity_level,
            "practices": dict(self.practices),
            "code_lines": self.code_lines,
            "sources": list(self.sources),
            "excluded": dict(self.excluded),
            "occurrences": dict(self.occurrences),
            "suppressed": suppressed_summary(self.suppressed),
            "timings": {name: round(spent, 3) for name, spent in self.timings.items()},
        }


def suppressed_summary(suppressed: list[Suppressed]) -> dict[str, Any]:
    """Suppressed findings as JSON: counts per reason, and each one."""
    return {
        "count": len(suppressed),
        "by_reason": by_reason(suppressed),
        "items": [s.as_dict() for s in suppressed],
    }


def by_reason(suppressed: list[Suppressed]) -> dict[str, int]:
    """How many findings each reason left out, the commonest first."""
    return dict(Counter(s.reason for s in suppressed).most_common())


@dataclass
class _Plan:
    """The per-file part of a scan: what to analyse, what the cache already knows."""

    analysers: dict[str, frozenset[str]] = field(default_factory=dict)
    blobs: dict[str, str] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    todo: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    partial: dict[str, list[str]] = field(default_factory=dict)
    cached: int = 0

    def take(self, path: str, entry: dict[str, Any]) -> None:
        """Use a file's cache entry; an entry with analysers that could not run (None, and
        why in "partial") also lists the file as skipped, or as read in part."""
        wanted = self.analysers[path] - OUTLINE_ONLY  # the outline is no source to report
        missing = sorted(name for name in wanted if name in entry and entry[name] is None)
        read = sorted(name for name in wanted if entry.get(name) is not None)
        self.results[path] = entry
        if not missing:
            return
        reason = str(entry.get("partial", "could not be analysed"))
        if read:
            reason = f"{reason}; {' and '.join(missing)} not analysed"
            self.partial[path] = read
        self.skipped.append((path, reason))


def _cache_entry(outcome: Outcome) -> dict[str, Any]:
    """An outcome's results as cached: an analyser that could not run is kept as None, so
    the next scan knows it was tried, with the reason under "partial"."""
    if outcome.partial is None:
        return outcome.results
    return {**outcome.results, **dict.fromkeys(outcome.not_run), "partial": outcome.partial}


def cache_key(path: str, blob: str) -> str:
    """The cache key of a file: its blob SHA, qualified by its type.

    The same content under another suffix is read another way (comment syntax, the
    secret patterns detect-secrets picks by file type), so it gets its own entry.
    """
    name, suffix = name_and_suffix(path)
    return f"{blob}:{suffix.lower() or name}"


def _analysers(kind: str) -> Callable[[str], frozenset[str]]:
    """`analysers_for(path, kind)`, worked out once per path; equal sets are one object."""
    by_path: dict[str, frozenset[str]] = {}
    shared: dict[frozenset[str], frozenset[str]] = {}

    def wanted(path: str) -> frozenset[str]:
        found = by_path.get(path)
        if found is None:
            found = analysers_for(path, kind)
            found = by_path[path] = shared.setdefault(found, found)
        return found

    return wanted


def _plan(
    root: Path,
    files: list[RepoFile],
    analysers: Callable[[str], frozenset[str]],
    cache: ScanCache,
    limit: int,
) -> _Plan:
    plan = _Plan()
    reader = RepoReader(root)
    for entry in files:
        blob = entry.blob
        try:
            if blob is None:  # changed or untracked: hashed from at most `limit` bytes
                blob = blob_sha(reader.read(entry.path, limit))
            elif reader.size(entry.path) > limit:
                raise Unreadable(too_large(limit))
        except Unreadable as exc:
            plan.skipped.append((entry.path, str(exc)))
            continue
        wanted = analysers(entry.path)
        key = cache_key(entry.path, blob)
        plan.analysers[entry.path], plan.blobs[entry.path] = wanted, key
        hit = cache.lookup(key, wanted)
        if hit is None:
            plan.todo.append((entry.path, wanted - cache.partial(key).keys()))
        elif "skip" in hit:
            plan.skipped.append((entry.path, str(hit["skip"])))
            plan.cached += 1
        else:
            plan.take(entry.path, hit)
            plan.cached += 1
    return plan


def _file_findings(
    plan: _Plan, config: ScanConfig, churn: Churn | None, secrets: SecretTriage
) -> tuple[list[Finding], dict[str, int], int]:
    """Findings of the per-file sources, the total complexity of each file measured, and
    the source lines of code of those files."""
    found: list[Finding] = []
    totals: dict[str, int] = {}
    code_lines = 0
    for path in sorted(plan.results):
        results = plan.results[path]
        # None: the analyser could not run on this file (see Outcome.partial)
        ran = {name for name in plan.analysers[path] if results.get(name) is not None}
        if "complexity" in ran:
            measured = results["complexity"]
            totals[path] = int(measured["total_cc"])
            code_lines += int(measured.get("sloc", 0))
            stats = churn.files.get(path) if churn is not None else None
            found += complexity.findings(
                path,
                measured,
                min_rank=config.complexity_rank,
                mi_max_rank=config.mi_rank,
                commits=stats.commits if stats is not None else 0,
            )
        if "todos" in ran:
            found += todos.findings(path, results["todos"])
        if "security" in ran:
            found += security.findings(
                path, results["security"], skip_in_tests=config.bandit_skip_in_tests
            )
        if "secrets" in ran:
            found += secrets.findings(path, results["secrets"])
    return found, totals, code_lines


def _churn(root: Path, since: str | None, config: ScanConfig, notes: list[str]) -> Any:
    import git

    try:
        return read_churn(root, days=config.churn_days, since=since)
    except (git.GitCommandError, git.InvalidGitRepositoryError, OSError, ValueError) as exc:
        notes.append(f"git log failed, no churn: {str(exc).strip().splitlines()[0][:200]}")
        return None


def scan(
    path: str | os.PathLike[str],
    kind: str = "full",
    *,
    since: str | None = None,
    cache: ScanCache | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    workers: int | None = None,
    config: ScanConfig = ScanConfig(),
) -> ScanResult:
    """Scan the repository at `path` and return its findings; the repository is only read.

    `kind` is full, security, architecture or types. `since` limits churn to a revision range
    (`since..HEAD`) or a date. `cache` is consulted and updated in place (persist it with
    `save()`). `progress(phase, done, total)` is called as phases advance; when `cancel` is
    set the scan stops and raises ScanCancelled. `workers` is the number of analysing
    processes (default: every core; 1 analyses in this process).
    """
    if kind not in KINDS:
        raise UsageError(f"unknown scan kind {kind!r}; choose one of: {', '.join(KINDS)}")
    root = Path(path).expanduser()
    if not root.is_dir():
        raise NotFoundError(f"no such directory: {root}")
    started = time.perf_counter()
    report: Progress = progress or (lambda phase, done, total: None)
    cache = cache if cache is not None else ScanCache()

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    def checkpoint() -> None:
        if cancelled():
            raise ScanCancelled("scan cancelled")

    timings: defaultdict[str, float] = defaultdict(float)  # seconds, by step
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] += now - clock
        clock = now

    report("files", 0, 1)
    analysers = _analysers(kind)
    inventory = take_inventory(root, exclude=config.exclude, wanted=lambda p: bool(analysers(p)))
    memo = _memo_place(root, kind, since, config, inventory, cache)
    if memo is not None:
        recalled = scan_memo.recall(*memo)
        if recalled is not None:
            report("files", 1, 1)
            report("findings", 1, 1)
            return _recalled(recalled, started)
    roles = config.path_roles()
    _leave_out_unmaintained(inventory, roles)
    checkpoint()
    plan = _plan(root, inventory.files, analysers, cache, config.size_limit)
    report("files", 1, 1)
    lap("files")
    total = len(inventory.files)
    done = total - len(plan.todo)
    report("analysis", done, total)
    fresh = 0

    def receive(outcome: Outcome) -> None:
        nonlocal done, fresh
        blob = plan.blobs[outcome.path]
        if outcome.skip is not None:
            plan.skipped.append((outcome.path, outcome.skip))
            if outcome.cacheable:
                cache.store(blob, {"skip": outcome.skip})
        else:
            cache.store(blob, _cache_entry(outcome))
            plan.take(outcome.path, cache.partial(blob))
        for analyser, spent in outcome.seconds.items():
            worked[analyser] += spent
        done += 1
        fresh += 1
        report("analysis", done, total)

    worked: defaultdict[str, float] = defaultdict(float)  # analysers' seconds, by analyser
    cores = os.cpu_count() or 1
    count = workers if workers is not None else cores
    notes = list(inventory.notes)
    if count > cores:  # more processes than cores only share them, each with its own memory
        notes.append(f"{count} analysing processes asked for; {cores} (one per core) ran")
        count = cores
    notes += analyse_files(root, plan.todo, config, max(1, count), receive, cancelled)
    checkpoint()
    lap("analysis")
    churn = None
    covered = KINDS[kind]
    if "hotspots" in covered and inventory.has_history:
        report("history", 0, 1)
        churn = _churn(root, since, config, notes)
        report("history", 1, 1)
        checkpoint()
    lap("hotspots")
    if churn is None:
        covered = tuple(s for s in covered if s != "hotspots")
    context = RepoContext(
        root, kind, tuple(inventory.all_paths), config, cache,
        roles.with_scripts(_scripts(root, plan, roles)),  # the roles the backlog will give
        blobs=dict(plan.blobs), results=plan.results, notes=notes, cancelled=cancelled,
    )  # fmt: skip
    repo_wide = [s for s in REPO_SOURCES if s.SOURCE in covered and s.applies(context)]
    ran = {s.SOURCE for s in repo_wide}
    covered = tuple(s for s in covered if s in ran or s not in {r.SOURCE for r in REPO_SOURCES})
    report("findings", 0, 1)
    secrets = SecretTriage.for_repository(root, notes) if "secrets" in covered else SecretTriage()
    found, totals, code_lines = _file_findings(plan, config, churn, secrets)
    if churn is not None:
        limits = {
            "min_commits": config.hotspot_min_commits,
            "min_complexity": config.hotspot_min_complexity,
        }
        hot = hotspots.findings(
            churn, totals, top=config.hotspot_top, knowledge_share=config.knowledge_share, **limits
        )
        found += hot
        notes += churn.notes()
        if not hot:
            notes.append(hotspots.none_found(churn, totals, **limits))
    lap("findings")
    health = config_audit.audit(root, inventory.all_paths, roles)
    if kind == "full":
        found += health.findings
    lap("config")
    for source in repo_wide:
        checkpoint()
        found += source.findings(context)
        lap(source.SOURCE)
    covered = tuple(s for s in covered if s not in context.unfinished)
    if kind == "full":
        cache.prune()
    bandit_shapes.judge_repository(root, inventory.all_paths, found)
    found, suppressed, occurrences = _backlog_findings(root, plan, roles, found, config)
    report("findings", 1, 1)
    lap("findings")
    for analyser, spent in worked.items():
        timings[analyser] += spent
    skipped = sorted(inventory.skipped + plan.skipped)
    per_source = {source: 0 for source in covered}
    per_source.update(Counter(f.source for f in found))
    result = ScanResult(
        kind=kind,
        findings=found,
        files_total=total + len(inventory.skipped),
        files_analysed=fresh,
        files_cached=plan.cached,
        skipped=skipped,
        partial=dict(sorted(plan.partial.items())),
        notes=notes,
        per_source=per_source,
        seconds=time.perf_counter() - started,
        maturity_score=health.score,
        maturity_level=health.level,
        practices=dict(health.checks),
        code_lines=code_lines,
        sources=covered,
        excluded=dict(inventory.excluded),
        suppressed=[*secrets.suppressed, *suppressed],
        occurrences=dict(occurrences),
        timings=dict(timings),
    )
    if memo is not None and not context.unfinished:  # a source that gave up tries again
        scan_memo.remember(memo[0], memo[1], _result_json(result), result.findings)
    return result


def _memo_place(
    root: Path, kind: str, since: str | None, config: ScanConfig, inventory: Inventory,
    cache: ScanCache,
) -> tuple[Path, str] | None:  # fmt: skip
    """Where this kind's remembered result lives and the key of this scan's inputs
    (scan_memo.py), or None for a cache that is not kept in a file."""
    if cache.memo_path is None:
        return None
    from .deptry_run import environment

    files = []
    for entry in inventory.files:
        blob = entry.blob
        if blob is None:  # not committed as it is: its size and time say when it changes
            try:
                stat = os.stat(root / entry.path)
                blob = f"{stat.st_size}:{stat.st_mtime_ns}"
            except OSError:
                blob = "unreadable"
        files.append((entry.path, blob))
    parts = {
        "kind": kind, "since": since, "config": repr(config), "stamp": cache.stamp,
        "head": inventory.head, "files": files,
        "paths": inventory.all_paths, "skipped": inventory.skipped, "notes": inventory.notes,
        "excluded": inventory.excluded, "environment": environment(),
    }  # fmt: skip
    place = cache.memo_path.with_name(f"{cache.memo_path.name}.{kind}")
    return place, scan_memo.memo_key(parts)


def _result_json(result: ScanResult) -> dict[str, Any]:
    """What a scan found, as the memo keeps it beside its findings."""
    data = result.summary()
    data["suppressed"] = [s.as_dict() for s in result.suppressed]
    return data


def _recalled(data: dict[str, Any], started: float) -> ScanResult:
    """The remembered result of a scan of the same inputs, as this scan's."""
    kind = data["kind"]
    notes = [*data["notes"], f"nothing changed since the last {kind} scan: its result is reused"]
    seconds = time.perf_counter() - started
    return ScanResult(
        kind=kind,
        findings=[scan_memo.finding_from_json(row) for row in data["findings"].values()],
        files_total=data["files_total"],
        files_analysed=0,
        files_cached=data["files_analysed"] + data["files_cached"],
        skipped=[(path, reason) for path, reason in data["skipped"]],
        partial=data["partial"],
        notes=notes,
        per_source=data["per_source"],
        seconds=seconds,
        maturity_score=data["maturity_score"],
        maturity_level=data["maturity_level"],
        practices=data["practices"],
        code_lines=data["code_lines"],
        sources=tuple(data["sources"]),
        excluded=data["excluded"],
        suppressed=[Suppressed(**s) for s in data["suppressed"]],
        occurrences=data["occurrences"],
        timings={"files": round(seconds, 3)},
    )


def _backlog_findings(
    root: Path,
    plan: _Plan,
    roles: path_roles.PathRoles,
    found: list[Finding],
    config: ScanConfig,
) -> tuple[list[Finding], list[Suppressed], Counter[str]]:
    """The sources' findings as the backlog's: each with its path role, without what the
    repository decided against (its tools' settings, inline ignores, `ignore_rules`),
    grouped. Also what was left out, and the places per source."""
    roles = roles.with_scripts(_scripts(root, plan, roles))
    found = path_roles.assign(found, roles)
    found, suppressed = read_decisions(root, config.ignore_rules).apply(found)
    found, repeated = overlaps.drop_repeats(found)
    suppressed += repeated
    occurrences = Counter(f.source for f in found)
    return path_roles.discount(grouping.group(found)), suppressed, occurrences


def _scripts(root: Path, plan: _Plan, roles: path_roles.PathRoles) -> set[str]:
    """Top-level Python files that are standalone scripts, from every file's outline."""
    outlines = {
        path: results["outline"]
        for path, results in plan.results.items()
        if isinstance(results.get("outline"), dict)
    }
    shipped = {path for path in outlines if roles.role(path) == PRODUCTION}
    return outline.standalone_scripts(outlines, outline.entry_point_modules(root), shipped)


def _leave_out_unmaintained(inventory: Inventory, roles: path_roles.PathRoles) -> None:
    """Drop vendored and generated files from the files to analyse, counting them."""
    kept = []
    for entry in inventory.files:
        role = roles.role(entry.path)
        if role in path_roles.NOT_SCANNED:
            why = f"{role} files (path role)"
            inventory.excluded[why] = inventory.excluded.get(why, 0) + 1
        else:
            kept.append(entry)
    inventory.files = kept
