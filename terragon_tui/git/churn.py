"""Churn from one `git log --numstat` stream: commits, lines and authors per file."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from . import run as git_run
from .authors import People, is_bot

DAY = 86400


#: Options every `git log` here takes, so that the repository's configuration cannot make git
#: run a program: a textconv filter, an external diff, or gpg for log.showSignature.
_SAFE_LOG = ("--no-textconv", "--no-ext-diff", "--no-show-signature")


@dataclass(slots=True)
class FileChurn:
    """How one file changed in the churn window."""

    commits: int = 0
    added: int = 0
    deleted: int = 0
    authors: Counter[str] = field(default_factory=Counter)  # author -> lines changed

    @property
    def lines(self) -> int:
        """Lines added plus lines deleted."""
        return self.added + self.deleted


@dataclass(slots=True)
class Churn:
    """Per-file churn by people over a window, the bots left out, and the window itself.

    `window` reads after a count: "in the 180 days up to the last commit (2025-12-10)" or
    "since v1". `head` and `first` are the commit dates of HEAD and of the oldest root
    commit, in their committers' time zones as `git log` shows them, when the window counted
    back from HEAD; the notes use them.
    """

    files: dict[str, FileChurn] = field(default_factory=dict)
    commits: int = 0
    authors: int = 0
    bots: Counter[str] = field(default_factory=Counter)  # bot name -> commits left out
    window: str = ""
    days: int | None = None
    head: datetime | None = None
    first: datetime | None = None

    def notes(self, now: float | None = None) -> list[str]:
        """What the scan's notes say of the churn: counts, bots, and where the window lies."""
        commits = f"{self.commits} commit{'s' if self.commits != 1 else ''}"
        authors = f"{self.authors} author{'s' if self.authors != 1 else ''}"
        line = f"churn: {commits} by {authors} {self.window}".rstrip()
        if self.bots:
            names = [name for name, _ in self.bots.most_common(3)]
            more = f", +{len(self.bots) - 3}" if len(self.bots) > 3 else ""
            count = sum(self.bots.values())
            line += f"; {count} commit{'s' if count != 1 else ''} by bots left out "
            line += f"({', '.join(names)}{more})"
        lines = [line]
        if self.days is None or self.head is None:
            return lines
        age = int(((time.time() if now is None else now) - self.head.timestamp()) // DAY)
        if age > self.days:
            lines.append(
                f"the last commit ({self.head.date()}) is {age} days old: the churn window "
                "counts back from it, not from today"
            )
        if self.first is not None and self.first > self.head - timedelta(days=self.days):
            span = (self.head - self.first).days
            covers = f"{span} day{'s' if span != 1 else ''}" if span else "less than a day"
            lines.append(
                f"history starts {self.first.date()}, within the window: churn covers "
                f"{covers}, not {self.days}"
            )
        return lines


def _commits(stream: str) -> Iterator[tuple[str, str, list[tuple[str, int, int]]]]:
    """(author name, email, [(path, added, deleted)]) per commit of a numstat stream."""
    for record in stream.split("\x1e"):
        if not record.strip("\n\0"):
            continue
        header, _, body = record.partition("\0")
        parts = header.split("\x1f")
        if len(parts) < 3:
            continue
        changes = []
        for entry in body.lstrip("\n").split("\0"):
            added, tab, rest = entry.partition("\t")
            deleted, tab2, path = rest.partition("\t")
            if not tab or not tab2 or not path:
                continue
            lines_added = int(added) if added.isdigit() else 0  # "-" for a binary file
            lines_deleted = int(deleted) if deleted.isdigit() else 0
            changes.append((path, lines_added, lines_deleted))
        yield parts[1], parts[2].strip().lower(), changes


def parse_numstat(stream: str) -> Churn:
    """Churn from `git log -z --numstat --format=%x1e%H%x1f%aN%x1f%aE` output.

    Commits by bots (dependabot, renovate, pre-commit-ci...) are counted in `bots` and left
    out of everything else: their changes are mechanical (version bumps, lock updates,
    formatting sweeps across every file), so they say nothing of how hard a file is for
    people to change, and no bot is someone whose knowledge could be lost. People are told
    apart by `authors.People`, which joins one person's names and addresses; git has already
    applied the repository's .mailmap (%aN and %aE honour it whatever log.mailmap says).
    """
    churn = Churn()
    people = People()
    human = []
    for name, email, changes in _commits(stream):
        if is_bot(name, email):
            churn.bots[name] += 1
        else:
            people.add(name, email)
            human.append((name, email, changes))
    label = people.names()
    for name, email, changes in human:
        author = label[(name, email)]
        churn.commits += 1
        for path, added, deleted in changes:
            stats = churn.files.get(path)
            if stats is None:
                stats = churn.files[path] = FileChurn()
            stats.commits += 1
            stats.added += added
            stats.deleted += deleted
            stats.authors[author] += max(1, added + deleted)
    churn.authors = len(set(label.values()))
    return churn


def read_churn(root: Path, *, days: int = 180, since: str | None = None) -> Churn:
    """Churn of the files under `root` in the `days` up to HEAD, or since revision/date `since`.

    The window counts back from HEAD's commit date, not from today, so a repository nobody
    has committed to for a year still shows where its work went. One `git log --numstat
    --no-renames` process through GitPython's command interface, plus two one-line ones for
    HEAD's and the first commit's dates; `since` is a revision (tag, branch, sha:
    `since..HEAD`) when git knows it, else a date (counted from today, as git reads it).
    """
    import git

    repo = git_run.open_repo(root, search_parent_directories=True)
    try:
        top = Path(repo.working_tree_dir or root).resolve()
        relative = Path(root).resolve().relative_to(top).as_posix()
        args = ["--numstat", "--no-renames", "--no-merges", *_SAFE_LOG, "-z"]
        args.append("--format=%x1e%H%x1f%aN%x1f%aE")
        if relative != ".":
            args.append(f"--relative={relative}/")
        head = first = None
        if since:
            try:
                repo.git.rev_parse("--verify", "--quiet", f"{since}^{{commit}}")
                args.append(f"{since}..HEAD")
            except git.GitCommandError:
                args.append(f"--since={since}")
            window = f"since {since}"
        else:
            head = datetime.fromisoformat(repo.git.log("-1", "--format=%cI", *_SAFE_LOG, "HEAD"))
            roots = repo.git.log("--max-parents=0", "--format=%cI", *_SAFE_LOG, "HEAD")
            first = min(map(datetime.fromisoformat, roots.split()), default=None)
            args.append(f"--since=@{int(head.timestamp()) - days * DAY}")
            window = f"in the {days} days up to the last commit ({head.date()})"
        if relative != ".":
            args += ["--", relative]
        raw = repo.git.log(*args, stdout_as_string=False)
        text = raw.decode("utf-8", "surrogateescape") if isinstance(raw, bytes) else raw
        churn = parse_numstat(text)
        churn.window = window
        if not since:
            churn.days, churn.head, churn.first = days, head, first
        return churn
    finally:
        repo.close()
