"""The history git keeps: every commit of HEAD and the tags, read in one `git log` stream."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..core.errors import TerragonError
from . import run as git_run

_RS, _FS = "\x1e", "\x1f"
_LOG_FORMAT = f"--format={_RS}%H{_FS}%P{_FS}%ct{_FS}%s"
_TAG_FORMAT = "--format=%(refname:short)%1f%(objectname)%1f%(*objectname)%1f%(creatordate:unix)"


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit of the history: its id, parents, commit time and subject line."""

    sha: str
    parents: tuple[str, ...]
    at: datetime
    subject: str

    @property
    def is_merge(self) -> bool:
        """A merge joins branches; it is not counted as a change of its own."""
        return len(self.parents) > 1


@dataclass(frozen=True, slots=True)
class Release:
    """A tag on a commit, dated when it was made (the commit's date for a lightweight tag)."""

    name: str
    sha: str
    at: datetime


def parse_log(text: str) -> list[Commit]:
    """Commits from one `git log` stream written with the module's record format."""
    commits = []
    for record in text.split(_RS):
        record = record.strip("\n")
        if not record:
            continue
        sha, parents, stamp, subject = record.split(_FS, 3)
        at = datetime.fromtimestamp(int(stamp), UTC)
        commits.append(Commit(sha, tuple(parents.split()), at, subject))
    return commits


def parse_tags(text: str) -> list[Release]:
    """Releases from `git for-each-ref refs/tags` output; annotated tags point through."""
    releases = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, target, peeled, stamp = line.split(_FS, 3)
        if stamp.strip():
            releases.append(
                Release(name, peeled or target, datetime.fromtimestamp(int(stamp), UTC))
            )
    return sorted(releases, key=lambda r: (r.at, r.name))


def read_history(path: Path) -> tuple[list[Commit], list[Release]] | None:
    """Every commit of HEAD and the tags in one `git log` stream, and the tags; None if no repo."""
    import git

    try:
        repo = git_run.open_repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
    except git_run.GitUnusable as exc:
        raise TerragonError(f"git not used on {path}: {exc}") from exc
    try:
        releases = parse_tags(repo.git.for_each_ref("refs/tags", _TAG_FORMAT))
        revisions = ["--tags"] + (["HEAD"] if repo.head.is_valid() else [])
        if not releases and len(revisions) == 1:
            return [], []
        # no signature checks: log.showSignature would run the repository's gpg.program
        log = repo.git.log("--no-show-signature", "--no-textconv", *revisions, _LOG_FORMAT)
        return parse_log(log), releases
    except git.GitCommandError as exc:
        detail = str(exc.stderr or exc).strip().splitlines()
        raise TerragonError(f"git cannot read {path}: {detail[-1] if detail else exc}") from exc
    finally:
        repo.close()
