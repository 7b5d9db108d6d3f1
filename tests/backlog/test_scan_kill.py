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

from ..conftest import git

RUN = "import sys; from terragon_tui.cli import main; main(sys.argv[1:])"


def write_todos(repo: Path, tag: str, count: int) -> None:
    for n in range(count):
        (repo / f"mod{n}.py").write_text(f"def f{n}():\n    # TODO: {tag} {n}\n    return {n}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)


def state(db: Path) -> tuple[str, list[tuple[str, str]]]:
    with sqlite3.connect(db) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("SELECT key, status FROM item ORDER BY key").fetchall()
    return check, rows


def run_scan(repo: Path, db: Path) -> subprocess.Popen[bytes]:
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
