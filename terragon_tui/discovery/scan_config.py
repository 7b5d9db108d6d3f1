"""Scan settings: thresholds, windows and limits, from code or `[tool.terragon.scan]` (which
the settings schema, config/schema.py, checks and reads into a ScanConfig)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import ConfigError
from ..core.vocabulary import PRODUCTION, ROLES
from .path_roles import PathRoles

CC_RANKS = ("A", "B", "C", "D", "E", "F")
MI_RANKS = ("A", "B", "C")
#: The range each number may take, checked when it is read: far beyond what a repository
#: needs, yet small enough that no value makes a scan overflow, read gigabytes or never stop.
BOUNDS: dict[str, tuple[float, float]] = {
    "churn_days": (1, 18_250),  # 50 years
    "hotspot_top": (1, 1_000),
    "hotspot_min_commits": (1, 100_000),
    "hotspot_min_complexity": (1, 100_000),
    "size_limit": (1, 32 << 20),  # 32 MiB
    "file_budget": (0.0, 300.0),  # seconds, above 0
    "lint_budget": (0.0, 3_600.0),
    "types_budget": (0.0, 3_600.0),
    "dependencies_budget": (0.0, 3_600.0),
}
#: The settings that bound what a scan spends: the user's config may lower each for every
#: repository (`[limits]`), and no repository's own config can raise one above that.
LIMITS = ("size_limit", "file_budget", "lint_budget", "types_budget", "dependencies_budget")


@dataclass(frozen=True, slots=True)
class ScanConfig:
    """Everything a scan can be tuned with; the defaults follow radon's and code-maat's usage."""

    complexity_rank: str = "C"  # a function of this radon CC rank or worse is a finding (C: > 10)
    mi_rank: str = "B"  # a file of this radon MI rank or worse is a finding (B: MI <= 19)
    churn_days: int = 180  # the hotspot window when no `since` is given
    hotspot_top: int = 10
    hotspot_min_commits: int = 3
    hotspot_min_complexity: int = 10  # total cyclomatic complexity of the file
    knowledge_share: float = 0.8  # one author's share of a hot file's changed lines
    size_limit: int = 1 << 20  # bytes; larger files are skipped
    file_budget: float = 10.0  # seconds of analysis per file before it is skipped
    lint_budget: float = 60.0  # seconds ruff may take over the whole repository
    types_budget: float = 120.0  # seconds mypy may run (types source) before it is stopped
    dependencies_budget: float = 60.0  # seconds deptry may run before it is stopped
    exclude: tuple[str, ...] = ()  # globs on repository-relative POSIX paths (.terragon/ always)
    #: Rules the repository decided to ignore: "B311" everywhere, "B311:tests/**" under a glob.
    ignore_rules: tuple[str, ...] = ()
    bandit_skip_in_tests: tuple[str, ...] = ("B101",)  # bandit checks ignored in test files
    # globs added to a path role's defaults (discovery/path_roles.py); production wins
    test_paths: tuple[str, ...] = ()
    example_paths: tuple[str, ...] = ()
    docs_paths: tuple[str, ...] = ()
    benchmark_paths: tuple[str, ...] = ()
    vendored_paths: tuple[str, ...] = ()
    generated_paths: tuple[str, ...] = ()
    tooling_paths: tuple[str, ...] = ()
    production_paths: tuple[str, ...] = ()

    def path_roles(self) -> PathRoles:
        """The path roles these settings describe."""
        return PathRoles.from_settings(
            {role: getattr(self, f"{role}_paths") for role in (*ROLES, PRODUCTION)}
        )

    def __post_init__(self) -> None:
        if self.complexity_rank not in CC_RANKS:
            raise ConfigError(f"complexity_rank must be one of {', '.join(CC_RANKS)}")
        if self.mi_rank not in MI_RANKS:
            raise ConfigError(f"mi_rank must be one of {', '.join(MI_RANKS)}")
        for name in BOUNDS:
            check_bound(name, getattr(self, name))
        if not 0 < self.knowledge_share <= 1:
            raise ConfigError(f"knowledge_share must be in (0, 1], got {self.knowledge_share!r}")

    def within(self, limits: Mapping[str, float]) -> tuple[ScanConfig, dict[str, float]]:
        """These settings with each of LIMITS lowered to the user's `limits` where above it,
        and what each lowered setting was."""
        above = {
            name: getattr(self, name) for name, most in limits.items() if getattr(self, name) > most
        }
        lowered: dict[str, Any] = {name: limits[name] for name in above}
        return dataclasses.replace(self, **lowered), above


def check_bound(name: str, value: float) -> None:
    """Raise ConfigError (naming `name`, its range and `value`) unless `value` is in BOUNDS."""
    low, high = BOUNDS[name]
    if isinstance(low, int):  # whole numbers: from low to high, both included
        if not low <= value <= high:
            raise ConfigError(f"{name} must be from {low:,} to {high:,}, got {value!r}")
    elif not low < value <= high:  # seconds: above low
        raise ConfigError(f"{name} must be above {low:g} and at most {high:,g}, got {value!r}")
