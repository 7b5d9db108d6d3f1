"""The product's fixed words: categories, statuses, priorities, sources and their ID prefixes."""

from __future__ import annotations

from .errors import UsageError

#: Category name -> ID prefix (the seed's `SEC-001`, `DEBT-014` style).
CATEGORIES: dict[str, str] = {
    "security": "SEC",
    "performance": "PERF",
    "infrastructure": "INFRA",
    "technical-debt": "DEBT",
    "documentation": "DOCS",
    "feature": "FEAT",
    "compliance": "COMP",
    "dependencies": "DEPS",
    "testing": "TEST",
}

#: Every status an item can be in; only "open" and "in-progress" count as the open backlog.
STATUSES: tuple[str, ...] = (
    "open",
    "in-progress",
    "done",
    "deferred",
    "rejected",
    "resolved-by-scan",
)
OPEN_STATUSES: frozenset[str] = frozenset({"open", "in-progress"})

PRIORITIES: tuple[str, ...] = ("critical", "high", "medium", "low")

#: Where an item came from: a discovery source, or a person.
SOURCES: tuple[str, ...] = (
    "complexity",
    "hotspots",
    "todos",
    "security",
    "secrets",
    "config",
    "dependencies",
    "lint",
    "imports",
    "types",
    "user",
)

#: Sources grouped the way the seed's "Discovery Sources Active" section names them.
SOURCE_GROUPS: dict[str, str] = {
    "complexity": "Static Analysis",
    "todos": "Static Analysis",
    "hotspots": "Hotspot Analysis",
    "security": "Security Scanning",
    "secrets": "Security Scanning",
    "config": "Configuration Analysis",
    "dependencies": "Dependency Analysis",
    "lint": "Static Analysis",
    "imports": "Static Analysis",
    "types": "Static Analysis",
    "user": "User Suggestions",
}


def check_category(name: str) -> str:
    """Return the category in canonical form, or raise a UsageError naming the valid ones."""
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if key in ("debt", "tech-debt"):
        key = "technical-debt"
    if key not in CATEGORIES:
        raise UsageError(f"unknown category {name!r}; choose one of: {', '.join(CATEGORIES)}")
    return key


def check_status(name: str) -> str:
    """Return the status in canonical form, or raise a UsageError naming the valid ones."""
    key = name.strip().lower().replace("_", "-")
    if key not in STATUSES:
        raise UsageError(f"unknown status {name!r}; choose one of: {', '.join(STATUSES)}")
    return key


def check_priority(name: str) -> str:
    """Return the priority in canonical form, or raise a UsageError naming the valid ones."""
    key = name.strip().lower()
    if key not in PRIORITIES:
        raise UsageError(f"unknown priority {name!r}; choose one of: {', '.join(PRIORITIES)}")
    return key


def priority_for_impact(impact: float) -> str:
    """The default priority of an item whose priority nobody set, from its impact (1-10)."""
    if impact >= 9:
        return "critical"
    if impact >= 7:
        return "high"
    if impact >= 4:
        return "medium"
    return "low"
