"""`terragon apply`, `terragon export issues` and `terragon link-issue`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import common

_F = typer.Option
JsonOpt = Annotated[bool, _F("--json", help="Print JSON instead of text.")]


def apply_cmd(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    dry_run: Annotated[
        bool, _F("--dry-run", help="Show the diff; keep no branch and change nothing.")
    ] = False,
    push: Annotated[
        bool, _F("--push", help="Push the branch and open the pull request (with gh).")
    ] = False,
    force: Annotated[bool, _F("--force", help="Apply an item of the manual-review lane.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Make an item's mechanical fix on the branch terragon/<ID>-<slug>, in a worktree of its
    own: your work tree, index and current branch stay as they are."""
    from ..backlog.apply.fix import apply_item
    from ..core.text import printable

    result = apply_item(common.workspace(ctx), item_id, dry_run=dry_run, push=push, force=force)
    delivery = result.delivery
    if json_:
        common.print_json(
            "apply",
            {
                "id": result.key,
                "recipe": result.recipe,
                "summary": result.summary,
                "branch": None if dry_run else result.branch,
                "commit": result.commit,
                "dry_run": dry_run,
                "diff": result.diff,
                "pr_title": result.pr_title,
                "pr_text": result.pr_text,
                "pr_text_file": str(result.pr_path) if result.pr_path else None,
                "pushed": delivery.pushed,
                "pr_url": delivery.pr_url,
                "said": delivery.said,
                "to_run": delivery.to_run,
            },
        )
        return
    say = common.console.print
    if dry_run:
        sys.stdout.write(printable(result.diff))
        say(f"\nDry run of {result.key} ({result.recipe}): {result.summary}.", markup=False)
        say("No branch was kept and the backlog is unchanged.", markup=False)
        return
    assert result.commit is not None
    say(
        f"{result.key}: {result.summary}; committed {result.commit[:12]} on {result.branch} "
        f"(now in-progress).",
        markup=False,
    )
    say(f"\nPull request text (written to {result.pr_path}):\n", markup=False)
    sys.stdout.write(printable(result.pr_text) + "\n")
    for line in delivery.said:
        say(line, markup=False)
    if delivery.to_run:
        say("\nTo publish it, run:", markup=False)
        for command in delivery.to_run:
            say(f"  {printable(command, single_line=True)}", markup=False)


def export_issues_cmd(
    ctx: typer.Context,
    output: Annotated[
        Path, _F("--output", "-o", help="Folder for issues.json, issues.sh and bodies/.")
    ] = Path("terragon-issues"),
    label: Annotated[str, _F("--label", help="The label every issue gets.")] = "terragon-value",
    count: Annotated[int, _F("-n", help="How many of the top items.")] = 10,
    json_: JsonOpt = False,
) -> None:
    """Write the top items as issue drafts: JSON, and a script of gh commands that files
    each (or updates the issue an earlier export filed)."""
    from ..reports.issues import export_issues

    drafts = export_issues(common.workspace(ctx), output, label=label, limit=count)
    if json_:
        common.print_json("written", written=str(output), drafts=len(drafts))
        return
    updated = sum(1 for draft in drafts if draft.issue_url)
    common.console.print(
        f"Wrote {len(drafts)} issue draft(s) to {output} ({len(drafts) - updated} new, "
        f"{updated} updating the issue filed before); run {output / 'issues.sh'} to file them.",
        markup=False,
    )


def link_issue_cmd(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    url: Annotated[str, typer.Argument(metavar="URL", help="The issue's web address.")],
) -> None:
    """Record the forge issue an item was filed as (issues.sh does it for each new issue)."""
    from ..backlog.items import link_issue

    item = link_issue(common.workspace(ctx), item_id, url)
    common.console.print(f"{item.key} is filed as {item.issue_url}", markup=False)
