"""Writing a scan's findings into the backlog in one transaction: new, updated, resolved."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from ..core.vocabulary import CATEGORIES, OPEN_STATUSES, priority_for_impact
from ..discovery.finding import Finding
from ..store.models import Item, Occurrence, Repository, ScanRun, stored_id, utcnow
from ..store.transactions import retrying
from .calibration import calibrated_estimates
from .items import next_keys
from .occurrences import Regrouping, regroup, sync_occurrences, without_places
from .workspace import Workspace

#: Finding fields copied onto the item; a field a person edited is never overwritten.
SCANNED_FIELDS = (
    "title",
    "description",
    "category",
    "estimated_hours",
    "impact",
    "confidence",
    "ease",
    "risk",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "debt_hours",
    "debt_interest",
    "security_severity",
    "is_security",
    "is_compliance",
    "is_performance",
    "business_value_text",
)
#: Where the finding points; always follows the code.
LOCATION_FIELDS = {"file_path": "path", "line": "line"}


@dataclass
class ScanOutcome:
    """What applying a scan did to the backlog."""

    run_id: int
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    #: Items not found again whose file the scan could not read: kept as they were.
    kept: list[str] = field(default_factory=list)


def _unique(findings: Iterable[Finding]) -> dict[str, Finding]:
    """Findings by fingerprint, the first of each; one without places stands for itself."""
    chosen: dict[str, Finding] = {}
    for finding in findings:
        if not finding.occurrences:
            finding.occurrences = [finding.as_occurrence()]
        chosen.setdefault(finding.fingerprint, finding)
    return chosen


def _new_row(ws: Workspace, key: str, finding: Finding, now: Any) -> dict[str, Any]:
    row = {name: getattr(finding, name) for name in SCANNED_FIELDS}
    row.update(
        repo_id=ws.repo_id,
        key=key,
        status="open",
        source=finding.source,
        rule=finding.rule,
        fingerprint=finding.fingerprint,
        file_path=finding.path,
        line=finding.line,
        priority=priority_for_impact(finding.impact),
        status_reason="",
        edited_fields=[],
        data=dict(finding.data),
        created_at=now,
        updated_at=now,
        closed_at=None,
    )
    return row


def _calibrated_from(item: Item, finding: Finding, calibration: dict[str, Any] | None) -> bool:
    """Whether a calibration in force set the item's estimate from the finding's own."""
    return (
        calibration is not None
        and math.isclose(item.estimated_hours, calibration["after"], rel_tol=1e-9)
        and math.isclose(finding.estimated_hours, calibration["base"], rel_tol=1e-9)
    )


def _update(item: Item, finding: Finding, calibration: dict[str, Any] | None) -> bool:
    edited = set(item.edited_fields)
    if _calibrated_from(item, finding, calibration):
        edited.add("estimated_hours")
    changed = False
    for name in SCANNED_FIELDS:
        value = getattr(finding, name)
        if name not in edited and getattr(item, name) != value:
            setattr(item, name, value)
            changed = True
    for name, attr in LOCATION_FIELDS.items():
        value = getattr(finding, attr)
        if name not in edited and getattr(item, name) != value:
            setattr(item, name, value)
            changed = True
    data = dict(finding.data)
    if "after" in item.data:  # a person's roadmap links, not the finding's
        data["after"] = item.data["after"]
    if item.data != data:
        item.data = data
        changed = True
    return changed


@retrying
def apply_findings(
    ws: Workspace,
    *,
    kind: str,
    sources: Sequence[str],
    findings: Iterable[Finding],
    counts: dict[str, Any] | None = None,
    files: int = 0,
    seconds: float = 0.0,
    maturity: tuple[float, str | None] | None = None,
    unread: Mapping[str, Collection[str]] | None = None,
) -> ScanOutcome:
    """Upsert findings by fingerprint and resolve the open items of `sources` not seen again,
    except those in a file of `unread` (path: the sources that did read it) their source did
    not read, which stay as they were.

    Everything happens in one transaction: a scan killed half-way leaves the previous backlog.
    A finding seen again for an item a scan had resolved reopens it; items a person closed stay
    closed.
    """
    now = utcnow()
    with ws.session() as session:
        run = ScanRun(repo_id=ws.repo_id, kind=kind, started_at=now)
        session.add(run)
        session.flush()
        assert run.id is not None
        outcome = ScanOutcome(run_id=run.id)
        known = session.exec(
            select(Item).where(
                Item.repo_id == ws.repo_id,
                col(Item.fingerprint).is_not(None),
                col(Item.source).in_(list(sources)),
            )
        ).all()
        by_print = {item.fingerprint: item for item in known if item.fingerprint is not None}
        found = _unique(findings)
        regrouping = regroup(known, found)
        found = without_places(found, regrouping.kept_places)
        joined = {item.id for items in regrouping.joining.values() for item in items}
        calibrated = calibrated_estimates(session, ws.repo_id)
        held = _not_read(session, ws.repo_id, known, unread or {})
        for fingerprint, item in by_print.items():
            finding = found.get(fingerprint)
            if fingerprint in regrouping.kept_places:
                continue  # a person decided on this place: it stays the item it was
            if finding is None:
                if item.id in held:  # a file of it was not read by its source
                    outcome.kept.append(item.key)
                    continue
                if item.status in OPEN_STATUSES and item.id not in joined:
                    item.status, item.closed_at, item.updated_at = "resolved-by-scan", now, now
                    item.status_reason = f"not found by the {kind} scan of {now:%Y-%m-%d}"
                    outcome.resolved.append(item.key)
                continue
            reopened = item.status == "resolved-by-scan"
            if reopened:
                item.status, item.closed_at, item.status_reason = "open", None, ""
                outcome.reopened.append(item.key)
            if _update(item, finding, calibrated.get(stored_id(item))) or reopened:
                item.updated_at = now
                outcome.updated.append(item.key)
        fresh = [f for fp, f in found.items() if fp not in by_print]
        by_prefix: dict[str, list[Finding]] = {}
        for finding in fresh:
            by_prefix.setdefault(CATEGORIES[finding.category], []).append(finding)
        rows = []
        keys = {fp: item.key for fp, item in by_print.items() if fp in found}
        for prefix, group in sorted(by_prefix.items()):
            for key, finding in zip(
                next_keys(session, ws.repo_id, prefix, len(group)), group, strict=True
            ):
                rows.append(_new_row(ws, key, finding, now))
                outcome.new.append(key)
                keys[finding.fingerprint] = key
        session.flush()
        ids = {fp: stored_id(item) for fp, item in by_print.items() if fp in found}
        if rows:
            inserted = session.execute(
                insert(Item).returning(col(Item.id), col(Item.fingerprint)), rows
            )
            ids.update({fp: item_id for item_id, fp in inserted})
        _join_groups(regrouping, keys, now, outcome)
        sync_occurrences(session, ids, found)
        run.status, run.finished_at, run.files, run.seconds = "done", utcnow(), files, seconds
        run.new, run.updated, run.resolved = (
            len(outcome.new),
            len(outcome.updated),
            len(outcome.resolved),
        )
        run.counts = {
            **(counts or {}),
            "reopened": len(outcome.reopened),
            "kept": len(outcome.kept),
        }
        repo = session.get(Repository, ws.repo_id)
        assert repo is not None
        repo.last_scan_at = now
        if maturity is not None:
            repo.maturity_score, repo.maturity_level = maturity
        session.add_all([run, repo])
    return outcome


def _not_read(
    session: Session, repo_id: int, items: Sequence[Item], unread: Mapping[str, Collection[str]]
) -> set[int | None]:
    """The ids of `items` with a place (their own, or an occurrence's) in a file of `unread`
    that their source did not read."""
    if not unread:
        return set()
    held = {
        item.id
        for item in items
        if item.source not in unread.get(item.file_path or "", (item.source,))
    }
    source = {item.id: item.source for item in items}
    paths = sorted(unread)
    for start in range(0, len(paths), 500):  # within any database's limit on parameters
        rows = session.exec(
            select(Occurrence.item_id, Occurrence.path)
            .join(Item, col(Item.id) == col(Occurrence.item_id))
            .where(Item.repo_id == repo_id, col(Occurrence.path).in_(paths[start : start + 500]))
        ).all()
        held |= {
            item_id
            for item_id, path in rows
            if item_id in source and source[item_id] not in unread[path or ""]
        }
    return held


def _join_groups(
    regrouping: Regrouping, keys: dict[str, str], now: Any, outcome: ScanOutcome
) -> None:
    """Close the items of single findings a group now stands for, naming the group."""
    for group_fp, items in regrouping.joining.items():
        group_key = keys.get(group_fp)
        if group_key is None:  # every place of the group was decided on: nothing joins it
            continue
        for item in items:
            item.status, item.closed_at, item.updated_at = "resolved-by-scan", now, now
            item.status_reason = f"grouped into {group_key} with the other places of its rule"
            outcome.resolved.append(item.key)


@retrying
def record_failed_scan(ws: Workspace, *, kind: str, reason: str, seconds: float = 0.0) -> int:
    """Record a scan that failed, with its reason; the backlog itself is left as it was."""
    now = utcnow()
    with ws.session() as session:
        run = ScanRun(
            repo_id=ws.repo_id,
            kind=kind,
            status="failed",
            started_at=now,
            finished_at=now,
            seconds=seconds,
            counts={"error": reason},
        )
        session.add(run)
        session.flush()
        assert run.id is not None
        return run.id
