"""Hotspots source: churn from one `git log --numstat` stream, × complexity per file."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..git.churn import Churn, FileChurn
from .finding import Finding

SOURCE = "hotspots"
HOTSPOT_RULE = "hotspot"
KNOWLEDGE_RULE = "knowledge-concentration"


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
    `knowledge_share` of the changed lines and the window has at least two authors (people:
    bots are never counted), since in a one-person repository it would say nothing new.
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
                    f"{path} changed in {stats.commits} commits ({stats.lines} lines) "
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
                        f"hotspot {path} {churn.window}. Pair on it, review it with "
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


def none_found(
    churn: Churn, complexity: Mapping[str, int], *, min_commits: int = 3, min_complexity: int = 10
) -> str:
    """The note for a window without hotspots: what it took, the nearest file, what to try.

    A quiet last half-year before the last commit is common in a mature or paused project;
    without this a scan's silence would read as "nothing here is hard to change".
    """
    busiest = max(
        (
            (churn.files[path].commits, path)
            for path, total in complexity.items()
            if total >= min_complexity and path in churn.files
        ),
        default=None,
    )
    nearest = f"the busiest, {busiest[1]}, in {busiest[0]}" if busiest else "none of them changed"
    return (
        f"hotspots: none, as no file of total complexity {min_complexity} or more changed in "
        f"{min_commits} or more of those commits ({nearest}); a longer window (churn_days, "
        "--since) may show some"
    )
