"""Hotspots source: churn from one `git log --numstat` stream, × complexity per file."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .finding import Finding

SOURCE = "hotspots"
HOTSPOT_RULE = "hotspot"
KNOWLEDGE_RULE = "knowledge-concentration"


@dataclass(slots=True)
class FileChurn:
    """How one file changed in the churn window."""

    commits: int = 0
    added: int = 0
    deleted: int = 0
    authors: Counter[str] = field(default_factory=Counter)  # author -> lines changed
    commits_by: Counter[str] = field(default_factory=Counter)  # author -> commits

    @property
    def lines(self) -> int:
        """Lines added plus lines deleted."""
        return self.added + self.deleted


@dataclass(slots=True)
class Churn:
    """Per-file churn over a window, and the window itself for messages."""

    files: dict[str, FileChurn] = field(default_factory=dict)
    commits: int = 0
    authors: int = 0
    window: str = ""


def parse_numstat(stream: str) -> Churn:
    """Churn from `git log -z --numstat --format=%x1e%H%x1f%aN%x1f%aE` output."""
    churn = Churn()
    people: set[str] = set()
    for record in stream.split("\x1e"):
        if not record.strip("\n\0"):
            continue
        header, _, body = record.partition("\0")
        parts = header.split("\x1f")
        if len(parts) < 3:
            continue
        name, email = parts[1], parts[2].lower()
        author = name if not email else f"{name} <{email}>"
        people.add(author)
        churn.commits += 1
        for entry in body.lstrip("\n").split("\0"):
            added, tab, rest = entry.partition("\t")
            deleted, tab2, path = rest.partition("\t")
            if not tab or not tab2 or not path:
                continue
            lines_added = int(added) if added.isdigit() else 0
            lines_deleted = int(deleted) if deleted.isdigit() else 0
            stats = churn.files.get(path)
            if stats is None:
                stats = churn.files[path] = FileChurn()
            stats.commits += 1
            stats.added += lines_added
            stats.deleted += lines_deleted
            stats.authors[author] += max(1, lines_added + lines_deleted)
            stats.commits_by[author] += 1
    churn.authors = len(people)
    return churn


def read_churn(root: Path, *, days: int = 180, since: str | None = None) -> Churn:
    """Churn of the files under `root` in the last `days`, or since revision/date `since`.

    One `git log --numstat --no-renames` process through GitPython's command interface;
    `since` is a revision (tag, branch, sha: `since..HEAD`) when git knows it, else a date.
    """
    import git

    repo = git.Repo(root, search_parent_directories=True)
    try:
        top = Path(repo.working_tree_dir or root).resolve()
        relative = Path(root).resolve().relative_to(top).as_posix()
        # No textconv filter, external diff or gpg (log.showSignature) that the repository's
        # configuration names may run while we read its history.
        args = ["--numstat", "--no-renames", "--no-merges", "-z"]
        args += ["--no-textconv", "--no-ext-diff", "--no-show-signature"]
        args.append("--format=%x1e%H%x1f%aN%x1f%aE")
        if relative != ".":
            args.append(f"--relative={relative}/")
        window = f"last {days} days"
        if since:
            try:
                repo.git.rev_parse("--verify", "--quiet", f"{since}^{{commit}}")
                args.append(f"{since}..HEAD")
                window = f"since {since}"
            except git.GitCommandError:
                args.append(f"--since={since}")
                window = f"since {since}"
        else:
            args.append(f"--since={days} days ago")
        if relative != ".":
            args += ["--", relative]
        raw = repo.git.log(*args, stdout_as_string=False)
        text = raw.decode("utf-8", "surrogateescape") if isinstance(raw, bytes) else raw
        churn = parse_numstat(text)
        churn.window = window
        return churn
    finally:
        repo.close()


def _share(stats: FileChurn) -> tuple[str, float]:
    owner, lines = stats.authors.most_common(1)[0]
    return owner, lines / max(1, sum(stats.authors.values()))


def findings(
    churn: Churn,
    complexity: Mapping[str, int],
    *,
    top: int = 10,
    min_commits: int = 3,
    min_complexity: int = 10,
    knowledge_share: float = 0.8,
) -> list[Finding]:
    """The top hotspots (commits × total cyclomatic complexity) and their knowledge risks.

    A file is a candidate with at least `min_commits` commits in the window and a total
    complexity of at least `min_complexity`; the `top` highest scores become findings.
    Knowledge concentration is reported for those hot files when one author made more than
    `knowledge_share` of the changed lines and the window has more than one author.
    """
    scored = []
    for path, total in complexity.items():
        stats = churn.files.get(path)
        if stats is None or stats.commits < min_commits or total < min_complexity:
            continue
        scored.append((stats.commits * total, path, stats, total))
    scored.sort(key=lambda row: (-row[0], row[1]))
    found: list[Finding] = []
    for position, (score, path, stats, total) in enumerate(scored[:top], start=1):
        interest = round(min(5.0, 1.0 + math.log2(1 + stats.commits)), 2)
        hours = round(min(40.0, 2.0 + total / 10.0), 1)
        found.append(
            Finding(
                source=SOURCE,
                rule=HOTSPOT_RULE,
                title=f"Hotspot: {path} ({stats.commits} commits × complexity {total})",
                description=(
                    f"{path} changed in {stats.commits} commits ({stats.lines} lines) in the "
                    f"{churn.window} and has total cyclomatic complexity {total}: rank "
                    f"{position} of the repository's hotspots. Complex code that keeps "
                    "changing is where refactoring pays back first."
                ),
                category="technical-debt",
                path=path,
                estimated_hours=hours,
                impact=8.0 if position <= 3 else 6.0,
                confidence=7.0,
                ease=4.0,
                risk=0.6,
                business_value=5.0,
                time_criticality=3.0,
                risk_reduction=8.0 if position <= 3 else 5.0,
                debt_hours=hours,
                debt_interest=interest,
                business_value_text="Every future change to this file gets cheaper.",
                data={
                    "score": score,
                    "rank": position,
                    "commits": stats.commits,
                    "lines_changed": stats.lines,
                    "authors": len(stats.authors),
                    "total_cc": total,
                    "window": churn.window,
                },
            )
        )
        owner, share = _share(stats)
        if churn.authors > 1 and share > knowledge_share:
            found.append(
                Finding(
                    source=SOURCE,
                    rule=KNOWLEDGE_RULE,
                    title=f"Knowledge concentration: {path} ({share:.0%} by one author)",
                    description=(
                        f"One author made {share:.0%} of the {stats.lines} changed lines of "
                        f"hotspot {path} in the {churn.window}. Pair on it, review it with "
                        "someone new, or document it before that person is away."
                    ),
                    category="technical-debt",
                    path=path,
                    estimated_hours=3.0,
                    impact=5.0,
                    confidence=6.0,
                    ease=6.0,
                    risk=0.2,
                    business_value=3.0,
                    time_criticality=2.0,
                    risk_reduction=8.0,
                    debt_hours=2.0,
                    debt_interest=interest,
                    business_value_text="More than one person can change this file safely.",
                    data={
                        "owner": owner.split(" <")[0],
                        "share": round(share, 3),
                        "authors": len(stats.authors),
                        "commits": stats.commits,
                    },
                )
            )
    return found
