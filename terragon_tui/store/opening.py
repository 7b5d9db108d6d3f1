"""Opening the store: the engine, a check for damage, then migrations to the newest schema.

One way: location, then the engine, then migrations; nothing below imports this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from ..core.errors import StoreError
from .engine import create_store_engine
from .location import resolve_db_url
from .migrations_runner import upgrade_to_head
from .store_file import report_damage

if TYPE_CHECKING:
    from sqlalchemy import Engine


def open_engine(url: str | None = None) -> Engine:
    """Open (creating if needed) the store at `url` and bring its schema up to date."""
    engine = create_store_engine(resolve_db_url(url))
    # A damaged file fails now or at any later query: one line naming it, and how to recover.
    report_damage(engine)
    try:
        upgrade_to_head(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store: {exc.orig}") from exc
    except StoreError:
        engine.dispose()
        raise
    return engine
