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


#: The longest error line the CLI prints: a value echoed back (a 5 MB argument, a setting
#: read from a file) is cut in the middle, so the line still says what is wrong and how to fix.
MAX_LINE = 300


def one_line(message: str, limit: int = MAX_LINE) -> str:
    """`message` as one printable line of at most `limit` characters, cut with an ellipsis."""
    from .text import printable

    line = printable(message, single_line=True)
    if len(line) <= limit:
        return line
    tail = limit // 3
    return f"{line[: limit - tail - 1]}…{line[-tail:]}"
