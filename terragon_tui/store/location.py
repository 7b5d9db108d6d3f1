"""Where the store lives: the default file, store URLs, and the file of a SQLite URL."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..core.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


def default_db_path() -> Path:
    """The store's default file, under the platform's user data directory."""
    from platformdirs import user_data_path

    return user_data_path("terragon-tui", appauthor=False) / "terragon.db"


def resolve_db_url(explicit: str | None = None) -> str:
    """The store URL from `--db`, else `TERRAGON_DB`, else the default file.

    A bare path is taken as a SQLite file; anything with `://` as an SQLAlchemy URL.
    """
    value = explicit or os.environ.get("TERRAGON_DB") or str(default_db_path())
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    return value


def shown_url(url: str) -> str:
    """`url` fit to print: a password in it becomes ***."""
    return re.sub(r"(://[^:/@?#]*):[^@/?#]*@", r"\1:***@", url)


def parse_store_url(url: str) -> URL:
    """The store URL parsed, or a StoreError saying in one line what is wrong with it."""
    from sqlalchemy.engine import make_url  # not on the way to `store.plain`'s reads
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"cannot use store URL {shown_url(url)!r}: {exc}") from None
    except ValueError:  # the only ValueError SQLAlchemy's parser raises: int(port)
        raise StoreError(
            f"cannot use store URL {shown_url(url)!r}: "
            "its host and port are malformed (a port is a number)"
        ) from None


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite store URL; None for another database or an in-memory one."""
    try:
        parsed = parse_store_url(url)
    except StoreError:
        return None  # create_store_engine reports it
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return None
    if parsed.query.get("uri") and database.startswith("file:"):
        database = unquote(database.removeprefix("file:"))
    return Path(database)
