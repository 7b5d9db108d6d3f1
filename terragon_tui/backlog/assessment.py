"""Where the repository stands: practices in place, technical debt, and success indicators.

- *Practices* are what the last scan's config audit found (CI, tests, a licence...): those in
  place are the achievements, and each audited practice has its state now, the target and the
  gap, as the maturity score counts them (config_audit.POINTS).
- *Technical debt* is the remediation the open technical-debt items estimate, set against
  the cost of writing the code, as SonarQube rates it: debt ratio = remediation minutes ÷
  (30 minutes × lines of code), A up to 5 %, B to 10 %, C to 20 %, D to 50 %, E above.
- *Success indicators* are the targets `[tool.terragon.targets]` sets, each measured now and
  met or not (None when it cannot be measured yet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from ..config.keys import DEBT_RATINGS, TARGETS
from ..core.periods import as_utc
from ..core.vocabulary import OPEN_STATUSES
from ..store.models import Item, ScanRun
from .delivery import DeliveryMetrics
from .ranked import RankedItem

#: Minutes of work a line of code costs to write, as SonarQube's debt ratio counts it.
MINUTES_PER_LINE = 30
#: The highest debt ratio (percent) of each rating; above the last is E.
RATING_LIMITS = ((5.0, "A"), (10.0, "B"), (20.0, "C"), (50.0, "D"))
DEBT_CATEGORY = "technical-debt"

#: Each success indicator as the documents and the gate name it.
INDICATOR_LABELS = {
    "open_items": "Open items",
    "open_security": "Open security items",
    "open_critical": "Open critical items",
    "debt_ratio": "Technical debt ratio (%)",
    "debt_rating": "Technical debt rating",
    "maturity": "Maturity score",
    "deployments_per_week": "Deployments (releases) per week",
    "lead_time_days": "Lead time for changes (days)",
    "change_failure_rate": "Change failure rate",
    "time_to_restore_hours": "Time to restore (hours)",
}

#: Each audited practice: its name in tables, and what having it means, for achievements.
PRACTICES: dict[str, tuple[str, str]] = {
    "ci": ("CI/CD automation", "continuous integration runs on every change"),
    "tests": ("Automated tests", "a test suite is in the repository"),
    "license": ("Licence", "the terms of use are stated"),
    "lock_file": ("Reproducible installs", "dependencies are locked or pinned"),
    "type_checking": ("Type checking", "a type checker is configured"),
    "linting": ("Linting", "a linter is configured"),
    "readme": ("README", "the project explains itself"),
    "security_policy": ("Security policy", "SECURITY.md says how to report a vulnerability"),
    "contributing": ("Contributing guide", "CONTRIBUTING.md says how to help"),
    "pre_commit": ("Pre-commit hooks", "checks run before each commit"),
}


def latest_practices(session: Session, repo_id: int) -> tuple[dict[str, bool], datetime | None]:
    """What the newest finished scan's config audit found, and when; ({}, None) before one."""
    runs = session.exec(
        select(ScanRun)
        .where(ScanRun.repo_id == repo_id, ScanRun.status == "done")
        .order_by(col(ScanRun.id).desc())
        .limit(20)
    ).all()
    for run in runs:
        practices = (run.counts or {}).get("practices")
        if isinstance(practices, dict) and practices:
            return {str(k): bool(v) for k, v in practices.items()}, run.finished_at
    return {}, None


@dataclass(frozen=True, slots=True)
class PracticeState:
    """One audited practice: its state now, the target, and the share of its points missing."""

    name: str
    label: str
    current: str
    target: str
    gap: float  # 0..1

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "practice": self.name,
            "label": self.label,
            "current": self.current,
            "target": self.target,
            "gap": round(self.gap, 2),
        }


def practice_states(practices: Mapping[str, bool]) -> list[PracticeState]:
    """Every audited practice with its state and gap, as the maturity score weighs them:
    CI templates not yet in use earn a quarter, a linter or type checker no CI runs half."""
    states = []
    for name, (label, _meaning) in PRACTICES.items():
        present = practices.get(name, False)
        if name == "ci" and not present and practices.get("templates"):
            current, gap = "templates only (not active)", 0.75
        elif present and practices.get(f"{name}_inactive"):
            current, gap = "configured, not run in CI", 0.5
        elif present:
            current, gap = "in place", 0.0
        elif name == "lock_file" and not practices.get("manifest"):
            current, gap = "nothing to lock", 0.0
        elif name in ("type_checking", "linting") and not practices.get("code"):
            current, gap = "no code to check", 0.0
        else:
            current, gap = "missing", 1.0
        target = "run in CI" if name in ("type_checking", "linting") else "in place"
        states.append(PracticeState(name, label, current, target, gap))
    return states


def achievements(practices: Mapping[str, bool]) -> list[tuple[str, str]]:
    """(label, what it means) of each practice fully in place."""
    return [
        (PRACTICES[s.name][0], PRACTICES[s.name][1])
        for s in practice_states(practices)
        if s.current == "in place"
    ]


def debt_rating(ratio_percent: float) -> str:
    """A to E on SonarQube's scale from the debt ratio in percent."""
    for limit, rating in RATING_LIMITS:
        if ratio_percent <= limit:
            return rating
    return "E"


@dataclass
class DebtAssessment:
    """The technical debt now, its hottest files, and how it went across scans."""

    remediation_hours: float  # open technical-debt items
    all_open_hours: float  # every open item, for scale
    debt_items: int
    code_lines: int | None  # from the newest full scan that counted them
    hottest: list[tuple[str, float, int]] = field(default_factory=list)  # path, hours, items
    trend: list[tuple[datetime, float, float | None]] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        """Remediation ÷ development cost, in percent (None without lines of code)."""
        if not self.code_lines:
            return None
        return self.remediation_hours * 60 / (MINUTES_PER_LINE * self.code_lines) * 100

    @property
    def rating(self) -> str | None:
        """A-E from the ratio, or None when it cannot be measured."""
        return None if self.ratio is None else debt_rating(self.ratio)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "remediation_hours": round(self.remediation_hours, 2),
            "open_hours": round(self.all_open_hours, 2),
            "debt_items": self.debt_items,
            "code_lines": self.code_lines,
            "debt_ratio_percent": None if self.ratio is None else round(self.ratio, 2),
            "debt_rating": self.rating,
            "hottest_files": [
                {"path": path, "remediation_hours": round(hours, 2), "items": count}
                for path, hours, count in self.hottest
            ],
            "trend": [
                {
                    "at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "remediation_hours": round(hours, 2),
                    "debt_ratio_percent": None if ratio is None else round(ratio, 2),
                }
                for at, hours, ratio in self.trend
            ],
        }


def debt_assessment(
    session: Session,
    repo_id: int,
    ranked: Sequence[RankedItem],
    places: Mapping[int, Sequence[Any]] | None = None,
    *,
    hottest: int = 5,
    scans: int = 8,
) -> DebtAssessment:
    """The debt of the open items `ranked`, with the hottest files and the trend over the
    last `scans` full scans (the debt items open at each scan's end, from their created and
    closed times; the ratio where that scan counted lines of code)."""
    open_items = [e.item for e in ranked if e.item.status in OPEN_STATUSES]
    debt = [item for item in open_items if item.category == DEBT_CATEGORY]
    per_file: dict[str, list[float]] = {}
    for item in debt:
        paths = _paths(item, (places or {}).get(item.id or -1, ()))
        for path in paths:  # a grouped item's hours shared among its files
            per_file.setdefault(path, []).append(item.estimated_hours / len(paths))
    files = sorted(per_file.items(), key=lambda pair: (-sum(pair[1]), pair[0]))[:hottest]
    runs = session.exec(
        select(ScanRun)
        .where(ScanRun.repo_id == repo_id, ScanRun.status == "done", ScanRun.kind == "full")
        .order_by(col(ScanRun.id).desc())
        .limit(scans)
    ).all()
    lines = next(
        (int(r.counts["code_lines"]) for r in runs if (r.counts or {}).get("code_lines")), None
    )
    history = session.exec(
        select(Item.estimated_hours, Item.created_at, Item.closed_at).where(
            Item.repo_id == repo_id, Item.category == DEBT_CATEGORY
        )
    ).all()
    trend = []
    for run in reversed(runs):
        at = as_utc(run.finished_at or run.started_at)
        hours = sum(
            h
            for h, created, closed in history
            if as_utc(created) <= at and (closed is None or as_utc(closed) > at)
        )
        counted = (run.counts or {}).get("code_lines")
        ratio = hours * 60 / (MINUTES_PER_LINE * counted) * 100 if counted else None
        trend.append((at, hours, ratio))
    return DebtAssessment(
        remediation_hours=sum(item.estimated_hours for item in debt),
        all_open_hours=sum(item.estimated_hours for item in open_items),
        debt_items=len(debt),
        code_lines=lines,
        hottest=[(path, sum(hours), len(hours)) for path, hours in files],
        trend=trend,
    )


def _paths(item: Item, places: Sequence[Any]) -> list[str]:
    paths = sorted({str(p.path) for p in places if getattr(p, "path", None)})
    if paths:
        return paths
    return [item.file_path] if item.file_path else []


@dataclass(frozen=True, slots=True)
class Indicator:
    """A success indicator: its target, the value now, and whether it is met (None: unknown)."""

    name: str
    target: Any
    actual: Any
    met: bool | None

    @property
    def wanted(self) -> str:
        """The target as a sentence fragment: `at most 0`, `at least 60`, `rated A or better`."""
        kind = TARGETS[self.name]
        if kind == "rating":
            return f"rated {self.target} or better"
        bound = "at most" if kind == "max" else "at least"
        if self.name == "change_failure_rate":
            return f"{bound} {self.target:.0%}"
        return f"{bound} {self.target:g}"

    @property
    def shown(self) -> str:
        """The value now as shown beside the target: `33%`, `0.5`, `not measured yet`."""
        if self.actual is None:
            return "not measured yet"
        if self.name == "change_failure_rate":
            return f"{self.actual:.0%}"
        if isinstance(self.actual, float):
            return f"{self.actual:.2f}".rstrip("0").rstrip(".")
        return str(self.actual)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        actual = round(self.actual, 4) if isinstance(self.actual, float) else self.actual
        return {"name": self.name, "target": self.target, "actual": actual, "met": self.met}


def measured_values(
    ranked: Sequence[RankedItem],
    debt: DebtAssessment,
    maturity: float | None,
    delivery: DeliveryMetrics | None,
) -> dict[str, Any]:
    """What each success indicator measures now (None where it cannot be measured)."""
    open_items = [e.item for e in ranked if e.item.status in OPEN_STATUSES]
    categories = Counter(item.category for item in open_items)

    def delivered(value: float | None, scale: float = 1.0) -> float | None:
        return None if value is None else value * scale

    ok = delivery is not None and delivery.status == "ok"
    return {
        "open_items": len(open_items),
        "open_security": categories["security"],
        "open_critical": sum(item.priority == "critical" for item in open_items),
        "debt_ratio": debt.ratio,
        "debt_rating": debt.rating,
        "maturity": maturity,
        "deployments_per_week": delivery.releases_per_week if ok and delivery else None,
        "lead_time_days": delivered(delivery.lead_time_median, 1 / 24) if ok and delivery else None,
        "change_failure_rate": delivery.change_failure_rate if ok and delivery else None,
        "time_to_restore_hours": delivery.time_to_restore_median if ok and delivery else None,
    }


def indicators(targets: Mapping[str, Any], values: Mapping[str, Any]) -> list[Indicator]:
    """Each configured target against its value now, in the order TARGETS lists them."""
    shown = []
    for name, kind in TARGETS.items():
        if name not in targets:
            continue
        wanted, actual = targets[name], values.get(name)
        if actual is None:
            met = None
        elif kind == "rating":
            met = DEBT_RATINGS.index(actual) <= DEBT_RATINGS.index(wanted)
        elif kind == "max":
            met = actual <= wanted
        else:
            met = actual >= wanted
        shown.append(Indicator(name, wanted, actual, met))
    return shown
