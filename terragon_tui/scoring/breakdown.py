"""The composite score and its breakdown: each component × weight, then the boosts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .components import (
    COMPONENT_LABELS,
    DEBT_SCALE,
    WSJF_SCALE,
    ScoreInputs,
    components,
    cost_of_delay,
    job_size,
)
from .weights import Boosts, Weights


@dataclass(frozen=True, slots=True)
class ComponentScore:
    """One component's value, its normalised weight, and what it adds to the base score."""

    name: str
    label: str
    value: float
    weight: float
    contribution: float
    detail: str


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    """Why an item scores what it scores, term by term."""

    components: tuple[ComponentScore, ...]
    base: float
    boosts: tuple[tuple[str, float], ...]
    multiplier: float
    composite: float

    def lines(self) -> list[str]:
        """One line per term, Taskwarrior-style: value × weight = contribution."""
        lines = [
            f"{c.label:<15} {c.value:6.2f} × {c.weight:4.2f} = {c.contribution:6.2f}   {c.detail}"
            for c in self.components
        ]
        lines.append(f"base = {self.base:.2f}")
        lines.extend(f"× {name} boost {factor:g}" for name, factor in self.boosts)
        lines.append(f"composite = {self.composite:.2f}")
        return lines

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the breakdown."""
        return {
            "components": [
                {
                    "name": c.name,
                    "value": round(c.value, 4),
                    "weight": round(c.weight, 4),
                    "contribution": round(c.contribution, 4),
                    "detail": c.detail,
                }
                for c in self.components
            ],
            "base": round(self.base, 4),
            "boosts": dict(self.boosts),
            "multiplier": self.multiplier,
            "composite": round(self.composite, 2),
        }


def applicable_boosts(inp: ScoreInputs, boosts: Boosts) -> tuple[tuple[str, float], ...]:
    """The boosts whose flag is set on the item, in a fixed order."""
    flags = (
        ("security", inp.security),
        ("compliance", inp.compliance),
        ("performance", inp.performance),
    )
    return tuple((name, getattr(boosts, name)) for name, on in flags if on)


def _details(inp: ScoreInputs) -> tuple[str, str, str, str]:
    size = job_size(inp.estimated_hours)
    return (
        f"({inp.business_value:g} + {inp.time_criticality:g} + {inp.risk_reduction:g}) / size "
        f"{size} = {cost_of_delay(inp) / size:.2f} of {WSJF_SCALE:g}",
        f"{inp.debt_hours:g} h × interest {inp.debt_interest:g} = "
        f"{inp.debt_hours * inp.debt_interest:g} of {DEBT_SCALE:g} h",
        f"{inp.impact:g} × {inp.confidence:g} × {inp.ease:g} / 10",
        f"severity {inp.security_severity:g} × confidence {inp.confidence:g}",
    )


def breakdown(inp: ScoreInputs, weights: Weights, boosts: Boosts) -> ScoreBreakdown:
    """The full breakdown of an item's composite score."""
    shares = weights.normalised().as_dict()
    terms = tuple(
        ComponentScore(
            name, COMPONENT_LABELS[name], value, shares[name], value * shares[name], detail
        )
        for name, value, detail in zip(shares, components(inp), _details(inp), strict=True)
    )
    base = sum(term.contribution for term in terms)
    applied = applicable_boosts(inp, boosts)
    multiplier = math.prod(factor for _name, factor in applied)
    return ScoreBreakdown(terms, base, applied, multiplier, base * multiplier)


def score(inp: ScoreInputs, weights: Weights, boosts: Boosts) -> float:
    """The composite score: Σ normalised weight × component, times the applicable boosts."""
    shares = weights.normalised()
    wsjf_v, debt_v, ice_v, sec_v = components(inp)
    base = (
        shares.wsjf * wsjf_v + shares.debt * debt_v + shares.ice * ice_v + shares.security * sec_v
    )
    return base * math.prod(factor for _name, factor in applicable_boosts(inp, boosts))
