"""`python -m terragon_tui`: the `terragon` command, as scheduled jobs run it."""

from .cli import main

main()
