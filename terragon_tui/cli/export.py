"""`terragon export backlog`: the backlog document in the seed's layout, JSON or CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import common

_F = typer.Option


def export_backlog_cmd(
    ctx: typer.Context,
    output: Annotated[
        Path | None, _F("--output", "-o", help="File to write \\[default: stdout].")
    ] = None,
    format_: Annotated[str, _F("--format", "-f", help="md, json, csv or sarif.")] = "md",
) -> None:
    """Export the backlog: BACKLOG.md in the seed's layout, JSON / CSV of every item, or SARIF
    2.1.0 of the open items for code scanning."""
    from ..reports.backlog import export_backlog

    text = export_backlog(common.workspace(ctx), format_)
    if output is None:
        sys.stdout.write(text)
        return
    from ..reports.files import write_atomically

    write_atomically(output, text)
    common.console.print(f"Wrote {output}", markup=False)
