"""A backlog with rules, paths and path roles, stored as a scan stores its findings."""

from __future__ import annotations

from terragon_tui.backlog.scan_merge import apply_findings
from terragon_tui.backlog.workspace import Workspace
from terragon_tui.discovery.finding import Finding, Occurrence

#: (source, rule, category, path, role) of each finding; the grouped one follows.
PLACES = (
    ("security", "B311", "security", "src/app/models.py", "production"),
    ("security", "B311", "security", "src/app/views.py", "production"),
    ("security", "B311", "security", "src/app/jobs.py", "production"),
    ("security", "B311", "security", "tests/test_models.py", "test"),
    ("security", "B311", "security", "tests/test_views.py", "test"),
    ("security", "B105", "security", "src/app/settings.py", "production"),
    ("todos", "todo", "technical-debt", "docs/guide.md", "docs"),
    ("todos", "todo", "technical-debt", "tests/test_jobs.py", "test"),
)
#: Where the one grouped item (no file of its own) stands.
GROUP_PLACES = ("src/core/engine.py", "lib/extra/helpers.py")


def _finding(source: str, rule: str, category: str, path: str | None, role: str) -> Finding:
    return Finding(
        source=source,
        rule=rule,
        title=f"{rule} in {path or 'several files'}",
        description="",
        category=category,
        path=path,
        line=1 if path else None,
        symbol=rule,
        impact=6 if role == "production" else 3,
        security_severity=5 if source == "security" else 0,
        data={"role": role},
        role=role,
    )


def fill_filtered(ws: Workspace) -> None:
    """Store the findings of PLACES and one grouped complexity item, as one scan would."""
    findings = [_finding(*place) for place in PLACES]
    group = _finding("complexity", "cc-rank-d", "technical-debt", None, "production")
    group.identity = "complexity:cc-rank-d:group"
    group.occurrences = [
        Occurrence(path, 10, f"f{n}", (f"cc-{n}",)) for n, path in enumerate(GROUP_PLACES)
    ]
    findings.append(group)
    apply_findings(ws, kind="full", sources=("security", "todos", "complexity"), findings=findings)
