"""Changing the backlog: suggest, edit, complete, defer, reject, and undo the last change."""

from __future__ import annotations

import getpass
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from ..core.errors import UsageError
from ..core.vocabulary import CATEGORIES, OPEN_STATUSES, check_category, priority_for_impact
from ..scoring.breakdown import score
from ..scoring.components import FIBONACCI
from ..scoring.scale import MEDIUM
from ..store.models import Change, Completion, Item, ItemSequence, Occurrence, stored_id, utcnow
from ..store.transactions import retrying
from .fields import EDITABLE_FIELDS, check_fields, check_title
from .filters import path_matches
from .listing import get_item
from .ranked import inputs_for
from .scoring_settings import scoring_settings
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


def edit_item(ws: Workspace, key: str, **changes: Any) -> Item:
    """Change fields of an item; they are marked as a person's, so a rescan keeps them."""
    return edit_items(ws, [key], **changes)[0]


@retrying
def edit_items(ws: Workspace, keys: Sequence[str], **changes: Any) -> list[Item]:
    """Give every item of `keys` the same field values, in one transaction and as one change
    (undo reverts them together); each item keeps the fields not named. The fields are marked
    as a person's, so a rescan keeps them."""
    if not changes:
        raise UsageError("nothing to change: give at least one field")
    values = check_fields(changes)
    unique = list(dict.fromkeys(keys))
    batch = uuid.uuid4().hex if len(unique) > 1 else None
    edited = []
    with ws.session() as session:
        now = utcnow()
        for key in unique:
            item = get_item(ws, session, key)
            before = _snapshot(item)
            for name, value in values.items():
                setattr(item, name, value)
            if "status" in values:
                item.closed_at = None if values["status"] in OPEN_STATUSES else now
            item.edited_fields = sorted(set(item.edited_fields) | set(values))
            item.updated_at = now
            session.add(item)
            _record(session, item, "edit", before, batch=batch)
            edited.append(item)
    return edited


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
            item_id=stored_id(item),
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
def close_items(ws: Workspace, keys: Sequence[str], status: str, *, reason: str) -> list[Item]:
    """Close every item of `keys` (each must be open) as `status` ("deferred", "rejected")
    with one reason, in one transaction and as one change: undo reverts them together."""
    verb = {"deferred": "defer", "rejected": "reject"}[status]
    reason = " ".join(reason.split())
    if not reason:
        which = keys[0] if len(keys) == 1 else "them"
        raise UsageError(f"give a reason to {verb} {which} (--reason)")
    batch = uuid.uuid4().hex if len(keys) > 1 else None
    closed = []
    with ws.session() as session:
        now = utcnow()
        for key in dict.fromkeys(keys):
            item = get_item(ws, session, key)
            _require_open(item, status)
            before = _snapshot(item)
            item.status, item.status_reason = status, reason
            item.closed_at = item.updated_at = now
            session.add(item)
            _record(session, item, status, before, batch=batch)
            closed.append(item)
    return closed


@retrying
def start_item(ws: Workspace, key: str, *, branch: str) -> Item:
    """Mark an open item in-progress on `branch`, where its fix was committed; the branch
    stays recorded once the item is done. Undo puts back its status and former branch."""
    with ws.session() as session:
        item = get_item(ws, session, key)
        _require_open(item, "applied")
        before = {**_snapshot(item), "branch": item.branch}
        item.status, item.branch = "in-progress", branch
        item.updated_at = utcnow()
        session.add(item)
        _record(session, item, "apply", before)
    return item


@retrying
def link_issue(ws: Workspace, key: str, url: str) -> Item:
    """Record the forge issue an item was filed as, so the next export updates that issue."""
    url = url.strip()
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise UsageError(f"an issue link is a web address (https://...), got {url[:200]!r}")
    with ws.session() as session:
        item = get_item(ws, session, key)
        item.issue_url = url
        session.add(item)
    return item


def open_keys(
    ws: Workspace,
    *,
    rule: str | None = None,
    path: str | None = None,
    source: str | None = None,
) -> list[str]:
    """The IDs of the open items of every given kind: of `rule`, from `source`, with a place
    whose path matches the glob `path` (its own, or one of a group's occurrences)."""
    with ws.session() as session:
        query = select(Item).where(
            Item.repo_id == ws.repo_id, col(Item.status).in_(list(OPEN_STATUSES))
        )
        if rule is not None:
            query = query.where(Item.rule == rule)
        if source is not None:
            query = query.where(Item.source == source)
        items = session.exec(query.order_by(col(Item.key))).all()
        if path is None:
            return [item.key for item in items]
        places: dict[int | None, set[str]] = {}
        for item_id, place in session.exec(
            select(Occurrence.item_id, Occurrence.path).where(
                col(Occurrence.item_id).in_([item.id for item in items])
            )
        ).all():
            places.setdefault(item_id, set()).add(place or "")
    return [
        item.key
        for item in items
        if path_matches(path, {item.file_path or "", *places.get(item.id, ())})
    ]


def defer_item(ws: Workspace, key: str, *, reason: str) -> Item:
    """Put an open item aside for later, with the reason."""
    return close_items(ws, [key], "deferred", reason=reason)[0]


def reject_item(ws: Workspace, key: str, *, reason: str) -> Item:
    """Decide an open item will not be done, with the reason."""
    return close_items(ws, [key], "rejected", reason=reason)[0]


#: What each recorded action is called in a sentence ("undid the deferral of SEC-001").
ACTION_NOUNS = {
    "suggest": "suggestion",
    "edit": "edit",
    "complete": "completion",
    "deferred": "deferral",
    "rejected": "rejection",
    "apply": "application",
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
    #: Every item a bulk action changed, when undo reverted one.
    keys: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """One sentence saying what was undone: "Undid the deferral of SEC-001" (or "of 12
        items (SEC-001, SEC-002, …)" for a bulk action)."""
        if len(self.keys) > 1:
            shown = ", ".join(self.keys[:5]) + (", …" if len(self.keys) > 5 else "")
            return f"Undid the {action_noun(self.action)} of {len(self.keys)} items ({shown})"
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
        changes = [change]
        if change.batch is not None:  # a bulk action: all of its changes, as one
            batch = live.where(Change.batch == change.batch).order_by(col(Change.id))
            changes = list(session.exec(batch).all())
        items = []
        for done in changes:
            item = session.get(Item, done.item_id)
            assert item is not None
            later = session.exec(
                live.where(Change.item_id == item.id, col(Change.id) > done.id)
            ).first()
            if later is not None:
                raise UsageError(
                    f"{item.key} was changed ({_with_article(action_noun(later.action))}) by "
                    f"{later.actor or 'someone'} after your {action_noun(done.action)}; undo "
                    "would overwrite that, so nothing was undone"
                )
            items.append(item)
        result = UndoResult(
            change.action,
            items[0].key,
            items[0].title,
            tuple(item.key for item in items) if change.batch else (),
        )
        for done, item in zip(changes, items, strict=True):
            _revert(session, done, item)
    return result


def _revert(session: Session, change: Change, item: Item) -> None:
    """Put `item` back as it was before `change` (a suggestion: remove it)."""
    if change.action == "suggest":
        for other in session.exec(select(Change).where(Change.item_id == item.id)).all():
            session.delete(other)
        session.flush()
        session.delete(item)
        return
    for name, value in change.before.items():
        if name == "after":  # the "after" links live in the item's data
            item.data = _with_after(item.data, value or [])
            continue
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


def _with_after(data: dict[str, Any], after: Sequence[str]) -> dict[str, Any]:
    """The item's data with its "after" links set (removed when there are none)."""
    kept = {key: value for key, value in (data or {}).items() if key != "after"}
    return {**kept, "after": list(after)} if after else kept


@retrying
def set_after(ws: Workspace, key: str, after: Sequence[str]) -> Item:
    """Say that item `key` comes after the items `after` on the roadmap (none: no link).

    Each must be another item of this repository, and no link may loop back to `key`. The
    links are kept in the item's data, through rescans, and undo restores the earlier ones.
    """
    with ws.session() as session:
        item = get_item(ws, session, key)
        wanted: list[str] = []
        for other_key in after:
            other = get_item(ws, session, other_key)
            if other.id == item.id:
                raise UsageError(f"{item.key} cannot come after itself")
            if other.key not in wanted:
                wanted.append(other.key)
        links = {
            row.key: list((row.data or {}).get("after", []))
            for row in session.exec(select(Item).where(Item.repo_id == ws.repo_id)).all()
        }
        links[item.key] = wanted
        loop = _loop_back(links, item.key)
        if loop:
            raise UsageError(
                f"{item.key} cannot come after {wanted[0] if len(wanted) == 1 else 'those'}: "
                f"the links would loop ({' → '.join(loop)})"
            )
        before = {"after": list((item.data or {}).get("after", []))}
        item.data = _with_after(item.data, wanted)
        item.updated_at = utcnow()
        session.add(item)
        _record(session, item, "edit", before)
    return item


def _loop_back(links: dict[str, list[str]], start: str) -> list[str]:
    """A path of "after" links from `start` back to itself, or [] when there is none."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        key, path = stack.pop()
        for other in links.get(key, []):
            if other == start:
                return [*path, start]
            if other not in seen:
                seen.add(other)
                stack.append((other, [*path, other]))
    return []
