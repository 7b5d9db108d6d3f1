"""`terragon report value|stakeholder|delivery` and `terragon calibrate`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import UsageError
from . import common

report_app = typer.Typer(
    help="Reports: value delivered per period, a stakeholder document, delivery from git."
)

_F = typer.Option
JsonOpt = Annotated[bool, _F("--json", help="Print JSON instead of tables.")]
OutputOpt = Annotated[Path | None, _F("--output", "-o", help="File to write \\[default: stdout].")]
PeriodOpt = Annotated[str, _F("--period", "-p", help="week, month or quarter.")]
SUFFIX_FORMATS = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}


def _format(fmt: str | None, output: Path | None, json_: bool, default: str | None) -> str | None:
    if json_:
        if fmt not in (None, "json"):
            raise UsageError("give either --json or --format, not both")
        return "json"
    if fmt is not None:
        return fmt.strip().lower()
    if output is not None:
        return SUFFIX_FORMATS.get(output.suffix.lower(), default or "md")
    return default


def _emit(output: Path | None, data: str | bytes, *, json_: bool = False, fmt: str = "") -> None:
    """Write to `output` atomically, or to stdout."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data if data.endswith("\n") else data + "\n")
        return
    from ..reports.files import write_bytes_atomically

    write_bytes_atomically(output, data if isinstance(data, bytes) else data.encode("utf-8"))
    if json_:
        common.print_json("written", written=str(output), format=fmt)
    else:
        common.console.print(f"Wrote {output}", markup=False)


@report_app.command("value")
def value_cmd(
    ctx: typer.Context,
    period: PeriodOpt = "month",
    since: Annotated[
        str | None,
        _F("--since", metavar="YYYY-MM-DD", help="First day \\[default: first activity]."),
    ] = None,
    format_: Annotated[
        str | None, _F("--format", "-f", help="md or json \\[default: tables on a terminal].")
    ] = None,
    output: OutputOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Value delivered per period: completions, hours, value, discovered vs resolved, backlog."""
    from ..core.periods import parse_day
    from ..reports.contract import document
    from ..reports.records import to_json
    from ..reports.value import value_report
    from ..reports.value_render import FORMATS, value_json, value_markdown, value_tables

    fmt = _format(format_, output, json_, None)
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    report = value_report(
        common.workspace(ctx), period, since=parse_day(since) if since is not None else None
    )
    if fmt is None:
        common.console.print(value_tables(report))
    elif fmt == "json":
        _emit(output, to_json(document("value", value_json(report))), fmt=fmt)
    else:
        _emit(output, value_markdown(report), fmt=fmt)


@report_app.command("stakeholder")
def stakeholder_cmd(
    ctx: typer.Context,
    format_: Annotated[
        str | None, _F("--format", "-f", help="md, html or pdf \\[default: from -o, else md].")
    ] = None,
    output: OutputOpt = None,
    period: PeriodOpt = "month",
    json_: Annotated[bool, _F("--json", help="With -o, print what was written as JSON.")] = False,
) -> None:
    """One self-contained document for people who do not use a terminal (md, html, pdf)."""
    from ..reports.stakeholder import check_format, stakeholder_markdown, stakeholder_report

    fmt = check_format(_format(format_, output, False, "md") or "md")
    if json_ and output is None:
        raise UsageError("--json reports the file written: give -o FILE too")
    if fmt == "pdf" and output is None and sys.stdout.isatty():
        raise UsageError("a PDF is binary: give -o FILE (or redirect the output)")
    report = stakeholder_report(common.workspace(ctx), period)
    data: str | bytes
    if fmt == "md":
        data = stakeholder_markdown(report)
    elif fmt == "html":
        from ..reports.stakeholder_html import stakeholder_html

        data = stakeholder_html(report)
    else:
        from ..reports.stakeholder_pdf import stakeholder_pdf

        data = stakeholder_pdf(report)
    _emit(output, data, json_=json_, fmt=fmt)


@report_app.command("delivery")
def delivery_cmd(
    ctx: typer.Context,
    weeks: Annotated[int, _F("--weeks", "-w", help="How many weeks back.")] = 12,
    json_: JsonOpt = False,
) -> None:
    """Delivery from git: commits and releases per week, lead time, reverts and hotfixes."""
    from ..backlog.delivery import delivery_metrics
    from ..reports.delivery_render import delivery_tables

    metrics = delivery_metrics(common.workspace(ctx).root, weeks=weeks)
    if json_:
        common.print_json("delivery", metrics.as_dict())
    else:
        common.console.print(delivery_tables(metrics))


def calibrate_cmd(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, _F("--dry-run", "-n", help="Show what would change; change nothing.")
    ] = False,
    min_completions: Annotated[
        int,
        _F("--min-completions", "-m", help="Completions a category or source needs to count."),
    ] = 3,
    undo: Annotated[
        bool, _F("--undo", help="Restore the estimates the last calibration changed.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Learn actual ÷ estimated hours per category from completions; re-estimate open items."""
    from ..backlog.calibration import calibrate, undo_calibration
    from ..reports.calibration_render import (
        calibration_json,
        calibration_tables,
        undo_text,
    )

    ws = common.workspace(ctx)
    if undo:
        if dry_run:
            raise UsageError("give either --undo or --dry-run, not both")
        undone = undo_calibration(ws)
        if json_:
            common.print_json(
                "calibration-undo",
                {"undone": undone.run_id, "restored": undone.restored, "skipped": undone.skipped},
            )
        else:
            from ..reports.terminal import plain

            common.console.print(plain(undo_text(undone)))
        return
    result = calibrate(ws, min_completions=min_completions, dry_run=dry_run)
    if json_:
        common.print_json("calibration", calibration_json(result))
    else:
        common.console.print(calibration_tables(result))
