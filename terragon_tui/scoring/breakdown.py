"""The composite score and its breakdown: each component × weight, then the boosts."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

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
from .scale import MEDIUM, final_score, final_score_of_mapped, mapped, placement, severity_word
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
    """Why an item scores what it scores, term by term, up to its place on the 0-100 scale."""

    components: tuple[ComponentScore, ...]
    base: float
    boosts: tuple[tuple[str, float], ...]
    multiplier: float
    boosted: float  # base × multiplier
    on_scale: float  # boosted mapped onto 0-100
    composite: float  # the final score: on_scale placed by severity
    withheld: str = ""  # why the security boost did not apply, if it did not
    placement: str = ""  # how severity placed the score, if the item has one

    def lines(self) -> list[str]:
        """One line per term, Taskwarrior-style: value × weight = contribution, then boosts."""
        lines = [
            f"{c.label:<14}{c.value:7.2f} × {c.weight:4.2f} = {c.contribution:6.2f}   {c.detail}"
            for c in self.components
        ]
        lines.append(f"base = {self.base:.2f}")
        lines.extend(f"× {name} boost {factor:g}" for name, factor in self.boosts)
        if self.withheld:
            lines.append(self.withheld)
        if self.boosts:
            lines.append(f"boosted = {self.boosted:.2f}")
        if self.boosted > 50:
            lines.append(
                f"on the 0-100 scale = {self.on_scale:.2f} "
                f"(above 50: 50 + 50 × (1 - e^(-({self.boosted:.2f} - 50) / 50)))"
            )
        if self.placement:
            lines.append(self.placement)
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
            "boosted": round(self.boosted, 4),
            "on_scale": round(self.on_scale, 4),
            "withheld": self.withheld,
            "placement": self.placement,
            "composite": round(self.composite, 2),
        }


def applicable_boosts(
    inp: ScoreInputs, boosts: Boosts, security_from: float = MEDIUM
) -> tuple[tuple[str, float], ...]:
    """The boosts whose flag is set on the item, as (name, factor) in a fixed order.

    The security boost is for findings that deserve it: an item needs a security severity
    of at least `security_from` (MEDIUM, 6, by default) for it to apply.
    """
    flags = (
        ("security", inp.security and inp.security_severity >= security_from),
        ("compliance", inp.compliance),
        ("performance", inp.performance),
    )
    return tuple((name, getattr(boosts, name)) for name, on in flags if on)


def _withheld(inp: ScoreInputs, boosts: Boosts, security_from: float) -> str:
    if not inp.security or inp.security_severity >= security_from:
        return ""
    word = severity_word(inp.security_severity) or "none"
    needed = severity_word(security_from) or f"{security_from:g}"
    return f"(no security boost {boosts.security:g}: severity {word} is below {needed})"


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


def score(
    inp: ScoreInputs, weights: Weights, boosts: Boosts, security_from: float = MEDIUM
) -> float:
    """The final score on the 0-100 scale: weighted components, boosts, mapping, severity."""
    base = _add_in_order(value * share for value, share in _terms(inp, weights))
    factor = math.prod(f for _name, f in applicable_boosts(inp, boosts, security_from))
    return final_score(base * factor, inp.security_severity)


def breakdown(
    inp: ScoreInputs, weights: Weights, boosts: Boosts, security_from: float = MEDIUM
) -> ScoreBreakdown:
    """The full breakdown of an item's score; its composite equals `score()`."""
    parts = tuple(
        ComponentScore(name, COMPONENT_LABELS[name], value, share, value * share, detail)
        for name, (value, share), detail in zip(
            COMPONENT_NAMES, _terms(inp, weights), _details(inp), strict=True
        )
    )
    base = _add_in_order(part.contribution for part in parts)
    applied = applicable_boosts(inp, boosts, security_from)
    multiplier = float(math.prod(factor for _name, factor in applied))
    boosted = base * multiplier
    on_scale = float(mapped(np.array([boosted]))[0])
    return ScoreBreakdown(
        parts,
        base,
        applied,
        multiplier,
        boosted,
        on_scale,
        final_score_of_mapped(on_scale, inp.security_severity),
        _withheld(inp, boosts, security_from),
        placement(on_scale, inp.security_severity),
    )
