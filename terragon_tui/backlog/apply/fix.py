"""`apply_item`: an item's mechanical fix committed on a branch of its own, in a worktree of
its own, so the user's work tree, index and current branch are never touched."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...core.errors import TerragonError, UsageError
from ...core.text import printable
from ...core.vocabulary import OPEN_STATUSES
from ...scoring.lanes import decision_lane
from ..items import start_item
from ..listing import show_item
from ..workspace import Workspace
from . import worktree
from .pull_request import pr_text, pr_title
from .push import Delivery, deliver
from .recipes import FixContext, recipe_for


@dataclass
class ApplyResult:
    """What `terragon apply` did: the recipe, the branch and commit, the diff, the pull
    request text and where it was written, and what became of the branch after."""

    key: str
    recipe: str
    summary: str
    branch: str
    diff: str
    pr_title: str
    pr_text: str
    dry_run: bool
    commit: str | None = None
    pr_path: Path | None = None
    delivery: Delivery = field(default_factory=Delivery)


def pr_text_path(root: Path, key: str) -> Path:
    """Where the pull request text of `key`'s fix is written: inside the repository's git
    directory, beside the branch's commit, never in the work tree."""
    return worktree.git_dir(root) / "terragon" / f"{key}.md"


def _commit_message(key: str, title: str, summary: str) -> str:
    subject = printable(f"{key}: {title}", single_line=True)[:120]
    return f"{subject}\n\nterragon apply for backlog item {key}: {printable(summary)}.\n"


def apply_item(
    ws: Workspace, key: str, *, dry_run: bool = False, push: bool = False, force: bool = False
) -> ApplyResult:
    """Make the mechanical fix of item `key` on the new branch `terragon/<ID>-<slug>` and
    commit it; the item becomes in-progress with the branch recorded.

    `dry_run` makes the change and returns its diff, then removes the branch again and
    changes nothing in the store. Items of the manual-review lane need `force`. `push`
    pushes the branch and opens the pull request when the `gh` CLI can.
    """
    detail = show_item(ws, key)
    item = detail.ranked.item
    if item.status not in OPEN_STATUSES:
        raise UsageError(f"{item.key} is {item.status}; only open items can be applied")
    if decision_lane(item.risk) == "manual-review" and not force:
        raise UsageError(
            f"{item.key} is in the manual-review lane (risk {item.risk:g}): a person should "
            "make this change; give --force to apply it anyway"
        )
    recipe = recipe_for(item)
    branch = worktree.branch_name(item.key, item.title)
    if worktree.branch_exists(ws.root, branch):
        raise UsageError(
            f"the branch {branch} exists already (an earlier apply?); "
            f"delete it (git branch -D {branch}) to apply {item.key} again"
        )
    places = tuple(dict.fromkeys(p.path for p in detail.occurrences if p.path))
    if item.file_path and not places:
        places = (item.file_path,)
    with ws.reading() as session:
        repo_name = ws.repository(session).name
    context = FixContext(item=item, places=places, repo_name=repo_name)
    committed = None
    try:
        with worktree.fix_worktree(ws.root, branch) as tree:
            summary = recipe.make(tree, context)
            diff = worktree.stage_all(tree)
            if not diff:
                raise TerragonError(f"{recipe.name} changed nothing for {item.key}")
            text = pr_text(
                item,
                tree=tree,
                branch=branch,
                what=summary,
                risk=recipe.risk,
                score=detail.ranked.score,
                breakdown=detail.breakdown,
            )
            if not dry_run:
                committed = worktree.commit(tree, _commit_message(item.key, item.title, summary))
    except BaseException:
        worktree.delete_branch(ws.root, branch)
        raise
    result = ApplyResult(
        key=item.key,
        recipe=recipe.name,
        summary=summary,
        branch=branch,
        diff=diff,
        pr_title=pr_title(item),
        pr_text=text,
        dry_run=dry_run,
        commit=committed,
    )
    if dry_run:
        worktree.delete_branch(ws.root, branch)
        return result
    result.pr_path = pr_text_path(ws.root, item.key)
    result.pr_path.parent.mkdir(parents=True, exist_ok=True)
    result.pr_path.write_text(text, encoding="utf-8")
    start_item(ws, item.key, branch=branch)
    result.delivery = deliver(ws.root, branch, result.pr_title, result.pr_path, push=push)
    return result
