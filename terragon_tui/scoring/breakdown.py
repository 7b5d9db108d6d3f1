"""The composite score and its breakdown: each component × weight, then the boosts."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .components import (
    COMPONENT_LABELS,
    COMPONENT_NAMES,
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
        """One line per term, Taskwarrior-style: value × weight = contribution, then boosts."""
        lines = [
            f"{c.label:<14}{c.value:7.2f} × {c.weight:4.2f} = {c.contribution:6.2f}   {c.detail}"
            for c in self.components
        ]
        lines.append(f"base = {self.base:.2f}")
        lines.extend(f"× {name} boost {factor:g}" for name, factor in self.boosts)
        lines.append(f"composite = {self.composite:.2f}")
        return lines

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form of the breakdown (numbers rounded for reading, not for sums)."""
        return {
            "components": [
                {
                    "name": c.name,
                    "label": c.label,
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
    """The boosts whose flag is set on the item, as (name, factor) in a fixed order."""
    flags = (
        ("security", inp.security),
        ("compliance", inp.compliance),
        ("performance", inp.performance),
    )
    return tuple((name, getattr(boosts, name)) for name, on in flags if on)


def _num(value: float) -> str:
    """A number for reading: at most two decimals, no trailing zeros."""
    return f"{round(value, 2):g}"


def _details(inp: ScoreInputs) -> tuple[str, str, str, str]:
    size = job_size(inp.estimated_hours)
    return (
        f"({_num(inp.business_value)} + {_num(inp.time_criticality)} + "
        f"{_num(inp.risk_reduction)}) / size {size} = {cost_of_delay(inp) / size:.2f} "
        f"of {WSJF_SCALE:g}",
        f"{_num(inp.debt_hours)} h × interest {_num(inp.debt_interest)} = "
        f"{_num(inp.debt_hours * inp.debt_interest)} of {DEBT_SCALE:g} h",
        f"{_num(inp.impact)} × {_num(inp.confidence)} × {_num(inp.ease)} / 10",
        f"severity {_num(inp.security_severity)} × confidence {_num(inp.confidence)}",
    )


def _terms(inp: ScoreInputs, weights: Weights) -> tuple[tuple[float, float], ...]:
    """(value, normalised weight) per component, in COMPONENT_NAMES order."""
    shares = weights.normalised()
    return tuple(zip(components(inp), (getattr(shares, n) for n in COMPONENT_NAMES), strict=True))


def _add_in_order(values: Iterable[float]) -> float:
    """Plain left-to-right addition (sum() compensates on newer Pythons, numpy does not).

    score(), breakdown() and Ranker.scores() all add the same way, so they agree exactly.
    """
    total = 0.0
    for value in values:
        total += value
    return total


def score(inp: ScoreInputs, weights: Weights, boosts: Boosts) -> float:
    """The composite score: Σ normalised weight × component, times the applicable boosts."""
    base = _add_in_order(value * share for value, share in _terms(inp, weights))
    return base * math.prod(factor for _name, factor in applicable_boosts(inp, boosts))


def breakdown(inp: ScoreInputs, weights: Weights, boosts: Boosts) -> ScoreBreakdown:
    """The full breakdown of an item's composite score; its composite equals `score()`."""
    parts = tuple(
        ComponentScore(name, COMPONENT_LABELS[name], value, share, value * share, detail)
        for name, (value, share), detail in zip(
            COMPONENT_NAMES, _terms(inp, weights), _details(inp), strict=True
        )
    )
    base = _add_in_order(part.contribution for part in parts)
    applied = applicable_boosts(inp, boosts)
    multiplier = float(math.prod(factor for _name, factor in applied))
    return ScoreBreakdown(parts, base, applied, multiplier, base * multiplier)
