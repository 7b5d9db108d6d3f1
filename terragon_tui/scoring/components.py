"""The four score components, each normalised to 0-100: WSJF, technical debt, ICE, security."""

from __future__ import annotations

from dataclasses import dataclass

#: The modified Fibonacci scale of WSJF inputs and job sizes.
FIBONACCI = (1, 2, 3, 5, 8, 13, 20)
#: (most estimated hours, job size) steps; anything above the last limit is size 20.
JOB_SIZE_STEPS = ((1, 1), (2, 2), (4, 3), (8, 5), (16, 8), (40, 13))
LARGEST_JOB_SIZE = 20
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
    """Everything the score of one item depends on; the three flags say which boosts apply."""

    estimated_hours: float = 1.0
    impact: float = 5.0  # 1-10
    confidence: float = 7.0  # 1-10
    ease: float = 5.0  # 1-10
    business_value: float = 3.0  # modified Fibonacci, 1-20
    time_criticality: float = 2.0  # modified Fibonacci, 1-20
    risk_reduction: float = 3.0  # modified Fibonacci, 1-20
    debt_hours: float = 0.0
    debt_interest: float = 1.0
    security_severity: float = 0.0  # 0-10
    security: bool = False
    compliance: bool = False
    performance: bool = False


def job_size(hours: float) -> int:
    """The job size on the modified Fibonacci scale from estimated hours (none or less is 1)."""
    for limit, size in JOB_SIZE_STEPS:
        if hours <= limit:
            return size
    return LARGEST_JOB_SIZE


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
    """Impact × confidence × ease ÷ 10, so three scores of 1-10 give 0.1-100.

    The product, not the average: averaged, a certain and easy item of trivial impact
    (1, 10, 10) would score 7, level with a solid (7, 7, 7); as a product it scores 10 against
    34.3. One weak factor pulls an item down whatever the other two say, as triage should.
    """
    return inp.impact * inp.confidence * inp.ease / 10.0


def security(inp: ScoreInputs) -> float:
    """Severity (0-10) × confidence (1-10): a likely critical finding scores near 100."""
    return inp.security_severity * inp.confidence


def components(inp: ScoreInputs) -> tuple[float, float, float, float]:
    """The four components in COMPONENT_NAMES order: (wsjf, debt, ice, security)."""
    return (wsjf(inp), debt(inp), ice(inp), security(inp))
