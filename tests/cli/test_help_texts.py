"""`--help` of every command shows its texts whole, and the cheapest commands load no database,
scanning or TUI code."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import click
import pytest
import typer

from terragon_tui.cli.app import app

HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "radon",
    "bandit",
    "lizard",
    "detect_secrets",
    "git",
    "textual",
    "numpy",
    "pydantic",
)


def _commands() -> list[tuple[list[str], click.Command]]:
    root = typer.main.get_command(app)
    found: list[tuple[list[str], click.Command]] = []

    def walk(path: list[str], command: click.Command) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk([*path, name], sub)

    walk([], root)
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z_][\w.-]*", text.replace("\\[", "["))


@pytest.mark.parametrize("path", [p for p, _ in _commands()], ids=lambda p: " ".join(p) or "root")
def test_every_help_text_keeps_its_bracketed_words(cli, path) -> None:
    command = dict((tuple(p), c) for p, c in _commands())[tuple(path)]
    result = cli(*path, "--help")
    assert result.code == 0, result.err
    shown = " ".join(result.out.split())
    for param in command.params:
        help_text = getattr(param, "help", None)
        if not help_text:
            continue
        for word in _words(help_text):
            assert word in shown, f"{' '.join(path)} {param.name}: {word!r} lost from --help"
    assert not re.search(r"\w \.(\s|$)", shown), "a help text lost a word before its full stop"


def test_every_command_help_has_an_example(cli) -> None:
    missing = []
    for path, command in _commands():
        if isinstance(command, click.Group) and path:
            continue  # a group lists its commands; each of them has the examples
        if "example" not in cli(*path, "--help").out.lower():
            missing.append(" ".join(path) or "terragon")
    assert missing == []


def test_indented_examples_stay_indented_below_their_heading(cli) -> None:
    flattened = []
    for path, command in _commands():
        examples = [
            line.strip()
            for line in (command.help or "").splitlines()
            if line.startswith("  terragon")
        ]
        shown = cli(*path, "--help").out.splitlines()
        for example in examples:
            [line] = [line for line in shown if line.strip() == example]
            if not line.startswith("   "):  # Rich's one-space margin, then the indent
                flattened.append(f"{' '.join(path) or 'terragon'}: {example}")
    assert flattened == []


def test_the_root_help_says_bare_terragon_opens_the_tui_and_offers_completion(cli) -> None:
    shown = " ".join(cli("--help").out.split())
    assert "Bare `terragon`" in shown and "opens the TUI" in shown
    assert "--install-completion" in shown


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_import_no_database_scanning_or_tui_code(args) -> None:
    program = (
        "import json, sys\n"
        "from terragon_tui.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(run.stderr.strip().splitlines()[-1]))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    if args == ["--version"]:
        assert re.fullmatch(r"terragon \d+\.\d+\.\d+\S*\n", run.stdout)
        assert "typer" not in loaded
