"""The settings schema: every table of `[tool.terragon]`, `.terragon/config.toml`, the scan
settings and the user's config, checked when it is read.

Every model refuses keys it does not know. A wrong value stops with one line naming the file
and the dotted key down to it (`settings_error`): each check raises a ValueError (`_Wrong`)
whose text is what that line says after the dotted key.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any, ClassVar, get_type_hints

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from ..core.cadence import check_schedule
from ..core.errors import ConfigError, UsageError
from ..core.vocabulary import (
    check_category,
    check_role,
    check_sort,
    check_source,
    check_status,
)
from ..discovery.scan_config import BOUNDS, LIMITS, ScanConfig, check_bound
from ..scoring.weights import BOOST_MAX, MATURITY_LEVELS, Boosts, Weights
from .files import where
from .keys import (
    BOOST_FROM_WORDS,
    CONFIG_KEYS,
    DEBT_RATINGS,
    ROADMAP_RANGES,
    TARGETS,
    USER_KEYS,
    VIEW_KEYS,
    VIEW_NAME,
)

#: How each key of a view is put in canonical words (a rule and a glob are only trimmed).
VIEW_CHECKS: dict[str, Callable[[str], object]] = {
    "category": check_category,
    "status": check_status,
    "source": check_source,
    "rule": str.strip,
    "path": str.strip,
    "role": check_role,
    "sort": check_sort,
}
SCAN_DEFAULTS = ScanConfig()


class _Wrong(ValueError):
    """The schema's error: its text is what the one-line message says after the dotted key."""


def _fail(tail: str) -> _Wrong:
    return _Wrong(tail)


def _tail(exc: ValidationError, **labels: str) -> tuple[list[str], str]:
    """The dotted keys (some named by `labels`) down to `exc`'s first error, and its tail."""
    error = exc.errors()[0]
    keys = [labels.get(str(key), str(key)) for key in error["loc"]]
    wrong = error.get("ctx", {}).get("error")
    if isinstance(wrong, _Wrong):
        return keys, str(wrong)
    return keys, f" is not valid: {error['msg']}"  # pydantic's own: the checks leave few


def settings_error(exc: ValidationError, place: Callable[..., str], **labels: str) -> ConfigError:
    """The first error of `exc` as the one line a user reads: `place(*dotted keys)` (the file
    and the keys down to the wrong value) and what is wrong there."""
    keys, tail = _tail(exc, **labels)
    return ConfigError(f"{place(*keys)}{tail}")


def _nested(model: type[BaseModel], value: Any) -> dict[str, Any]:
    """`value` checked as `model`: the keys it sets, with their values as checked."""
    try:
        return model.model_validate(value).model_dump(exclude_unset=True)
    except ValidationError as exc:
        keys, tail = _tail(exc)
        raise _fail("".join(f".{key}" for key in keys) + tail) from None


def _checked(check: Callable[..., Any], value: Any, *args: Any) -> Any:
    """`check(value, "", *args)`, its ConfigError turned into the schema's error: the message
    without its place, which the error's location gives."""
    try:
        return check(value, "", *args)
    except ConfigError as exc:
        raise _fail(str(exc)) from None


class Section(BaseModel):
    """A table of settings: known keys only, each checked when it is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    #: The keys in the order an unknown key's message lists them (else the fields' order).
    known_keys: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def known(cls) -> tuple[str, ...]:
        """The keys this table may have."""
        return cls.known_keys or tuple(cls.model_fields)

    @classmethod
    def field_of(cls, key: str) -> str:
        """The field a key as written sets."""
        return key

    @model_validator(mode="before")
    @classmethod
    def _known_only(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise _fail(f" must be a table, got {type(data).__name__}")
        unknown = sorted(key for key in data if cls.field_of(str(key)) not in cls.known())
        if unknown:
            raise _fail(f" has unknown key {unknown[0]!r}; known keys: {', '.join(cls.known())}")
        return {cls.field_of(str(key)): value for key, value in data.items()}


class ScanChecks(Section):
    """The checks of `[tool.terragon.scan]`: one per field, by the type of ScanConfig's
    default; keys may use - or _. ScanSettings below has ScanConfig's fields."""

    @classmethod
    def known(cls) -> tuple[str, ...]:
        return tuple(sorted(cls.model_fields))

    @classmethod
    def field_of(cls, key: str) -> str:
        return key.replace("-", "_")

    @field_validator("*", mode="before")
    @classmethod
    def _value(cls, value: Any, info: ValidationInfo) -> Any:
        return scan_value(str(info.field_name), value)

    @model_validator(mode="after")
    def _together(self) -> ScanChecks:
        try:  # ScanConfig's own checks: the ranks, the share
            ScanConfig(**self.model_dump(exclude_unset=True))
        except ConfigError as exc:
            raise _fail(f".{exc}") from None
        return self


class LimitChecks(ScanChecks):
    """The user's `[limits]`: the scan settings of LIMITS only."""

    @classmethod
    def known(cls) -> tuple[str, ...]:
        return LIMITS


def scan_value(name: str, value: Any) -> Any:
    """The scan setting `name` as ScanConfig holds it, or the schema's error."""
    default = getattr(SCAN_DEFAULTS, name)
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise _fail(f" must be a list of strings, got {value!r}")
        return tuple(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise _fail(f" must be a string, got {value!r}")
        return value.upper()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(f" must be a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _fail(f" must be a finite number, got {value!r}")
    if isinstance(default, int) and isinstance(value, float) and not value.is_integer():
        raise _fail(f" must be a whole number, got {value!r}")
    if name in BOUNDS:  # before converting: a huge int has no float
        try:
            check_bound(name, value)
        except ConfigError as exc:
            raise _fail(str(exc).removeprefix(name)) from None
    try:
        return type(default)(value)
    except OverflowError:  # an integer with more digits than any float
        raise _fail(f" is out of range, got {value!r}") from None


def _scan_model(name: str, base: type[ScanChecks]) -> type[ScanChecks]:
    """A model of `base`'s checks with ScanConfig's fields and defaults."""
    hints = get_type_hints(ScanConfig)
    defined: dict[str, Any] = {f.name: (hints[f.name], f.default) for f in fields(ScanConfig)}
    return create_model(name, __base__=base, __module__=__name__, **defined)


ScanSettings = _scan_model("ScanSettings", ScanChecks)
LimitSettings = _scan_model("LimitSettings", LimitChecks)


def scan_config(table: Any, where: str = "scan") -> ScanConfig:
    """The scan settings of a TOML table (`[tool.terragon.scan]`), or a ConfigError whose
    line starts with `where`."""
    try:
        return ScanConfig(**ScanSettings.model_validate(table).model_dump(exclude_unset=True))
    except ValidationError as exc:
        raise settings_error(exc, lambda *keys: ".".join((where, *keys))) from None


def check_numbers(table: Any, where: str, kind: type[Weights] | type[Boosts]) -> dict[str, float]:
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


def check_roadmap(table: Any, where: str) -> dict[str, float]:
    """`[roadmap]`: hours_per_week and weeks_per_phase, each in its range."""
    table = _table(table, where, tuple(ROADMAP_RANGES))
    return {
        key: _number_in(
            value, f"{where}.{key}", *ROADMAP_RANGES[key], whole=key == "weeks_per_phase"
        )
        for key, value in table.items()
    }


def check_targets(table: Any, where: str) -> dict[str, Any]:
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


def check_views(table: Any, where: str) -> dict[str, dict[str, str]]:
    """`[views.NAME]` tables, each key checked as `terragon list` checks its options: the
    filters and the sort of each view in canonical words, by name."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table of [views.NAME] tables")
    views: dict[str, dict[str, str]] = {}
    for name, entries in table.items():
        at = f"{where}.{name}"
        if not VIEW_NAME.fullmatch(name):
            raise ConfigError(f"{at}: a view name is letters, digits, - and _")
        if not isinstance(entries, dict):
            raise ConfigError(f"{at} must be a table, got {type(entries).__name__}")
        unknown = sorted(set(entries) - set(VIEW_KEYS))
        if unknown:
            raise ConfigError(
                f"{at} has unknown key {unknown[0]!r}; known keys: {', '.join(VIEW_KEYS)}"
            )
        checked: dict[str, str] = {}
        for key, value in entries.items():
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{at}.{key} must be a non-empty string, got {value!r}")
            try:
                words = VIEW_CHECKS[key](value)
            except UsageError as exc:
                raise ConfigError(f"{at}.{key}: {exc}") from None
            checked[key] = value if key == "sort" else str(words)
        views[name] = checked
    return views


def _one_of(value: Any, words: Sequence[str], *, string: bool = False) -> Any:
    if value is None:
        return None
    if string and not isinstance(value, str):
        raise _fail(f" must be a string, got {value!r}")
    if value not in words:
        raise _fail(f" must be one of {', '.join(words)}, got {value!r}")
    return value


class ProjectSettings(Section):
    """`[tool.terragon]` of pyproject.toml, or the top level of `.terragon/config.toml`.

    The fields are in the order they are checked, so the first wrong one is the one named.
    """

    known_keys: ClassVar[tuple[str, ...]] = CONFIG_KEYS

    maturity: str | None = None
    security_boost_from: str | None = None  # low, medium or high
    scan: dict[str, Any] = {}  # as written; scan_config reads it into a ScanConfig
    schedule: dict[str, str | bool] = {}  # job key: cron expression, or False
    weights: dict[str, float] = {}
    boosts: dict[str, float] = {}
    roadmap: dict[str, float] = {}  # hours_per_week, weeks_per_phase
    targets: dict[str, Any] = {}  # success indicators, by name

    @field_validator("maturity", mode="before")
    @classmethod
    def _maturity(cls, value: Any) -> Any:
        return _one_of(value, MATURITY_LEVELS, string=True)

    @field_validator("security_boost_from", mode="before")
    @classmethod
    def _boost_from(cls, value: Any) -> Any:
        return _one_of(value, BOOST_FROM_WORDS)

    @field_validator("scan", mode="before")
    @classmethod
    def _scan(cls, value: Any) -> Any:
        _nested(ScanSettings, value)
        return value  # as written: the files' tables are laid over each other, then read

    @field_validator("schedule", mode="before")
    @classmethod
    def _schedule(cls, value: Any) -> Any:
        return _checked(check_schedule, value)

    @field_validator("weights", mode="before")
    @classmethod
    def _weights(cls, value: Any) -> Any:
        return _checked(check_numbers, value, Weights)

    @field_validator("boosts", mode="before")
    @classmethod
    def _boosts(cls, value: Any) -> Any:
        return _checked(check_numbers, value, Boosts)

    @field_validator("roadmap", mode="before")
    @classmethod
    def _roadmap(cls, value: Any) -> Any:
        return _checked(check_roadmap, value)

    @field_validator("targets", mode="before")
    @classmethod
    def _targets(cls, value: Any) -> Any:
        return _checked(check_targets, value)


KEYMAP_HINT = ' must map binding ids to keys, e.g. "backlog.complete" = "C"'


class UserSettings(Section):
    """The user's own config: key remapping, theme, the most a scan may spend, saved views."""

    known_keys: ClassVar[tuple[str, ...]] = USER_KEYS
    #: How a message names each table of the user's config.
    labels: ClassVar[dict[str, str]] = {"keymap": "[keymap]", "limits": "[limits]"}

    keymap: dict[str, str] = {}  # binding id: keys
    theme: str | None = None
    limits: dict[str, int | float] = {}  # ScanConfig's own types: size_limit is whole
    views: dict[str, dict[str, str]] = {}  # name: filters and sort

    @field_validator("keymap", mode="before")
    @classmethod
    def _keymap(cls, value: Any) -> Any:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise _fail(KEYMAP_HINT)
        return value

    @field_validator("theme", mode="before")
    @classmethod
    def _theme(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str):
            raise _fail(f" must be a string, got {value!r}")
        return value

    @field_validator("limits", mode="before")
    @classmethod
    def _limits(cls, value: Any) -> Any:
        return _nested(LimitSettings, value)

    @field_validator("views", mode="before")
    @classmethod
    def _views(cls, value: Any) -> Any:
        return _checked(check_views, value)


def read_project_table(table: dict[str, Any], path: Path, prefix: str) -> ProjectSettings:
    """One file's project settings (found under the dotted `prefix`), checked."""
    try:
        return ProjectSettings.model_validate(table)
    except ValidationError as exc:
        raise settings_error(exc, lambda *keys: where(path, prefix, *keys)) from None


def read_user_table(table: dict[str, Any], path: Path) -> UserSettings:
    """The user's config at `path`, checked."""
    try:
        return UserSettings.model_validate(table)
    except ValidationError as exc:
        raise settings_error(exc, lambda *keys: where(path, *keys), **UserSettings.labels) from None
