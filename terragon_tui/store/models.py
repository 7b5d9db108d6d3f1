"""SQLModel tables: repositories, items, completions, scan runs, weight profiles, changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Table, UniqueConstraint, inspect
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time, timezone-aware, as the store keeps every timestamp."""
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table a model maps, for Core statements (a SQLModel class's `__table__` is
    there at run time but unknown to type checkers)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} maps no table")
    return table


def stored_id(row: SQLModel) -> int:
    """The id of a row read from the store (only a row not flushed yet has none)."""
    row_id = getattr(row, "id", None)
    if not isinstance(row_id, int):
        raise ValueError(f"{type(row).__name__} not stored yet: no id")
    return row_id


def _ts(nullable: bool = False, **kw: Any) -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), nullable=nullable), **kw)


class Repository(SQLModel, table=True):
    """A repository whose backlog the store holds; one store can hold many."""

    __tablename__ = "repository"

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(index=True, unique=True)
    name: str
    maturity_score: float | None = None
    maturity_level: str | None = None
    created_at: datetime = _ts(default_factory=utcnow)
    last_scan_at: datetime | None = _ts(nullable=True, default=None)
    #: Counts the write transactions on this repository's backlog, so a view can tell cheaply
    #: that another process changed it.
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Item(SQLModel, table=True):
    """A work item of the backlog, discovered by a scan or suggested by a person."""

    __tablename__ = "item"
    __table_args__ = (
        UniqueConstraint("repo_id", "key", name="uq_item_repo_key"),
        UniqueConstraint("repo_id", "fingerprint", name="uq_item_repo_fingerprint"),
    )

    id: int | None = Field(default=None, primary_key=True)
    repo_id: int = Field(foreign_key="repository.id", index=True)
    key: str  # "SEC-001": category prefix + sequence per repository
    title: str
    description: str = ""
    category: str = Field(index=True)
    priority: str = "medium"
    status: str = Field(default="open", index=True)
    estimated_hours: float = 1.0
    impact: float = 5.0
    confidence: float = 7.0
    ease: float = 5.0
    risk: float = 0.3
    business_value: float = 3.0
    time_criticality: float = 2.0
    risk_reduction: float = 3.0
    debt_hours: float = 0.0
    debt_interest: float = 1.0
    security_severity: float = 0.0
    is_security: bool = False
    is_compliance: bool = False
    is_performance: bool = False
    source: str = "user"
    rule: str | None = None
    fingerprint: str | None = None
    file_path: str | None = None
    line: int | None = None
    business_value_text: str = ""
    status_reason: str = ""
    #: The branch `terragon apply` committed the item's fix on; it stays once the item is done.
    branch: str | None = None
    #: The item's issue on the forge, once `terragon export issues` drafted one and it was filed.
    issue_url: str | None = None
    #: Fields a person changed; a rescan never overwrites them.
    edited_fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _ts(default_factory=utcnow)
    updated_at: datetime = _ts(default_factory=utcnow)
    closed_at: datetime | None = _ts(nullable=True, default=None)


class Completion(SQLModel, table=True):
    """The record of an item done: actual hours, impact notes, outcome and the value counted."""

    __tablename__ = "completion"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    actual_hours: float
    estimated_hours: float
    impact_notes: str = ""
    outcome: str = "success"
    score: float = 0.0  # the composite score the item had when it was completed
    completed_at: datetime = _ts(default_factory=utcnow)


class ScanRun(SQLModel, table=True):
    """One scan of a repository and what it found, changed and resolved."""

    __tablename__ = "scan_run"

    id: int | None = Field(default=None, primary_key=True)
    repo_id: int = Field(foreign_key="repository.id", index=True)
    kind: str
    status: str = "running"
    started_at: datetime = _ts(default_factory=utcnow)
    finished_at: datetime | None = _ts(nullable=True, default=None)
    files: int = 0
    new: int = 0
    updated: int = 0
    resolved: int = 0
    seconds: float = 0.0
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class WeightProfile(SQLModel, table=True):
    """Weights and boosts a user saved for one repository."""

    __tablename__ = "weight_profile"

    id: int | None = Field(default=None, primary_key=True)
    repo_id: int = Field(foreign_key="repository.id", unique=True)
    wsjf: float
    debt: float
    ice: float
    security: float
    security_boost: float
    compliance_boost: float
    performance_boost: float
    focus: str | None = None
    updated_at: datetime = _ts(default_factory=utcnow)


class ItemSequence(SQLModel, table=True):
    """The last number handed out per ID prefix, so IDs are never reused."""

    __tablename__ = "item_sequence"

    repo_id: int = Field(foreign_key="repository.id", primary_key=True)
    prefix: str = Field(primary_key=True)
    last: int = 0


class Change(SQLModel, table=True):
    """One change to an item, with enough of the before-state to undo it."""

    __tablename__ = "change"

    id: int | None = Field(default=None, primary_key=True)
    repo_id: int = Field(foreign_key="repository.id", index=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    action: str  # suggest, edit, complete, defer, reject, reopen
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    completion_id: int | None = None
    undone: bool = False
    at: datetime = _ts(default_factory=utcnow)
    #: Who made the change (login name), so undo reverts a person's own changes only.
    actor: str = Field(default="", sa_column_kwargs={"server_default": ""})
    #: Shared by the changes one bulk action made (`reject --rule B311`): undone together.
    batch: str | None = None


class Calibration(SQLModel, table=True):
    """One run of `terragon calibrate`: the ratios learned and each estimate it changed.

    `changes` holds, per item, the estimate before the run, the one it set, and the
    uncalibrated base it was computed from, so the run can be undone and never compounds.
    """

    __tablename__ = "calibration"

    id: int | None = Field(default=None, primary_key=True)
    repo_id: int = Field(foreign_key="repository.id", index=True)
    min_completions: int
    ratios: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    changes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    undone: bool = False
    at: datetime = _ts(default_factory=utcnow)


class Occurrence(SQLModel, table=True):
    """One place an item stands for: a grouped item has many, a single finding one."""

    __tablename__ = "occurrence"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    path: str | None = None
    line: int | None = None
    symbol: str | None = None
    #: The place's identity as a finding of its own.
    fingerprint: str
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
