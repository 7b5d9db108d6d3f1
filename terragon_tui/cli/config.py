"""`terragon config`: the settings in force and where each came from, and a starter config."""

from __future__ import annotations

from pathlib import Path

import typer

from ..core.errors import ConfigError
from . import common

CONFIG_HELP = (
    "See the settings in force, or start a \\[tool.terragon] table in pyproject.toml.\n\n"
    "One schema checks pyproject.toml's \\[tool.terragon], .terragon/config.toml and the user "
    "config: a key it does not know, or a wrong value, stops every command with one line "
    "naming the file and the dotted key.\n\n"
    "Examples:\n"
    "  terragon config show                 every setting and where it came from\n"
    "  terragon config show --json\n"
    "  terragon config init                 a commented starter in pyproject.toml"
)
config_app = typer.Typer(help=CONFIG_HELP, no_args_is_help=True)

#: What `terragon config init` writes: each table, its keys commented out at their defaults.
STARTER = """\
[tool.terragon]
# Settings read by terragon; `terragon config show` prints the ones in force and where
# each came from. Uncomment a line to change it.
# maturity = "advanced"          # nascent, developing, maturing, advanced (else assessed)
# security_boost_from = "high"   # low, medium, high

[tool.terragon.weights]
# wsjf = 0.5                     # numbers of 0 or more; only their proportions count
# debt = 0.2
# ice = 0.1
# security = 0.2

[tool.terragon.boosts]
# security = 2.5                 # above 0, at most 100
# compliance = 2.0
# performance = 1.8

[tool.terragon.scan]
# exclude = ["vendor/**"]        # globs on repository-relative paths
# ignore_rules = ["B311:tests/**"]
# churn_days = 180
# size_limit = 1048576           # bytes; larger files are skipped

[tool.terragon.roadmap]
# hours_per_week = 20
# weeks_per_phase = 2

[tool.terragon.schedule]
# daily = "30 2 * * *"           # cron; false turns a job off (hourly, daily, weekly, monthly)
"""


@config_app.command("show")
def show_cmd(ctx: typer.Context, json_: common.JsonOpt = False) -> None:
    """Print every setting in force and where it came from.

    Sources: default, pyproject.toml, .terragon/config.toml, the user config (keys under
    user.), --db or TERRAGON_DB for the store. Each file is checked as every command checks
    it. The weights in force also depend on the assessed maturity: terragon weights shows them.

    Example: terragon config show --json | jq '.settings[] | select(.source != "default")'
    """
    from rich.table import Table

    from ..backlog.settings_in_force import settings_in_force
    from ..backlog.user_config import user_config_path
    from ..config.project import find_repo_root
    from ..reports.terminal import plain

    state = ctx.ensure_object(common.State)
    root = find_repo_root(state.repo or Path.cwd())
    user = user_config_path()
    rows = settings_in_force(root, user, state.db)
    if json_:
        common.print_json(
            "config",
            repository=str(root),
            user_config=str(user),
            settings=[row.as_dict() for row in rows],
        )
        return
    table = Table(title=plain(f"Settings for {root}"))
    table.add_column("key", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_column("source")
    for row in rows:
        table.add_row(plain(row.key), plain(repr(row.value)), plain(row.source))
    common.console.print(table)
    common.console.print(plain(f"user config: {user}"))


@config_app.command("init")
def init_cmd(ctx: typer.Context) -> None:
    """Add a commented starter \\[tool.terragon] to the repository's pyproject.toml.

    The file is created when missing; the rest of it stays byte for byte as it was. An
    existing \\[tool.terragon] is never replaced: edit it by hand instead.

    Example: terragon config init && terragon config show
    """
    from ..config.project import find_repo_root, load_project_config

    root = find_repo_root(ctx.ensure_object(common.State).repo or Path.cwd())
    path = root / "pyproject.toml"
    write_starter(path)
    load_project_config(root)  # what was written must read back as valid settings
    common.console.print(f"Wrote a starter [tool.terragon] to {path}", markup=False)


def write_starter(path: Path) -> None:
    """Append STARTER to the pyproject.toml at `path` (creating it), keeping every byte that
    was there; a ConfigError if it has a `[tool.terragon]` already or is not TOML."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from ..config.files import editable_document, write_atomically

    document = editable_document(path, "the starter")
    text = document.as_string()  # tomlkit gives back every byte it read
    tool = document.get("tool")
    if isinstance(tool, dict) and "terragon" in tool:
        raise ConfigError(f"{path}: tool.terragon exists already; edit it by hand instead")
    separator = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    written = text + separator + STARTER
    try:  # an inline `tool = {...}` table cannot take a [tool.terragon] after it
        tomlkit.parse(written)
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: a [tool.terragon] cannot be added to it: {exc}") from exc
    write_atomically(path, written)
