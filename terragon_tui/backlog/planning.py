"""The planning half of the backlog document, read at one moment: the roadmap and its next
actions, the practices in place, the technical debt and the success indicators."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from ..core.vocabulary import OPEN_STATUSES
from ..store.models import Completion, Item, Repository
from . import assessment, roadmap
from .delivery import DeliveryMetrics
from .ranked import RankedItem
from .workspace import Workspace


@dataclass(frozen=True)
class Planning:
    """What a team plans with, beside the ranked backlog."""

    roadmap: roadmap.Roadmap
    practices: dict[str, bool]
    practices_at: datetime | None
    debt: assessment.DebtAssessment
    indicators: list[assessment.Indicator]
    delivery: DeliveryMetrics | None

    @property
    def achievements(self) -> list[tuple[str, str]]:
        """The practices fully in place, with what each means."""
        return assessment.achievements(self.practices)

    @property
    def states(self) -> list[assessment.PracticeState]:
        """Every audited practice: now, target, gap (empty before a scan)."""
        return assessment.practice_states(self.practices) if self.practices else []

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "roadmap": self.roadmap.as_dict(),
            "achievements": [label for label, _ in self.achievements],
            "practices": [state.as_dict() for state in self.states],
            "technical_debt": self.debt.as_dict(),
            "success_indicators": [i.as_dict() for i in self.indicators],
        }


def repository_completions(session: Session, repo_id: int) -> list[Completion]:
    """Every completion of the repository's items: the pace the roadmap's capacity comes from."""
    return list(session.exec(select(Completion).join(Item).where(Item.repo_id == repo_id)).all())


def after_links(ranked: Sequence[RankedItem]) -> dict[str, list[str]]:
    """Each item's "after" links (the keys it must come after), as `edit --after` set them."""
    links = {}
    for entry in ranked:
        after = (entry.item.data or {}).get("after")
        if isinstance(after, list) and after:
            links[entry.item.key] = [str(key) for key in after]
    return links


def read_planning(
    ws: Workspace,
    session: Session,
    repo: Repository,
    ranked: Sequence[RankedItem],
    completions: Sequence[Completion],
    *,
    places: Mapping[int, Sequence[Any]] | None = None,
    delivery: DeliveryMetrics | None = None,
    now: datetime | None = None,
) -> Planning:
    """Plan from the ranked backlog (every item, best first) in an open session."""
    open_entries = [e for e in ranked if e.item.status in OPEN_STATUSES]
    cap = roadmap.capacity(ws.config.roadmap, completions, now=now)
    plan = roadmap.plan(open_entries, cap, after_links(ranked))
    practices, at = assessment.latest_practices(session, ws.repo_id)
    debt = assessment.debt_assessment(session, ws.repo_id, ranked, places)
    values = assessment.measured_values(ranked, debt, repo.maturity_score, delivery)
    return Planning(
        roadmap=plan,
        practices=practices,
        practices_at=at,
        debt=debt,
        indicators=assessment.indicators(ws.config.targets, values),
        delivery=delivery,
    )


def workspace_roadmap(
    ws: Workspace, *, now: datetime | None = None, **overrides: float | None
) -> roadmap.Roadmap:
    """The roadmap of the workspace's open items; `overrides` (hours_per_week,
    weeks_per_phase) take the place of the configured capacity."""

    from .listing import ranked_backlog
    from .scoring_settings import scoring_settings

    with ws.reading() as session:
        ranked = ranked_backlog(ws, session, scoring_settings(ws, session))
        completions = repository_completions(session, ws.repo_id)
    settings = {**ws.config.roadmap, **{k: v for k, v in overrides.items() if v is not None}}
    cap = roadmap.capacity(settings, completions, now=now)
    if "hours_per_week" in overrides and overrides["hours_per_week"] is not None:
        cap = roadmap.Capacity(cap.hours_per_week, cap.weeks_per_phase, "given on the command line")
    open_entries = [e for e in ranked if e.item.status in OPEN_STATUSES]
    return roadmap.plan(open_entries, cap, after_links(ranked))


def workspace_planning(ws: Workspace, *, now: datetime | None = None, weeks: int = 52) -> Planning:
    """The whole planning view of the workspace, with delivery from git over `weeks` weeks."""

    from .delivery import delivery_metrics
    from .listing import ranked_backlog
    from .occurrences import repository_occurrences
    from .scoring_settings import scoring_settings

    delivery = delivery_metrics(ws.root, weeks=weeks, now=now)
    with ws.reading() as session:
        ranked = ranked_backlog(ws, session, scoring_settings(ws, session))
        completions = repository_completions(session, ws.repo_id)
        return read_planning(
            ws,
            session,
            ws.repository(session),
            ranked,
            completions,
            places=repository_occurrences(session, ws.repo_id),
            delivery=delivery,
            now=now,
        )
