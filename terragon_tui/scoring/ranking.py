"""Ranking many items at once: components computed once, re-weighting is a vector operation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .components import ScoreInputs, components
from .weights import Boosts, Weights


class Ranker:
    """Holds the component matrix of many items so a weight change re-ranks in milliseconds."""

    def __init__(self, inputs: Sequence[ScoreInputs]) -> None:
        count = len(inputs)
        self.components = np.array([components(inp) for inp in inputs], dtype=np.float64)
        self.components = self.components.reshape(count, 4)
        self.flags = np.array(
            [(inp.security, inp.compliance, inp.performance) for inp in inputs], dtype=bool
        ).reshape(count, 3)

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
