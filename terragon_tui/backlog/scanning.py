"""Scanning a workspace's repository and writing what was found into its backlog."""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from .scan_merge import ScanOutcome, apply_findings, record_failed_scan
from .workspace import Workspace

#: The kinds of scan, as the runner knows them (kept here so the CLI need not import it).
SCAN_KINDS = ("full", "security", "architecture", "types")


def check_kind(kind: str) -> str:
    """A scan kind, or a UsageError naming the valid ones."""
    key = kind.strip().lower()
    if key not in SCAN_KINDS:
        raise UsageError(f"unknown scan kind {kind!r}; choose one of: {', '.join(SCAN_KINDS)}")
    return key


def cache_path(root: Path) -> Path:
    """Where the per-file analysis cache of a repository lives (the user cache directory)."""
    from platformdirs import user_cache_path

    digest = hashlib.sha1(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return user_cache_path("terragon-tui", appauthor=False) / "scans" / f"{digest}.cache"


@dataclass(frozen=True)
class ScanReport:
    """A finished scan: what the runner saw and what it changed in the backlog."""

    result: Any  # discovery.runner.ScanResult
    outcome: ScanOutcome

    def summary(self) -> str:
        """One line: N new, M updated, K resolved, and the files."""
        outcome, result = self.outcome, self.result
        kept = f", {len(outcome.kept)} kept (their files were not read)" if outcome.kept else ""
        return (
            f"{len(outcome.new)} new, {len(outcome.updated)} updated, "
            f"{len(outcome.resolved)} resolved{kept} ({result.files_analysed} files analysed, "
            f"{result.files_cached} cached, {len(result.skipped)} skipped, "
            f"{result.seconds:.1f} s)"
        )

    def _skipped(self, path: str, reason: str) -> dict[str, Any]:
        """A skipped file for `--json`; one read in part also lists the sources that read it."""
        entry: dict[str, Any] = {"path": path, "reason": reason}
        if path in self.result.partial:
            entry["analysed"] = list(self.result.partial[path])
        return entry

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary for `terragon scan --json`."""
        from ..discovery.runner import suppressed_summary

        result, outcome = self.result, self.outcome
        return {
            "kind": result.kind,
            "run_id": outcome.run_id,
            "new": outcome.new,
            "updated": outcome.updated,
            "resolved": outcome.resolved,
            "reopened": outcome.reopened,
            "kept": outcome.kept,
            "files_total": result.files_total,
            "files_analysed": result.files_analysed,
            "files_cached": result.files_cached,
            "skipped": [self._skipped(path, reason) for path, reason in result.skipped],
            "suppressed": suppressed_summary(result.suppressed),
            "excluded": dict(result.excluded),
            "occurrences": dict(result.occurrences),
            "notes": list(result.notes),
            "per_source": dict(result.per_source),
            "seconds": round(result.seconds, 3),
            "timings": {name: round(spent, 3) for name, spent in result.timings.items()},
            "maturity_score": result.maturity_score,
            "maturity_level": result.maturity_level,
        }


def scan_workspace(
    ws: Workspace,
    kind: str = "full",
    *,
    since: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    cancel: Any = None,
    workers: int | None = None,
    use_cache: bool = True,
) -> ScanReport:
    """Scan the repository and apply the findings to its backlog in one transaction.

    A cancelled scan raises the runner's ScanCancelled and changes nothing in the store. A
    scan that fails for any other reason leaves the backlog as it was, is recorded as a
    failed scan run with its reason (where the store can still be written), and re-raises.
    """
    from ..discovery import ScanCancelled

    kind = check_kind(kind)
    started = time.monotonic()
    try:
        return _scan_and_apply(ws, kind, since, progress, cancel, workers, use_cache)
    except ScanCancelled:
        raise
    except Exception as exc:
        if _store_failed(exc):
            raise  # the store could not take the scan; it cannot take its failure either
        with contextlib.suppress(Exception):
            record_failed_scan(
                ws, kind=kind, reason=failure_reason(exc), seconds=time.monotonic() - started
            )
        raise


def _store_failed(exc: BaseException) -> bool:
    from sqlalchemy.exc import SQLAlchemyError

    from ..core.errors import StoreError

    return isinstance(exc, StoreError | SQLAlchemyError)


def failure_reason(exc: BaseException) -> str:
    """What went wrong, in one line: our own errors as they read, others with their type."""
    from ..core.errors import TerragonError, one_line

    text = str(exc) if isinstance(exc, TerragonError) else f"{type(exc).__name__}: {exc}"
    return one_line(text, 500)


def _scan_and_apply(
    ws: Workspace,
    kind: str,
    since: str | None,
    progress: Callable[[str, int, int], None] | None,
    cancel: Any,
    workers: int | None,
    use_cache: bool,
) -> ScanReport:
    from ..config.project import load_project_config
    from ..config.schema import scan_config
    from ..discovery import ScanCache, ScanConfig, scan
    from ..discovery.runner import by_reason

    ws.config = load_project_config(ws.root)  # as it is now: `terragon ignore` may have added
    config = ScanConfig()
    if ws.config.scan:
        where = f"{', '.join(ws.config.sources)}: [tool.terragon.scan]"
        config = scan_config(ws.config.scan, where=where)
    config, notes = _within_user_limits(ws, config)
    path = cache_path(ws.root)
    cache = ScanCache.deferred(path) if use_cache else None
    result = scan(
        ws.root,
        kind,
        since=since,
        cache=cache,
        progress=progress,
        cancel=cancel,
        workers=workers,
        config=config,
    )
    if progress is not None:
        progress("saving", 0, 1)
    if cache is not None:
        notes.extend(_save_cache(cache, path))
    result.notes[:0] = notes
    outcome = apply_findings(
        ws,
        kind=kind,
        sources=result.sources,  # only these sources' items can be resolved by this scan
        findings=result.findings,
        unread=result.unread,
        counts={
            "per_source": dict(result.per_source),
            "skipped": [[p, r] for p, r in result.skipped],
            "notes": list(result.notes),
            "files_cached": result.files_cached,
            "excluded": dict(result.excluded),
            "occurrences": dict(result.occurrences),
            "suppressed": by_reason(result.suppressed),
            "practices": dict(result.practices),
            "code_lines": result.code_lines,
        },
        files=result.files_total,
        seconds=result.seconds,
        maturity=(result.maturity_score, result.maturity_level)
        if result.maturity_score is not None
        else None,
    )
    if progress is not None:
        progress("saving", 1, 1)
    return ScanReport(result, outcome)


def _within_user_limits(ws: Workspace, config: Any) -> tuple[Any, list[str]]:
    """`config` with each limit the user's `[limits]` sets lowered to it, and a note for each
    one the repository's own config had set higher."""
    from .user_config import load_user_config

    user = load_user_config()
    config, above = config.within(user.limits)
    own = {str(key).replace("-", "_") for key in ws.config.scan}
    return config, [
        f"{name}: the repository's {_number(was)} is above your limit of "
        f"{_number(user.limits[name])} ({user.path} [limits]), which was used"
        for name, was in above.items()
        if name in own
    ]


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def _save_cache(cache: Any, path: Path) -> list[str]:
    """Save the scan cache; a disk that is full or cannot be written costs only speed, so
    the scan goes on and says so in a note."""
    try:
        cache.save(path)
    except OSError as exc:
        return [
            f"the scan cache could not be written in {path.parent} ({exc.strerror or exc}): "
            "the next scan analyses every file again"
        ]
    return []
