"""The CI quality gate (`terragon check`): conditions judged on a branch's diff and the backlog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import UsageError
from .conditions import Condition, GateItem, severity_rank
from .diffing import BranchDiff, Change, Progress
from .workspace import Workspace


@dataclass
class GateResult:
    """The conditions judged, the reason of each one that holds, and the diff they needed."""

    conditions: list[Condition]
    reasons: list[str] = field(default_factory=list)
    diff: BranchDiff | None = None
    open_items: int | None = None

    @property
    def failed(self) -> bool:
        """Whether any condition holds."""
        return bool(self.reasons)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for `terragon check --json`."""
        diff = self.diff
        return {
            "failed": self.failed,
            "conditions": [c.text for c in self.conditions],
            "reasons": list(self.reasons),
            "base": diff.base if diff else None,
            "base_commit": diff.base_commit if diff else None,
            "diff": diff.summary() if diff else None,
            "open_items": self.open_items,
        }


def _from_change(change: Change) -> GateItem:
    finding = change.finding
    return GateItem(
        finding.title, change.where, finding.category, severity_rank(change.severity), change.score
    )


def _open_items(ws: Workspace) -> list[GateItem]:
    """The backlog's open items; a UsageError when the repository was never scanned."""
    from sqlmodel import select

    from ..scoring.scale import severity_word
    from ..store.models import ScanRun
    from .listing import list_items

    with ws.reading() as session:
        scanned = session.exec(
            select(ScanRun.id).where(ScanRun.repo_id == ws.repo_id, ScanRun.status == "done")
        ).first()
    if scanned is None:
        raise UsageError(
            f"open: conditions need a scanned backlog: run `terragon scan` in {ws.root} first"
        )
    items = []
    for entry in list_items(ws):
        item = entry.item
        where = f"{item.file_path}:{item.line}" if item.file_path and item.line else item.file_path
        severity = severity_rank(severity_word(item.security_severity))
        name = f"{item.key} {item.title}"
        items.append(GateItem(name, where or "", item.category, severity, entry.score))
    return items


def _targets_missed(ws: Workspace, conditions: Sequence[Condition]) -> list[str]:
    """One reason per success indicator the `target:` conditions name that is not met; an
    indicator that cannot be measured yet is no reason. A target that is not set is an error."""
    from .assessment import INDICATOR_LABELS
    from .planning import workspace_planning

    if not ws.config.targets:
        raise UsageError(
            "target: conditions need targets: set them under [tool.terragon.targets] "
            "(e.g. open_security = 0)"
        )
    for condition in conditions:
        if condition.field != "all" and condition.field not in ws.config.targets:
            raise UsageError(
                f"{condition.text}: no such target is set; [tool.terragon.targets] has "
                f"{', '.join(ws.config.targets)}"
            )
    wanted = {c.field for c in conditions}
    reasons = []
    for indicator in workspace_planning(ws).indicators:
        if indicator.met is False and ("all" in wanted or indicator.name in wanted):
            reasons.append(
                f"target:{indicator.name}: {INDICATOR_LABELS[indicator.name]} should be "
                f"{indicator.wanted}, is {indicator.shown}"
            )
    return reasons


def check_gate(
    ws: Workspace,
    conditions: Sequence[Condition],
    *,
    base: str | None = None,
    head: bool = False,
    kind: str = "full",
    workers: int | None = None,
    progress: Progress | None = None,
) -> GateResult:
    """Judge `conditions`: `new:` and `worse:` ones on the branch's diff since `base` (as
    `diff_branch` finds it), `open:` ones on the backlog. Nothing is written to the store."""
    result = GateResult(list(conditions))
    scopes: dict[str, list[GateItem]] = {}
    if any(c.scope in ("new", "worse") for c in conditions):
        from .diffing import diff_branch

        diff = diff_branch(ws, base, head=head, kind=kind, workers=workers, progress=progress)
        result.diff = diff
        scopes["new"] = [_from_change(c) for c in diff.introduced]
        scopes["worse"] = [_from_change(c) for c in diff.worsened]
    if any(c.scope == "open" for c in conditions):
        scopes["open"] = _open_items(ws)
        result.open_items = len(scopes["open"])
    targets = [c for c in conditions if c.scope == "target"]
    if targets:
        result.reasons += _targets_missed(ws, targets)
    for condition in conditions:
        if condition.scope == "target":
            continue
        reason = condition.holds(scopes[condition.scope])
        if reason is not None:
            result.reasons.append(reason)
    return result
