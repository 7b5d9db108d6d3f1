"""Project settings: the repository root and `[tool.terragon]` / `.terragon/config.toml`."""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .core.cadence import check_schedule
from .core.errors import ConfigError
from .core.nesting import toml_loads
from .discovery.scan_config import ScanConfig
from .scoring.weights import BOOST_MAX, MATURITY_LEVELS, Boosts, Weights

if TYPE_CHECKING:
    pass

CONFIG_KEYS = (
    "maturity",
    "weights",
    "boosts",
    "scan",
    "security_boost_from",
    "roadmap",
    "targets",
    "schedule",
)
#: The severities from which the security boost may be set to apply.
BOOST_FROM_WORDS = ("low", "medium", "high")


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
    scan: dict[str, Any] = field(default_factory=dict)
    security_boost_from: str | None = None  # low, medium or high
    roadmap: dict[str, float] = field(default_factory=dict)  # hours_per_week, weeks_per_phase
    targets: dict[str, Any] = field(default_factory=dict)  # success indicators, by name
    schedule: dict[str, str | bool] = field(default_factory=dict)  # job key: cron, or False
    sources: tuple[str, ...] = ()  # the files the values came from, for messages


#: The largest configuration file read; no pyproject.toml comes near it.
MOST_CONFIG_BYTES = 8 << 20


def read_toml(path: Path, data: bytes | None = None) -> dict[str, Any]:
    try:
        if data is None:
            data = path.read_bytes()
        return toml_loads(data.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def _where(path: Path, *keys: str) -> str:
    """Where a value lives, for messages: `…/pyproject.toml: tool.terragon.weights`."""
    dotted = ".".join(key for key in keys if key)
    return f"{path}: {dotted}" if dotted else str(path)


def _numbers(table: Any, where: str, kind: type[Weights] | type[Boosts]) -> dict[str, float]:
    """A `[weights]` or `[boosts]` table checked key by key: known names, numbers in range.

    Whether the weights are all zero depends on every file together, so that is checked
    where they are used.
    """
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table of numbers, got {type(table).__name__}")
    known = [f.name for f in fields(kind)]
    values: dict[str, float] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{where} has unknown key {key!r}; known keys: {', '.join(known)}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}.{key} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ConfigError(f"{where}.{key} must be a finite number, got {value!r}")
        if kind is Weights and value < 0:
            raise ConfigError(f"{where}.{key} must not be negative, got {value!r}")
        if kind is Boosts and not 0 < value <= BOOST_MAX:
            raise ConfigError(
                f"{where}.{key} must be above 0 and at most {BOOST_MAX:g}, got {value!r}"
            )
        values[key] = float(value)
    return values


def _merge(config: ProjectConfig, table: dict[str, Any], path: Path, prefix: str) -> ProjectConfig:
    """`config` with one file's table (found under the dotted `prefix`) laid over it.

    Every value is checked for its type and range here, so a wrong one stops any command at
    once with the file and dotted key; only what depends on several files together (weights
    that are all zero) is checked where it is used.
    """
    unknown = sorted(set(table) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(
            f"{_where(path, prefix)} has unknown key {unknown[0]!r}; "
            f"known keys: {', '.join(CONFIG_KEYS)}"
        )
    maturity = table.get("maturity", config.maturity)
    if maturity is not None and not isinstance(maturity, str):
        raise ConfigError(f"{_where(path, prefix, 'maturity')} must be a string, got {maturity!r}")
    if maturity is not None and maturity not in MATURITY_LEVELS:
        raise ConfigError(
            f"{_where(path, prefix, 'maturity')} must be one of {', '.join(MATURITY_LEVELS)}, "
            f"got {maturity!r}"
        )
    boost_from = table.get("security_boost_from", config.security_boost_from)
    if boost_from is not None and boost_from not in BOOST_FROM_WORDS:
        raise ConfigError(
            f"{_where(path, prefix, 'security_boost_from')} must be one of "
            f"{', '.join(BOOST_FROM_WORDS)}, got {boost_from!r}"
        )
    scan = table.get("scan", {})
    if not isinstance(scan, dict):
        raise ConfigError(
            f"{_where(path, prefix, 'scan')} must be a table, got {type(scan).__name__}"
        )
    ScanConfig.from_mapping(scan, where=_where(path, prefix, "scan"))
    schedule = check_schedule(table.get("schedule", {}), _where(path, prefix, "schedule"))
    return ProjectConfig(
        maturity=maturity,
        weights={
            **config.weights,
            **_numbers(table.get("weights", {}), _where(path, prefix, "weights"), Weights),
        },
        boosts={
            **config.boosts,
            **_numbers(table.get("boosts", {}), _where(path, prefix, "boosts"), Boosts),
        },
        scan={**config.scan, **scan},
        security_boost_from=boost_from,
        roadmap={
            **config.roadmap,
            **_roadmap(table.get("roadmap", {}), _where(path, prefix, "roadmap")),
        },
        targets={
            **config.targets,
            **_targets(table.get("targets", {}), _where(path, prefix, "targets")),
        },
        schedule={**config.schedule, **schedule},
        sources=(*config.sources, str(path)),
    )


#: `[roadmap]` keys: the team's capacity, and the least and most each may be.
ROADMAP_RANGES = {"hours_per_week": (0.5, 168.0), "weeks_per_phase": (1, 26)}
#: `[targets]` keys (success indicators) and what each must be: the largest count, ratio or
#: time that still meets it ("max"), the smallest that does ("min"), or the worst debt rating.
TARGETS = {
    "open_items": "max",
    "open_security": "max",
    "open_critical": "max",
    "debt_ratio": "max",  # percent of the development cost
    "debt_rating": "rating",  # A-E, SonarQube's scale
    "maturity": "min",  # 0-100
    "deployments_per_week": "min",
    "lead_time_days": "max",
    "change_failure_rate": "max",  # 0-1
    "time_to_restore_hours": "max",
}
DEBT_RATINGS = ("A", "B", "C", "D", "E")


def _number_in(value: Any, where: str, low: float, high: float, *, whole: bool = False) -> float:
    """`value` checked to be a number (a whole one if `whole`) from `low` to `high`."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{where} must be a number, got {value!r}")
    if whole and not float(value).is_integer():
        raise ConfigError(f"{where} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{where} must be from {low:g} to {high:g}, got {value!r}")
    return float(value)


def _table(table: Any, where: str, known: Sequence[str]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table, got {type(table).__name__}")
    for key in table:
        if key not in known:
            raise ConfigError(f"{where} has unknown key {key!r}; known keys: {', '.join(known)}")
    return table


def _roadmap(table: Any, where: str) -> dict[str, float]:
    """`[roadmap]`: hours_per_week and weeks_per_phase, each in its range."""
    table = _table(table, where, tuple(ROADMAP_RANGES))
    return {
        key: _number_in(
            value, f"{where}.{key}", *ROADMAP_RANGES[key], whole=key == "weeks_per_phase"
        )
        for key, value in table.items()
    }


def _targets(table: Any, where: str) -> dict[str, Any]:
    """`[targets]`: each success indicator's wanted value, checked for its kind."""
    table = _table(table, where, tuple(TARGETS))
    targets: dict[str, Any] = {}
    for key, value in table.items():
        if TARGETS[key] == "rating":
            if not isinstance(value, str) or value.upper() not in DEBT_RATINGS:
                raise ConfigError(
                    f"{where}.{key} must be one of {', '.join(DEBT_RATINGS)}, got {value!r}"
                )
            targets[key] = value.upper()
        else:
            high = {"change_failure_rate": 1.0, "maturity": 100.0}.get(key, 1e9)
            targets[key] = _number_in(value, f"{where}.{key}", 0.0, high)
    return targets


def load_project_config(root: Path) -> ProjectConfig:
    """Read `[tool.terragon]` from pyproject.toml, then `.terragon/config.toml` over it."""
    config = ProjectConfig()
    pyproject = root / "pyproject.toml"
    data = _repository_file(root, "pyproject.toml")
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
    data = _repository_file(root, ".terragon/config.toml")
    if data is not None:
        config = _merge(config, read_toml(own, data), own, "")
    return config


def _repository_file(root: Path, path: str) -> bytes | None:
    """The repository's own config file `path`, read as a scan reads files (a regular file
    inside the repository: a FIFO, device or link out of it counts as absent), or None."""
    from .discovery.safe_read import RepoReader, Unreadable, too_large

    try:
        return RepoReader(root).read(path, MOST_CONFIG_BYTES)
    except Unreadable as exc:
        if str(exc) == too_large(MOST_CONFIG_BYTES):
            raise ConfigError(f"{root / path}: {exc}") from exc
        return None


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: a reader sees the old file or the new one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot write: {exc.strerror}") from exc


def user_document(path: Path, what: str) -> Any:
    """The user's config at `path` as a tomlkit document to edit and write back with its
    comments and layout (empty when there is no file); `what` names what is being saved, for
    the one-line error when the file cannot be read or is not TOML."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        return tomlkit.parse(text)
    except (TOMLKitError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML, so {what} was not saved: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
