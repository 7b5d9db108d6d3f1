"""Project settings: the repository root and `[tool.terragon]` / `.terragon/config.toml`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import ConfigError
from .files import dotted, read_toml, repository_file


def find_repo_root(start: Path) -> Path:
    """The nearest directory at or above `start` holding `.git`, else `start` itself."""
    start = start.expanduser().resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


@dataclass(frozen=True)
class ProjectConfig:
    """What a repository's own files say about scoring and scanning."""

    maturity: str | None = None
    weights: dict[str, float] = field(default_factory=dict)
    boosts: dict[str, float] = field(default_factory=dict)
    scan: dict[str, Any] = field(default_factory=dict)  # as written; scan_config reads it
    security_boost_from: str | None = None  # low, medium or high
    roadmap: dict[str, float] = field(default_factory=dict)  # hours_per_week, weeks_per_phase
    targets: dict[str, Any] = field(default_factory=dict)  # success indicators, by name
    schedule: dict[str, str | bool] = field(default_factory=dict)  # job key: cron, or False
    sources: tuple[str, ...] = ()  # the files the values came from, for messages
    origins: dict[str, str] = field(default_factory=dict)  # dotted key: the file that set it


def _merge(config: ProjectConfig, table: dict[str, Any], path: Path, prefix: str) -> ProjectConfig:
    """`config` with one file's table (found under the dotted `prefix`) laid over it.

    The schema checks every value for its type and range, so a wrong one stops any command
    at once with the file and dotted key; only what depends on several files together
    (weights that are all zero) is checked where it is used.
    """
    from .schema import read_project_table  # pydantic's models: built only when a file has some

    read = read_project_table(table, path, prefix)
    given = read.model_dump(exclude_unset=True)
    return ProjectConfig(
        maturity=given.get("maturity", config.maturity),
        weights={**config.weights, **read.weights},
        boosts={**config.boosts, **read.boosts},
        scan={**config.scan, **read.scan},
        security_boost_from=given.get("security_boost_from", config.security_boost_from),
        roadmap={**config.roadmap, **read.roadmap},
        targets={**config.targets, **read.targets},
        schedule={**config.schedule, **read.schedule},
        sources=(*config.sources, str(path)),
        origins={**config.origins, **dict.fromkeys(dotted(given), str(path))},
    )


def load_project_config(root: Path) -> ProjectConfig:
    """Read `[tool.terragon]` from pyproject.toml, then `.terragon/config.toml` over it."""
    config = ProjectConfig()
    pyproject = root / "pyproject.toml"
    data = repository_file(root, "pyproject.toml")
    if data is not None:
        tool = read_toml(pyproject, data).get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{pyproject}: tool must be a table, got {type(tool).__name__}")
        table = tool.get("terragon")
        if table is not None:
            if not isinstance(table, dict):
                raise ConfigError(
                    f"{pyproject}: tool.terragon must be a table, got {type(table).__name__}"
                )
            config = _merge(config, table, pyproject, "tool.terragon")
    own = root / ".terragon" / "config.toml"
    data = repository_file(root, ".terragon/config.toml")
    if data is not None:
        config = _merge(config, read_toml(own, data), own, "")
    return config
