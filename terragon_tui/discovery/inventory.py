"""The files a scan looks at: what git tracks (or a tree walk), blob SHAs, symlink checks."""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import stat
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..git.run import GitUnusable
from ..git.run import run as run_git

#: Directories a tree walk never enters (a git scan relies on .gitignore instead).
WALK_SKIP_DIRS = frozenset(
    ".git .hg .svn .venv venv .env node_modules __pycache__ .tox .nox .mypy_cache "  # noqa: SIM905
    ".pytest_cache .ruff_cache .eggs build dist site-packages .terragon .idea .vscode ".split()
)
#: Paths every scan leaves out: the product's own working files.
ALWAYS_EXCLUDED = (".terragon/**",)
#: How the scan summary names what those and a repository's `exclude` setting left out.
OWN_FILES = "terragon's own files (.terragon/)"
EXCLUDE_SETTING = "the exclude setting"


@dataclass(slots=True)
class RepoFile:
    """One file to consider: its POSIX path under the root, blob SHA (None: hash the content)."""

    path: str
    blob: str | None = None


@dataclass(slots=True)
class Inventory:
    """The scan's files, those set aside with a reason, and what the repository state implies."""

    root: Path
    files: list[RepoFile] = field(default_factory=list)
    all_paths: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Files left out before analysis, counted by why (never silently).
    excluded: dict[str, int] = field(default_factory=dict)
    is_git: bool = False
    has_history: bool = False
    head: str = ""  # HEAD's commit, when there is one


def blob_sha(data: bytes) -> str:
    """The SHA git gives a blob with this content, so tracked and untracked keys agree."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


def name_and_suffix(path: str) -> tuple[str, str]:
    """A POSIX path's file name and suffix, as PurePosixPath's `name` and `suffix` give
    them, without building one: a scan asks this of every file, several times."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name, name[dot:] if 0 < dot < len(name) - 1 else ""


def excluded(path: str, patterns: Iterable[str]) -> bool:
    """Whether `path` matches one of the globs (`dir/**`, `*.min.js`, or a bare directory)."""
    for pattern in patterns:
        bare = pattern.rstrip("/")
        if fnmatch.fnmatchcase(path, pattern) or path.startswith(bare.removesuffix("/**") + "/"):
            return True
    return False


def _paths(output: bytes) -> list[str]:
    return [os.fsdecode(p) for p in output.split(b"\0") if p]


def utf8_name(path: str) -> bool:
    """Whether `path` is valid UTF-8 (os.fsdecode keeps any other bytes as surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_path(path: str) -> str:
    """`path` with the bytes that are not UTF-8 written as `\\xNN`, safe to store and print."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def symlink_problem(root: Path, path: str) -> str | None:
    """Why the symlink at `path` cannot be analysed, or None if it is a file inside the root."""
    try:
        target = (root / path).resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        return "symlink loop"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if isinstance(exc, FileNotFoundError):
            return "broken symlink"
        return f"unreadable symlink ({exc.strerror})"
    if not target.is_relative_to(root.resolve()):
        return "symlink points outside the repository"
    if target.is_dir():
        return "symlink to a directory (not followed)"
    return None


def _git_state(root: Path, inventory: Inventory) -> bool:
    """Fill in whether `root` is a git work tree with history, with notes; False if not git."""
    try:
        probe = run_git(root, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        inventory.notes.append("git is not installed: files found by walking the tree, no churn")
        return False
    except GitUnusable as exc:
        inventory.notes.append(f"git not used: {exc}; files found by walking the tree, no churn")
        return False
    if probe.returncode != 0 or probe.stdout.strip() != b"true":
        reason = probe.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f" ({reason[0]})" if reason and "not a git repository" not in reason[0] else ""
        inventory.notes.append(
            f"not a git repository{detail}: files found by walking the tree, no churn"
        )
        return False
    inventory.is_git = True
    head = run_git(root, "rev-parse", "--verify", "-q", "HEAD")
    inventory.has_history = head.returncode == 0
    inventory.head = head.stdout.decode("ascii", "replace").strip() if inventory.has_history else ""
    if not inventory.has_history:
        inventory.notes.append("no commits yet: no churn, hotspots skipped")
        return True
    if run_git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true":
        inventory.notes.append("shallow clone: churn covers only the fetched history")
    if run_git(root, "symbolic-ref", "-q", "HEAD").returncode != 0:
        short = run_git(root, "rev-parse", "--short", "HEAD").stdout.decode().strip()
        inventory.notes.append(f"detached HEAD at {short}: churn follows the checked-out commit")
    return True


def _index_entries(output: bytes) -> Iterator[tuple[str, str, str, tuple[int, ...]]]:
    """(mode, blob, path, (mtime s, mtime ns, size)) from `git ls-files -z -s --debug`: each
    record's `mode sha stage\tpath` ends in NUL and is followed by five lines of stat data
    (ctime, mtime, dev/ino, uid/gid, size/flags), each ending in a newline."""
    chunks = output.split(b"\0")
    head = chunks[0]
    for chunk in chunks[1:]:
        lines = chunk.split(b"\n", 5)
        if len(lines) < 6:
            break
        meta, _, raw_path = head.partition(b"\t")
        mode, sha, _stage = meta.decode().split()
        mtime = lines[1].split(b":", 1)[1].strip().split(b":")
        size = lines[4].split(b"\t")[0].split(b":")[1]
        yield mode, sha, os.fsdecode(raw_path), (int(mtime[0]), int(mtime[1]), int(size))
        head = lines[5]


def _unchanged(status: os.stat_result, indexed: tuple[int, ...], index_mtime: int) -> bool:
    """Whether the file is as the index recorded it, by the stat data alone, as git decides it
    before re-reading a file; a file written as late as the index itself is racy, and counts
    as changed (git would compare its content; we hash it ourselves)."""
    seconds, nanos, size = indexed
    mtime = status.st_mtime_ns
    return (
        (mtime // 1_000_000_000) & 0xFFFFFFFF == seconds
        and mtime % 1_000_000_000 == nanos
        and status.st_size & 0xFFFFFFFF == size
        and mtime < index_mtime
    )


def _list_git(root: Path, inventory: Inventory) -> list[tuple[str, str | None, bool]]:
    """(path, blob or None, is symlink) for tracked and untracked, non-ignored files.

    Which tracked files changed is decided here, from the index's stat data and the work
    tree's: asking git (`ls-files -m`) would make it re-read stat-dirty files through the
    clean filters the repository configures. A changed file's blob is left to hash.
    """
    staged = run_git(root, "ls-files", "-z", "-s", "--debug")
    if staged.returncode != 0:
        raise OSError(staged.stderr.decode("utf-8", "replace").strip() or "git ls-files failed")
    index = run_git(root, "rev-parse", "--git-path", "index").stdout.decode().strip()
    try:
        index_mtime = os.stat(os.path.join(root, index)).st_mtime_ns
    except OSError:
        index_mtime = 0  # every file counts as changed: hashed, never wrong
    rows: dict[str, tuple[str, str | None, bool]] = {}
    top = os.fspath(root)
    for mode, sha, path, indexed in _index_entries(staged.stdout):
        if mode == "160000":  # a submodule
            continue
        try:
            status = os.lstat(os.path.join(top, path))
        except OSError:
            continue  # gone from the work tree
        link = stat.S_ISLNK(status.st_mode)
        changed = link != (mode == "120000") or not _unchanged(status, indexed, index_mtime)
        rows[path] = (path, None if (changed or link) else sha, link)
    others = run_git(root, "ls-files", "-z", "-o", "--exclude-standard")
    for path in _paths(others.stdout):
        rows.setdefault(path, (path, None, os.path.islink(os.path.join(top, path))))
    return list(rows.values())


def _list_walk(root: Path) -> list[tuple[str, str | None, bool]]:
    rows: list[tuple[str, str | None, bool]] = []
    for directory, dirs, files in os.walk(root, followlinks=False):
        base = Path(directory)
        keep = []
        for name in dirs:
            if name in WALK_SKIP_DIRS or name.endswith(".egg-info"):
                continue
            if (base / name).is_symlink():
                rows.append(((base / name).relative_to(root).as_posix(), None, True))
            else:
                keep.append(name)
        dirs[:] = sorted(keep)
        for name in sorted(files):
            full = base / name
            rows.append((full.relative_to(root).as_posix(), None, full.is_symlink()))
    return rows


class _LinkedFolders:
    """Which folders of the repository are symlinks, or lie below one: git lists a tracked
    `sub/x.py` as it was committed even when `sub` has become a symlink to a folder outside,
    and reading it there would read that folder. Each folder is looked at once."""

    def __init__(self, root: Path) -> None:
        self.top = os.fspath(root)
        self.known: dict[str, str | None] = {"": None}

    def of(self, path: str) -> str | None:
        """The first folder on `path`'s way that is a symlink, or None."""
        folder = path.rpartition("/")[0]
        if folder in self.known:
            return self.known[folder]
        above = self.of(folder)  # the folder's own way first
        if above is None and os.path.islink(os.path.join(self.top, folder)):
            above = folder
        self.known[folder] = above
        return above


def take_inventory(
    root: Path, *, exclude: Iterable[str] = (), wanted: Callable[[str], bool] = lambda _: True
) -> Inventory:
    """The files under `root` a scan should analyse: `wanted` ones, minus the `exclude` globs.

    In a git work tree these are the tracked files plus untracked ones .gitignore allows;
    otherwise the tree is walked (skipping .git, .venv, node_modules...) and a note says so.
    Symlinks are analysed only when they lead to a file inside the root that is not
    analysed at its own path; the others are skipped with the reason.
    """
    root = Path(root)
    inventory = Inventory(root=root)
    exclude = tuple(exclude)
    rows = None
    if _git_state(root, inventory):
        try:
            rows = _list_git(root, inventory)
        except (OSError, subprocess.SubprocessError) as exc:
            detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else "failed"
            inventory.notes.append(f"git could not list the files ({detail}): walked the tree")
    if rows is None:
        rows = _list_walk(root)
    kept = []
    for row in rows:
        why = (
            OWN_FILES
            if excluded(row[0], ALWAYS_EXCLUDED)
            else EXCLUDE_SETTING
            if exclude and excluded(row[0], exclude)
            else None
        )
        if why is None:
            kept.append(row)
        else:
            inventory.excluded[why] = inventory.excluded.get(why, 0) + 1
    rows = kept
    inventory.all_paths = sorted(row[0] for row in rows if utf8_name(row[0]))
    known = {row[0] for row in rows if not row[2]}
    linked = _LinkedFolders(root)
    for path, blob, link in sorted(rows):
        if not wanted(path):
            continue
        if not utf8_name(path):  # such a name could be neither stored nor printed
            inventory.skipped.append((shown_path(path), "file name is not UTF-8"))
            continue
        folder = linked.of(path)
        if folder is not None:  # what git lists under it may be anywhere on the disk
            inventory.skipped.append((path, f"a folder on its path is a symlink ({folder})"))
            continue
        if link:
            problem = symlink_problem(root, path)
            if problem is not None:
                if not problem.startswith("symlink to a directory"):
                    inventory.skipped.append((path, problem))
                continue
            target = (root / path).resolve().relative_to(root.resolve()).as_posix()
            if target in known:
                continue  # analysed at its own path
        inventory.files.append(RepoFile(path, blob))
    return inventory
