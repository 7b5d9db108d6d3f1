"""Re-rank 100,000 items after a weight change, beside a plain sorted() of 100,000 floats.

Run: python bench/bench_scoring.py [--items 100000] [--repeat 7]
Target (issue 2): under 50 ms for the re-rank.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from terragon_tui.scoring.components import ScoreInputs
from terragon_tui.scoring.ranking import Ranker
from terragon_tui.scoring.weights import Boosts, Weights

FIB = (1, 2, 3, 5, 8, 13, 20)
TARGET_MS = 50.0


def random_inputs(count: int, seed: int = 1) -> list[ScoreInputs]:
    """`count` varied items, the same for every run."""
    rng = random.Random(seed)
    return [
        ScoreInputs(
            estimated_hours=rng.choice((0.5, 1, 2, 4, 8, 16, 40, 80)),
            impact=rng.randint(1, 10),
            confidence=rng.randint(1, 10),
            ease=rng.randint(1, 10),
            business_value=rng.choice(FIB),
            time_criticality=rng.choice(FIB),
            risk_reduction=rng.choice(FIB),
            debt_hours=rng.random() * 40,
            debt_interest=1 + rng.random() * 2,
            security_severity=rng.random() * 10,
            security=rng.random() < 0.2,
            compliance=rng.random() < 0.1,
            performance=rng.random() < 0.1,
        )
        for _ in range(count)
    ]


def median_ms(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of `action()` in milliseconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    inputs = random_inputs(args.items)
    started = time.perf_counter()
    ranker = Ranker(inputs)
    build_ms = (time.perf_counter() - started) * 1000
    weight_sets = [
        Weights(0.5, 0.3, 0.1, 0.1),
        Weights(0.2, 0.1, 0.1, 0.6),
        Weights(0.2, 0.6, 0.1, 0.1),
    ]
    turn = iter(range(10**9))

    def rerank() -> None:
        ranker.order(weight_sets[next(turn) % len(weight_sets)], Boosts())

    floats = [random.random() for _ in range(args.items)]
    rerank_ms = median_ms(rerank, args.repeat)
    sorted_ms = median_ms(lambda: sorted(floats), args.repeat)
    verdict = "PASS" if rerank_ms < TARGET_MS else "FAIL"
    print(f"items: {args.items:,}  (repeats: {args.repeat}, median)")
    print(f"{'measure':<38} {'ms':>9}")
    print(f"{'build Ranker (once per load)':<38} {build_ms:>9.1f}")
    print(f"{'re-rank after a weight change':<38} {rerank_ms:>9.1f}")
    print(f"{'sorted() of as many floats':<38} {sorted_ms:>9.1f}")
    print(
        f"ratio re-rank / sorted(): {rerank_ms / sorted_ms:.2f}x   "
        f"target < {TARGET_MS:.0f} ms: {verdict}"
    )


if __name__ == "__main__":
    main()
