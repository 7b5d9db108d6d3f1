"""Retrying a unit of work when another process holds the store or wins a conflict."""

from __future__ import annotations

import functools
import random
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError

from ..core import waiting
from ..core.errors import StoreError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

P = ParamSpec("P")
T = TypeVar("T")

#: How long a unit of work keeps retrying before the user hears the store is busy (s).
RETRY_DEADLINE_S = 60.0
#: The first pause between attempts; it doubles up to MAX_PAUSE_S, with jitter.
FIRST_PAUSE_S = 0.02
MAX_PAUSE_S = 1.0

#: After how long a unit of work kept waiting for another process's lock says so (s).
WAIT_NOTICE_S = 1.0

_SQLITE_BUSY = ("database is locked", "database is busy", "database table is locked")
#: PostgreSQL: serialization failure, deadlock, lock not available.
_PG_RETRY_STATES = frozenset({"40001", "40P01", "55P03"})


@contextmanager
def noticing_waits(store: str) -> Iterator[None]:
    """Tell `waiting.listener` once if taking the lock of `store` inside takes WAIT_NOTICE_S."""
    listener = waiting.listener
    if listener is None:
        yield
        return
    timer = threading.Timer(
        WAIT_NOTICE_S,
        listener,
        args=(f"waiting for the store {store}: another process is writing to it",),
    )
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def is_transient(exc: BaseException) -> bool:
    """Whether `exc` means "another writer got there first": the same work may simply be rerun."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _PG_RETRY_STATES:
        return True
    message = str(orig).lower()
    return any(text in message for text in _SQLITE_BUSY)


def retrying(work: Callable[P, T]) -> Callable[P, T]:
    """Run `work` (one whole transaction) again, with backoff, while it meets a busy store.

    Each attempt starts from scratch, so nothing of a failed attempt is kept; after
    RETRY_DEADLINE_S the user gets one clear StoreError instead of a driver message.
    """

    @functools.wraps(work)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        deadline = time.monotonic() + RETRY_DEADLINE_S
        pause = FIRST_PAUSE_S
        while True:
            try:
                return work(*args, **kwargs)
            except DBAPIError as exc:
                if not is_transient(exc):
                    raise
                if time.monotonic() + pause > deadline:
                    raise StoreError(
                        f"the store stayed busy for {RETRY_DEADLINE_S:.0f} s "
                        "(another terragon is writing to it); nothing was changed, try again"
                    ) from exc
            time.sleep(pause * random.uniform(0.5, 1.0))
            pause = min(pause * 2, MAX_PAUSE_S)

    return run
