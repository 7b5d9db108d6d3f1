"""Reading a file of the scanned repository, and nothing else: never a FIFO, device or socket,
never a file outside the repository, never more than a limit.

A path is opened only if it names a regular file (looked at before opening, so that opening
a device has no effect either), with every folder on its way resolved and found inside the
repository, and without following a final symlink (a symlink to a file inside the repository
is opened at its resolved path, checked the same way). After opening, the open file itself
is checked again (a regular file, and, where the system says which file a descriptor is,
inside the repository), so a path swapped for a symlink meanwhile is caught too. Reads stop
at the limit: a file is never read whole to learn that it is too large.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the check cannot block the open
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOCTTY", 0)
)
#: Where Linux says which file a descriptor is.
_PROC_FD = "/proc/self/fd"

NOT_REGULAR = "not a regular file (a FIFO, device or socket)"
OUTSIDE = "symlink points outside the repository"
FOLDER_OUTSIDE = "a folder on its path leads out of the repository"


class Unreadable(Exception):
    """Why a file was not read; the message is the reason a scan records."""


def too_large(limit: int) -> str:
    """The reason a file over `limit` bytes is skipped."""
    return f"larger than the size limit ({limit} bytes)"


class RepoReader:
    """Reads files under one repository root; each folder is resolved once."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.top = os.path.realpath(root)
        self._folders: dict[str, str] = {"": self.top}
        self._proc = os.path.isdir(_PROC_FD)

    def _inside(self, real: str) -> bool:
        return real == self.top or real.startswith(self.top.rstrip(os.sep) + os.sep)

    def _folder(self, folder: str) -> str:
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(os.path.join(self.top, folder))
        if not self._inside(real):
            raise Unreadable(FOLDER_OUTSIDE)
        return real

    def _target(self, path: str) -> str:
        """The real path to open for `path`: folders resolved, a final symlink followed."""
        folder, _, name = path.rpartition("/")
        full = os.path.join(self._folder(folder), name)
        try:
            status = os.lstat(full)
        except OSError as exc:
            raise Unreadable(f"unreadable: {exc.strerror or exc}") from exc
        if stat.S_ISLNK(status.st_mode):
            full = os.path.realpath(full)
            if not self._inside(full):
                raise Unreadable(OUTSIDE)
            try:
                status = os.lstat(full)
            except OSError as exc:
                raise Unreadable("broken symlink") from exc
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable(NOT_REGULAR)
        return full

    def open(self, path: str) -> tuple[int, os.stat_result]:
        """A descriptor on the regular file `path` (POSIX, under the root), and its status."""
        full = self._target(path)
        try:
            fd = os.open(full, _FLAGS)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # it became a symlink since it was looked at
                raise Unreadable("changed into a symlink while being read") from exc
            raise Unreadable(f"unreadable: {exc.strerror or exc}") from exc
        try:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                raise Unreadable(NOT_REGULAR)
            if self._proc:
                opened = os.readlink(os.path.join(_PROC_FD, str(fd)))
                if not self._inside(opened):
                    raise Unreadable(FOLDER_OUTSIDE)
        except BaseException:
            os.close(fd)
            raise
        return fd, status

    def size(self, path: str) -> int:
        """The size of the regular file `path`, checked as `read` would check it."""
        fd, status = self.open(path)
        os.close(fd)
        return status.st_size

    def read(self, path: str, limit: int) -> bytes:
        """The content of `path`, at most `limit` bytes (more: Unreadable, `too_large`)."""
        fd, status = self.open(path)
        with os.fdopen(fd, "rb") as handle:
            if status.st_size > limit:
                raise Unreadable(too_large(limit))
            data = handle.read(limit + 1)
        if len(data) > limit:  # it grew since it was looked at
            raise Unreadable(too_large(limit))
        return data

    def head(self, path: str, most: int) -> bytes:
        """The first `most` bytes of `path` (all of it, if it is shorter)."""
        fd, _status = self.open(path)
        with os.fdopen(fd, "rb") as handle:
            return handle.read(most)
