"""How long the command line takes to start and answer, against importing SQLAlchemy alone.

Prints, in one run, the median wall time of `terragon --version`, `terragon next` and
`terragon list -n 10` on a 1,000-item store, each run in a fresh process, as ratios to
`python -c "import sqlalchemy"` measured beside them. Targets (issue 15): `--version` ≤ 0.5×,
`next` ≤ 1.5×. `next` and `list` read the ready store plainly (`store.plain`); beside them it
prints what a read through the store's models would start with, and the floor of a plain read.

    python bench/bench_startup.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_tui import build_store

TARGETS = {"--version": 0.5, "next": 1.5}
#: Imports timed beside the commands, and what each says.
BESIDE = (
    ("sqlalchemy.orm, sqlmodel, numpy", "what a read through the store's models starts with"),
    (
        "typer, pydantic, rich.console, numpy, sqlite3",
        "the floor of a plain read: Typer parses options through pydantic",
    ),
)


def median_seconds(command: list[str], env: dict[str, str], cwd: Path, repeats: int) -> float:
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        ws = build_store(directory, 1000)
        repo, db = ws.root, ws.engine.url.render_as_string(hide_password=False)
        ws.engine.dispose()
        env = {**os.environ, "TERRAGON_DB": db, "COLUMNS": "120"}
        # bytecode cached as an installed package has it (pip compiles at install), even
        # where PYTHONDONTWRITEBYTECODE is set or the checkout is read-only
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(directory / "pycache")
        run = [sys.executable, "-c", "import sys; from terragon_tui.cli import main; main()"]
        reference = median_seconds(
            [sys.executable, "-c", "import sqlalchemy"], env, repo, args.repeats
        )
        print(f"python -c 'import sqlalchemy': {reference * 1000:.0f} ms (the reference)")
        for imports, meaning in BESIDE:
            command = [sys.executable, "-c", f"import {imports}"]
            took = median_seconds(command, env, repo, args.repeats)
            print(
                f"python -c 'import {imports}': {took * 1000:.0f} ms = "
                f"{took / reference:.2f}× ({meaning})"
            )
        for label, extra in (
            ("--version", ["--version"]),
            ("next", ["next"]),
            ("list -n 10", ["list", "-n", "10", "--no-pager"]),
        ):
            took = median_seconds([*run, *extra], env, repo, args.repeats)
            ratio = took / reference
            target = TARGETS.get(label)
            verdict = "" if target is None else (" PASS" if ratio <= target else " FAIL")
            goal = "" if target is None else f" (target ≤ {target}×)"
            print(f"terragon {label}: {took * 1000:.0f} ms = {ratio:.2f}×{goal}{verdict}")


if __name__ == "__main__":
    main()
