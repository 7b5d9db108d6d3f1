"""A demo backlog in the seed's spirit, for screenshots, snapshot tests and first tries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypedDict

from sqlmodel import select

from ..store.models import Completion, Item
from .items import complete_item, suggest_item
from .workspace import Workspace


class _DemoFields(TypedDict, total=False):
    """The fields a demo item gives `suggest_item` beyond its category and title."""

    prefix: str
    description: str
    business_value_text: str
    file_path: str
    line: int
    estimated_hours: float
    impact: float
    confidence: float
    ease: float
    risk: float
    business_value: float
    time_criticality: float
    risk_reduction: float
    debt_hours: float
    debt_interest: float
    security_severity: float


#: (category, title, fields) of the demo items, after the seed's top ten.
DEMO_ITEMS: tuple[tuple[str, str, _DemoFields], ...] = (
    (
        "infrastructure",
        "Activate GitHub Actions CI/CD pipeline",
        {
            "prefix": "CICD",
            "impact": 10,
            "estimated_hours": 8,
            "risk": 0.2,
            "business_value": 20,
            "time_criticality": 13,
            "risk_reduction": 13,
            "confidence": 9,
            "ease": 8,
            "description": "Move workflow templates from docs/workflows/ to .github/workflows/ "
            "and configure repository secrets",
            "business_value_text": "Enables continuous delivery, automated testing, quality gates",
        },
    ),
    (
        "infrastructure",
        "Deploy live monitoring infrastructure",
        {"prefix": "MONITOR", "impact": 8, "estimated_hours": 6, "risk": 0.4},
    ),
    (
        "feature",
        "Implement federated learning core functionality",
        {"prefix": "CORE", "impact": 9, "estimated_hours": 40, "risk": 0.7, "confidence": 6},
    ),
    (
        "security",
        "Integrate security scanning in CI pipeline",
        {"impact": 9, "estimated_hours": 4, "security_severity": 6, "risk": 0.3},
    ),
    (
        "performance",
        "Establish performance baseline measurements",
        {"prefix": "PERF", "impact": 7, "estimated_hours": 4, "risk": 0.2},
    ),
    (
        "documentation",
        "Deploy automated documentation site",
        {"impact": 6, "estimated_hours": 3, "risk": 0.1},
    ),
    (
        "testing",
        "Implement comprehensive integration tests",
        {"impact": 7, "estimated_hours": 12, "risk": 0.3},
    ),
    (
        "infrastructure",
        "Set up staging environment deployment",
        {"prefix": "STAGE", "impact": 6, "estimated_hours": 6, "risk": 0.5},
    ),
    (
        "dependencies",
        "Update outdated dependencies",
        {"impact": 5, "estimated_hours": 3, "risk": 0.4},
    ),
    (
        "infrastructure",
        "Configure automated semantic releases",
        {"prefix": "RELEASE", "impact": 4, "estimated_hours": 2, "risk": 0.2},
    ),
    (
        "technical-debt",
        "Split the 600-line scheduler module",
        {
            "impact": 6,
            "estimated_hours": 16,
            "debt_hours": 12,
            "debt_interest": 2.5,
            "file_path": "src/scheduler.py",
            "line": 1,
        },
    ),
    (
        "compliance",
        "Add SBOM generation for releases",
        {"impact": 5, "estimated_hours": 4, "risk": 0.3},
    ),
)
#: (ID, actual hours, impact notes, days ago) of the demo completions.
DEMO_DONE = (
    ("DOCS-001", 2.5, "Docs now publish on every merge", 20),
    ("RELEASE-001", 3.0, "Tags and changelogs without manual steps", 9),
)


def fill_demo(ws: Workspace, *, now: datetime | None = None) -> None:
    """Add the demo items and completions to a workspace's backlog."""
    for category, title, fields in DEMO_ITEMS:
        suggest_item(ws, category=category, title=title, **fields)
    now = now or datetime.now(UTC)
    for key, hours, notes, days_ago in DEMO_DONE:
        result = complete_item(ws, key, hours=hours, impact=notes)
        when = now - timedelta(days=days_ago)
        with ws.session() as session:
            completion = session.get(Completion, result.completion.id)
            item = session.exec(select(Item).where(Item.id == result.item.id)).one()
            assert completion is not None
            completion.completed_at = item.closed_at = when
            session.add_all([completion, item])
