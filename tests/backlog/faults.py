"""Fault injection for the crash tests: a terragon command killed at the worst moment."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

#: The command line, its transaction held open just before COMMIT once it holds a MODEL row,
#: every row already written, so that the parent can kill it there.
_HELD_BEFORE_COMMIT = """
import sys, time
from sqlmodel import Session
from terragon_tui.cli import main
from terragon_tui.store.models import {model}

commit = Session.commit

def held(self):
    self.flush()
    if any(isinstance(obj, {model}) for obj in self.identity_map.values()):
        print("about to commit", flush=True)
        time.sleep(60)
    commit(self)

Session.commit = held
main(sys.argv[1:])
"""


def kill_before_commit(model: str, db_url: str, repo: Path, *args: str) -> None:
    """Run `terragon ARGS`; SIGKILL it when the unit writing a `model` row is about to commit."""
    script = _HELD_BEFORE_COMMIT.format(model=model)
    process = subprocess.Popen(
        [sys.executable, "-c", script, "--db", db_url, "-C", str(repo), *args],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert "about to commit" in process.stdout.readline()
    os.kill(process.pid, signal.SIGKILL)
    process.wait(30)


def hold_write_lock(
    db_url: str, seconds: float, release: threading.Event | None = None
) -> threading.Thread:
    """Another connection takes the SQLite store's write lock and keeps it for `seconds`.

    With `release`, the lock goes as soon as that is set (and at the latest after `seconds`),
    so a test can hold it for as long as it needs on a slow machine.
    """
    locked = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        (release or threading.Event()).wait(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    locked.wait()
    return thread
