"""The command line: one module per command group, registered in `app.py`; `main` runs it.

`terragon --version` is answered here, before the command line is built, so it loads nothing
but this package's version.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Run `terragon` with `argv` (default: the process's arguments)."""
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        from .. import __version__

        sys.stdout.write(f"terragon {__version__}\n")
        return
    from .app import main as run

    run(argv)


__all__ = ["main"]
