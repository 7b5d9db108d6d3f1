"""Who hears that a unit of work waits for another process's hold on the store.

Kept apart from the store (and its database driver) so that the command line can name a
listener without importing either: `terragon --version` and `--help` load no database code.
"""

from __future__ import annotations

from collections.abc import Callable

#: Who hears that a unit of work is waiting (the CLI prints it); None: no one.
listener: Callable[[str], None] | None = None
