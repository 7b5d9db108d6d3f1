"""Weights and boosts: validation, parsing, maturity profiles and focus areas."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import SupportsFloat, SupportsIndex

from ..core.errors import UsageError

MATURITY_LEVELS = ("nascent", "developing", "maturing", "advanced")
DEFAULT_LEVEL = "advanced"
FOCUS_AREAS = ("security", "performance", "debt", "value")
BOOST_SUFFIX = "_boost"
#: The largest boost: all three together stay far from overflowing a score.
BOOST_MAX = 100.0


def _finite(name: str, value: object) -> float:
    """`value` as a finite float, or a UsageError naming `name`."""
    if isinstance(value, bool):
        raise UsageError(f"{name} must be a number, got {value!r}")
    try:
        if not isinstance(value, str | bytes | SupportsFloat | SupportsIndex):
            raise TypeError  # what float() refuses, refused as float() would
        number = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise UsageError(f"{name} must be a finite number, got {value!r}")
    return number


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each component counts; they need not sum to 1 (they are normalised)."""

    wsjf: float
    debt: float
    ice: float
    security: float

    def validate(self) -> Weights:
        """Refuse negative, non-finite, or all-zero weights; return self."""
        for name, value in self.as_dict().items():
            number = _finite(f"weight {name}", value)
            if number < 0:
                raise UsageError(f"weight {name} must not be negative, got {number:g}")
        if sum(self.as_dict().values()) <= 0:
            raise UsageError("weights must not all be zero")
        return self

    def normalised(self) -> Weights:
        """The same proportions, summing to 1; all-zero weights are refused."""
        values = self.as_dict().values()
        total = sum(values)
        if total <= 0:
            raise UsageError("weights must not all be zero")
        if math.isinf(total):  # weights near the float limit: scale down so the sum stays finite
            return Weights(*(value / max(values) for value in values)).normalised()
        return Weights(
            self.wsjf / total, self.debt / total, self.ice / total, self.security / total
        )

    def as_dict(self) -> dict[str, float]:
        """The weights by component name."""
        return asdict(self)

    def replace(self, **changes: float) -> Weights:
        """A copy with some weights changed, e.g. `weights.replace(debt=0.4)`."""
        return replace(self, **changes)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object]) -> Weights:
        """Weights from a complete mapping of the four names; unknown names are refused."""
        return cls(**_from_mapping(cls, "weight", mapping))


@dataclass(frozen=True, slots=True)
class Boosts:
    """Multipliers for items that are security issues, compliance matters, performance work."""

    security: float = 2.5
    compliance: float = 2.0
    performance: float = 1.8

    def validate(self) -> Boosts:
        """Refuse non-finite boosts and boosts not above zero or over BOOST_MAX; return self."""
        for name, value in self.as_dict().items():
            number = _finite(f"{name} boost", value)
            if number <= 0:
                raise UsageError(f"{name} boost must be above zero, got {number:g}")
            if number > BOOST_MAX:
                raise UsageError(f"{name} boost must be at most {BOOST_MAX:g}, got {number:g}")
        return self

    def as_dict(self) -> dict[str, float]:
        """The boosts by name."""
        return asdict(self)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object]) -> Boosts:
        """Boosts from a mapping; missing names keep their defaults."""
        return cls(**_from_mapping(cls, "boost", mapping, complete=False))


def _from_mapping(
    cls: type, kind: str, mapping: Mapping[str, object], complete: bool = True
) -> dict[str, float]:
    names = [f.name for f in fields(cls)]
    unknown = sorted(set(mapping) - set(names))
    if unknown:
        raise UsageError(f"unknown {kind} {unknown[0]!r}; known: {', '.join(names)}")
    missing = [name for name in names if name not in mapping]
    if complete and missing:
        raise UsageError(f"{kind} {missing[0]!r} is missing")
    return {name: _finite(f"{kind} {name}", value) for name, value in mapping.items()}


def parse_assignments(text: str) -> dict[str, float]:
    """Parse `"wsjf=0.5, debt=0.3, security_boost=3"` into a dict, refusing anything else."""
    known = (*(f.name for f in fields(Weights)), *(f.name + BOOST_SUFFIX for f in fields(Boosts)))
    values: dict[str, float] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, raw = part.partition("=")
        name = name.strip().lower()
        if not sep or not name:
            raise UsageError(f"expected NAME=VALUE, got {part.strip()!r}")
        if name not in known:
            raise UsageError(f"unknown weight {name!r}; known: {', '.join(known)}")
        if name in values:
            raise UsageError(f"{name} is given twice")
        try:
            number = float(raw.strip())
        except ValueError:
            raise UsageError(f"{name} must be a number, got {raw.strip()!r}") from None
        values[name] = _finite(name, number)
    if not values:
        raise UsageError("no weights given; expected e.g. wsjf=0.5,debt=0.3")
    return values


def split_assignments(values: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """Split parsed assignments into (weights, boosts), boost names without their suffix."""
    weights = {k: v for k, v in values.items() if not k.endswith(BOOST_SUFFIX)}
    boosts = {
        k.removesuffix(BOOST_SUFFIX): v for k, v in values.items() if k.endswith(BOOST_SUFFIX)
    }
    return weights, boosts


#: Default weights per repository maturity level.
MATURITY_PROFILES: dict[str, Weights] = {
    "nascent": Weights(wsjf=0.4, debt=0.2, ice=0.3, security=0.1),
    "developing": Weights(wsjf=0.5, debt=0.2, ice=0.2, security=0.1),
    "maturing": Weights(wsjf=0.6, debt=0.2, ice=0.1, security=0.1),
    "advanced": Weights(wsjf=0.5, debt=0.3, ice=0.1, security=0.1),
}


def maturity_level(score: float) -> str:
    """The maturity level of a 0-100 health score.

    Below 25 nascent, below 50 developing, below 75 maturing, from 75 on advanced.
    """
    if score < 25:
        return "nascent"
    if score < 50:
        return "developing"
    if score < 75:
        return "maturing"
    return "advanced"


_FOCUS: dict[str, tuple[Weights, dict[str, float]]] = {
    "security": (Weights(0.2, 0.1, 0.1, 0.6), {"security": 3.0}),
    "performance": (Weights(0.4, 0.3, 0.2, 0.1), {"performance": 2.5}),
    "debt": (Weights(0.2, 0.6, 0.1, 0.1), {}),
    "value": (Weights(0.6, 0.1, 0.2, 0.1), {}),
}


def apply_focus(area: str, boosts: Boosts) -> tuple[Weights, Boosts]:
    """The weights of a focus area, and `boosts` with that area's boost raised if it has one."""
    key = area.strip().lower()
    if key not in _FOCUS:
        raise UsageError(f"unknown focus area {area!r}; choose one of: {', '.join(FOCUS_AREAS)}")
    weights, boost_changes = _FOCUS[key]
    return weights, replace(boosts, **boost_changes)
