"""`python -m terragon_tui`: the `terragon` command, for scheduled jobs and child processes."""

from .cli import main

main()
