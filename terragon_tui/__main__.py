"""`python -m terragon_tui`: the `terragon` command, for a child process with this interpreter."""

from .cli import main

main()
