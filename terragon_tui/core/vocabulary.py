"""The product's fixed words: categories, statuses, priorities, sources and their ID prefixes,
path roles, and the filters and sort keys of an item list."""

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


#: The filters an item list takes, in the order forms and messages name them.
FILTER_KEYS = ("category", "status", "source", "rule", "path", "role")
#: Where a file sits: production code, or one of ROLES (discovery/path_roles.py has the globs).
PRODUCTION = "production"
#: The roles in the order they are tried; production is what is left.
ROLES = ("vendored", "generated", "test", "benchmark", "example", "docs", "tooling")
#: Every path role an item can have.
PATH_ROLES = (PRODUCTION, *ROLES)
#: Columns the table can sort by, and the item attribute behind each.
SORT_KEYS = (
    "score",
    "key",
    "title",
    "category",
    "priority",
    "estimated_hours",
    "impact",
    "status",
    "risk",
)


def check_source(name: str) -> str:
    """The source name, or a UsageError naming the sources."""
    key = name.strip().lower()
    if key not in SOURCES:
        raise UsageError(f"unknown source {name!r}; choose one of: {', '.join(SOURCES)}")
    return key


def check_role(name: str) -> str:
    """The path role, or a UsageError naming the roles."""
    key = name.strip().lower()
    if key == "tests":
        key = "test"
    if key not in PATH_ROLES:
        raise UsageError(f"unknown path role {name!r}; choose one of: {', '.join(PATH_ROLES)}")
    return key


def check_sort(name: str) -> tuple[str, bool]:
    """A sort key, `-` first for reversed: the key and whether reversed, or a UsageError."""
    key = name.strip()
    reverse = key.startswith("-")
    key = key.removeprefix("-").replace("-", "_")
    if key not in SORT_KEYS:
        raise UsageError(
            f"unknown sort key {name!r}; choose one of: {', '.join(SORT_KEYS)} (-KEY reverses)"
        )
    return key, reverse
