"""Re-rank 100,000 items after a weight change, beside a plain sorted() of 100,000 floats.

Run: python bench/bench_scoring.py [--items 100000] [--repeat 7] [--seed 1]
Target: the re-rank takes under 50 ms. Exits 1 if it does not.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable

from terragon_tui.scoring.components import FIBONACCI, ScoreInputs
from terragon_tui.scoring.ranker import Ranker
from terragon_tui.scoring.weights import FOCUS_AREAS, Boosts, apply_focus

TARGET_MS = 50.0


def random_inputs(count: int, seed: int) -> list[ScoreInputs]:
    """`count` varied items, the same for every run with the same seed."""
    rng = random.Random(seed)
    return [
        ScoreInputs(
            estimated_hours=rng.choice((0.5, 1, 2, 4, 8, 16, 40, 80)),
            impact=rng.randint(1, 10),
            confidence=rng.randint(1, 10),
            ease=rng.randint(1, 10),
            business_value=rng.choice(FIBONACCI),
            time_criticality=rng.choice(FIBONACCI),
            risk_reduction=rng.choice(FIBONACCI),
            debt_hours=rng.random() * 40,
            debt_interest=1 + rng.random() * 2,
            security_severity=rng.random() * 10,
            security=rng.random() < 0.2,
            compliance=rng.random() < 0.1,
            performance=rng.random() < 0.1,
        )
        for _ in range(count)
    ]


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of `action()` in milliseconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, and return 0 on PASS, 1 on FAIL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    inputs = random_inputs(args.items, args.seed)
    started = time.perf_counter()
    ranker = Ranker(inputs)
    build_ms = (time.perf_counter() - started) * 1000

    # Every timed re-rank uses weights and boosts other than the previous one's.
    settings = [apply_focus(area, Boosts()) for area in FOCUS_AREAS]
    turn = iter(range(10**9))

    def rerank() -> None:
        weights, boosts = settings[next(turn) % len(settings)]
        ranker.order(weights, boosts)

    rng = random.Random(args.seed)
    floats = [rng.random() for _ in range(args.items)]
    rerank_ms = median_ms(rerank, args.repeat)
    sorted_ms = median_ms(lambda: sorted(floats), args.repeat)
    verdict = "PASS" if rerank_ms < TARGET_MS else "FAIL"

    print(f"items: {args.items:,}   repeats: {args.repeat} (median)   seed: {args.seed}")
    print(f"{'measure':<40} {'ms':>8}")
    print(f"{'build Ranker (once per load)':<40} {build_ms:>8.1f}")
    print(f"{'re-rank after a weight change':<40} {rerank_ms:>8.1f}")
    print(f"{'sorted() of as many random floats':<40} {sorted_ms:>8.1f}")
    print(f"{'ratio re-rank / sorted()':<40} {rerank_ms / sorted_ms:>7.2f}x")
    print(f"{f'target: re-rank < {TARGET_MS:.0f} ms':<40} {verdict:>8}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
