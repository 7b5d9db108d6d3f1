"""The settings in force for a repository and where each came from (`terragon config show`).

Each file is checked as every command checks it, so a wrong value is the same one line here.
Only what the files say is shown, over the scan settings' defaults: the weights in force also
depend on the maturity a scan assessed and on what `terragon weights` saved in the store,
which `terragon weights` shows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..config.files import dotted, read_toml
from ..config.project import load_project_config
from ..config.schema import read_user_table
from ..discovery.scan_config import ScanConfig

DEFAULT = "default"
USER_CONFIG = "user config"


@dataclass(frozen=True)
class Setting:
    """One setting in force: its dotted key, its value, and where it came from."""

    key: str
    value: Any
    source: str  # default, pyproject.toml, .terragon/config.toml, user config, option, environment

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _flat(table: dict[str, Any], prefix: str) -> dict[str, Any]:
    """`table` by dotted key (see `dotted`), a tuple shown as the list a TOML file writes."""
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in dotted(table, prefix).items()
    }


def _spelled(key: str) -> str:
    """A dotted key as the schema reads it: scan settings may be written with - for _."""
    return key.replace("-", "_") if key.startswith("scan.") else key


def settings_in_force(root: Path, user_path: Path, db: str | None = None) -> list[Setting]:
    """Every setting in force for the repository at `root`, by dotted key: the scan settings'
    defaults, then the repository's files, the user's config (`user.` keys) and the store
    (from `db`, else TERRAGON_DB, else the default file), the later source winning as the
    readers do."""
    import os

    from ..store.location import resolve_db_url, shown_url

    project = load_project_config(root)
    found = {key: (value, DEFAULT) for key, value in _flat(asdict(ScanConfig()), "scan").items()}
    table = {
        name: value for name, value in asdict(project).items() if name not in ("sources", "origins")
    }
    spelled = {_spelled(key): value for key, value in _flat(table, "").items()}
    origins = {_spelled(key): path for key, path in project.origins.items()}
    for key, path in origins.items():
        found[key] = (spelled[key], Path(path).relative_to(root).as_posix())
    if user_path.is_file():
        user = read_toml(user_path)
        read_user_table(user, user_path)
        for key, value in _flat(user, "user").items():
            found[key] = (value, USER_CONFIG)
    if db:
        source = "option (--db)"
    elif os.environ.get("TERRAGON_DB"):
        source = "environment (TERRAGON_DB)"
    else:
        source = DEFAULT
    found["store"] = (shown_url(resolve_db_url(db)), source)
    return [Setting(key, value, source) for key, (value, source) in sorted(found.items())]
