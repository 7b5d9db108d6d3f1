"""The `terragon` command: one verb per service, `--json` for scripts, no verb opens the TUI."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from . import __version__
from .errors import NotFoundError, TerragonError, UsageError

app = typer.Typer(
    name="terragon",
    help=(
        "Turn a repository into a ranked value backlog. Run it inside a repository; "
        "every command takes --json for scripts."
    ),
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
export_app = typer.Typer(help="Export the backlog as Markdown (the seed's layout), JSON or CSV.")
app.add_typer(export_app, name="export")

console = Console(highlight=False, soft_wrap=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


class _State:
    def __init__(self, db: str | None, repo: Path | None) -> None:
        self.db, self.repo, self._ws = db, repo, None

    def workspace(self):  # type: ignore[no-untyped-def]
        if self._ws is None:
            from .backlog.workspace import open_workspace

            self._ws = open_workspace(self.repo, self.db)
        return self._ws


def _ws(ctx: typer.Context):  # type: ignore[no-untyped-def]
    return ctx.ensure_object(_State).workspace()


def _print_json(value: Any) -> None:
    from .reports.records import to_json

    sys.stdout.write(to_json(value) + "\n")


def _version(value: bool) -> None:
    if value:
        console.print(f"terragon {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="URL",
            help="Store: a SQLite file or any SQLAlchemy URL "
            "[env: TERRAGON_DB; default: the user data directory].",
        ),
    ] = None,
    repo: Annotated[
        Path | None,
        typer.Option("--repo", "-C", metavar="PATH", help="Repository to work on [default: cwd]."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn a repository into a ranked value backlog."""
    ctx.obj = _State(db, repo)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            run_tui(ctx.obj.workspace())
        else:  # a script or a pipe: the TUI cannot run, so teach the commands instead
            console.print(ctx.get_help())


def run_tui(ws) -> None:  # type: ignore[no-untyped-def]
    """Open the triage TUI on a workspace; a bad setting stops it before it starts, in one line."""
    from .backlog.weights import scoring_settings
    from .config import load_user_config
    from .store import transactions
    from .tui.app import TerragonApp

    user = load_user_config()
    with ws.reading() as session:
        scoring_settings(ws, session)  # the repository's maturity, weights and boosts
    transactions.wait_listener = None  # the TUI says a write is waiting in its own window
    TerragonApp(ws, user, first_scan=True).run()


LIST_HELP = (
    "List items ranked by composite score (open items unless --all or --status).\n\n"
    "On a terminal the table goes through a pager, as git's output does: $TERRAGON_PAGER, "
    "else $PAGER, else `less -R` (with LESS=FRX unless LESS is set, so it quits when the "
    "table fits one screen). With no pager program it shows one screenful and says how many "
    "more there are. An empty pager or `cat` turns paging off; --json, a pipe or a file "
    "always get every row.\n\n"
    "Examples:\n"
    "  terragon list                               the open items, best first\n"
    "  terragon list -n 20 --no-pager              the top 20, to the terminal\n"
    "  terragon list -c security --all             security items, closed ones too\n"
    "  terragon list --rule B311 --role test       one rule's items in tests\n"
    '  terragon list --path "src/**" -c security   security items under src/\n'
    "  terragon list --view security-in-src        a saved view (below)\n"
    "  terragon list --json | jq length            every open item, for a script\n\n"
    "Saved views are \\[views.NAME] tables in the user config "
    "(~/.config/terragon-tui/config.toml) with the keys category, status, source, rule, "
    'path, role and sort (e.g. `role = "production"`, `sort = "-risk"`); options given '
    "with --view override its keys."
)


@app.command("list", help=LIST_HELP)
def list_cmd(
    ctx: typer.Context,
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="Only this category.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="Only this status (open, done, deferred...).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only items from this discovery source.")
    ] = None,
    rule: Annotated[
        str | None, typer.Option("--rule", help="Only items of this rule (B311, F401...).")
    ] = None,
    path: Annotated[
        str | None,
        typer.Option(
            "--path", metavar="GLOB", help='Only items with a place under GLOB ("src/**").'
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Only items of this path role (production, test, docs...)."),
    ] = None,
    view: Annotated[
        str | None,
        typer.Option("--view", metavar="NAME", help="Apply the saved view [views.NAME]."),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Text in ID, title or description.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", "-a", help="Include done, deferred and rejected items.")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", help="At most this many items.")
    ] = None,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Print every row, even on a terminal.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """List items ranked by composite score (open items unless --all or --status)."""
    from .backlog.filters import ItemFilter
    from .backlog.ranking import list_items
    from .reports.records import item_record

    chosen, sort = ItemFilter(category, status, source, rule, path, role), None
    if view is not None:
        from .config import load_user_config
        from .saved_views import pick_view

        user = load_user_config()
        saved = pick_view(user.views, view, user.path)
        chosen, sort = chosen.over(saved.filters), saved.sort
    entries = list_items(
        _ws(ctx),
        **chosen.as_dict(),
        text=search,
        include_closed=all_,
        limit=limit,
        sort=sort,
    )
    if json_:
        _print_json([item_record(entry) for entry in entries])
    elif not entries:
        console.print("No items match. Add one with `terragon suggest` or run a scan.")
    else:
        _print_items(entries, page=not no_pager, cut=limit is None)


def _print_items(entries: list[Any], *, page: bool, cut: bool) -> None:
    """The items table: through the pager on a terminal, else one screenful if `cut`."""
    from rich.text import Text

    from .paging import CommandPager, can_run, fitting, pager_command
    from .terminal import items_table

    def table(count: int = len(entries)) -> Any:
        return items_table(entries[:count], width=console.width)

    # The real stdout, not Rich's guess: FORCE_COLOR in a CI job must not start a pager.
    command = pager_command() if page and sys.stdout.isatty() else None
    if command is None or (not can_run(command) and not cut):
        console.print(table())
    elif can_run(command):
        with console.pager(CommandPager(command), styles=True):
            console.print(table())
    else:  # no pager program: one screenful, and the way to the rest
        shown = fitting(console, table, len(entries))
        console.print(table(shown))
        if shown < len(entries):
            total = len(entries)
            more = f"{total - shown} more: -n {total} or --no-pager prints them all"
            console.print(Text(more, style="dim"))


@app.command("next")
def next_cmd(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Show the next best value item: the open item with the highest score."""
    from .backlog.ranking import next_item, show_item
    from .reports.records import item_record
    from .terminal import item_detail

    ws = _ws(ctx)
    entry = next_item(ws)
    if json_:
        _print_json(item_record(entry) if entry else None)
    elif entry is None:
        console.print("The backlog has no open items.")
    else:
        console.print(item_detail(show_item(ws, entry.item.key)))


@app.command("show")
def show_cmd(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    json_: JsonOpt = False,
) -> None:
    """Show an item with its score breakdown and, once done, its impact notes."""
    from .backlog.ranking import show_item
    from .reports.records import completion_record, item_record
    from .terminal import item_detail

    detail = show_item(_ws(ctx), item_id)
    if json_:
        record = item_record(detail.ranked, detail.occurrences)
        record["breakdown"] = detail.breakdown.as_dict()
        record["completions"] = [completion_record(c) for c in detail.completions]
        _print_json(record)
    else:
        console.print(item_detail(detail))


#: Command-line option name -> item field, for the options suggest and edit share.
ITEM_OPTIONS = {
    "title": "title",
    "description": "description",
    "category": "category",
    "status": "status",
    "hours": "estimated_hours",
    "impact": "impact",
    "confidence": "confidence",
    "ease": "ease",
    "risk": "risk",
    "business_value": "business_value",
    "time_criticality": "time_criticality",
    "risk_reduction": "risk_reduction",
    "severity": "security_severity",
    "priority": "priority",
    "value_text": "business_value_text",
    "file": "file_path",
    "line": "line",
    "security": "is_security",
    "compliance": "is_compliance",
    "performance": "is_performance",
}


def _item_fields(options: dict[str, Any], *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The item fields given on the command line, from a command's arguments (None: not given)."""
    return {
        field: options[name]
        for name, field in ITEM_OPTIONS.items()
        if name in options and name not in skip and options[name] is not None
    }


_F = typer.Option
HoursOpt = Annotated[float | None, _F("--hours", help="Estimated effort in hours.")]
ImpactOpt = Annotated[float | None, _F("--impact", help="Impact 1-10.")]
ConfOpt = Annotated[float | None, _F("--confidence", help="Confidence 1-10.")]
EaseOpt = Annotated[float | None, _F("--ease", help="Ease 1-10.")]
RiskOpt = Annotated[float | None, _F("--risk", help="Risk 0-1 (chooses the decision lane).")]
BvOpt = Annotated[float | None, _F("--business-value", help="WSJF business value, 1-20.")]
TcOpt = Annotated[float | None, _F("--time-criticality", help="WSJF time criticality, 1-20.")]
RrOpt = Annotated[
    float | None, _F("--risk-reduction", help="WSJF risk reduction / opportunity enablement, 1-20.")
]
SevOpt = Annotated[float | None, _F("--severity", help="Security severity 0-10.")]
PrioOpt = Annotated[str | None, _F("--priority", help="critical, high, medium or low.")]
VtOpt = Annotated[str | None, _F("--value-text", help="Business value, in words.")]
FileOpt = Annotated[str | None, _F("--file", help="File the item is about.")]
LineOpt = Annotated[int | None, _F("--line", help="Line in that file.")]
SecOpt = Annotated[bool | None, _F("--security/--no-security", help="Apply the security boost.")]
CompOpt = Annotated[
    bool | None, _F("--compliance/--no-compliance", help="Apply the compliance boost.")
]
PerfOpt = Annotated[
    bool | None, _F("--performance/--no-performance", help="Apply the performance boost.")
]


@app.command("suggest")
def suggest_cmd(
    ctx: typer.Context,
    category: Annotated[
        str,
        _F(
            "--category",
            "-c",
            help="security, performance, infrastructure, "
            "technical-debt, documentation, feature, compliance, dependencies, testing.",
        ),
    ],
    title: Annotated[str, _F("--title", "-t", help="A short title.")],
    description: Annotated[str, _F("--description", "-d", help="What and why.")] = "",
    hours: HoursOpt = None,
    impact: ImpactOpt = None,
    confidence: ConfOpt = None,
    ease: EaseOpt = None,
    risk: RiskOpt = None,
    business_value: BvOpt = None,
    time_criticality: TcOpt = None,
    risk_reduction: RrOpt = None,
    severity: SevOpt = None,
    priority: PrioOpt = None,
    value_text: VtOpt = None,
    file: FileOpt = None,
    line: LineOpt = None,
    security: SecOpt = None,
    compliance: CompOpt = None,
    performance: PerfOpt = None,
    prefix: Annotated[
        str | None, _F("--prefix", help="ID prefix instead of the category's (e.g. CICD).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Suggest a new item; it is scored and ranked at once."""
    from .backlog.items import suggest_item

    fields = _item_fields(locals(), skip=("title", "description", "category"))
    item = suggest_item(
        _ws(ctx), category=category, title=title, description=description, prefix=prefix, **fields
    )
    _report_item(ctx, item.key, json_, f"Added {item.key}")


def _report_item(ctx: typer.Context, key: str, json_: bool, message: str) -> None:
    from .backlog.ranking import show_item
    from .reports.records import item_record
    from .terminal import plain

    detail = show_item(_ws(ctx), key)
    if json_:
        _print_json(item_record(detail.ranked))
    else:
        rank = detail.ranked.rank
        where = f", rank {rank}" if rank is not None else ""
        console.print(
            plain(f"{message}: {detail.ranked.item.title} (score {detail.ranked.score:.1f}{where})")
        )


@app.command("edit")
def edit_cmd(
    ctx: typer.Context,
    item_ids: Annotated[list[str], typer.Argument(metavar="ID...")],
    title: Annotated[str | None, _F("--title", "-t")] = None,
    description: Annotated[str | None, _F("--description", "-d")] = None,
    category: Annotated[str | None, _F("--category", "-c")] = None,
    status: Annotated[
        str | None, _F("--status", help="open, in-progress, done, deferred, rejected.")
    ] = None,
    hours: HoursOpt = None,
    impact: ImpactOpt = None,
    confidence: ConfOpt = None,
    ease: EaseOpt = None,
    risk: RiskOpt = None,
    business_value: BvOpt = None,
    time_criticality: TcOpt = None,
    risk_reduction: RrOpt = None,
    severity: SevOpt = None,
    priority: PrioOpt = None,
    value_text: VtOpt = None,
    file: FileOpt = None,
    line: LineOpt = None,
    security: SecOpt = None,
    compliance: CompOpt = None,
    performance: PerfOpt = None,
    after: Annotated[
        list[str] | None,
        _F(
            "--after",
            metavar="OTHER",
            help="On the roadmap, come right after item OTHER (repeat for several; "
            "one ID only). `--after ''` removes the links.",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Change items' fields (several IDs: the same values for each, as one change that
    `terragon undo` reverts whole); a rescan will not overwrite what you change."""
    from .backlog.items import edit_items, set_after
    from .terminal import plain

    fields = _item_fields(locals())
    if after is not None:
        if len(item_ids) != 1:
            raise UsageError("--after takes one ID: give the items their links one at a time")
        linked = set_after(_ws(ctx), item_ids[0], [key for key in after if key.strip()])
        links = (linked.data or {}).get("after", [])
        if not fields:
            message = (
                f"{linked.key} comes after {', '.join(links)} on the roadmap"
                if links
                else f"{linked.key} comes after no other item"
            )
            _report_item(ctx, linked.key, json_, message)
            return
    edited = edit_items(_ws(ctx), item_ids, **fields)
    if len(edited) == 1:
        _report_item(ctx, edited[0].key, json_, f"Updated {edited[0].key}")
        return
    keys = [item.key for item in edited]
    if json_:
        _print_json({"edited": keys, "fields": sorted(fields)})
        return
    shown = ", ".join(keys[:10]) + (", …" if len(keys) > 10 else "")
    console.print(plain(f"Updated {len(keys)} items: {shown}"))
    console.print("[dim]terragon undo reverts them together.[/dim]")


@app.command("complete")
def complete_cmd(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    hours: Annotated[float, _F("--hours", help="Actual hours spent.")],
    impact: Annotated[str, _F("--impact", help="Impact notes: what changed, for whom.")] = "",
    outcome: Annotated[str, _F("--outcome", help="success, partial or failed.")] = "success",
    json_: JsonOpt = False,
) -> None:
    """Mark an item done with actual hours and impact notes; its value is counted."""
    from .backlog.items import complete_item
    from .reports.records import completion_record
    from .terminal import plain

    result = complete_item(_ws(ctx), item_id, hours=hours, impact=impact, outcome=outcome)
    if json_:
        _print_json({"id": result.item.key, **completion_record(result.completion)})
    else:
        console.print(
            plain(
                f"Completed {result.item.key}: {result.item.title} "
                f"({result.completion.actual_hours:g} h, value "
                f"{result.completion.score:.1f} counted)"
            )
        )


def _close_cmd(
    ctx: typer.Context,
    item_ids: list[str] | None,
    selector: dict[str, str | None],
    reason: str,
    json_: bool,
    dry_run: bool,
    status: str,
) -> None:
    """Close the items named, or every open one the selector picks, as `status`."""
    from .backlog.items import close_items, open_keys
    from .terminal import plain

    ws = _ws(ctx)
    chosen = {name: value for name, value in selector.items() if value is not None}
    if item_ids and chosen:
        raise UsageError("name items by ID or select them with --rule/--path/--source, not both")
    if not item_ids and not chosen:
        raise UsageError("name the items: IDs, or --rule, --path or --source")
    keys = list(item_ids or open_keys(ws, **chosen))
    if not keys:
        wanted = ", ".join(f"--{name} {value}" for name, value in chosen.items())
        raise NotFoundError(f"no open item matches {wanted}")
    if dry_run:
        if json_:
            _print_json({"would_close": keys, "status": status})
        else:
            console.print(plain(f"Would mark {len(keys)} {status}: {', '.join(keys)}"))
        return
    closed = close_items(ws, keys, status, reason=reason)
    if json_:
        _print_json({"closed": [item.key for item in closed], "status": status, "reason": reason})
        return
    if len(closed) == 1:
        _report_item(ctx, closed[0].key, json_, f"{status.capitalize()} {closed[0].key}")
        return
    shown = ", ".join(item.key for item in closed[:10]) + (", …" if len(closed) > 10 else "")
    console.print(plain(f"{status.capitalize()} {len(closed)} items: {shown}"))
    console.print("[dim]terragon undo reverts them together.[/dim]")


ReasonOpt = Annotated[str, _F("--reason", "-r", help="Why (kept with each item).")]
IdsArg = Annotated[
    list[str] | None,
    typer.Argument(metavar="ID", help="The items, by ID.", show_default=False),
]
RuleOpt = Annotated[
    str | None, _F("--rule", help="Every open item of this rule (B311, hotspot, F401...).")
]
PathOpt = Annotated[
    str | None, _F("--path", metavar="GLOB", help="Every open item with a place matching GLOB.")
]
SourceOpt = Annotated[
    str | None, _F("--source", help="Every open item from this source (security, todos...).")
]
DryRunOpt = Annotated[bool, _F("--dry-run", help="Only show which items would change.")]


def _closing_command(status: str, doc: str) -> Any:
    """`terragon defer` or `terragon reject`: the same options, closing as `status`."""

    def command(
        ctx: typer.Context,
        item_ids: IdsArg = None,
        reason: ReasonOpt = "",
        rule: RuleOpt = None,
        path: PathOpt = None,
        source: SourceOpt = None,
        dry_run: DryRunOpt = False,
        json_: JsonOpt = False,
    ) -> None:
        selector = {"rule": rule, "path": path, "source": source}
        _close_cmd(ctx, item_ids, selector, reason, json_, dry_run, status)

    command.__doc__ = doc
    return command


app.command("defer")(
    _closing_command(
        "deferred",
        """Put open items aside for later, with a reason: by ID, or every one of a rule, a path
    glob or a source (together: all of them must match). One undo reverts them all.

    Examples: `terragon defer SEC-004 -r "after the release"`,
    `terragon defer --path "docs/**" -r "docs sprint"`.
    """,
    )
)
app.command("reject")(
    _closing_command(
        "rejected",
        """Decide open items will not be done, with a reason: by ID, or every one of a rule, a
    path glob or a source (together: all of them must match). One undo reverts them all.

    Examples: `terragon reject SEC-012 -r duplicate`,
    `terragon reject --rule B311 --path "tests/**" -r "random is fine in tests"`.
    """,
    )
)


@app.command("ignore")
def ignore_cmd(
    ctx: typer.Context,
    rule: Annotated[
        str | None, _F("--rule", help="The rule to ignore (B311, F401, hotspot...).")
    ] = None,
    path: Annotated[
        str | None,
        _F("--path", metavar="GLOB", help="Only under GLOB; without --rule, all of GLOB."),
    ] = None,
    reason: Annotated[str, _F("--reason", "-r", help="Why (kept with each item).")] = "",
    json_: JsonOpt = False,
) -> None:
    """Decide at the source: ignore a rule (everywhere, or under a path glob) or a whole path
    in the repository's own config, so the decision is shared through git and every scan
    respects it; the open items it covers are rejected with the reason, as one change.

    It adds to `[tool.terragon.scan]` in pyproject.toml (`ignore_rules`, or `exclude` for a
    path alone), or to `[scan]` in .terragon/config.toml when that file exists, keeping the
    file's comments and layout. `terragon undo` reopens the items; the setting stays until
    you remove it from the file.

    Examples: `terragon ignore --rule B311 --path "tests/**" -r "random is fine in tests"`,
    `terragon ignore --path "fixtures/**" -r "test data"`.
    """
    from .backlog.decide import ignore
    from .terminal import plain

    decided = ignore(_ws(ctx), rule=rule, path=path, reason=reason)
    if json_:
        _print_json(
            {
                "file": decided.file,
                "setting": decided.setting,
                "entry": decided.entry,
                "closed": list(decided.closed),
            }
        )
        return
    console.print(plain(f"Added {decided.entry!r} to {decided.setting} in {decided.file}."))
    if decided.closed:
        shown = ", ".join(decided.closed[:10]) + (", …" if len(decided.closed) > 10 else "")
        console.print(plain(f"Rejected {len(decided.closed)} open items: {shown}"))
    else:
        console.print("No open item was covered; the next scan leaves such findings out.")


@app.command("undo")
def undo_cmd(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Revert your last change to an item (a suggestion is removed); never someone else's."""
    from .backlog.items import undo
    from .terminal import plain

    result = undo(_ws(ctx))
    if json_:
        record = {"undone": result.action, "id": result.key, "title": result.title}
        _print_json({**record, **({"ids": list(result.keys)} if result.keys else {})})
    else:
        console.print(plain(result.message + ("" if result.keys else f": {result.title}")))


@app.command("weights")
def weights_cmd(
    ctx: typer.Context,
    focus: Annotated[
        str | None, _F("--focus", help="security, performance, debt or value.")
    ] = None,
    set_: Annotated[
        str | None,
        _F(
            "--set",
            metavar="K=V,...",
            help="e.g. wsjf=0.5,debt=0.3,ice=0.1,security=0.1,security_boost=2.5",
        ),
    ] = None,
    reset: Annotated[
        bool, _F("--reset", help="Back to the maturity default and the repo's config.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Show the scoring weights and boosts; --focus, --set or --reset change and save them."""
    from .backlog import weights as service
    from .terminal import weights_table

    if sum(option is not None and option is not False for option in (focus, set_, reset)) > 1:
        raise UsageError("give only one of --focus, --set and --reset")
    ws = _ws(ctx)
    if focus:
        settings = service.focus_weights(ws, focus)
    elif set_:
        settings = service.set_weights(ws, set_)
    elif reset:
        settings = service.reset_weights(ws)
    else:
        with ws.reading() as session:
            settings = service.scoring_settings(ws, session)
    if json_:
        _print_json(settings.as_dict())
    else:
        console.print(weights_table(settings))


@app.command("scan")
def scan_cmd(
    ctx: typer.Context,
    path: Annotated[
        Path | None, typer.Argument(help="Repository to scan [default: --repo or the cwd].")
    ] = None,
    kind: Annotated[
        str,
        _F(
            "--kind",
            "-k",
            help="full, security (bandit, secrets), architecture (complexity, hotspots, imports) "
            "or types (mypy, also where the repository configures none).",
        ),
    ] = "full",
    since: Annotated[
        str | None, _F("--since", metavar="REV", help="Only count churn after this revision.")
    ] = None,
    no_cache: Annotated[bool, _F("--no-cache", help="Analyse every file again.")] = False,
    workers: Annotated[
        int | None, _F("--workers", "-j", help="Processes for file analysis [default: cores].")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Scan the repository and update its backlog: new items, updates, resolved ones.

    Findings never make the exit code non-zero: it is a discovery tool. Only a failure does.
    """
    from .backlog.scanning import check_kind, scan_workspace

    check_kind(kind)
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    state = ctx.ensure_object(_State)
    if path is not None:
        if not path.is_dir():
            raise UsageError(f"{path} is not a directory")
        state.repo = path
    ws = state.workspace()
    show_progress = not json_ and sys.stderr.isatty()
    if show_progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("starting", total=None)

            def progress(phase: str, done: int, total: int) -> None:
                bar.update(task, description=phase, completed=done, total=total or None)

            report = scan_workspace(
                ws, kind, since=since, progress=progress, workers=workers, use_cache=not no_cache
            )
    else:
        report = scan_workspace(ws, kind, since=since, workers=workers, use_cache=not no_cache)
    if json_:
        _print_json(report.as_dict())
        return
    from .terminal import plain

    console.print(plain(f"Scanned {ws.root} ({kind}): {report.summary()}"))
    for note in report.result.notes:
        console.print(plain(f"note: {note}"))
    if report.result.skipped:
        in_part = len(report.result.partial)
        console.print(
            plain(
                f"skipped {len(report.result.skipped)} files"
                + (f" ({in_part} still read in part)" if in_part else "")
                + "; `terragon scan --json` lists them with reasons"
            )
        )
    if report.result.suppressed:
        from collections import Counter

        count = len(report.result.suppressed)
        reasons = Counter(s.reason for s in report.result.suppressed).most_common(3)
        top = ", ".join(f"{n} {reason}" for reason, n in reasons)
        more = ", ..." if len(reasons) == 3 else ""
        console.print(
            plain(
                f"suppressed {count} finding{'s' if count != 1 else ''} ({top}{more}); "
                "`terragon scan --json` lists each with its reason"
            )
        )
    if report.result.excluded:
        left = ", ".join(f"{n} {why}" for why, n in report.result.excluded.items())
        console.print(plain(f"not scanned: {left}"))


@export_app.command("backlog")
def export_backlog_cmd(
    ctx: typer.Context,
    output: Annotated[
        Path | None, _F("--output", "-o", help="File to write [default: stdout].")
    ] = None,
    format_: Annotated[str, _F("--format", "-f", help="md, json, csv or sarif.")] = "md",
) -> None:
    """Export the backlog: BACKLOG.md in the seed's layout, JSON / CSV of every item, or SARIF
    2.1.0 of the open items for code scanning."""
    from .reports.backlog import export_backlog

    text = export_backlog(_ws(ctx), format_)
    if output is None:
        sys.stdout.write(text)
        return
    from .reports.files import write_atomically

    write_atomically(output, text)
    console.print(f"Wrote {output}", markup=False)


def _fail(message: str, code: int) -> None:
    from .errors import one_line

    sys.stderr.write(one_line(message) + "\n")
    sys.exit(code)


def check_arguments(args: list[str]) -> None:
    """Refuse an argument that is not UTF-8 text (Python holds its bytes as surrogates, which
    no store, report or terminal takes), naming it with those bytes shown as `\\xNN`."""
    for number, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            except UnicodeEncodeError:
                shown = arg.encode("utf-8", "backslashreplace").decode("ascii")
            raise UsageError(
                f"argument {number} ('{shown}') is not UTF-8 text; give every argument in UTF-8"
            ) from None


from .cli_apply import apply_cmd, export_issues_cmd, link_issue_cmd  # noqa: E402
from .cli_diff import CHECK_HELP, DIFF_HELP, check_cmd, diff_cmd  # noqa: E402
from .cli_reports import calibrate_cmd, report_app  # noqa: E402
from .cli_roadmap import ROADMAP_HELP, roadmap_cmd  # noqa: E402
from .cli_schedule import schedule_app  # noqa: E402
from .cli_serve import SERVE_HELP, serve_cmd  # noqa: E402
from .cli_store import REPOS_HELP, backup_cmd, doctor_cmd, repos_cmd, restore_cmd  # noqa: E402

app.add_typer(report_app, name="report")
app.command("calibrate")(calibrate_cmd)
app.command("doctor")(doctor_cmd)
app.command("repos", help=REPOS_HELP)(repos_cmd)
app.command("backup")(backup_cmd)
app.command("restore")(restore_cmd)
app.add_typer(schedule_app, name="schedule")
app.command("roadmap", help=ROADMAP_HELP)(roadmap_cmd)
app.command("apply")(apply_cmd)
app.command("link-issue")(link_issue_cmd)
export_app.command("issues")(export_issues_cmd)
app.command("diff", help=DIFF_HELP)(diff_cmd)
app.command("check", help=CHECK_HELP)(check_cmd)
app.command("serve", help=SERVE_HELP)(serve_cmd)


def _say_waiting(message: str, said: list[str]) -> None:
    """Print, once per command, that it waits for another process's hold on the store."""
    from .text import printable

    if not said:
        said.append(message)
        sys.stderr.write(printable(f"terragon: {message}", single_line=True) + "\n")
        sys.stderr.flush()


def main(argv: list[str] | None = None) -> None:
    """Run the command line, turning the user's errors into one line and an exit code."""
    from sqlalchemy.exc import DBAPIError

    from .store import transactions

    global console  # sized from the terminal (or $COLUMNS) of this run, not of an earlier one
    console = Console(highlight=False, soft_wrap=True)
    said: list[str] = []
    transactions.wait_listener = lambda message: _say_waiting(message, said)
    try:
        check_arguments(sys.argv[1:] if argv is None else argv)
        app(args=argv, prog_name="terragon")
    except TerragonError as exc:
        _fail(f"terragon: error: {exc}", exc.exit_code)
    except DBAPIError as exc:
        if os.environ.get("TERRAGON_DEBUG"):  # the driver's whole story, for a bug report
            raise
        _fail(f"terragon: store error: {exc.orig if exc.orig else exc}", 1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug: still one line, with the way to the whole story
        if os.environ.get("TERRAGON_DEBUG"):
            raise
        _fail(
            f"terragon: internal error: {type(exc).__name__}: {exc} "
            "(run again with TERRAGON_DEBUG=1 for the traceback, and report it)",
            1,
        )
    finally:
        transactions.wait_listener = None
