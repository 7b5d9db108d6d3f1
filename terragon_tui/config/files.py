"""Reading and writing the settings files: TOML read whole, written atomically, kept as written."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..core.errors import ConfigError
from ..core.files import replace_file
from ..core.nesting import toml_loads

#: The largest configuration file read; no pyproject.toml comes near it.
MOST_CONFIG_BYTES = 8 << 20


def read_toml(path: Path, data: bytes | None = None) -> dict[str, Any]:
    """The TOML file at `path` (or its bytes `data`), or a one-line ConfigError naming it."""
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


def repository_file(root: Path, path: str) -> bytes | None:
    """The repository's own config file `path`, read as a scan reads files (a regular file
    inside the repository: a FIFO, device or link out of it counts as absent), or None."""
    from ..discovery.safe_read import RepoReader, Unreadable, too_large

    try:
        return RepoReader(root).read(path, MOST_CONFIG_BYTES)
    except Unreadable as exc:
        if str(exc) == too_large(MOST_CONFIG_BYTES):
            raise ConfigError(f"{root / path}: {exc}") from exc
        return None


def dotted(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`table`'s values that are not tables, by dotted key (under `prefix`); an empty table
    sets nothing, and neither does a None."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(dotted(value, name))
        elif value is not None:
            flat[name] = value
    return flat


def where(path: Path | str, *keys: str) -> str:
    """Where a value lives, for messages: `…/pyproject.toml: tool.terragon.weights`."""
    dotted = ".".join(key for key in keys if key)
    return f"{path}: {dotted}" if dotted else str(path)


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: a reader sees the old file or the new one. The
    line ends are kept as given, and so are the file's permission bits."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write: {exc.strerror}") from exc


def editable_document(path: Path, what: str) -> Any:
    """The TOML file at `path` (the user's config, a pyproject.toml) as a tomlkit document to
    edit and write back with its comments and layout, byte for byte (empty when there is no
    file); `what` names what is being saved, for the one-line error when the file cannot be
    read or is not TOML."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        text = ""
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:  # CRLF stays CRLF
                text = handle.read()
        return tomlkit.parse(text)
    except (TOMLKitError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML, so {what} was not saved: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
