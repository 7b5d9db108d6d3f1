"""Calibration results for people (Rich) and scripts (JSON)."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..backlog.calibration import CalibrationResult, CalibrationUndo, Evidence
from ..core.text import printable
from .value_render import hours

NO_EVIDENCE = (
    "No completed items yet: nothing to learn from. "
    "Complete items with `terragon complete ID --hours H` to calibrate estimates."
)


def _evidence_rows(table: Table, evidence: list[Evidence]) -> None:
    for e in evidence:
        table.add_row(
            e.group,
            printable(e.name, single_line=True),
            str(e.completions),
            hours(e.estimated_hours),
            hours(e.actual_hours),
            f"{e.ratio:.2f}×",
            Text(e.reason, style="" if e.strong else "dim"),
        )


def calibration_tables(result: CalibrationResult) -> RenderableType:
    """The evidence per category and source, the estimates changed, and what was left."""
    if not result.categories:
        return Text(NO_EVIDENCE)
    parts: list[RenderableType] = [
        Text(
            f"Calibration from {result.completions} completions "
            f"(at least {result.min_completions} per category or source to change estimates)",
            style="bold",
        )
    ]
    evidence = Table(header_style="bold")
    for name in ("Group", "Name", "Done", "Est. h", "Actual h", "Actual ÷ est.", "Effect"):
        evidence.add_column(
            name, justify="right" if name in ("Done", "Est. h", "Actual h") else "left"
        )
    _evidence_rows(evidence, result.categories)
    evidence.add_section()
    _evidence_rows(evidence, result.sources)
    parts.append(evidence)
    if result.changes:
        changes = Table(header_style="bold", title="Open items re-estimated")
        for name in ("ID", "Title", "Estimate h", "Job size", "Score", "Rests on"):
            changes.add_column(name, overflow="fold" if name == "Title" else "ellipsis")
        for c in result.changes:
            changes.add_row(
                printable(c.key, single_line=True),
                printable(c.title, single_line=True),
                f"{hours(c.before)} → {hours(c.after)}",
                f"{c.size_before} → {c.size_after}",
                f"{c.score_before:.1f} → {c.score_after:.1f}",
                f"{c.evidence.group} {printable(c.evidence.name, single_line=True)}",
            )
        parts.append(changes)
    else:
        parts.append(Text("No open estimate changes."))
    if result.kept:
        kept = ", ".join(printable(key, single_line=True) for key in result.kept)
        parts.append(Text(f"Kept (estimate set by a person): {kept}"))
    if result.uncovered:
        parts.append(
            Text(
                f"{result.uncovered} open items have too little evidence for their category "
                "and source: unchanged.",
                style="dim",
            )
        )
    if result.dry_run:
        parts.append(Text("Dry run: nothing was changed.", style="bold"))
    elif result.run_id is not None:
        parts.append(
            Text(
                f"Recorded as calibration #{result.run_id}; "
                "`terragon calibrate --undo` restores the previous estimates."
            )
        )
    return Group(*parts)


def calibration_json(result: CalibrationResult) -> dict[str, Any]:
    """The result as a JSON-ready dict."""
    return {
        "dry_run": result.dry_run,
        "run_id": result.run_id,
        "min_completions": result.min_completions,
        "completions": result.completions,
        "ratios": result.ratios(),
        "changes": [
            {
                **c.record(),
                "title": c.title,
                "job_size_before": c.size_before,
                "job_size_after": c.size_after,
                "score_before": round(c.score_before, 2),
                "score_after": round(c.score_after, 2),
            }
            for c in result.changes
        ],
        "kept": result.kept,
        "uncovered": result.uncovered,
        "note": None if result.categories else NO_EVIDENCE,
    }


def undo_text(result: CalibrationUndo) -> str:
    """One line saying what undoing a calibration restored."""
    text = f"Undid calibration #{result.run_id}: restored {len(result.restored)} estimates"
    if result.skipped:
        text += f"; left {', '.join(result.skipped)} (changed or closed since)"
    return text
