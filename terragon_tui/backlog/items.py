"""Changing the backlog: suggest, edit, complete, defer, reject, and undo the last change."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from ..errors import UsageError
from ..scoring.breakdown import score
from ..scoring.components import FIBONACCI
from ..scoring.scale import MEDIUM
from ..store.models import Change, Completion, Item, ItemSequence, utcnow
from ..store.transactions import retrying
from ..vocabulary import CATEGORIES, OPEN_STATUSES, check_category, priority_for_impact
from .fields import EDITABLE_FIELDS, check_fields, check_title
from .ranking import get_item, inputs_for
from .weights import scoring_settings
from .workspace import Workspace

#: What undo restores: every field a change can touch.
_RESTORED = (*EDITABLE_FIELDS, "status_reason", "edited_fields", "closed_at")
_PRIORITY_CRITICALITY = {"critical": 13, "high": 8, "medium": 3, "low": 1}


def _nearest_fibonacci(value: float) -> int:
    return min(FIBONACCI, key=lambda step: (abs(step - value), step))


def next_keys(session: Session, repo_id: int, prefix: str, count: int = 1) -> list[str]:
    """Hand out the next `count` IDs for `prefix` in a repository (`SEC-001`, `SEC-002`...)."""
    sequence = session.get(ItemSequence, (repo_id, prefix))
    if sequence is None:
        sequence = ItemSequence(repo_id=repo_id, prefix=prefix, last=0)
    first = sequence.last + 1
    sequence.last += count
    session.add(sequence)
    # Written before the items that use the IDs: a concurrent writer then fails on the
    # sequence as a serialization conflict (and is retried) rather than on a duplicate ID.
    session.flush()
    return [f"{prefix}-{n:03d}" for n in range(first, first + count)]


def check_prefix(prefix: str) -> str:
    """An ID prefix: 2 to 10 capital letters (`CICD`, `CORE`)."""
    cleaned = prefix.strip().upper()
    if not (2 <= len(cleaned) <= 10 and cleaned.isascii() and cleaned.isalpha()):
        raise UsageError(f"ID prefix must be 2 to 10 letters, got {prefix!r}")
    return cleaned


def _snapshot(item: Item) -> dict[str, Any]:
    state = {name: getattr(item, name) for name in _RESTORED}
    state["edited_fields"] = list(item.edited_fields)
    state["closed_at"] = item.closed_at.isoformat() if item.closed_at else None
    return state


def current_actor() -> str:
    """Who is making changes: the login name, as the store records it on each change."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no such user in the password database (containers)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _record(session: Session, item: Item, action: str, before: dict[str, Any], **kw: Any) -> None:
    assert item.id is not None
    session.add(
        Change(
            repo_id=item.repo_id,
            item_id=item.id,
            action=action,
            before=before,
            actor=current_actor(),
            **kw,
        )
    )


@retrying
def suggest_item(
    ws: Workspace,
    *,
    category: str,
    title: str,
    description: str = "",
    prefix: str | None = None,
    **fields: Any,
) -> Item:
    """Add a person's suggestion to the backlog; WSJF inputs nobody gave come from the impact."""
    category = check_category(category)
    values = check_fields({"title": check_title(title), "description": description, **fields})
    impact = values.setdefault("impact", 5.0)
    priority = values.setdefault("priority", priority_for_impact(impact))
    values.setdefault("business_value", _nearest_fibonacci(impact * 2))
    values.setdefault("time_criticality", _PRIORITY_CRITICALITY[priority])
    values.setdefault("risk_reduction", 5 if category in ("security", "compliance") else 3)
    values.setdefault("is_security", category == "security")
    if values["is_security"] or category == "security":
        # A person who calls it a security matter gets the security boost unless they say
        # the severity is low: without a severity it counts as MEDIUM.
        values.setdefault("security_severity", MEDIUM)
    values.setdefault("is_compliance", category == "compliance")
    values.setdefault("is_performance", category == "performance")
    chosen_prefix = check_prefix(prefix) if prefix else CATEGORIES[category]
    with ws.session() as session:
        item = Item(
            repo_id=ws.repo_id,
            key=next_keys(session, ws.repo_id, chosen_prefix)[0],
            category=category,
            source="user",
            **values,
        )
        session.add(item)
        session.flush()
        _record(session, item, "suggest", {})
    return item


@retrying
def edit_item(ws: Workspace, key: str, **changes: Any) -> Item:
    """Change fields of an item; they are marked as a person's, so a rescan keeps them."""
    if not changes:
        raise UsageError("nothing to change: give at least one field")
    values = check_fields(changes)
    with ws.session() as session:
        item = get_item(ws, session, key)
        before = _snapshot(item)
        for name, value in values.items():
            setattr(item, name, value)
        if "status" in values:
            item.closed_at = None if values["status"] in OPEN_STATUSES else utcnow()
        item.edited_fields = sorted(set(item.edited_fields) | set(values))
        item.updated_at = utcnow()
        session.add(item)
        _record(session, item, "edit", before)
    return item


def _require_open(item: Item, verb: str) -> None:
    if item.status not in OPEN_STATUSES:
        raise UsageError(f"{item.key} is {item.status}; only open items can be {verb}")


@dataclass(frozen=True)
class CompletionResult:
    """A completed item and the completion record that counts its value."""

    item: Item
    completion: Completion


@retrying
def complete_item(
    ws: Workspace, key: str, *, hours: float, impact: str = "", outcome: str = "success"
) -> CompletionResult:
    """Mark an open item done with the actual hours and impact notes; its score is counted."""
    actual = check_fields({"estimated_hours": hours})["estimated_hours"]
    outcome = outcome.strip().lower()
    if outcome not in ("success", "partial", "failed"):
        raise UsageError(f"outcome must be success, partial or failed, got {outcome!r}")
    with ws.session() as session:
        item = get_item(ws, session, key)
        _require_open(item, "completed")
        settings = scoring_settings(ws, session)
        before = _snapshot(item)
        completion = Completion(
            item_id=item.id,
            actual_hours=actual,
            estimated_hours=item.estimated_hours,
            impact_notes=impact.strip(),
            outcome=outcome,
            score=score(
                inputs_for(item), settings.weights, settings.boosts, settings.security_from
            ),
        )
        session.add(completion)
        item.status = "done"
        item.closed_at = completion.completed_at
        item.updated_at = utcnow()
        session.add(item)
        session.flush()
        _record(session, item, "complete", before, completion_id=completion.id)
    return CompletionResult(item, completion)


@retrying
def _close(ws: Workspace, key: str, status: str, reason: str, verb: str) -> Item:
    reason = " ".join(reason.split())
    if not reason:
        raise UsageError(f"give a reason to {verb} {key} (--reason)")
    with ws.session() as session:
        item = get_item(ws, session, key)
        _require_open(item, status)
        before = _snapshot(item)
        item.status, item.status_reason = status, reason
        item.closed_at = item.updated_at = utcnow()
        session.add(item)
        _record(session, item, status, before)
    return item


def defer_item(ws: Workspace, key: str, *, reason: str) -> Item:
    """Put an open item aside for later, with the reason."""
    return _close(ws, key, "deferred", reason, "defer")


def reject_item(ws: Workspace, key: str, *, reason: str) -> Item:
    """Decide an open item will not be done, with the reason."""
    return _close(ws, key, "rejected", reason, "reject")


#: What each recorded action is called in a sentence ("undid the deferral of SEC-001").
ACTION_NOUNS = {
    "suggest": "suggestion",
    "edit": "edit",
    "complete": "completion",
    "deferred": "deferral",
    "rejected": "rejection",
}


def action_noun(action: str) -> str:
    """`action` as a noun for messages: "deferred" is "deferral"."""
    return ACTION_NOUNS.get(action, action)


def _with_article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


@dataclass(frozen=True)
class UndoResult:
    """What undo reverted: the action, and the item's ID and title."""

    action: str
    key: str
    title: str

    @property
    def message(self) -> str:
        """One sentence saying what was undone: "Undid the deferral of SEC-001"."""
        return f"Undid the {action_noun(self.action)} of {self.key}"


@retrying
def undo(ws: Workspace) -> UndoResult:
    """Revert your last change to an item in this repository (a suggestion is removed).

    Changes others made are never reverted: if someone changed the same item after you,
    undo refuses rather than overwrite their change with your before-state.
    """
    me = current_actor()
    with ws.session() as session:
        live = select(Change).where(Change.repo_id == ws.repo_id, col(Change.undone).is_(False))
        change = session.exec(
            # "" is a change recorded before changes had an actor: anyone's to undo.
            live.where(col(Change.actor).in_([me, ""])).order_by(col(Change.id).desc())
        ).first()
        if change is None:
            raise UsageError("nothing to undo")
        item = session.get(Item, change.item_id)
        assert item is not None
        later = session.exec(
            live.where(Change.item_id == item.id, col(Change.id) > change.id)
        ).first()
        if later is not None:
            raise UsageError(
                f"{item.key} was changed ({_with_article(action_noun(later.action))}) by "
                f"{later.actor or 'someone'} after your {action_noun(change.action)}; undo "
                "would overwrite that, so nothing was undone"
            )
        result = UndoResult(change.action, item.key, item.title)
        if change.action == "suggest":
            for other in session.exec(select(Change).where(Change.item_id == item.id)).all():
                session.delete(other)
            session.flush()
            session.delete(item)
            return result
        for name, value in change.before.items():
            if name == "closed_at":
                value = datetime.fromisoformat(value) if value else None
            setattr(item, name, value)
        item.updated_at = utcnow()
        if change.completion_id is not None:
            completion = session.get(Completion, change.completion_id)
            if completion is not None:
                session.delete(completion)
        change.undone = True
        session.add_all([item, change])
    return result
