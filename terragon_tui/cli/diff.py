"""`terragon diff` (what a branch changes in the backlog) and `terragon check` (a CI gate)."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from ..core.errors import UsageError
from . import common

_F = typer.Option
JsonOpt = Annotated[bool, _F("--json", help="Print JSON instead of tables.")]
HeadOpt = Annotated[
    bool,
    _F(
        "--head",
        help="Compare HEAD's commit, checked out on its own, instead of the work tree as it "
        "is (uncommitted changes included).",
    ),
]
KindOpt = Annotated[
    str, _F("--kind", "-k", help="Scan kind on both sides: full, security, architecture, types.")
]
WorkersOpt = Annotated[
    int | None, _F("--workers", "-j", help="Processes for file analysis \\[default: cores].")
]
FORMATS = ("table", "md", "json", "sarif")

DIFF_HELP = (
    "Show what the branch introduces, worsens and resolves since BASE.\n\n"
    "BASE defaults to where HEAD left the default branch (`git merge-base HEAD BRANCH`, "
    "BRANCH being origin/$GITHUB_BASE_REF on GitHub Actions, else origin/HEAD, origin/main, "
    "origin/master, main or master). BASE is scanned in a temporary worktree under the cache "
    "directory, removed afterwards; the branch is the work tree as it is (--head: HEAD's "
    "commit). Neither the work tree, the index nor the backlog changes; the scan cache makes "
    "files both sides share free.\n\n"
    "Worsened: the same finding with more places, a function whose complexity rose, a "
    "module whose maintainability fell, a hotspot that got hotter (churn counted up to each "
    "side's commit).\n\n"
    "Examples:\n"
    "  terragon diff                     the branch against its merge-base\n"
    "  terragon diff v1.2 --head         HEAD's commit against the tag v1.2\n"
    "  terragon diff -f md -o diff.md    a pull-request comment"
)

CHECK_HELP = (
    "Fail (exit 1) when a condition holds, with one line per reason; exit 0 otherwise, 2 on "
    "a bad condition.\n\n"
    "A condition is SCOPE:FIELD OP VALUE. SCOPE: new (what the branch introduces since "
    "--base), worse (what it worsens) or open (the backlog's open items, as the last "
    "`terragon scan` left them). FIELD: severity (low, medium, high) or score (0-100), which "
    "hold when one item has it; count, or a category (security, technical-debt, ...), "
    "which compare the number of items. OP: >=, >, <=, <, ==, !=. Or target:NAME, which "
    "holds when that success indicator of [tool.terragon.targets] is not met (target:all: "
    "any of them).\n\n"
    "Quote conditions in a shell, which reads > as a redirection.\n\n"
    "Examples:\n"
    "  terragon check --fail-on 'new:severity>=high'\n"
    "  terragon check --fail-on 'new:score>=70,open:security>=1' --base origin/main\n"
    "  terragon check --fail-on target:all"
)


@contextlib.contextmanager
def _terminated_as_interrupt() -> Iterator[None]:
    """SIGTERM (a cancelled CI job) ends the command as ctrl+c does, so the temporary
    worktrees are removed on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _progress(quiet: bool) -> Iterator[Any]:
    """A status line on a terminal's stderr naming the phase of each side's scan."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console

    with Console(stderr=True).status("scanning") as status:

        def show(phase: str, done: int, total: int) -> None:
            status.update(f"{phase} {done}/{total}" if total > 1 else phase)

        yield show


def _format(fmt: str | None, json_: bool, output: Path | None) -> str:
    if json_:
        if fmt not in (None, "json"):
            raise UsageError("give either --json or --format, not both")
        return "json"
    if fmt is None:
        return "md" if output is not None and output.suffix.lower() == ".md" else "table"
    chosen = fmt.strip().lower()
    if chosen not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return chosen


def diff_cmd(
    ctx: typer.Context,
    base: Annotated[
        str | None, typer.Argument(help="Revision to compare with \\[default: the merge-base].")
    ] = None,
    head: HeadOpt = False,
    kind: KindOpt = "full",
    format_: Annotated[
        str | None,
        _F(
            "--format",
            "-f",
            help="table, md (a pull-request comment), json or sarif (code scanning).",
        ),
    ] = None,
    output: Annotated[
        Path | None, _F("--output", "-o", help="File to write \\[default: stdout].")
    ] = None,
    workers: WorkersOpt = None,
    json_: JsonOpt = False,
) -> None:
    """What the branch introduces, worsens and resolves since BASE."""
    from ..backlog.diffing import diff_branch

    chosen = _format(format_, json_, output)
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    ws = common.workspace(ctx)
    with _terminated_as_interrupt(), _progress(chosen != "table" and output is None) as show:
        diff = diff_branch(ws, base, head=head, kind=kind, workers=workers, progress=show)
    if chosen == "table" and output is None:
        from ..reports.diff_render import diff_tables

        common.console.print(diff_tables(diff))
        return
    if chosen == "json":
        from ..reports.contract import document
        from ..reports.records import to_json

        text = to_json(document("diff", diff.as_dict())) + "\n"
    elif chosen == "md":
        from ..reports.diff_render import diff_markdown

        text = diff_markdown(diff)
    elif chosen == "sarif":
        from ..reports.records import to_json
        from ..reports.sarif import diff_flagged, repository_anchor, sarif_log

        flagged = diff_flagged([*diff.introduced, *diff.worsened])
        text = to_json(sarif_log(flagged, anchor=repository_anchor(ws.root))) + "\n"
    else:
        from io import StringIO

        from rich.console import Console

        from ..reports.diff_render import diff_tables

        buffer = StringIO()
        Console(file=buffer, width=160, color_system=None).print(diff_tables(diff))
        text = buffer.getvalue()
    if output is None:
        sys.stdout.write(text)
        return
    from ..reports.files import write_atomically

    write_atomically(output, text)
    common.console.print(f"Wrote {output}", markup=False)


def check_cmd(
    ctx: typer.Context,
    fail_on: Annotated[
        list[str] | None,
        _F(
            "--fail-on",
            metavar="CONDITION",
            help="SCOPE:FIELD OP VALUE; repeatable, or several comma-separated "
            "\\[default: new:severity>=high].",
        ),
    ] = None,
    base: Annotated[
        str | None,
        _F("--base", metavar="REV", help="Base of new: and worse: \\[default: the merge-base]."),
    ] = None,
    head: HeadOpt = False,
    kind: KindOpt = "full",
    workers: WorkersOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Fail when a condition holds: a CI quality gate."""
    from ..backlog.conditions import parse_conditions
    from ..backlog.gate import check_gate
    from ..core.text import printable

    conditions = parse_conditions(fail_on or ["new:severity>=high"])
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    ws = common.workspace(ctx)
    with _terminated_as_interrupt(), _progress(json_) as show:
        result = check_gate(
            ws, conditions, base=base, head=head, kind=kind, workers=workers, progress=show
        )
    if json_:
        common.print_json("check", result.as_dict())
    else:
        for reason in result.reasons:
            sys.stdout.write(printable(reason, single_line=True) + "\n")
        if not result.failed:
            judged = ", ".join(c.text for c in conditions)
            against = f" ({result.diff.summary()} since {result.diff.base})" if result.diff else ""
            sys.stdout.write(printable(f"ok: none of {judged} holds{against}", single_line=True))
            sys.stdout.write("\n")
    if result.failed:
        raise typer.Exit(1)
