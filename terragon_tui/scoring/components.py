"""The four score components, each normalised to 0-100: WSJF, technical debt, ICE, security."""

from __future__ import annotations

from dataclasses import dataclass

#: The modified Fibonacci scale of WSJF inputs and job sizes.
FIBONACCI = (1, 2, 3, 5, 8, 13, 20)
#: Upper bound of estimated hours for each job size step; beyond the last, size 20.
_JOB_SIZE_HOURS = ((1, 1), (2, 2), (4, 3), (8, 5), (16, 8), (40, 13))
#: A WSJF ratio of this much (e.g. cost of delay 60 over size 3) scores 100.
WSJF_SCALE = 20.0
#: Debt of this many interest-weighted hours scores 100.
DEBT_SCALE = 40.0
COMPONENT_NAMES = ("wsjf", "debt", "ice", "security")
COMPONENT_LABELS = {
    "wsjf": "WSJF",
    "debt": "Technical debt",
    "ice": "ICE",
    "security": "Security",
}


@dataclass(frozen=True, slots=True)
class ScoreInputs:
    """Everything the score of one item depends on; the flags say which boosts apply."""

    estimated_hours: float = 1.0
    impact: float = 5.0
    confidence: float = 7.0
    ease: float = 5.0
    business_value: float = 3.0
    time_criticality: float = 2.0
    risk_reduction: float = 3.0
    debt_hours: float = 0.0
    debt_interest: float = 1.0
    security_severity: float = 0.0
    security: bool = False
    compliance: bool = False
    performance: bool = False


def job_size(hours: float) -> int:
    """The job size on the modified Fibonacci scale, from estimated hours."""
    for limit, size in _JOB_SIZE_HOURS:
        if hours <= limit:
            return size
    return 20


def cost_of_delay(inp: ScoreInputs) -> float:
    """Business value + time criticality + risk reduction / opportunity enablement."""
    return inp.business_value + inp.time_criticality + inp.risk_reduction


def wsjf(inp: ScoreInputs) -> float:
    """Cost of delay over job size, as a share of WSJF_SCALE (capped at 100)."""
    ratio = cost_of_delay(inp) / job_size(inp.estimated_hours)
    return min(100.0, 100.0 * ratio / WSJF_SCALE)


def debt(inp: ScoreInputs) -> float:
    """Remediation hours × interest, as a share of DEBT_SCALE hours (capped at 100)."""
    return min(100.0, 100.0 * inp.debt_hours * inp.debt_interest / DEBT_SCALE)


def ice(inp: ScoreInputs) -> float:
    """Impact × confidence × ease ÷ 10.

    The product, not the average: an item that is unlikely to work (low confidence) or very
    hard (low ease) is pulled down whatever its impact, which is what triage needs.
    """
    return inp.impact * inp.confidence * inp.ease / 10.0


def security(inp: ScoreInputs) -> float:
    """Severity (0-10) × confidence (1-10)."""
    return inp.security_severity * inp.confidence


def components(inp: ScoreInputs) -> tuple[float, float, float, float]:
    """The four components in COMPONENT_NAMES order."""
    return (wsjf(inp), debt(inp), ice(inp), security(inp))
