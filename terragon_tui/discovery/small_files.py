"""Reading the repository's small configuration files: a manifest, a CI file, a settings file.

Only a regular file is read (never a symlink, which could point out of the repository or at
a FIFO), and only up to a size any such file stays under; anything else reads as empty.
"""

from __future__ import annotations

from pathlib import Path

#: Larger than any configuration file a repository keeps.
MOST_BYTES = 1 << 20


def read_bytes(path: Path, most: int = MOST_BYTES) -> bytes:
    """The content of the regular file at `path` if it is at most `most` bytes, else b""."""
    try:
        if path.is_file() and not path.is_symlink() and path.stat().st_size <= most:
            return path.read_bytes()
    except OSError:
        pass
    return b""


def read_text(path: Path, most: int = MOST_BYTES) -> str:
    """`read_bytes` decoded as UTF-8, undecodable bytes replaced."""
    return read_bytes(path, most).decode("utf-8", errors="replace")
