"""Ranking many items at once: components computed once, re-weighting is a vector operation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from .components import DEBT_SCALE, JOB_SIZE_STEPS, LARGEST_JOB_SIZE, WSJF_SCALE, ScoreInputs
from .scale import MEDIUM, final_scores
from .weights import Boosts, Weights

#: ScoreInputs number fields read into columns, in order.
NUMBER_FIELDS = (
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
_HOUR_LIMITS = np.array([limit for limit, _size in JOB_SIZE_STEPS], dtype=np.float64)
_SIZES = np.array([size for _limit, size in JOB_SIZE_STEPS] + [LARGEST_JOB_SIZE], np.float64)


def component_matrix(columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """The (n, 4) components of many items at once, the same numbers as `components()`."""
    # side="left": hours equal to a limit get that limit's size, as in job_size().
    size = _SIZES[np.searchsorted(_HOUR_LIMITS, columns["estimated_hours"], side="left")]
    cost = columns["business_value"] + columns["time_criticality"] + columns["risk_reduction"]
    wsjf = np.minimum(100.0, 100.0 * (cost / size) / WSJF_SCALE)
    debt = np.minimum(100.0, 100.0 * columns["debt_hours"] * columns["debt_interest"] / DEBT_SCALE)
    ice = columns["impact"] * columns["confidence"] * columns["ease"] / 10.0
    security = columns["security_severity"] * columns["confidence"]
    return _by_column(np.column_stack((wsjf, debt, ice, security)), 4, np.float64)


def debt_exposure(columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """Remediation hours × interest, uncapped: what orders items whose scores tie, so the
    larger debt comes first where the debt component reached its cap for both."""
    return np.asarray(columns["debt_hours"] * columns["debt_interest"], np.float64)


def _by_column(array: ArrayLike, width: int, dtype: DTypeLike) -> np.ndarray:
    """An (n, width) array stored column by column, so each component is one contiguous run."""
    return np.asfortranarray(np.asarray(array, dtype=dtype).reshape(-1, width))


class Ranker:
    """Holds the component matrix of many items so a weight change re-ranks in milliseconds."""

    components: np.ndarray
    flags: np.ndarray
    severity: np.ndarray
    #: Per item, the debt it carries (`debt_exposure`): the tie-breaker of equal scores.
    exposure: np.ndarray

    def __init__(self, inputs: Sequence[ScoreInputs]) -> None:
        count = len(inputs)
        columns = {
            name: np.fromiter((getattr(inp, name) for inp in inputs), np.float64, count)
            for name in NUMBER_FIELDS
        }
        self.components = component_matrix(columns)
        self.flags = _by_column(
            [(inp.security, inp.compliance, inp.performance) for inp in inputs], 3, bool
        )
        self.severity = columns["security_severity"]
        self.exposure = debt_exposure(columns)

    @classmethod
    def from_columns(cls, columns: Mapping[str, np.ndarray], flags: np.ndarray) -> Ranker:
        """A ranker over one array per ScoreInputs number field and (n, 3) boost flags."""
        ranker = cls.from_arrays(component_matrix(columns), flags, columns["security_severity"])
        ranker.exposure = debt_exposure(columns)
        return ranker

    @classmethod
    def from_arrays(
        cls, components: np.ndarray, flags: np.ndarray, severity: np.ndarray | None = None
    ) -> Ranker:
        """A ranker over precomputed (n, 4) components, (n, 3) security/compliance/performance
        flags and n security severities (none given: no item has one)."""
        matrix = _by_column(components, 4, np.float64)
        flag_matrix = _by_column(flags, 3, bool)
        if len(matrix) != len(flag_matrix):
            raise ValueError(f"{len(matrix)} component rows but {len(flag_matrix)} flag rows")
        ranker = cls.__new__(cls)
        ranker.components = matrix
        ranker.flags = flag_matrix
        ranker.severity = (
            np.zeros(len(matrix)) if severity is None else np.asarray(severity, np.float64)
        )
        if len(ranker.severity) != len(matrix):
            raise ValueError(f"{len(matrix)} component rows but {len(ranker.severity)} severities")
        ranker.exposure = np.zeros(len(matrix))
        return ranker

    def __len__(self) -> int:
        """The number of items ranked."""
        return len(self.components)

    def scores(self, weights: Weights, boosts: Boosts, security_from: float = MEDIUM) -> np.ndarray:
        """Every item's final score on the 0-100 scale, equal to `breakdown.score` item by item."""
        return final_scores(self.boosted(weights, boosts, security_from), self.severity)

    def boosted(
        self, weights: Weights, boosts: Boosts, security_from: float = MEDIUM
    ) -> np.ndarray:
        """Every item's weighted, boosted composite, before it is put on the 0-100 scale."""
        # Column by column in the scalar's order (not a BLAS product, which may reorder or fuse
        # operations): the numbers equal score()'s exactly and equal items tie exactly.
        shares = weights.normalised()
        c, f = self.components, self.flags
        base = c[:, 0] * shares.wsjf + c[:, 1] * shares.debt
        base += c[:, 2] * shares.ice
        base += c[:, 3] * shares.security
        deserved = f[:, 0] & (self.severity >= security_from)
        multiplier = np.where(deserved, boosts.security, 1.0)
        multiplier *= np.where(f[:, 1], boosts.compliance, 1.0)
        multiplier *= np.where(f[:, 2], boosts.performance, 1.0)
        return base * multiplier

    def order(self, weights: Weights, boosts: Boosts, security_from: float = MEDIUM) -> np.ndarray:
        """Item indices, best score first; equal scores by the debt they carry, then in input
        order."""
        return self.ranked(weights, boosts, security_from)[1]

    def ranked(
        self, weights: Weights, boosts: Boosts, security_from: float = MEDIUM
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every item's final score, and the item indices best first.

        Items whose boosted composites are so large that both map to 100 keep their order by
        the boosted value, so the scale's top never merges two different items. Items whose
        scores are equal come by the debt they carry (hours × interest, which the debt
        component caps), the larger first; then in input order.
        """
        boosted = self.boosted(weights, boosts, security_from)
        final = final_scores(boosted, self.severity)
        return final, np.lexsort((-self.exposure, -boosted, -final))

    @staticmethod
    def moves(old_order: np.ndarray, new_order: np.ndarray) -> np.ndarray:
        """Per item index, how many places it moved up (negative: down) between two orders."""
        old_order, new_order = np.asarray(old_order), np.asarray(new_order)
        if old_order.shape != new_order.shape:
            raise ValueError(f"orders differ in length: {len(old_order)} and {len(new_order)}")
        count = len(old_order)
        old_pos = np.empty(count, dtype=np.int64)
        new_pos = np.empty(count, dtype=np.int64)
        old_pos[old_order] = np.arange(count)
        new_pos[new_order] = np.arange(count)
        return old_pos - new_pos
