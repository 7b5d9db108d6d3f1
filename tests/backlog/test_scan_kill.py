"""A scan killed with SIGKILL at random points leaves the old backlog or the new one, never half."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import git
from .faults import kill_before_commit

RUN = "import sys; from terragon_tui.cli import main; main(sys.argv[1:])"


def write_todos(repo: Path, tag: str, count: int) -> None:
    """`count` modules with one TODO each, in files named after `tag` (replacing the last
    ones), so that each round's TODOs are new items and the last round's are resolved."""
    for old in repo.glob("*_mod*.py"):
        old.unlink()
    for n in range(count):
        (repo / f"{tag}_mod{n}.py").write_text(
            f"def f{n}():\n    # TODO: {tag} {n}\n    return {n}\n"
        )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)


def state(db: Path) -> tuple[str, list[tuple[str, str]]]:
    with sqlite3.connect(db) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("SELECT key, status FROM item ORDER BY key").fetchall()
    return check, rows


def run_scan(repo: Path, db: Path | str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            RUN,
            "--db",
            str(db),
            "-C",
            str(repo),
            "scan",
            "-j",
            "1",
            "--no-cache",
            "--json",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_during_a_scan_keeps_the_backlog_whole(repo, tmp_path):
    db = tmp_path / "kill.db"
    write_todos(repo, "first", 40)
    assert run_scan(repo, db).wait(60) == 0
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    baseline_file = tmp_path / "baseline.db"
    shutil.copy(db, baseline_file)
    _, before = state(db)
    write_todos(repo, "second", 40)  # every TODO changes: 40 new, 40 resolved

    rng = random.Random(7)
    seen = []
    deadline = time.monotonic() + 20
    for _ in range(6):
        if time.monotonic() > deadline:
            break
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(baseline_file, db)
        process = run_scan(repo, db)
        time.sleep(rng.uniform(0.3, 1.6))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
        check, rows = state(db)
        assert check == "ok"
        seen.append(rows)

    assert run_scan(repo, db).wait(60) == 0
    _, after = state(db)
    assert after != before
    assert sum(status == "resolved-by-scan" for _key, status in after) >= 40
    for rows in seen:
        assert rows in (before, after), "a killed scan left half of its changes"
    print(
        f"killed scans: {sum(r == before for r in seen)} old, {sum(r == after for r in seen)} new"
    )


def open_todos(repo: Path, db_url: str) -> set[str]:
    from terragon_tui.backlog.listing import list_items
    from terragon_tui.backlog.workspace import open_workspace

    ws = open_workspace(repo, db_url)
    try:
        return {e.item.title for e in list_items(ws) if e.item.source == "todos"}
    finally:
        ws.close()


def test_a_scan_killed_just_before_its_commit_leaves_the_old_backlog(repo, db_url):
    write_todos(repo, "first", 30)
    assert run_scan(repo, db_url).wait(60) == 0
    before = open_todos(repo, db_url)
    write_todos(repo, "second", 30)
    kill_before_commit("ScanRun", db_url, repo, "scan", "-j", "1", "--no-cache")
    assert open_todos(repo, db_url) == before
    assert run_scan(repo, db_url).wait(60) == 0  # and the store takes the next scan whole
    assert all("second" in title for title in open_todos(repo, db_url))


def test_killed_scans_switching_between_two_commits_apply_all_or_nothing(repo, db_url):
    # On either database: the open TODOs are always exactly those of one scan's commit.
    write_todos(repo, "first", 30)
    assert run_scan(repo, db_url).wait(60) == 0
    state = open_todos(repo, db_url)
    assert len(state) == 30
    rng = random.Random(3)
    outcomes = []
    for round_ in range(4):
        write_todos(repo, f"round{round_}", 30)  # all 30 TODOs change, so a scan changes 60 rows
        process = run_scan(repo, db_url)
        time.sleep(rng.uniform(1.0, 3.0))  # a scan takes about 2 s here
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(30)
        now = open_todos(repo, db_url)
        applied = all(f"round{round_}" in title for title in now)
        assert now == state or (applied and len(now) == 30), "a killed scan left half a change"
        outcomes.append(applied)
        state = now
    print(f"rounds applied: {outcomes}")


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_scan_leaves_no_worker_behind(tmp_path, how):
    from ..generators import project

    repo = project(tmp_path / "big", files=400)
    scan = subprocess.Popen(
        [sys.executable, "-c", RUN, "--db", str(tmp_path / "s.db"), "-C", str(repo),
         "scan", "-j", "2", "--no-cache"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and scan.poll() is None:
        workers = {pid for pid in _children(scan.pid) if _alive(pid)}
        time.sleep(0.05)
    assert len(workers) >= 2, "the scan started no pool"
    scan.send_signal(how)
    # a caller reading the scan's output gets its end: no worker keeps the pipes open
    scan.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
