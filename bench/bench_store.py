"""A scan's store write on SQLite and on PostgreSQL: alone, and beside other writers.

Run: python bench/bench_store.py [--pg URL] [--findings 3000] [--writers 8] [--items 50]

Writes a generated scan of `--findings` findings into a fresh store the way `terragon scan`
does once it has analysed the files (backlog.scans.apply_findings): a first scan (every
item new), a rescan with nothing changed, a rescan with every item moved; then that moving
rescan again while `--writers` processes complete or defer `--items` items each, as a team
does during a cron scan. Each is timed `--repeat` times on a SQLite file and, given `--pg`
(default: TERRAGON_TEST_PG_URL, a server where it may create databases), on PostgreSQL;
it prints the medians, PostgreSQL / SQLite, how many attempts the scan's transaction took
beside the writers (each conflict lost reruns it whole), and how many warnings the database
driver printed on stderr meanwhile (psycopg's "error ignored terminating <psycopg.Pipeline>").
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from terragon_tui.backlog.items import suggest_item
from terragon_tui.backlog.scan_merge import apply_findings
from terragon_tui.backlog.workspace import Workspace, open_workspace
from terragon_tui.discovery.finding import Finding

#: A writer opens the store, says so, waits for the go file, then completes or defers each
#: item it is given.
WRITER = """
import sys, time
from pathlib import Path
from terragon_tui.backlog.items import complete_item, defer_item
from terragon_tui.backlog.workspace import open_workspace
db, repo, go, keys = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4].split(",")
ws = open_workspace(repo, db)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
for n, key in enumerate(keys):
    if n % 2:
        defer_item(ws, key, reason="later")
    else:
        complete_item(ws, key, hours=1, impact="done")
"""


class DriverWarnings(logging.Handler):
    """Counts the warnings the database driver logs (which would go to stderr)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class Scan:
    """A scan's findings, all at `line`; counts the attempts of the unit that writes them."""

    def __init__(self, count: int, line: int) -> None:
        self.findings = [
            Finding(
                source="todos",
                rule="todo",
                title=f"TODO: tidy {n}",
                description=f"tidy {n}",
                category="technical-debt",
                path=f"src/m{n}.py",
                line=line,
                symbol=f"TODO tidy {n}",
            )
            for n in range(count)
        ]
        self.attempts = 0

    def __iter__(self) -> Iterator[Finding]:
        self.attempts += 1
        return iter(self.findings)


def write(ws: Workspace, scan: Scan) -> float:
    """Seconds to write `scan` into the store."""
    started = time.perf_counter()
    apply_findings(ws, kind="full", sources=("todos",), findings=scan)
    return time.perf_counter() - started


def new_store(kind: str, pg_url: str | None, tmp: Path) -> str:
    """The URL of a store that does not exist yet."""
    if kind == "sqlite":
        return f"sqlite:///{tmp / f'{uuid.uuid4().hex}.db'}"
    assert pg_url is not None
    name = f"terragon_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return make_url(pg_url).set(database=name).render_as_string(hide_password=False)


def drop_store(kind: str, pg_url: str | None, url: str) -> None:
    """Remove a PostgreSQL store made by new_store (a SQLite file goes with its directory)."""
    if kind == "postgresql":
        admin = create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)  # type: ignore[arg-type]
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)')


def one_round(url: str, repo: Path, args: argparse.Namespace, tmp: Path) -> dict[str, float]:
    """Each measurement once, on a fresh store at `url`."""
    ws = open_workspace(repo, url)
    spent = {
        "first scan": write(ws, Scan(args.findings, line=1)),
        "rescan, nothing changed": write(ws, Scan(args.findings, line=1)),
        "rescan, every item moved": write(ws, Scan(args.findings, line=2)),
    }
    keys = [
        suggest_item(ws, category="feature", title=f"Item {n}").key
        for n in range(args.writers * args.items)
    ]
    go = tmp / f"go-{uuid.uuid4().hex}"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(repo), str(go), ",".join(mine)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mine in (keys[w * args.items : (w + 1) * args.items] for w in range(args.writers))
    ]
    for process in writers:
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
    go.touch()
    time.sleep(0.2)  # and are writing
    moved = Scan(args.findings, line=3)
    warnings = DriverWarnings()
    logging.getLogger("psycopg").addHandler(warnings)
    try:
        spent["moving rescan beside the writers"] = write(ws, moved)
    finally:
        logging.getLogger("psycopg").removeHandler(warnings)
    spent["attempts beside the writers"] = moved.attempts
    spent["driver warnings beside the writers"] = warnings.count
    for process in writers:
        _, err = process.communicate(timeout=600)
        if process.returncode:
            raise SystemExit(f"a writer failed:\n{err[-2000:]}")
        spent["driver warnings beside the writers"] += err.count("error ignored")
    ws.close()
    return spent


def main() -> None:
    """Time each measurement on each store; print medians and PostgreSQL / SQLite."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("TERRAGON_TEST_PG_URL"))
    parser.add_argument("--findings", type=int, default=3000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.pg else ["sqlite"]
    results: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    with tempfile.TemporaryDirectory(prefix="terragon-store-") as name:
        tmp = Path(name)
        repo = tmp / "repo"
        repo.mkdir()
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        for _ in range(args.repeat):
            for kind in kinds:  # interleaved, so a busy machine weighs on both alike
                url = new_store(kind, args.pg, tmp)
                try:
                    results[kind].append(one_round(url, repo, args, tmp))
                finally:
                    drop_store(kind, args.pg, url)
    print(
        f"{args.findings} findings; {args.writers} writers x {args.items} items; "
        f"medians of {args.repeat}"
    )
    print(f"  {'':34}{'SQLite':>10}{'PostgreSQL':>12}{'PG / SQLite':>13}")
    for measure in results["sqlite"][0]:
        medians = [statistics.median(run[measure] for run in results[kind]) for kind in kinds]
        unit = " s" if "scan" in measure else "  "
        widths = (8, 10)[: len(kinds)]
        cells = "".join(
            f"{value:>{width}.2f}{unit}" for value, width in zip(medians, widths, strict=True)
        )
        ratio = f"{medians[1] / medians[0]:>12.1f}x" if len(medians) == 2 and medians[0] else ""
        print(f"  {measure:34}{cells}{ratio}")


if __name__ == "__main__":
    main()
