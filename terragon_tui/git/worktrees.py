"""Revisions of a repository checked out on their own, in a temporary git worktree.

A worktree is made with `git worktree add --detach` in a folder under the user cache
directory and removed again (with `git worktree prune`) whatever happens, ctrl+c included,
so the user's work tree, index and branches are never touched. Every git command goes
through `git_run`, so nothing the repository configures (hooks, filters) runs on checkout.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import UsageError
from . import run as git_run

#: How old a temporary worktree left behind must be before a later diff removes it.
STALE_SECONDS = 86400
#: Branches tried, in order, as the default branch when `origin/HEAD` names none.
DEFAULT_BRANCHES = ("origin/main", "origin/master", "main", "master")


def _git(root: Path, *args: str) -> str:
    """git `args` in `root`, its output as text; a failure is a UsageError with git's words."""
    done = git_run.run(root, *args)
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]} failed in {root}: {why[0] if why else 'no reason given'}")
    return done.stdout.decode("utf-8", "surrogateescape").strip()


def commit_of(root: Path, rev: str) -> str:
    """The full SHA of the commit `rev` names, or a UsageError saying git does not know it."""
    if rev.startswith("-"):
        raise UsageError(f"{rev!r} is not a revision")
    done = git_run.run(
        root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
    )
    if done.returncode != 0:
        raise UsageError(f"no commit {rev!r} in {root}")
    return done.stdout.decode("ascii", "replace").strip()


def default_branch(root: Path) -> str:
    """The branch a pull request would merge into: $GITHUB_BASE_REF's remote branch on GitHub
    Actions, else what `origin/HEAD` points at, else the first of DEFAULT_BRANCHES there is."""
    candidates: list[str] = []
    if os.environ.get("GITHUB_BASE_REF"):
        candidates.append(f"origin/{os.environ['GITHUB_BASE_REF']}")
    done = git_run.run(root, "symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD")
    if done.returncode == 0:
        candidates.append(done.stdout.decode("utf-8", "replace").strip())
    candidates += DEFAULT_BRANCHES
    for name in candidates:
        found = git_run.run(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
        if found.returncode == 0:
            return name
    raise UsageError(
        f"no default branch found in {root} (tried {', '.join(dict.fromkeys(candidates))}): "
        "name the base revision"
    )


def merge_base(root: Path) -> tuple[str, str]:
    """(label, SHA) of where HEAD left the default branch: `git merge-base HEAD BRANCH`."""
    branch = default_branch(root)
    done = git_run.run(root, "merge-base", "HEAD", branch)
    if done.returncode != 0:
        raise UsageError(f"HEAD and {branch} share no history in {root}: name the base revision")
    return f"merge-base with {branch}", done.stdout.decode("ascii", "replace").strip()


def _area(root: Path) -> Path:
    """Where this repository's temporary worktrees go, in the user cache directory."""
    from platformdirs import user_cache_path

    digest = hashlib.sha1(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return user_cache_path("terragon-tui", appauthor=False) / "worktrees" / digest


@contextlib.contextmanager
def checked_out(root: Path, commit: str) -> Iterator[Path]:
    """A detached worktree of `commit`, removed on leaving, however the block ends."""
    area = _area(root)
    for left in area.iterdir() if area.is_dir() else ():
        with contextlib.suppress(OSError):  # left by a process killed outright
            if time.time() - left.stat().st_mtime > STALE_SECONDS:
                remove(root, left)
    area.mkdir(parents=True, exist_ok=True)
    place = Path(tempfile.mkdtemp(prefix=f"{commit[:12]}-", dir=area))
    try:
        done = git_run.run(root, "worktree", "add", "--detach", "--quiet", str(place), commit)
        if done.returncode != 0:
            why = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(
                f"could not check out {commit[:12]} on its own: {why[-1] if why else 'git failed'}"
            )
        _settle(place)
        yield place
    finally:
        remove(root, place)


def _settle(place: Path) -> None:
    """Date the fresh worktree's index after its files, so that a scan takes every file as
    checked out (its blob from the index) instead of hashing the ones written in the same
    instant as the index: nothing changes them, and a scan of the same commit then has the
    same inputs each time, so its remembered result is reused (scan_memo.py)."""
    done = git_run.run(place, "rev-parse", "--git-path", "index")
    index = place / done.stdout.decode("utf-8", "surrogateescape").strip()
    if done.returncode != 0 or not index.is_file():
        return
    later = time.time() + 2
    with contextlib.suppress(OSError):
        os.utime(index, (later, later))


def remove(root: Path, place: Path) -> None:
    """Remove the worktree at `place` and git's record of it; a folder git would not remove
    is deleted, and `git worktree prune` forgets it."""
    with contextlib.suppress(OSError, git_run.GitUnusable):
        git_run.run(root, "worktree", "remove", "--force", "--force", str(place), timeout=120)
    shutil.rmtree(place, ignore_errors=True)
    with contextlib.suppress(OSError):  # another diff of the repository may be using it
        place.parent.rmdir()
    with contextlib.suppress(OSError, git_run.GitUnusable):
        git_run.run(root, "worktree", "prune", timeout=120)
