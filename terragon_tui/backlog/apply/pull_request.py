"""The pull request text of an applied fix: the repository's own template, or a built-in one
saying what, why, the score breakdown, the risk and how to roll it back."""

from __future__ import annotations

import re
from pathlib import Path

from ...core.text import markdown_inline, printable
from ...scoring.breakdown import ScoreBreakdown
from ...scoring.lanes import LANE_LABELS, decision_lane
from ...store.models import Item

#: Where a repository keeps its own pull request text; `{{name}}` placeholders are filled in.
TEMPLATE_PATH = ".terragon/pr_template.md"
_TEMPLATE_LIMIT = 64 * 1024
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")

BUILT_IN = """\
## {{title}}

**What.** {{what}} ({{id}}, made by `terragon apply` on branch `{{branch}}`).

**Why.** {{why}}

**Score breakdown.** Score {{score}}, lane {{lane}}:

```text
{{breakdown}}
```

**Risk.** {{risk}}

**Rollback.** {{rollback}}
"""


def code_block(lines: list[str]) -> str:
    """`lines` safe inside a fenced code block: no line can close the fence."""
    shown = (printable(line).replace("\n", " ").replace("```", "'''") for line in lines)
    return "\n".join(shown)


def pr_title(item: Item) -> str:
    """The pull request's title: the item's ID and title, on one line."""
    return printable(f"{item.key}: {item.title}", single_line=True)[:200]


def pr_text(
    item: Item,
    *,
    tree: Path,
    branch: str,
    what: str,
    risk: str,
    score: float,
    breakdown: ScoreBreakdown,
) -> str:
    """The pull request text for `item`'s fix, from the template in `tree` (the fix's
    worktree) when it has one, else the built-in one; every value taken from the
    repository or the store is escaped for Markdown."""
    template = BUILT_IN
    own = tree / TEMPLATE_PATH
    if own.is_file() and not own.is_symlink() and own.stat().st_size <= _TEMPLATE_LIMIT:
        template = own.read_text(encoding="utf-8", errors="replace")
    values = {
        "id": item.key,
        "title": markdown_inline(item.title),
        "what": markdown_inline(what[:1].upper() + what[1:]),
        "why": markdown_inline(item.description or item.title),
        "branch": branch,  # ascii letters, digits, - and / only: safe in a code span
        "score": f"{score:.2f}",
        "lane": LANE_LABELS[decision_lane(item.risk)],
        "breakdown": code_block(breakdown.lines()),
        "risk": markdown_inline(f"{risk} Item risk {item.risk:g}."),
        "rollback": markdown_inline(
            f"Close the pull request and delete the branch (git branch -D {branch}); once "
            "merged, revert its one commit (git revert)."
        ),
    }
    # One pass of plain replacement, never str.format: the template is the repository's text.
    return _PLACEHOLDER.sub(lambda found: values.get(found[1], found[0]), template)
