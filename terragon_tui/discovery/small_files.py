"""Reading the repository's small configuration files: a manifest, a CI file, a settings file.

Each is read through `safe_read` (a regular file inside the repository, never a FIFO or a
device, nothing outside it), and only up to a size any such file stays under; anything else
reads as empty.
"""

from __future__ import annotations

from pathlib import Path

from .safe_read import RepoReader, Unreadable

#: Larger than any configuration file a repository keeps.
MOST_BYTES = 1 << 20


def read_bytes(root: Path, path: str, most: int = MOST_BYTES) -> bytes:
    """The content of the regular file `path` (POSIX, under `root`) if it is at most `most`
    bytes, else b""."""
    try:
        return RepoReader(root).read(str(path), most)
    except (Unreadable, ValueError):
        return b""


def read_text(root: Path, path: str, most: int = MOST_BYTES) -> str:
    """`read_bytes` decoded as UTF-8, undecodable bytes replaced."""
    return read_bytes(root, path, most).decode("utf-8", errors="replace")
