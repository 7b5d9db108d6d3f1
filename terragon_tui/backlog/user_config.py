"""The user's own settings (the platform's config directory): keys, theme, limits and saved views.

Read beside the backlog rather than with the repository's settings, because saved views are
filters over its items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import read_toml, user_document, write_atomically
from ..core.errors import ConfigError
from ..discovery.scan_config import LIMITS, ScanConfig

if TYPE_CHECKING:
    from .views import View


@dataclass(frozen=True)
class UserConfig:
    """The user's own settings, for every repository: key remapping, theme and the most a
    scan may spend (`[limits]`, which no repository's config can raise)."""

    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    limits: dict[str, float] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)  # `[views.NAME]`: saved filters
    path: Path | None = None


def user_config_path() -> Path:
    """`config.toml` in the platform's user config directory."""
    from platformdirs import user_config_path as _user_config_path

    return _user_config_path("terragon-tui", appauthor=False) / "config.toml"


def load_user_config(path: Path | None = None) -> UserConfig:
    """Read `[keymap]` (binding id = "keys"), `theme`, `[limits]` and `[views.NAME]` from the
    user's config."""
    from .views import read_views

    path = path or user_config_path()
    if not path.is_file():
        return UserConfig(path=path)
    table = read_toml(path)
    keymap = table.get("keymap", {})
    if not isinstance(keymap, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()
    ):
        raise ConfigError(
            f'{path}: [keymap] must map binding ids to keys, e.g. "backlog.complete" = "C"'
        )
    theme = table.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise ConfigError(f"{path}: theme must be a string, got {theme!r}")
    return UserConfig(
        keymap=dict(keymap),
        theme=theme,
        limits=_limits(table.get("limits", {}), path),
        views=read_views(table.get("views", {}), path),
        path=path,
    )


def _limits(table: Any, path: Path) -> dict[str, float]:
    """`[limits]`: scan settings of LIMITS, each checked as `[tool.terragon.scan]` checks it."""
    where = f"{path}: [limits]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table, got {type(table).__name__}")
    names = {str(key).replace("-", "_") for key in table}
    unknown = sorted(names - set(LIMITS))
    if unknown:
        raise ConfigError(
            f"{where} has unknown key {unknown[0]!r}; known keys: {', '.join(LIMITS)}"
        )
    read = ScanConfig.from_mapping(table, where=where)
    return {name: getattr(read, name) for name in sorted(names)}


def save_user_setting(path: Path, key: str, value: str) -> None:
    """Set top-level `key` to `value` in the user's config at `path`, keeping everything else
    in the file as it was written (comments, order, formatting), atomically."""
    import tomlkit

    document = user_document(path, key)
    document[key] = value
    write_atomically(path, tomlkit.dumps(document))
