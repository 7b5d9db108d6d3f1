"""A fix's own branch, made in a temporary worktree so the user's work tree, index and
current branch stay as they are (a dirty work tree included)."""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ...core.errors import TerragonError
from ...core.text import printable
from ...git import run as git_run

#: The longest slug of a branch name: `terragon/SEC-001-<slug>`.
SLUG_LIMIT = 50


def slug(title: str, limit: int = SLUG_LIMIT) -> str:
    """`title` as ascii, lowercase words joined by dashes, at most `limit` characters,
    cut at a word boundary when it can be."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(words) <= limit:
        return words or "fix"
    cut = words[:limit]
    if words[limit] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-") or "fix"


def branch_name(key: str, title: str) -> str:
    """The branch an item's fix is committed on: `terragon/<ID>-<slug of the title>`."""
    return f"terragon/{key}-{slug(title)}"


def _git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    """git `args` in `root` (with every configured program off), its output; a failure is a
    TerragonError with git's own reason."""
    done = git_run.run(root, *args, stdin=stdin)
    if done.returncode != 0:
        reason = printable(done.stderr.decode("utf-8", "replace"), single_line=True).strip()
        raise TerragonError(f"git {args[0]} failed: {reason[:300] or 'no message'}")
    return done.stdout.decode("utf-8", "surrogateescape")


def branch_exists(root: Path, branch: str) -> bool:
    """Whether the repository at `root` has a local branch `branch`."""
    done = git_run.run(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    return done.returncode == 0


def head_commit(root: Path) -> str:
    """The commit the user's HEAD points at; a repository without commits has nothing to
    branch from."""
    done = git_run.run(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if done.returncode != 0:
        raise TerragonError(f"{root} has no commit yet: there is nothing to branch a fix from")
    return done.stdout.decode().strip()


def git_dir(root: Path) -> Path:
    """The repository's common git directory (`.git`), shared by all its worktrees."""
    path = Path(_git(root, "rev-parse", "--path-format=absolute", "--git-common-dir").strip())
    return path


@contextmanager
def fix_worktree(root: Path, branch: str) -> Iterator[Path]:
    """A new worktree of HEAD on the new branch `branch`, removed again on leaving (the branch
    stays). Checking it out runs no hook or filter the repository configures."""
    start = head_commit(root)
    holder = Path(tempfile.mkdtemp(prefix="terragon-apply-"))
    tree = holder / "tree"
    try:
        _git(root, "worktree", "add", "--quiet", "-b", branch, str(tree), start)
        try:
            yield tree
        finally:
            git_run.run(root, "worktree", "remove", "--force", str(tree))
            git_run.run(root, "worktree", "prune")
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def stage_all(tree: Path) -> str:
    """Stage every change in the worktree `tree` and return its diff against HEAD ("" for
    no change)."""
    _git(tree, "add", "--all")
    return _git(tree, "diff", "--cached", "--no-ext-diff", "--no-textconv", "--no-color", "-M")


def commit(tree: Path, message: str) -> str:
    """Commit what is staged in `tree` with `message`, no hook and no signature; the commit."""
    _git(tree, "commit", "--quiet", "--no-verify", "--no-gpg-sign", "-F", "-",
         stdin=message.encode("utf-8"))  # fmt: skip
    return _git(tree, "rev-parse", "HEAD").strip()


def delete_branch(root: Path, branch: str) -> None:
    """Remove the local branch `branch` (a dry run's)."""
    git_run.run(root, "branch", "--quiet", "-D", branch)


def maintainers(root: Path, count: int = 3) -> list[tuple[str, str]]:
    """The people with the most commits on HEAD, as (name, email), bots left out."""
    from ...git.authors import is_bot

    done = git_run.run(root, "shortlog", "-sne", "--no-merges", "HEAD")
    people: list[tuple[str, str]] = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        found = re.match(r"^\s*\d+\s+(.*?)\s*<([^>]*)>\s*$", line)
        if found and not is_bot(found[1], found[2]):
            people.append((found[1], found[2]))
        if len(people) == count:
            break
    return people
