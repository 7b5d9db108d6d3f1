"""Errors a user can cause, each turned into one clear line at the edge (CLI, TUI)."""


class TerragonError(Exception):
    """Something the user can fix; the CLI prints it as one line and exits 1."""

    exit_code = 1


class UsageError(TerragonError):
    """The request itself is malformed (bad value, unknown name); exit code 2."""

    exit_code = 2


class NotFoundError(UsageError):
    """An item, repository or file named by the user does not exist."""


class ConfigError(TerragonError):
    """A configuration file cannot be read or holds values of the wrong kind."""


class StoreError(TerragonError):
    """The store cannot be opened or written (not a database, newer schema, read-only)."""
