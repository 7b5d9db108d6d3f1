"""Calibration: actual ÷ estimated hours learned from completions, applied to open items."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select as core_select  # SQLModel's takes at most four columns
from sqlalchemy import update
from sqlmodel import Session, col, select

from ..core.errors import UsageError
from ..core.vocabulary import OPEN_STATUSES
from ..scoring.breakdown import score
from ..scoring.components import job_size
from ..store.models import Calibration, Completion, Item, utcnow
from ..store.transactions import retrying
from .fields import NUMBER_FIELDS
from .ranked import inputs_for
from .scoring_settings import scoring_settings
from .weights_in_force import ScoringSettings
from .workspace import Workspace

#: Fewer completions than this in a group is weak evidence: it changes nothing.
DEFAULT_MIN_COMPLETIONS = 3
#: Completions with this outcome say little about how long the work takes.
IGNORED_OUTCOMES = frozenset({"failed"})
#: A ratio this close to 1 says the estimates are right: it is treated as exactly 1.
TOLERANCE = 0.05
MAX_HOURS = NUMBER_FIELDS["estimated_hours"].high


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the completions of one category (or source) say about its estimates."""

    group: str  # "category" or "source"
    name: str
    completions: int
    estimated_hours: float
    actual_hours: float
    min_completions: int

    @property
    def ratio(self) -> float:
        """Actual hours over estimated hours, summed over the completions."""
        return self.actual_hours / self.estimated_hours

    @property
    def strong(self) -> bool:
        """Enough completions to change estimates."""
        return self.completions >= self.min_completions

    @property
    def factor(self) -> float:
        """What estimates are multiplied by: the ratio, or 1 when it is within TOLERANCE."""
        return 1.0 if abs(self.ratio - 1.0) < TOLERANCE else self.ratio

    @property
    def reason(self) -> str:
        """Why the group changes estimates or does not."""
        if not self.strong:
            return (
                f"only {self.completions} completion{'s' * (self.completions != 1)}, "
                f"{self.min_completions} needed: no change"
            )
        if self.factor == 1.0:
            return f"within {TOLERANCE:.0%} of the estimates: no change"
        return f"estimates × {self.ratio:.2f}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view, also what a calibration run records."""
        return {
            "completions": self.completions,
            "estimated_hours": round(self.estimated_hours, 4),
            "actual_hours": round(self.actual_hours, 4),
            "ratio": round(self.ratio, 4),
            "factor": round(self.factor, 4) if self.strong else None,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class EstimateChange:
    """An open item's estimate before and after calibration, and what it rests on."""

    item_id: int
    key: str
    title: str
    base: float  # the estimate before any calibration, which the ratio multiplies
    before: float
    after: float
    evidence: Evidence
    score_before: float
    score_after: float

    @property
    def size_before(self) -> int:
        """WSJF job size before."""
        return job_size(self.before)

    @property
    def size_after(self) -> int:
        """WSJF job size after."""
        return job_size(self.after)

    def record(self) -> dict[str, Any]:
        """What the calibration table keeps to undo the change."""
        return {
            "item_id": self.item_id,
            "key": self.key,
            "base": self.base,
            "before": self.before,
            "after": self.after,
            "rests_on": f"{self.evidence.group} {self.evidence.name}",
        }


@dataclass
class CalibrationResult:
    """The evidence per category and source, the estimates changed, and what was left alone."""

    min_completions: int
    categories: list[Evidence]
    sources: list[Evidence]
    changes: list[EstimateChange] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # IDs whose estimate a person set
    uncovered: int = 0  # open items with no strong evidence for their category or source
    dry_run: bool = False
    run_id: int | None = None

    @property
    def completions(self) -> int:
        """Completions the evidence rests on."""
        return sum(e.completions for e in self.categories)

    def ratios(self) -> dict[str, dict[str, Any]]:
        """The evidence as recorded: by group, then by name."""
        return {
            "category": {e.name: e.as_dict() for e in self.categories},
            "source": {e.name: e.as_dict() for e in self.sources},
        }


def calibrated_estimates(session: Session, repo_id: int) -> dict[int, dict[str, Any]]:
    """Per item id, the latest change of a calibration still in force."""
    runs = session.exec(
        select(Calibration)
        .where(Calibration.repo_id == repo_id, col(Calibration.undone).is_(False))
        .order_by(col(Calibration.id))
    ).all()
    return {change["item_id"]: change for run in runs for change in run.changes}


def _base(hours: float, change: dict[str, Any] | None) -> float:
    # An estimate calibration set is scaled from its base, so calibrating twice never
    # compounds; an estimate changed since (a rescan, an edit) is taken as a new base.
    if change is not None and math.isclose(hours, change["after"], rel_tol=1e-9):
        return float(change["base"])
    return hours


def _evidence(group: str, rows: Iterable[tuple[str, float, float]], minimum: int) -> list[Evidence]:
    sums: dict[str, list[float]] = {}
    for name, estimated, actual in rows:
        entry = sums.setdefault(name, [0, 0.0, 0.0])
        entry[0] += 1
        entry[1] += estimated
        entry[2] += actual
    found = [
        Evidence(group, name, int(n), est, act, minimum) for name, (n, est, act) in sums.items()
    ]
    return sorted(found, key=lambda e: (-e.completions, e.name))


def _plan(
    ws: Workspace, session: Session, minimum: int, settings: ScoringSettings
) -> CalibrationResult:
    calibrated = calibrated_estimates(session, ws.repo_id)
    done = session.execute(
        core_select(
            col(Item.id),
            col(Item.category),
            col(Item.source),
            col(Completion.estimated_hours),
            col(Completion.actual_hours),
        )
        .join(Item, col(Completion.item_id) == col(Item.id))
        .where(col(Item.repo_id) == ws.repo_id, col(Completion.outcome).not_in(IGNORED_OUTCOMES))
    ).all()
    rows = [
        (category, source, _base(estimated, calibrated.get(item_id)), actual)
        for item_id, category, source, estimated, actual in done
    ]
    result = CalibrationResult(
        minimum,
        _evidence("category", ((c, e, a) for c, _s, e, a in rows), minimum),
        _evidence("source", ((s, e, a) for _c, s, e, a in rows), minimum),
    )
    by_category = {e.name: e for e in result.categories if e.strong}
    by_source = {e.name: e for e in result.sources if e.strong}
    open_items = session.exec(
        select(Item)
        .where(Item.repo_id == ws.repo_id, col(Item.status).in_(OPEN_STATUSES))
        .order_by(col(Item.id))
    ).all()
    for item in open_items:
        evidence = by_category.get(item.category) or by_source.get(item.source)
        if evidence is None:
            result.uncovered += 1
            continue
        if "estimated_hours" in item.edited_fields:
            result.kept.append(item.key)
            continue
        assert item.id is not None
        base = _base(item.estimated_hours, calibrated.get(item.id))
        after = min(MAX_HOURS, max(0.1, round(base * evidence.factor, 1)))
        if math.isclose(after, item.estimated_hours, rel_tol=1e-9):
            continue
        inputs = inputs_for(item)
        result.changes.append(
            EstimateChange(
                item.id,
                item.key,
                item.title,
                base,
                item.estimated_hours,
                after,
                evidence,
                score(inputs, settings.weights, settings.boosts, settings.security_from),
                score(
                    replace(inputs, estimated_hours=after),
                    settings.weights,
                    settings.boosts,
                    settings.security_from,
                ),
            )
        )
    return result


def _set_estimates(session: Session, estimates: list[tuple[int, float]], now: datetime) -> None:
    # One executemany by primary key: a large backlog can have thousands of estimates to set.
    if estimates:
        session.execute(
            update(Item),
            [
                {"id": item_id, "estimated_hours": hours, "updated_at": now}
                for item_id, hours in estimates
            ],
        )


@retrying
def calibrate(
    ws: Workspace, *, min_completions: int = DEFAULT_MIN_COMPLETIONS, dry_run: bool = False
) -> CalibrationResult:
    """Learn actual ÷ estimated hours per category (else per source) and rescale open estimates.

    Groups with fewer than `min_completions` completions change nothing. Estimates a person
    set with `edit` are kept. Unless `dry_run`, the run is recorded so it can be undone.
    """
    if min_completions < 1:
        raise UsageError(f"min completions must be at least 1, got {min_completions}")
    with ws.session() as session:
        settings = scoring_settings(ws, session)
        result = _plan(ws, session, min_completions, settings)
        result.dry_run = dry_run
        if dry_run or not result.changes:
            return result
        now = utcnow()
        _set_estimates(session, [(c.item_id, c.after) for c in result.changes], now)
        run = Calibration(
            repo_id=ws.repo_id,
            min_completions=min_completions,
            ratios=result.ratios(),
            changes=[change.record() for change in result.changes],
            at=now,
        )
        session.add(run)
        session.flush()
        result.run_id = run.id
    return result


@dataclass(frozen=True)
class CalibrationUndo:
    """What undoing a calibration restored, and what it left (changed or closed since)."""

    run_id: int
    restored: list[str]
    skipped: list[str]


@retrying
def undo_calibration(ws: Workspace) -> CalibrationUndo:
    """Restore the estimates the last calibration in force changed, unless changed since."""
    with ws.session() as session:
        run = session.exec(
            select(Calibration)
            .where(Calibration.repo_id == ws.repo_id, col(Calibration.undone).is_(False))
            .order_by(col(Calibration.id).desc())
        ).first()
        if run is None:
            raise UsageError("no calibration to undo")
        current = {
            item_id: (hours, status)
            for item_id, hours, status in session.exec(
                select(Item.id, Item.estimated_hours, Item.status).where(Item.repo_id == ws.repo_id)
            )
        }
        restored, skipped, estimates = [], [], []
        for change in run.changes:
            hours, status = current.get(change["item_id"], (None, None))
            if (
                hours is None
                or status not in OPEN_STATUSES
                or not math.isclose(hours, change["after"])
            ):
                skipped.append(change["key"])
                continue
            estimates.append((change["item_id"], change["before"]))
            restored.append(change["key"])
        _set_estimates(session, estimates, utcnow())
        run.undone = True
        session.add(run)
        assert run.id is not None
        return CalibrationUndo(run.id, restored, skipped)
