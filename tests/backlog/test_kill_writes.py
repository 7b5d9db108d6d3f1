"""Suggestions and completions killed with SIGKILL at random points: all or nothing, each."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from terragon_tui.backlog.items import complete_item, suggest_item
from terragon_tui.backlog.listing import list_items, show_item
from terragon_tui.backlog.workspace import open_workspace

from .faults import kill_before_commit

ROUNDS = 6

#: Suggests and completes items as fast as it can until killed; titles carry the round.
WRITER = """
import sys
from terragon_tui.backlog.items import complete_item, suggest_item
from terragon_tui.backlog.workspace import open_workspace
db, repo, tag = sys.argv[1:]
ws = open_workspace(repo, db)
print("ready", flush=True)
n = 0
while True:
    item = suggest_item(ws, category="testing", title=f"{tag}-{n}", description="x" * 2000)
    complete_item(ws, item.key, hours=1.5, impact=f"note {tag}-{n}")
    n += 1
"""


def test_sigkill_during_suggest_and_complete_never_leaves_half_a_write(repo, db_url):
    open_workspace(repo, db_url).close()
    rng = random.Random(11)
    for round_ in range(ROUNDS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, db_url, str(repo), f"r{round_}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(10)

    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ws = open_workspace(repo, db_url)
    everything = list_items(ws, include_closed=True)
    assert len(everything) > ROUNDS  # the writers got somewhere before each kill
    for entry in everything:
        item, detail = entry.item, show_item(ws, entry.item.key)
        assert [c.action for c in detail.changes][:1] == ["suggest"]
        notes = [c.impact_notes for c in detail.completions]
        if item.status == "done":  # a completion is the item closed, its record and its note
            assert notes == [f"note {item.title}"]
            assert [c.action for c in detail.changes] == ["suggest", "complete"]
        else:
            assert item.status == "open" and notes == []
    keys = sorted(e.item.key for e in everything)
    assert keys == [f"TEST-{n:03d}" for n in range(1, len(keys) + 1)]
    per_round = [sum(e.item.title.startswith(f"r{r}-") for e in everything) for r in range(ROUNDS)]
    open_ = [e.item.title for e in everything if e.item.status == "open"]
    assert len(open_) <= ROUNDS  # at most the one item each kill caught between its two writes
    assert all(per_round), per_round
    ws.close()


def test_a_completion_killed_just_before_its_commit_leaves_the_item_open(repo, db_url):
    ws = open_workspace(repo, db_url)
    key = suggest_item(ws, category="testing", title="Add tests").key
    kill_before_commit("Completion", db_url, repo, "complete", key, "--hours", "3", "--impact", "x")
    detail = show_item(ws, key)
    assert detail.ranked.item.status == "open" and detail.completions == []
    assert [c.action for c in detail.changes] == ["suggest"]
    complete_item(ws, key, hours=3, impact="kept")  # the next try lands whole
    assert [c.impact_notes for c in show_item(ws, key).completions] == ["kept"]
    ws.close()
