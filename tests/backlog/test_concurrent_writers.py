"""Several processes writing to one store at once: every write lands, nobody sees a lock error."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from terragon_tui.backlog.items import complete_item, suggest_item
from terragon_tui.backlog.listing import list_items, show_item
from terragon_tui.backlog.scan_merge import apply_findings
from terragon_tui.backlog.workspace import Workspace, open_workspace
from terragon_tui.core.errors import StoreError
from terragon_tui.discovery.finding import Finding
from terragon_tui.store import engine as store_engine
from terragon_tui.store import transactions

from ..conftest import git
from .faults import hold_write_lock

#: A worker waits for the go file, then suggests and completes COUNT items through the
#: library (kind "cli": completes them through the command line's main(), as a script
#: would), or runs COUNT scans as cron would.
WORKER = """
import sys, time
from pathlib import Path
db, repo, kind, name, count, go = sys.argv[1:]
while not Path(go).exists():
    time.sleep(0.005)
if kind == "scan":
    from terragon_tui.cli import main
    for _ in range(int(count)):
        try:
            main(["--db", db, "-C", repo, "scan", "--no-cache", "-j", "1", "--json"])
        except SystemExit as exc:
            if exc.code:
                raise
elif kind == "cli":
    from terragon_tui.backlog.items import suggest_item
    from terragon_tui.backlog.workspace import open_workspace
    from terragon_tui.cli import main
    ws = open_workspace(repo, db)
    for n in range(int(count)):
        key = suggest_item(ws, category="testing", title=f"{name}-{n}").key
        try:
            main(["--db", db, "-C", repo, "complete", key, "--hours", "1.5",
                  "--impact", f"note {name}-{n}"])
        except SystemExit as exc:
            if exc.code:
                raise
else:
    from terragon_tui.backlog.items import complete_item, suggest_item
    from terragon_tui.backlog.workspace import open_workspace
    ws = open_workspace(repo, db)
    for n in range(int(count)):
        item = suggest_item(ws, category="testing", title=f"{name}-{n}")
        complete_item(ws, item.key, hours=2, impact=f"note {name}-{n}")
"""


def start(db: str, repo: Path, kind: str, name: str, count: int, go: Path) -> subprocess.Popen:
    args = [sys.executable, "-c", WORKER, db, str(repo), kind, name, str(count), str(go)]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_processes_writing_at_once_lose_nothing(repo, db_url, tmp_path):
    for n in range(15):
        (repo / f"mod{n}.py").write_text(f"def f{n}():\n    # TODO: tidy {n}\n    return {n}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "todos")
    open_workspace(repo, db_url).close()  # the store exists before the race starts
    go = tmp_path / "go"
    writers = {f"lib{n}": ("lib", 12) for n in range(3)} | {"cli": ("cli", 4)}
    processes = [start(db_url, repo, kind, name, n, go) for name, (kind, n) in writers.items()]
    processes.append(start(db_url, repo, "scan", "scan", 3, go))
    go.touch()
    errors = [p.communicate(timeout=240)[1] for p in processes]

    assert [p.returncode for p in processes] == [0] * len(processes), errors
    assert not any("locked" in e or "busy" in e for e in errors), errors
    ws = open_workspace(repo, db_url)
    done = {entry.item.title: entry.item for entry in list_items(ws, status="done")}
    expected = {f"{name}-{n}" for name, (_, count) in writers.items() for n in range(count)}
    assert set(done) == expected
    for title, item in done.items():
        completions = show_item(ws, item.key).completions
        assert [c.impact_notes for c in completions] == [f"note {title}"]
    everything = list_items(ws, include_closed=True)
    keys = sorted(e.item.key for e in everything if e.item.key.startswith("TEST-"))
    assert keys == [f"TEST-{n:03d}" for n in range(1, len(keys) + 1)]  # none lost or doubled
    todos = [e for e in list_items(ws) if e.item.source == "todos"]
    assert len(todos) == 15  # each TODO once, however many scans ran
    assert ws.revision() >= 2 * len(expected)
    ws.close()
    if db_url.startswith("sqlite"):
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def sqlite_ws(repo, tmp_path, monkeypatch):
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 50)
    db_url = f"sqlite:///{tmp_path / 'locked.db'}"
    ws = open_workspace(repo, db_url)
    yield ws, db_url
    ws.close()


def test_a_write_waits_out_another_process_holding_the_store(sqlite_ws):
    ws, db_url = sqlite_ws
    holder = hold_write_lock(db_url, 0.6)  # far longer than the busy timeout
    item = suggest_item(ws, category="testing", title="patient")
    holder.join()
    assert show_item(ws, item.key).ranked.item.title == "patient"


def test_a_store_busy_past_the_deadline_is_one_clear_error_and_changes_nothing(
    sqlite_ws, monkeypatch
):
    ws, db_url = sqlite_ws
    item = suggest_item(ws, category="testing", title="blocked")
    monkeypatch.setattr(transactions, "RETRY_DEADLINE_S", 0.3)
    holder = hold_write_lock(db_url, 1.5)
    with pytest.raises(StoreError, match=r"store stayed busy .* nothing was changed"):
        complete_item(ws, item.key, hours=1, impact="lost?")
    holder.join()
    assert show_item(ws, item.key).ranked.item.status == "open"


def todo(n: int, line: int) -> Finding:
    return Finding(
        source="todos",
        rule="todo",
        title=f"TODO: tidy {n}",
        description=f"tidy {n}",
        category="technical-debt",
        path=f"mod{n}.py",
        line=line,
        symbol=f"TODO tidy {n}",
    )


class FindingsWithAWriterBetween:
    """A scan's findings; the first time the scan reads them, another writer completes `key`.

    The scan has read the backlog by then and is about to write, the moment where optimistic
    isolation would make one of the two fail. Counts how often the scan read them: once per
    attempt of its unit of work.
    """

    def __init__(self, findings: list[Finding], other: Workspace, key: str) -> None:
        self.findings, self.other, self.key = findings, other, key
        self.reads = 0
        self.writer = threading.Thread(target=self._complete)
        self.landed: list[str] = []

    def _complete(self) -> None:
        complete_item(self.other, self.key, hours=1, impact="meanwhile")
        self.landed.append("completion")

    def __iter__(self) -> Iterator[Finding]:
        self.reads += 1
        if self.reads == 1:
            self.writer.start()
            self.writer.join(timeout=1.0)  # it lands now, or waits for the scan: both are fine
        return iter(self.findings)


def test_a_scan_beside_another_writer_is_written_once_without_driver_noise(repo, db_url, caplog):
    ws, other = open_workspace(repo, db_url), open_workspace(repo, db_url)
    first = apply_findings(
        ws, kind="full", sources=("todos",), findings=[todo(n, line=1) for n in range(3000)]
    )
    # Every item moved: the scan updates each one, in one batch, the completed one first.
    moved = FindingsWithAWriterBetween([todo(n, line=2) for n in range(3000)], other, first.new[0])
    outcome = apply_findings(ws, kind="full", sources=("todos",), findings=moved)
    moved.writer.join()

    assert moved.reads == 1  # the scan's transaction never had to be rerun
    assert moved.landed == ["completion"] and len(outcome.updated) == 3000
    item = show_item(ws, first.new[0]).ranked.item
    assert (item.status, item.line) == ("done", 2)
    # A rerun on PostgreSQL came from a batch of updates aborted half-way, which psycopg
    # reported as "error ignored terminating <psycopg.Pipeline [INERROR]>" on stderr.
    assert [r.getMessage() for r in caplog.records if r.name.startswith("psycopg")] == []
    ws.close()
    other.close()
