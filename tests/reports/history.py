"""A backlog with a known history: items created, completed and closed on set dates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import select

from terragon_tui.backlog.items import complete_item, defer_item
from terragon_tui.backlog.workspace import Workspace
from terragon_tui.store.models import Completion, Item

from ..conftest import suggest

#: "Now" for every report on the known history: Wednesday of ISO week 2026-W12.
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
HOSTILE = '<script>alert("pwned")</script> | *bold* [x](http://evil)\x1b[31m'


def at(month: int, day: int, year: int = 2026, hour: int = 12) -> datetime:
    """A moment in UTC."""
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


def backdate(ws: Workspace, key: str, **values: Any) -> None:
    """Set stored fields of an item (and, with `completed_at`/`score`, of its completion)."""
    completion_fields = {k: values.pop(k) for k in ("completed_at", "score") if k in values}
    with ws.session() as session:
        item = session.exec(select(Item).where(Item.key == key)).one()
        for name, value in values.items():
            setattr(item, name, value)
        session.add(item)
        if completion_fields:
            completion = session.exec(select(Completion).where(Completion.item_id == item.id)).one()
            for name, value in completion_fields.items():
                setattr(completion, name, value)
            if "completed_at" in completion_fields:
                item.closed_at = completion_fields["completed_at"]
            session.add(completion)


def done(
    ws: Workspace,
    key: str,
    *,
    created: datetime,
    completed: datetime,
    hours: float,
    score: float,
    notes: str = "",
    outcome: str = "success",
) -> None:
    """Complete an item with `hours` actual, then move its dates and value to the given ones."""
    complete_item(ws, key, hours=hours, impact=notes, outcome=outcome)
    backdate(ws, key, created_at=created, completed_at=completed, score=score)


def known_history(ws: Workspace) -> Workspace:
    """Eight items over December 2025 to March 2026 (see tests/reports/test_value.py)."""
    a = suggest(ws, "Alpha", "feature", estimated_hours=2).key  # FEAT-001
    b = suggest(ws, "Beta", "feature", estimated_hours=4).key  # FEAT-002
    c = suggest(ws, "Gamma", "security", estimated_hours=5).key  # SEC-001
    d = suggest(ws, "Delta", "documentation", estimated_hours=3).key  # DOCS-001
    e = suggest(ws, "Epsilon", "security", estimated_hours=8).key  # SEC-002
    f = suggest(ws, "Zeta", "testing", estimated_hours=1).key  # TEST-001
    g = suggest(ws, "Theta", "technical-debt", estimated_hours=2).key  # DEBT-001
    h = suggest(ws, "Eta", "feature", estimated_hours=2).key  # FEAT-003
    done(ws, a, created=at(1, 5), completed=at(1, 20), hours=3, score=10, notes=HOSTILE)
    done(ws, b, created=at(1, 10), completed=at(2, 3), hours=6, score=20)
    done(ws, c, created=at(2, 1), completed=at(2, 25), hours=5, score=30, notes="CVE fixed")
    done(ws, h, created=at(3, 1), completed=at(3, 12), hours=4, score=40, outcome="failed")
    backdate(ws, d, created_at=at(2, 10), source="todos")
    backdate(ws, e, created_at=at(3, 2), source="security")
    defer_item(ws, f, reason="later")
    backdate(ws, f, created_at=at(1, 15), closed_at=at(3, 5))
    backdate(
        ws,
        g,
        created_at=at(12, 20, year=2025),
        closed_at=at(3, 10),
        status="resolved-by-scan",
        source="todos",
    )
    return ws
