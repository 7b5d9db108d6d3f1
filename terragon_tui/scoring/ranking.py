"""Ranking many items at once: components computed once, re-weighting is a vector operation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .components import DEBT_SCALE, WSJF_SCALE, ScoreInputs
from .weights import Boosts, Weights

#: ScoreInputs fields read into columns, in order.
_FIELDS = (
    "estimated_hours",
    "impact",
    "confidence",
    "ease",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "debt_hours",
    "debt_interest",
    "security_severity",
)
_HOUR_LIMITS = np.array([1, 2, 4, 8, 16, 40], dtype=np.float64)
_SIZES = np.array([1, 2, 3, 5, 8, 13, 20], dtype=np.float64)


def component_matrix(columns: dict[str, np.ndarray]) -> np.ndarray:
    """The (n, 4) components of many items at once, the same numbers as `components()`."""
    size = _SIZES[np.searchsorted(_HOUR_LIMITS, columns["estimated_hours"], side="left")]
    cost = columns["business_value"] + columns["time_criticality"] + columns["risk_reduction"]
    wsjf = np.minimum(100.0, 100.0 * (cost / size) / WSJF_SCALE)
    debt = np.minimum(100.0, 100.0 * columns["debt_hours"] * columns["debt_interest"] / DEBT_SCALE)
    ice = columns["impact"] * columns["confidence"] * columns["ease"] / 10.0
    security = columns["security_severity"] * columns["confidence"]
    return np.column_stack((wsjf, debt, ice, security))


class Ranker:
    """Holds the component matrix of many items so a weight change re-ranks in milliseconds."""

    def __init__(self, inputs: Sequence[ScoreInputs]) -> None:
        count = len(inputs)
        columns = {
            name: np.fromiter((getattr(inp, name) for inp in inputs), np.float64, count)
            for name in _FIELDS
        }
        self.components = component_matrix(columns).reshape(count, 4)
        self.flags = np.array(
            [(inp.security, inp.compliance, inp.performance) for inp in inputs], dtype=bool
        ).reshape(count, 3)

    @classmethod
    def from_columns(cls, columns: dict[str, np.ndarray], flags: np.ndarray) -> Ranker:
        """A ranker over one array per ScoreInputs number field and (n, 3) boost flags."""
        return cls.from_arrays(component_matrix(columns), flags)

    @classmethod
    def from_arrays(cls, components_matrix: np.ndarray, flags: np.ndarray) -> Ranker:
        """A ranker over precomputed (n, 4) components and (n, 3) boost flags."""
        ranker = cls.__new__(cls)
        ranker.components = np.asarray(components_matrix, dtype=np.float64).reshape(-1, 4)
        ranker.flags = np.asarray(flags, dtype=bool).reshape(-1, 3)
        return ranker

    def __len__(self) -> int:
        return len(self.components)

    def scores(self, weights: Weights, boosts: Boosts) -> np.ndarray:
        """Every item's composite score, equal to `breakdown.score` item by item."""
        shares = weights.normalised()
        vector = np.array([shares.wsjf, shares.debt, shares.ice, shares.security])
        base = self.components @ vector
        factors = np.array([boosts.security, boosts.compliance, boosts.performance])
        multiplier = np.where(self.flags, factors, 1.0).prod(axis=1)
        return base * multiplier

    def order(self, weights: Weights, boosts: Boosts) -> np.ndarray:
        """Item indices, best score first; ties keep input order."""
        return np.argsort(-self.scores(weights, boosts), kind="stable")

    @staticmethod
    def moves(old_order: np.ndarray, new_order: np.ndarray) -> np.ndarray:
        """Per item index, how many places it moved up (negative: down) between two orders."""
        count = len(old_order)
        old_pos = np.empty(count, dtype=np.int64)
        new_pos = np.empty(count, dtype=np.int64)
        old_pos[old_order] = np.arange(count)
        new_pos[new_order] = np.arange(count)
        return old_pos - new_pos
