"""Replacing a file in one step: a reader sees the old file or the new one, never half of one.

The config files terragon edits (pyproject.toml, the user config) and the files it writes
(exports, reports, issue drafts) all go through `replace_file`; each caller words its own
one-line error from the OSError.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it and a rename.

    A file that was there keeps its permission bits; a new one gets those the umask leaves
    of 0666, as any program's new file does. Raises OSError, the temporary file removed.
    """
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    while True:
        temporary = directory / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:  # created 0666 less the umask by the kernel, so no umask is read or changed
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
