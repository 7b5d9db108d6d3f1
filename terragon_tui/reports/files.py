"""Writing report files so a crash never leaves half a file behind."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import TerragonError
from ..core.files import replace_file


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename: a new file gets the
    permissions the umask leaves (a report is for sharing), a replaced one keeps its own."""
    path = path.expanduser()
    try:
        replace_file(path, data)
    except OSError as exc:
        raise TerragonError(f"cannot write {path}: {exc.strerror}") from exc
