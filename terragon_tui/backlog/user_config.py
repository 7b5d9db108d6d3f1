"""The user's own settings (the platform's config directory): keys, theme, limits and saved views.

Read beside the backlog rather than with the repository's settings, because saved views are
filters over its items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..config.files import editable_document, read_toml, write_atomically

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
    user's config, each checked by the settings schema."""
    from ..config.schema import read_user_table
    from .filters import ItemFilter
    from .views import View

    path = path or user_config_path()
    if not path.is_file():
        return UserConfig(path=path)
    read = read_user_table(read_toml(path), path)
    views = {
        name: View(
            name,
            ItemFilter(**{key: value for key, value in entries.items() if key != "sort"}),
            entries.get("sort"),
        )
        for name, entries in read.views.items()
    }
    return UserConfig(
        keymap=dict(read.keymap),
        theme=read.theme,
        limits=dict(read.limits),
        views=views,
        path=path,
    )


def save_user_setting(path: Path, key: str, value: str) -> None:
    """Set top-level `key` to `value` in the user's config at `path`, keeping everything else
    in the file as it was written (comments, order, formatting), atomically."""
    import tomlkit

    document = editable_document(path, key)
    document[key] = value
    write_atomically(path, tomlkit.dumps(document))
