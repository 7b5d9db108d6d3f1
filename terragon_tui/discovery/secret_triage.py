"""A scan's secret hits sorted into findings and counted suppressions.

The worker has already judged each hit by its value (`secret_filters`); here the kept
hits become findings and the suppressed ones are collected with their reasons.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from . import secret_scan
from .finding import Finding


@dataclass(frozen=True, slots=True)
class Suppression:
    """A potential secret not reported, and why; its value is never known here."""

    path: str
    line: int
    rule: str
    reason: str


@dataclass
class SecretTriage:
    """Turns each file's scanned secrets into findings, collecting what is suppressed."""

    suppressed: list[Suppression] = field(default_factory=list)

    def findings(self, path: str, result: dict[str, Any]) -> list[Finding]:
        """Findings of the kept hits of one file; every other hit is recorded with its reason."""
        for secret_type, line, _hash, reason in result.get("suppressed", []):
            self._suppress(path, line, secret_type, reason)
        return secret_scan.findings(path, result.get("found", []))

    def _suppress(self, path: str, line: int, secret_type: str, reason: str) -> None:
        self.suppressed.append(Suppression(path, int(line), secret_scan.rule(secret_type), reason))


def by_reason(suppressed: list[Suppression]) -> dict[str, int]:
    """How many suppressions each reason accounts for, the commonest first."""
    return dict(Counter(s.reason for s in suppressed).most_common())
