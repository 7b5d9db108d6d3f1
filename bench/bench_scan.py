"""Scan speed against the tools it builds on, measured side by side in one run.

Run: python bench/bench_scan.py [--quick] [--workers N]

Corpus A is the running interpreter's standard library (.py files, site-packages left
out) copied into a temporary git repository: all of it by default, every second file
outside the test directories with --quick. Corpus B is a generated repository with
5,000 commits. Targets (issues 3 and 12): architecture scan <= 1.5x `radon cc -s`; full
scan, every source included, <= 0.6x `bandit -r`; rescan with nothing changed <= 5% of the
full scan; hotspot analysis <= 2x `git log --numstat` over the same history. The full
scan's seconds per source and step (ScanResult.timings) are printed too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from terragon_tui.discovery import ScanCache, scan
from terragon_tui.discovery.hotspots import findings as hotspot_findings
from terragon_tui.discovery.hotspots import read_churn

TEST_DIRS = {"test", "tests", "idle_test"}
IDENTITY = ("-c", "user.name=Bench", "-c", "user.email=bench@example.com")


def git(repo: Path, *args: str, stdin: bytes | None = None) -> None:
    """Run git quietly in `repo`."""
    subprocess.run(
        ["git", *IDENTITY, *args], cwd=repo, input=stdin, check=True, capture_output=True
    )


def tool(name: str) -> str:
    """The command-line tool installed beside this interpreter."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Wall time of `action()` in seconds, and what it returned."""
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def build_corpus_a(dest: Path, quick: bool) -> int:
    """Copy the stdlib's .py files into `dest` and commit them; returns the file count."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = []
    for path in sorted(stdlib.rglob("*.py")):
        parts = path.relative_to(stdlib).parts
        if "site-packages" in parts or "__pycache__" in parts:
            continue
        if quick and TEST_DIRS & set(parts[:-1]):
            continue
        files.append(path)
    if quick:
        files = files[::2]
    for path in files:
        target = dest / path.relative_to(stdlib)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "stdlib")
    return len(files)


def build_corpus_b(dest: Path, commits: int = 5000, files: int = 300) -> None:
    """A repository of `commits` commits touching 1-4 of `files` files each (git fast-import)."""
    now = int(time.time()) - commits * 60
    authors = [("Ann", "ann@example.com"), ("Bo", "bo@example.com"), ("Cy", "cy@example.com")]
    contents = {i: [f"def f{i}(x):\n", "    return x\n"] for i in range(files)}
    out = bytearray()
    for n in range(commits):
        name, email = authors[n % 7 % 3]
        message = f"change {n}\n".encode()
        out += b"commit refs/heads/main\n"
        out += f"committer {name} <{email}> {now + n * 60} +0000\n".encode()
        out += b"data %d\n%s" % (len(message), message)
        for k in range(1 + n % 4):
            index = (n * 7 + k * 13) % files if n % 3 else (n + k) % 10
            body = contents[index]
            body.append(f"    if x == {n}:\n        return {k}\n")
            data = "".join(body).encode()
            out += f"M 100644 inline pkg/mod_{index:03d}.py\n".encode()
            out += b"data %d\n%s\n" % (len(data), data)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "fast-import", "--quiet", stdin=bytes(out))
    git(dest, "checkout", "-q", "-f", "main")


def row(label: str, ours: float, theirs: float, target: float, baseline: str) -> str:
    """One line of the report: both times, the ratio, and whether it meets the target."""
    ratio = ours / theirs if theirs else float("inf")
    verdict = "ok" if ratio <= target else "MISSED"
    return (
        f"  {label:<34} {ours:8.2f} s  {baseline:<22} {theirs:8.2f} s"
        f"   {ratio:6.3f}x  (target <= {target:g}x: {verdict})"
    )


def timings_line(result: Any) -> str:
    """A scan's seconds per source and step (ScanResult.timings), the largest first.

    The per-file sources' times are summed over the worker processes; "analysis" is the
    wall time of that phase, "parse" the Python parsing they share.
    """
    spent = sorted(result.timings.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{name} {seconds:.2f}" for name, seconds in spent if seconds >= 0.005)


def _burn(count: int) -> float:
    started = time.perf_counter()
    total = 0
    for number in range(count):
        total += number * number
    return time.perf_counter() - started


def parallel_capacity(workers: int) -> float:
    """How much faster `workers` CPU-bound processes finish than one, on this machine, now."""
    import multiprocessing

    one = _burn(5_000_000)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        started = time.perf_counter()
        pool.map(_burn, [5_000_000] * workers, chunksize=1)
        many = time.perf_counter() - started
    return workers * one / many


def measure_corpus_a(corpus: Path, tmp: Path, workers: int) -> dict[str, tuple[float, object]]:
    """One round of every corpus A measurement, each with fresh caches."""
    runs: dict[str, tuple[float, object]] = {}
    runs["radon"] = timed(
        lambda: subprocess.run(
            [tool("radon"), "cc", "-s", "."], cwd=corpus, capture_output=True, check=True
        )
    )
    runs["architecture"] = timed(
        lambda: scan(corpus, "architecture", cache=ScanCache(), workers=workers)
    )
    runs["bandit"] = timed(
        lambda: subprocess.run(
            [tool("bandit"), "-r", "-q", "."], cwd=corpus, capture_output=True, check=False
        )
    )
    cache = ScanCache()
    runs["full"] = timed(lambda: scan(corpus, "full", cache=cache, workers=workers))
    cache_file = tmp / "scan-cache.json"
    cache.save(cache_file)

    def rescan() -> object:
        loaded = ScanCache.load(cache_file)  # as a new process would: from disk, and back
        result = scan(corpus, "full", cache=loaded, workers=workers)
        loaded.save(cache_file)
        return result

    runs["rescan"] = timed(rescan)
    return runs


def main() -> None:
    """Build both corpora, run every measurement, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a subset: about a minute")
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    parser.add_argument("--repeat", type=int, default=None, help="rounds; the best counts")
    args = parser.parse_args()
    workers = args.workers or os.cpu_count() or 1
    repeat = args.repeat or (3 if args.quick else 1)
    with tempfile.TemporaryDirectory(prefix="terragon-bench-") as tmp:
        corpus_a, corpus_b = Path(tmp) / "stdlib", Path(tmp) / "history"
        corpus_a.mkdir()
        corpus_b.mkdir()
        count = build_corpus_a(corpus_a, args.quick)
        capacity = parallel_capacity(workers)
        print(
            f"Corpus A: {count} stdlib .py files in a git repository; {workers} worker(s); "
            f"{repeat} round(s), best of each; {workers} processes run {capacity:.2f}x "
            "as fast as one here right now"
        )
        rounds = [measure_corpus_a(corpus_a, Path(tmp), workers) for _ in range(repeat)]
        best = {name: min((r[name] for r in rounds), key=lambda run: run[0]) for name in rounds[0]}
        print(
            row("architecture scan", best["architecture"][0], best["radon"][0], 1.5, "radon cc -s")
        )
        print(row("full scan", best["full"][0], best["bandit"][0], 0.6, "bandit -r -q"))
        print(row("rescan, nothing changed", best["rescan"][0], best["full"][0], 0.05, "full scan"))
        for label in ("architecture", "full", "rescan"):
            result: Any = rounds[0][label][1]
            print(
                f"    {label}: {len(result.findings)} findings {result.per_source}, "
                f"{result.files_analysed} analysed, {result.files_cached} cached, "
                f"{len(result.skipped)} skipped"
            )
        print(f"    full scan, seconds per source and step: {timings_line(best['full'][1])}")
        build_corpus_b(corpus_b)
        print("Corpus B: 5000 generated commits over 300 files")
        log_args = ["git", "log", "--numstat", "--no-renames", "--since=180 days ago"]
        log_s = min(
            timed(lambda: subprocess.run(log_args, cwd=corpus_b, capture_output=True, check=True))[
                0
            ]
            for _ in range(3)
        )

        def hotspots() -> int:
            churn = read_churn(corpus_b, days=180)
            return len(hotspot_findings(churn, dict.fromkeys(churn.files, 20)))

        hot_s = min(timed(hotspots)[0] for _ in range(3))
        print(row("hotspot analysis (churn)", hot_s, log_s, 2.0, "git log --numstat"))


if __name__ == "__main__":
    main()
