"""Commands on items: list, next, show, suggest, edit, complete, defer, reject, ignore, undo."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from ..core.errors import NotFoundError, UsageError
from . import common
from .common import JsonOpt

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
    "  terragon list --json | jq '.items | length'  every open item, for a script\n\n"
    "Saved views are \\[views.NAME] tables in the user config "
    "(~/.config/terragon-tui/config.toml) with the keys category, status, source, rule, "
    'path, role and sort (e.g. `role = "production"`, `sort = "-risk"`); options given '
    "with --view override its keys."
)


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
        typer.Option("--view", metavar="NAME", help="Apply the saved view \\[views.NAME]."),
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
    from ..backlog.filters import ItemFilter, ListRequest
    from ..reports.records import item_record

    chosen, sort = ItemFilter(category, status, source, rule, path, role), None
    if view is not None:
        from ..backlog.user_config import load_user_config
        from ..backlog.views import pick_view

        user = load_user_config()
        saved = pick_view(user.views, view, user.path)
        chosen, sort = chosen.over(saved.filters), saved.sort
    request = ListRequest(chosen, search, all_, limit, sort)
    entries = common.read_backlog(ctx, lambda backlog: backlog.list_items(request))
    if json_:
        common.print_json("items", items=[item_record(entry) for entry in entries])
    elif not entries:
        common.console.print("No items match. Add one with `terragon suggest` or run a scan.")
    else:
        _print_items(entries, page=not no_pager, cut=limit is None)


def _print_items(entries: Sequence[Any], *, page: bool, cut: bool) -> None:
    """The items table: through the pager on a terminal, else one screenful if `cut`."""
    from rich.text import Text

    from ..reports.terminal import items_table
    from .paging import CommandPager, can_run, fitting, pager_command

    def table(count: int = len(entries)) -> Any:
        return items_table(entries[:count], width=common.console.width)

    # The real stdout, not Rich's guess: FORCE_COLOR in a CI job must not start a pager.
    command = pager_command() if page and sys.stdout.isatty() else None
    if command is None or (not can_run(command) and not cut):
        common.console.print(table())
    elif can_run(command):
        with common.console.pager(CommandPager(command), styles=True):
            common.console.print(table())
    else:  # no pager program: one screenful, and the way to the rest
        shown = fitting(common.console, table, len(entries))
        common.console.print(table(shown))
        if shown < len(entries):
            total = len(entries)
            more = f"{total - shown} more: -n {total} or --no-pager prints them all"
            common.console.print(Text(more, style="dim"))


def next_cmd(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Show the next best value item: the open item with the highest score."""
    if json_:
        from ..reports.records import item_record

        entry = common.read_backlog(ctx, lambda backlog: backlog.top())
        common.print_json("next", item=item_record(entry) if entry else None)
        return
    detail = common.read_backlog(ctx, lambda backlog: backlog.next_detail())
    if detail is None:
        common.console.print("The backlog has no open items.")
    else:
        from ..reports.terminal import item_detail

        common.console.print(item_detail(detail))


def show_cmd(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    json_: JsonOpt = False,
) -> None:
    """Show an item with its score breakdown and, once done, its impact notes."""
    from ..reports.records import completion_record, item_record
    from ..reports.terminal import item_detail

    detail = common.read_backlog(ctx, lambda backlog: backlog.show_item(item_id))
    if json_:
        record = item_record(detail.ranked, detail.occurrences)
        record["breakdown"] = detail.breakdown.as_dict()
        record["completions"] = [completion_record(c) for c in detail.completions]
        common.print_json("item", record)
    else:
        common.console.print(item_detail(detail))


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
    from ..backlog.items import suggest_item

    fields = _item_fields(locals(), skip=("title", "description", "category"))
    item = suggest_item(
        common.workspace(ctx),
        category=category,
        title=title,
        description=description,
        prefix=prefix,
        **fields,
    )
    _report_item(ctx, item.key, json_, f"Added {item.key}")


def _report_item(ctx: typer.Context, key: str, json_: bool, message: str) -> None:
    from ..backlog.listing import show_item
    from ..reports.records import item_record
    from ..reports.terminal import plain

    detail = show_item(common.workspace(ctx), key)
    if json_:
        common.print_json("item", item_record(detail.ranked))
    else:
        rank = detail.ranked.rank
        where = f", rank {rank}" if rank is not None else ""
        common.console.print(
            plain(f"{message}: {detail.ranked.item.title} (score {detail.ranked.score:.1f}{where})")
        )


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
    from ..backlog.items import edit_items, set_after
    from ..reports.terminal import plain

    fields = _item_fields(locals())
    if after is not None:
        if len(item_ids) != 1:
            raise UsageError("--after takes one ID: give the items their links one at a time")
        linked = set_after(
            common.workspace(ctx), item_ids[0], [key for key in after if key.strip()]
        )
        links = (linked.data or {}).get("after", [])
        if not fields:
            message = (
                f"{linked.key} comes after {', '.join(links)} on the roadmap"
                if links
                else f"{linked.key} comes after no other item"
            )
            _report_item(ctx, linked.key, json_, message)
            return
    edited = edit_items(common.workspace(ctx), item_ids, **fields)
    if len(edited) == 1:
        _report_item(ctx, edited[0].key, json_, f"Updated {edited[0].key}")
        return
    keys = [item.key for item in edited]
    if json_:
        common.print_json("edited", edited=keys, fields=sorted(fields))
        return
    shown = ", ".join(keys[:10]) + (", …" if len(keys) > 10 else "")
    common.console.print(plain(f"Updated {len(keys)} items: {shown}"))
    common.console.print("[dim]terragon undo reverts them together.[/dim]")


def complete_cmd(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID")],
    hours: Annotated[float, _F("--hours", help="Actual hours spent.")],
    impact: Annotated[str, _F("--impact", help="Impact notes: what changed, for whom.")] = "",
    outcome: Annotated[str, _F("--outcome", help="success, partial or failed.")] = "success",
    json_: JsonOpt = False,
) -> None:
    """Mark an item done with actual hours and impact notes; its value is counted."""
    from ..backlog.items import complete_item
    from ..reports.records import completion_record
    from ..reports.terminal import plain

    result = complete_item(
        common.workspace(ctx), item_id, hours=hours, impact=impact, outcome=outcome
    )
    if json_:
        common.print_json(
            "completion", {"id": result.item.key, **completion_record(result.completion)}
        )
    else:
        common.console.print(
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
    from ..backlog.items import close_items, open_keys
    from ..reports.terminal import plain

    ws = common.workspace(ctx)
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
            common.print_json("closed", would_close=keys, status=status)
        else:
            common.console.print(plain(f"Would mark {len(keys)} {status}: {', '.join(keys)}"))
        return
    closed = close_items(ws, keys, status, reason=reason)
    if json_:
        common.print_json(
            "closed", closed=[item.key for item in closed], status=status, reason=reason
        )
        return
    if len(closed) == 1:
        _report_item(ctx, closed[0].key, json_, f"{status.capitalize()} {closed[0].key}")
        return
    shown = ", ".join(item.key for item in closed[:10]) + (", …" if len(closed) > 10 else "")
    common.console.print(plain(f"{status.capitalize()} {len(closed)} items: {shown}"))
    common.console.print("[dim]terragon undo reverts them together.[/dim]")


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


defer_cmd = _closing_command(
    "deferred",
    """Put open items aside for later, with a reason: by ID, or every one of a rule, a path
glob or a source (together: all of them must match). One undo reverts them all.

Examples: `terragon defer SEC-004 -r "after the release"`,
`terragon defer --path "docs/**" -r "docs sprint"`.
""",
)


reject_cmd = _closing_command(
    "rejected",
    """Decide open items will not be done, with a reason: by ID, or every one of a rule, a
path glob or a source (together: all of them must match). One undo reverts them all.

Examples: `terragon reject SEC-012 -r duplicate`,
`terragon reject --rule B311 --path "tests/**" -r "random is fine in tests"`.
""",
)


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
    from ..backlog.decide import ignore
    from ..reports.terminal import plain

    decided = ignore(common.workspace(ctx), rule=rule, path=path, reason=reason)
    if json_:
        common.print_json(
            "ignored",
            {
                "file": decided.file,
                "setting": decided.setting,
                "entry": decided.entry,
                "closed": list(decided.closed),
            },
        )
        return
    common.console.print(plain(f"Added {decided.entry!r} to {decided.setting} in {decided.file}."))
    if decided.closed:
        shown = ", ".join(decided.closed[:10]) + (", …" if len(decided.closed) > 10 else "")
        common.console.print(plain(f"Rejected {len(decided.closed)} open items: {shown}"))
    else:
        common.console.print("No open item was covered; the next scan leaves such findings out.")


def undo_cmd(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Revert your last change to an item (a suggestion is removed); never someone else's."""
    from ..backlog.items import undo
    from ..reports.terminal import plain

    result = undo(common.workspace(ctx))
    if json_:
        record = {"undone": result.action, "id": result.key, "title": result.title}
        common.print_json("undo", {**record, **({"ids": list(result.keys)} if result.keys else {})})
    else:
        common.console.print(plain(result.message + ("" if result.keys else f": {result.title}")))
