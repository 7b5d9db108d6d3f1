"""A branch's diff (backlog/diffing.py) as terminal tables and as a pull-request comment."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..backlog.diffing import CHANGES, BranchDiff, Change
from ..core.text import markdown_inline, printable

#: Headings of each kind of change.
HEADINGS = {
    "introduced": "Introduced",
    "worsened": "Worsened",
    "resolved": "Resolved",
}
#: The most rows a pull-request comment lists per kind; the rest are counted.
MD_ROWS = 50


def _sides(diff: BranchDiff) -> str:
    return f"{diff.base} ({diff.base_commit[:12]}) → {diff.head} ({diff.head_commit[:12]})"


def _detail(change: Change) -> str:
    if change.change == "worsened":
        return "; ".join(change.reasons)
    return change.finding.category


def diff_tables(diff: BranchDiff) -> RenderableType:
    """One table per kind of change that has any, under a line naming both sides."""
    parts: list[RenderableType] = [
        Text(printable(f"{_sides(diff)}: {diff.summary()}", single_line=True), style="bold")
    ]
    for name in CHANGES:
        changes = getattr(diff, name)
        if not changes:
            continue
        table = Table(title=HEADINGS[name], title_justify="left", expand=False)
        table.add_column("Score", justify="right")
        table.add_column("Item")
        table.add_column("Where")
        table.add_column("Why" if name == "worsened" else "Category")
        for change in changes:
            score = f"{change.score:.1f}"
            if change.before_score is not None and change.before_score != change.score:
                score = f"{change.before_score:.1f} → {change.score:.1f}"
            table.add_row(
                score,
                Text(printable(change.finding.title, single_line=True)),
                Text(printable(change.where, single_line=True)),
                Text(printable(_detail(change), single_line=True)),
            )
        parts.append(table)
    for note in diff.notes:
        parts.append(Text(printable(f"note: {note}", single_line=True)))
    return Group(*parts)


def _md_cell(text: str) -> str:
    return markdown_inline(text) or " "


def _md_where(change: Change) -> str:
    where = printable(change.where, single_line=True).replace("`", "'")
    return f"`{where}`" if where else " "


def diff_markdown(diff: BranchDiff) -> str:
    """The diff as Markdown to paste as a pull-request comment: a summary line, then a table
    per kind of change (at most MD_ROWS rows each), every scanned text escaped."""
    lines = [
        "### terragon diff",
        "",
        f"**{diff.summary()}** — {_md_cell(_sides(diff))}",
    ]
    for name in CHANGES:
        changes = getattr(diff, name)
        if not changes:
            continue
        last = "Why" if name == "worsened" else "Category"
        lines += ["", f"#### {HEADINGS[name]} ({len(changes)})", ""]
        lines += [f"| Score | Item | Where | {last} |", "|---:|---|---|---|"]
        for change in changes[:MD_ROWS]:
            lines.append(
                f"| {change.score:.1f} | {_md_cell(change.finding.title)} | {_md_where(change)} "
                f"| {_md_cell(_detail(change))} |"
            )
        if len(changes) > MD_ROWS:
            lines += ["", f"…and {len(changes) - MD_ROWS} more (`terragon diff --json` lists all)."]
    if not diff.changes():
        lines += ["", "Nothing introduced, worsened or resolved."]
    for note in diff.notes:
        lines += ["", f"_{_md_cell(note)}_"]
    return "\n".join(lines) + "\n"
