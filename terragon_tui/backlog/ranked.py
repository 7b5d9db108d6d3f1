"""Ranking what the store holds: stored items (or light rows of them) scored and ordered, and
an item's detail, from whatever read them: the store's models or `store.plain`'s rows.

Nothing here reads the store, so `next`, `show` and `list` can rank without SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar

import numpy as np

from ..core.vocabulary import OPEN_STATUSES
from ..scoring.breakdown import ScoreBreakdown, breakdown
from ..scoring.components import ScoreInputs
from ..scoring.lanes import decision_lane
from ..scoring.ranker import NUMBER_FIELDS, Ranker
from ..store.rows import (
    ItemFields,
    ScoredFields,
    StoredChange,
    StoredCompletion,
    StoredItem,
    StoredOccurrence,
)
from .weights_in_force import ScoringSettings

if TYPE_CHECKING:
    from ..store.models import Item


def inputs_for(item: ScoredFields) -> ScoreInputs:
    """The scoring inputs of a stored item (or a finding); its category also switches on its
    boost."""
    return ScoreInputs(
        estimated_hours=item.estimated_hours,
        impact=item.impact,
        confidence=item.confidence,
        ease=item.ease,
        business_value=item.business_value,
        time_criticality=item.time_criticality,
        risk_reduction=item.risk_reduction,
        debt_hours=item.debt_hours,
        debt_interest=item.debt_interest,
        security_severity=item.security_severity,
        security=item.is_security or item.category == "security",
        compliance=item.is_compliance or item.category == "compliance",
        performance=item.is_performance or item.category == "performance",
    )


def ranker_for(items: Sequence[ItemFields]) -> Ranker:
    """A Ranker over stored items (or rows with their attribute names), read column by column."""
    count = len(items)
    columns = {
        name: np.fromiter((getattr(item, name) for item in items), np.float64, count)
        for name in NUMBER_FIELDS
    }
    flags = np.array(
        [
            (
                item.is_security or item.category == "security",
                item.is_compliance or item.category == "compliance",
                item.is_performance or item.category == "performance",
            )
            for item in items
        ],
        dtype=bool,
    ).reshape(count, 3)
    return Ranker.from_columns(columns, flags)


#: What is ranked: a stored item, or a light row of one (`load_rows`, `store.plain`).
ItemT = TypeVar("ItemT", bound=ItemFields, covariant=True)
#: The same, for functions that take and give them (a covariant one cannot be a parameter).
ItemV = TypeVar("ItemV", bound=ItemFields)


@dataclass(frozen=True)
class Ranked(Generic[ItemT]):
    """An item with its composite score, its rank among open items (None if closed), its lane."""

    item: ItemT
    score: float
    rank: int | None

    @property
    def lane(self) -> str:
        """The decision lane its risk puts it in."""
        return decision_lane(self.item.risk)


#: A stored item, ranked: what lists, `show`, reports and plans read.
RankedItem: TypeAlias = "Ranked[Item]"


def rank_items(items: Sequence[ItemV], settings: ScoringSettings) -> list[Ranked[ItemV]]:
    """Score `items` and order them best first; open items get ranks 1..n, closed ones None."""
    if not items:
        return []
    ranker = ranker_for(items)
    scores, order = ranker.ranked(settings.weights, settings.boosts, settings.security_from)
    ranked: list[Ranked[ItemV]] = []
    rank = 0
    for index in order:
        item = items[int(index)]
        is_open = item.status in OPEN_STATUSES
        rank += is_open
        ranked.append(Ranked(item, float(scores[index]), rank if is_open else None))
    return ranked


@dataclass(frozen=True)
class ItemDetail(Generic[ItemT]):
    """Everything `show` tells about an item: rank, score breakdown, completions, history."""

    ranked: Ranked[ItemT]
    breakdown: ScoreBreakdown
    settings: ScoringSettings
    completions: Sequence[StoredCompletion] = field(default_factory=list)
    changes: Sequence[StoredChange] = field(default_factory=list)
    occurrences: Sequence[StoredOccurrence] = field(default_factory=list)


#: A whole stored item, for details: an `Item`, or a row `store.plain` read.
StoredT = TypeVar("StoredT", bound=StoredItem)


def detail_of(
    ranked: Ranked[StoredT],
    settings: ScoringSettings,
    completions: Sequence[StoredCompletion],
    changes: Sequence[StoredChange],
    occurrences: Sequence[StoredOccurrence],
) -> ItemDetail[StoredT]:
    """An item's detail: its ranking, its score broken down under `settings`, its history."""
    return ItemDetail(
        ranked=ranked,
        breakdown=breakdown(
            inputs_for(ranked.item), settings.weights, settings.boosts, settings.security_from
        ),
        settings=settings,
        completions=list(completions),
        changes=list(changes),
        occurrences=list(occurrences),
    )


__all__ = [
    "ItemDetail",
    "Ranked",
    "RankedItem",
    "detail_of",
    "inputs_for",
    "rank_items",
    "ranker_for",
]
