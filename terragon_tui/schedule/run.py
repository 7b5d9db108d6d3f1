"""One scheduled job run: the scan or recalibration, a line in its log, and a failed scan run
in the store when it fails, so the TUI's history and `terragon doctor` show it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..backlog.workspace import Workspace
from ..core.errors import ConfigError
from ..store.models import ScanRun, utcnow
from ..store.transactions import retrying
from .units import Target, log_file


@dataclass(frozen=True)
class ScheduledRun:
    """What one scheduled job did: ok or not, one line saying what, and the log it went to."""

    ok: bool
    line: str
    log: Path


def _log(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(f"{utcnow():%Y-%m-%dT%H:%M:%SZ} {line}\n")


def _open(target: Target) -> tuple[Workspace, str | None]:
    """The workspace, and why the repository's config cannot be used (it still gets a run)."""
    from ..backlog.workspace import _register, open_workspace
    from ..config.project import ProjectConfig, find_repo_root
    from ..store.opening import open_engine

    try:
        return open_workspace(target.root, target.db_url), None
    except ConfigError as exc:
        root = find_repo_root(target.root)
        engine = open_engine(target.db_url)
        ws = Workspace(
            engine=engine, root=root, repo_id=_register(engine, root), config=ProjectConfig()
        )
        return ws, str(exc)


@retrying
def _record_calibration(ws: Workspace, seconds: float, changed: int) -> None:
    """A scheduled recalibration that worked, as a run beside the scans, so the history shows
    it and a failure before it no longer counts as the latest."""
    now = utcnow()
    with ws.session() as session:
        session.add(
            ScanRun(
                repo_id=ws.repo_id,
                kind="calibrate",
                status="done",
                started_at=now,
                finished_at=now,
                seconds=seconds,
                updated=changed,
                counts={"estimates_changed": changed},
            )
        )


def _calibrate(ws: Workspace, started: float) -> str:
    from ..backlog.calibration import calibrate
    from ..backlog.scan_merge import record_failed_scan
    from ..backlog.scanning import failure_reason

    try:
        result = calibrate(ws)
    except Exception as exc:
        reason = failure_reason(exc)
        record_failed_scan(ws, kind="calibrate", reason=reason, seconds=time.monotonic() - started)
        return f"failed: {reason}"
    _record_calibration(ws, time.monotonic() - started, len(result.changes))
    return f"done: recalibrated {len(result.changes)} estimates"


def run_job(target: Target, kind: str) -> ScheduledRun:
    """Run one job on the target, log what happened, and record a failure as a failed run."""
    from ..backlog.scan_merge import record_failed_scan
    from ..backlog.scanning import failure_reason, scan_workspace
    from ..core.errors import one_line

    log = log_file(target, kind)
    _log(log, f"start {kind} on {target.root}")
    started = time.monotonic()
    try:
        ws, unusable = _open(target)
    except Exception as exc:  # no store to record it in: the log and the exit code say it
        _log(log, one_line(f"failed: {failure_reason(exc)}", 1000))
        raise
    try:
        if unusable is not None:
            record_failed_scan(ws, kind=kind, reason=unusable)
            line = f"failed: {unusable}"
        elif kind == "calibrate":
            line = _calibrate(ws, started)
        else:
            try:
                report = scan_workspace(ws, kind, workers=1)
                line = f"done: {report.summary()}"
            except Exception as exc:  # scan_workspace recorded the failed run
                line = f"failed: {failure_reason(exc)}"
    finally:
        ws.close()
    line = one_line(line, 1000)
    _log(log, line)
    return ScheduledRun(line.startswith("done"), line, log)
