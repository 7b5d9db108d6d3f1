"""A Finding: one thing a discovery source saw in a repository, before it becomes an Item."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TypedDict


def fingerprint_of(source: str, rule: str, path: str | None, symbol: str | None) -> str:
    """sha1 of source, rule, path and symbol: the identity of a finding or an occurrence."""
    key = "\x1f".join((source, rule, path or "", symbol or ""))
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(slots=True)
class Occurrence:
    """One place a finding was seen: its file, line, symbol and that place's measurements.

    `fingerprints` are the identities the place had as a finding of its own (before
    grouping, and as items of stores from then), so a decision a person took on one of
    those items is found again.
    """

    path: str | None
    line: int | None
    symbol: str | None
    fingerprints: tuple[str, ...]
    data: dict[str, object] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """The place's own identity: the first of its fingerprints."""
        return self.fingerprints[0]


@dataclass(slots=True)
class Finding:
    """One discovered piece of work, with everything scoring needs.

    The fingerprint is stable across rescans: it is built from the source, the rule, the
    path and the symbol (function, class, secret type...), never from a line number, so
    moving code does not create a new item.
    """

    source: str  # one of vocabulary.SOURCES except "user"
    rule: str  # e.g. "cc-rank-d", "B105", "todo", "missing-license"
    title: str
    description: str
    category: str  # one of vocabulary.CATEGORIES
    path: str | None = None  # POSIX path relative to the repository root
    line: int | None = None
    symbol: str | None = None
    estimated_hours: float = 1.0
    impact: float = 5.0  # 1-10
    confidence: float = 7.0  # 1-10
    ease: float = 5.0  # 1-10
    risk: float = 0.3  # 0-1, chooses the decision lane
    business_value: float = 3.0  # modified Fibonacci 1, 2, 3, 5, 8, 13, 20
    time_criticality: float = 2.0  # same scale
    risk_reduction: float = 3.0  # same scale (risk reduction / opportunity enablement)
    debt_hours: float = 0.0  # remediation effort
    debt_interest: float = 1.0  # >= 1: how much the debt costs while it stays (churn)
    security_severity: float = 0.0  # 0-10
    is_security: bool = False
    is_compliance: bool = False
    is_performance: bool = False
    business_value_text: str = ""
    data: dict[str, object] = field(default_factory=dict)  # source-specific measurements
    role: str = "production"  # the path role of where it is (discovery/path_roles.py)
    #: The places it stands for: itself alone, or every member of a group (grouping.py).
    occurrences: list[Occurrence] = field(default_factory=list)
    #: A group's identity, which must not follow where its places happen to be today.
    identity: str | None = None

    @property
    def fingerprint(self) -> str:
        """A stable identity: sha1 of source, rule, path and symbol (or the group's own)."""
        return self.identity or fingerprint_of(self.source, self.rule, self.path, self.symbol)

    def as_occurrence(self) -> Occurrence:
        """This finding as one place of a group (or of itself)."""
        return Occurrence(self.path, self.line, self.symbol, (self.fingerprint,), dict(self.data))


class GroupFields(TypedDict):
    """What a group's finding takes over from its grouping, whatever its source makes of
    the rest (grouping.py builds it; the sources that group their own way receive it)."""

    source: str
    rule: str
    path: str | None
    line: int | None
    symbol: str
    identity: str
    role: str
    occurrences: list[Occurrence]
    data: dict[str, object]


@dataclass(frozen=True)
class Suppressed:
    """A finding left out, and why: the repository decided against it (its bandit settings,
    an inline ignore) or it has the shape of a known false positive (a placeholder secret)."""

    source: str
    rule: str
    path: str | None
    line: int | None
    reason: str

    def as_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "source": self.source,
            "rule": self.rule,
            "path": self.path,
            "line": self.line,
            "reason": self.reason,
        }
