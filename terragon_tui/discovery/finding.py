"""A Finding: one thing a discovery source saw in a repository, before it becomes an Item."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


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

    @property
    def fingerprint(self) -> str:
        """A stable identity: sha1 of source, rule, path and symbol."""
        key = "\x1f".join((self.source, self.rule, self.path or "", self.symbol or ""))
        return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()
