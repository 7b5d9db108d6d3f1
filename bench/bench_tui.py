"""TUI scale benchmark: first paint and re-rank-to-repaint at 1k/10k/50k items, beside DataTable.

Run: python bench/bench_tui.py [--sizes 1000,10000,50000]
Targets (issue 6): first paint with 10,000 items within 0.5 s of the imports; re-rank to
repaint within 100 ms at 10,000 items and 150 ms at 50,000.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.scoring.weights import Boosts, Weights
from terragon_tui.store.models import Item, utcnow
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.screens.backlog import BacklogScreen
from terragon_tui.vocabulary import CATEGORIES

SIZE = (160, 48)


def build_store(directory: Path, count: int):  # type: ignore[no-untyped-def]
    """A git repository and a store holding `count` random items."""
    repo = directory / f"repo-{count}"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    ws = open_workspace(repo, f"sqlite:///{directory / f'store-{count}.db'}")
    rng = random.Random(count)
    now = utcnow()
    categories = list(CATEGORIES)
    rows = []
    for n in range(count):
        category = rng.choice(categories)
        rows.append(
            dict(
                repo_id=ws.repo_id,
                key=f"{CATEGORIES[category]}-{n:05d}",
                title=f"Work item {n} about {category}",
                description="",
                category=category,
                priority=rng.choice(["critical", "high", "medium", "low"]),
                status="open",
                estimated_hours=rng.choice([1, 2, 4, 8, 16, 40]),
                impact=rng.randint(1, 10),
                confidence=rng.randint(1, 10),
                ease=rng.randint(1, 10),
                risk=rng.random(),
                business_value=rng.choice([1, 2, 3, 5, 8, 13, 20]),
                time_criticality=rng.choice([1, 2, 3, 5, 8]),
                risk_reduction=rng.choice([1, 3, 5]),
                debt_hours=rng.random() * 20,
                debt_interest=1 + rng.random(),
                security_severity=rng.random() * 10 if category == "security" else 0.0,
                is_security=category == "security",
                is_compliance=False,
                is_performance=False,
                source="user",
                business_value_text="",
                status_reason="",
                edited_fields=[],
                data={},
                created_at=now,
                updated_at=now,
            )
        )
    with ws.session() as session:
        session.execute(insert(Item), rows)
    return ws


async def ours(ws, repeats: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(first paint s, median re-rank-to-repaint s) for terragon's table."""
    started = time.perf_counter()
    app = TerragonApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = time.perf_counter() - started
        screen = app.screen
        assert isinstance(screen, BacklogScreen)
        timings = []
        for n in range(repeats):
            weights = Weights(0.5, 0.3 + 0.05 * (n % 4), 0.1, 0.1)
            t0 = time.perf_counter()
            screen.model.reweight(weights, Boosts())
            screen.table.refresh_rows(screen.current().key if screen.current() else None)
            await pilot.pause()
            timings.append(time.perf_counter() - t0)
    return first, statistics.median(timings)


async def datatable(count: int) -> tuple[float, float]:
    """(add and paint s, clear and re-add s) for Textual's DataTable with 8 columns."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    rng = random.Random(count)
    rows = [
        (
            str(n),
            f"ID-{n}",
            f"Work item {n}",
            f"{rng.random() * 100:.1f}",
            "feature",
            "medium",
            "4",
            "5",
        )
        for n in range(count)
    ]

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    app = Bench()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("Rank", "ID", "Title", "Score", "Category", "Priority", "Est", "Imp")
        t0 = time.perf_counter()
        table.add_rows(rows)
        await pilot.pause()
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        table.clear()
        table.add_rows(list(reversed(rows)))
        await pilot.pause()
        again = time.perf_counter() - t0
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'items':>7} | {'terragon first paint':>20} | {'re-rank→repaint':>15} | "
        f"{'DataTable add+paint':>19} | {'DataTable re-add':>16} | {'re-rank ratio':>13}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for count in sizes:
            ws = build_store(Path(tmp), count)
            first, rerank = asyncio.run(ours(ws, args.repeat))
            dt_first, dt_again = asyncio.run(datatable(count))
            target = 0.100 if count <= 10_000 else 0.150
            verdict = "PASS" if rerank <= target else "FAIL"
            print(
                f"{count:>7} | {first * 1000:>17.0f} ms | {rerank * 1000:>12.1f} ms | "
                f"{dt_first * 1000:>16.0f} ms | {dt_again * 1000:>13.0f} ms | "
                f"{rerank / dt_again:>12.3f}x  {verdict} (target {target * 1000:.0f} ms)"
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
