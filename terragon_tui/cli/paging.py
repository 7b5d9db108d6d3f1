"""Long output on a terminal goes through a pager as git's does, or is cut to one screenful."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable, Mapping

from rich.console import Console, RenderableType
from rich.pager import Pager

#: What runs when neither $TERRAGON_PAGER nor $PAGER is set; -R passes the colours through.
DEFAULT_PAGER = "less -R"
#: Set for the pager when the user has not set them, as git does: less quits when the output
#: fits one screen (F), keeps colours (R) and leaves the output on screen (X); lv keeps colours.
PAGER_DEFAULTS = {"LESS": "FRX", "LV": "-c"}


def pager_command(environ: Mapping[str, str] = os.environ) -> str | None:
    """The pager the user asks for: $TERRAGON_PAGER, else $PAGER, else `less -R`.

    None when the user turned paging off, with an empty value or `cat`.
    """
    for name in ("TERRAGON_PAGER", "PAGER"):
        if name in environ:
            command = environ[name].strip()
            break
    else:
        command = DEFAULT_PAGER
    return None if command in ("", "cat") else command


def can_run(command: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the program `command` starts with is on the PATH (or is a path to one)."""
    try:
        words = shlex.split(command)
    except ValueError:  # an unbalanced quote: the shell could not run it either
        return False
    return bool(words) and shutil.which(words[0], path=environ.get("PATH")) is not None


class CommandPager(Pager):
    """Rich's pager interface over a shell command, as git runs $PAGER."""

    def __init__(self, command: str, environ: Mapping[str, str] = os.environ) -> None:
        self.command = command
        self.environ = {**PAGER_DEFAULTS, **environ}

    def show(self, content: str) -> None:
        """Feed `content` to the pager and wait until the user quits it."""
        process = subprocess.Popen(
            self.command,  # a shell command line, as git runs $PAGER
            shell=True,
            stdin=subprocess.PIPE,
            env=self.environ,
            encoding="utf-8",
            errors="backslashreplace",
        )
        assert process.stdin is not None
        try:
            with process.stdin:
                process.stdin.write(content)
        except (BrokenPipeError, KeyboardInterrupt):
            pass  # the user quit (or pressed ctrl+c, which the pager handles) before the end
        while True:
            try:
                process.wait()
                return
            except KeyboardInterrupt:
                continue  # ctrl+c belongs to the pager while it runs


def fitting(console: Console, render: Callable[[int], RenderableType], total: int) -> int:
    """How many of `total` rows `render(count)` shows in one screen with a line to spare for
    a note and one for the prompt: at least 1, found by rendering (rows can wrap)."""

    def lines(count: int) -> int:
        return len(console.render_lines(render(count), console.options, pad=False))

    room = console.height - 2
    low, high = 1, min(total, max(room, 1))
    while low < high:
        middle = (low + high + 1) // 2
        if lines(middle) <= room:
            low = middle
        else:
            high = middle - 1
    return low
