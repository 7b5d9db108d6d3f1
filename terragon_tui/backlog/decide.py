"""Decisions made at the source: "ignore this rule" or "ignore this path" is written into the
repository's own config, so it is shared through git and every later scan respects it, and
the open items it covers close with that reason (one change: one undo reopens them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.files import MOST_CONFIG_BYTES, write_atomically
from ..config.project import load_project_config
from ..core.errors import ConfigError, UsageError
from .items import close_items, open_keys
from .workspace import Workspace

PYPROJECT = "pyproject.toml"
OWN_CONFIG = ".terragon/config.toml"


@dataclass(frozen=True)
class Decided:
    """What `ignore` wrote, where, and which items it closed."""

    file: str
    setting: str
    entry: str
    closed: tuple[str, ...]


def ignore(
    ws: Workspace, *, rule: str | None = None, path: str | None = None, reason: str = ""
) -> Decided:
    """Ignore `rule` (under the glob `path`, if given) or, with no rule, everything under
    `path`, in the repository's config; close the open items it covers."""
    rule, path = (rule or "").strip(), (path or "").strip()
    if not rule and not path:
        raise UsageError("say what to ignore: --rule RULE, --path GLOB, or both")
    if ":" in rule or any(c.isspace() for c in rule):
        raise UsageError(f"{rule!r} is not a rule name (B311, F401, hotspot...)")
    setting, entry = (
        ("ignore_rules", f"{rule}:{path}" if path else rule)
        if rule
        else (
            "exclude",
            path,
        )
    )
    keys = open_keys(ws, rule=rule or None, path=path or None)
    file = add_to_scan_setting(ws.root, setting, entry)
    why = " ".join(reason.split()) or "ignored at the source"
    closed = (
        close_items(ws, keys, "rejected", reason=f"{why} ({file}: {setting} has {entry!r})")
        if keys
        else []
    )
    return Decided(file, setting, entry, tuple(item.key for item in closed))


def add_to_scan_setting(root: Path, setting: str, entry: str) -> str:
    """Add `entry` to the list `setting` of the repository's scan settings, keeping the file's
    comments and layout; returns the file's name. `.terragon/config.toml` ([scan]) if it
    exists, else pyproject.toml ([tool.terragon.scan]), else a new .terragon/config.toml."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from ..discovery.safe_read import RepoReader, Unreadable

    name = (
        OWN_CONFIG
        if (root / OWN_CONFIG).exists() or not (root / PYPROJECT).exists()
        else (PYPROJECT)
    )
    full = root / name
    if full.is_symlink():
        raise ConfigError(f"{full}: a symlink; terragon writes only a regular file")
    try:
        before = (
            RepoReader(root).read(name, MOST_CONFIG_BYTES).decode("utf-8") if full.exists() else ""
        )
        document = tomlkit.parse(before)
    except (Unreadable, UnicodeDecodeError, TOMLKitError) as exc:
        raise ConfigError(f"{full}: cannot be changed: {exc}") from exc
    keys = ("scan",) if name == OWN_CONFIG else ("tool", "terragon", "scan")
    table: Any = document
    for depth, key in enumerate(keys):
        if key not in table:
            table[key] = tomlkit.table(is_super_table=depth < len(keys) - 1)
        table = table[key]
        if not isinstance(table, dict):
            raise ConfigError(f"{full}: {'.'.join(keys[: depth + 1])} is not a table")
    values = table.setdefault(setting, tomlkit.array())
    if not isinstance(values, list):
        raise ConfigError(f"{full}: {'.'.join(keys)}.{setting} is not a list")
    if entry not in values:
        values.append(entry)
    write_atomically(full, tomlkit.dumps(document))
    try:
        load_project_config(root)  # what was written must read back as valid settings
    except ConfigError:
        if before:
            write_atomically(full, before)
        else:
            full.unlink()
        raise
    return name
