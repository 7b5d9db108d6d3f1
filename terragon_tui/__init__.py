"""terragon-tui: a repository's ranked value backlog, triaged in the terminal."""

__version__ = "0.1.0"
