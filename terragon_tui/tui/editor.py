"""Opening a file of the repository at a line in the user's $VISUAL or $EDITOR."""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from textual.app import App, SuspendNotSupported

from ..core.errors import TerragonError

#: What the app returns when it exits: any app can hand the terminal to an editor.
ReturnT = TypeVar("ReturnT")


def file_command(
    root: Path, what: str, file_path: str | None, line: int | None, env: Mapping[str, str]
) -> list[str]:
    """The command that opens `file_path` (of `what`, for messages) at `line` in the editor.

    The file must lie inside the repository: a path from a scan is never trusted to point
    anywhere else.
    """
    if not file_path:
        raise TerragonError(f"{what} has no file")
    root = root.resolve()
    path = (root / file_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise TerragonError(f"{what}'s file is not inside the repository")
    editor = env.get("VISUAL") or env.get("EDITOR")
    if not editor:
        raise TerragonError("set $EDITOR to open files")
    return [*shlex.split(editor), *([f"+{line}"] if line else []), str(path)]


def run_editor(app: App[ReturnT], command: list[str]) -> None:
    """Run the editor with the terminal handed over to it; the app comes back when it exits."""
    try:
        with app.suspend():
            subprocess.run(command, check=False)
    except SuspendNotSupported:
        app.notify("An editor cannot be opened in this environment.", severity="warning")
