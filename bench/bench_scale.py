"""Scan overhead at scale: a generated repository of many small files, through the CLI.

Run: python bench/bench_scale.py [--files 50000] [--workers N] [--keep DIR]

Builds a committed repository of `--files` small files (Python modules, some with a TODO,
a complex function or a bandit finding; Markdown, JSON, YAML, JavaScript and text files),
then runs `terragon scan --json` twice as a user would, each in its own process, with a
throw-away SQLite store and cache: a full scan (empty cache) and a rescan with nothing
changed. It prints each one's wall time, peak memory (the largest resident set of the
scan's processes) and the time of each step and source, and the ratios against the targets
(issue 12): rescan <= 10 % of the full scan; peak <= 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_RESCAN = 0.10
TARGET_PEAK_MB = 300.0

MODULE = '''\
"""Module {n} of the generated service."""

from .base import Base


class Handler{n}(Base):
    """Handles requests of kind {n}."""

    def run(self, value):
        return value + {n}
'''
TODO = "\n\ndef pending_{n}(value):\n    # TODO: handle negative values ({n})\n    return value\n"
COMPLEX = (
    "\n\ndef dispatch_{n}(kind, value):\n"
    + "".join(f"    if kind == {k}:\n        return value * {k}\n" for k in range(12))
    + "    return value\n"
)
SHELL = (
    "\n\nimport subprocess\n\n\ndef call_{n}(command):\n"
    "    return subprocess.call(command, shell=True)\n"
)
OTHERS = {
    ".md": "# Page {n}\n\nHow part {n} works, in a few lines.\n\n- one\n- two\n",
    ".json": '{{"name": "fixture-{n}", "values": [1, 2, 3], "enabled": true}}\n',
    ".yaml": "name: job-{n}\nsteps:\n  - run: make test\n  - run: make lint\n",
    ".js": "// Widget {n}\nexport function widget{n}(el) {{\n  return el.dataset.v + {n};\n}}\n",
    ".txt": "Notes for batch {n}.\nNothing to see here.\n",
}


def python_file(n: int) -> str:
    """A small module; some carry a TODO, a complex function or a shell call."""
    text = MODULE.format(n=n)
    if n % 10 == 0:
        text += TODO.format(n=n)
    if n % 100 == 0:
        text += COMPLEX.format(n=n)
    if n % 200 == 0:
        text += SHELL.format(n=n)
    return text


def build(dest: Path, files: int) -> dict[str, int]:
    """Commit `files` small files into a new repository at `dest` (git fast-import)."""
    counts: dict[str, int] = {}
    out = bytearray(b"commit refs/heads/main\n")
    message = b"generated tree\n"
    out += b"committer Bench <bench@example.com> 1700000000 +0000\n"
    out += b"data %d\n%s" % (len(message), message)
    suffixes = list(OTHERS)
    for n in range(files):
        top, sub = n % 40, n // 40 % 25
        if n % 5 < 3:  # three in five are Python
            suffix, text = ".py", python_file(n)
            where = f"tests/t{top:02d}" if n % 10 == 1 else f"src/svc/p{top:02d}/m{sub:02d}"
        else:
            suffix = suffixes[n // 5 % len(suffixes)]
            text = OTHERS[suffix].format(n=n)
            where = f"docs/d{top:02d}" if suffix == ".md" else f"assets/a{top:02d}/b{sub:02d}"
        counts[suffix] = counts.get(suffix, 0) + 1
        data = text.encode()
        out += f"M 100644 inline {where}/f{n:06d}{suffix}\n".encode()
        out += b"data %d\n%s\n" % (len(data), data)
    dest.mkdir(parents=True, exist_ok=True)
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=dest, check=True)
    subprocess.run([*git, "fast-import", "--quiet"], cwd=dest, input=bytes(out), check=True)
    subprocess.run([*git, "checkout", "-q", "-f", "main"], cwd=dest, check=True)
    return counts


def terragon() -> list[str]:
    """The CLI installed beside this interpreter, or the module."""
    beside = Path(sys.executable).parent / "terragon"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "terragon_tui.cli"]


def run_scan(repo: Path, home: Path, workers: int | None) -> tuple[float, float, dict[str, Any]]:
    """`terragon scan --json` in its own process: wall seconds, peak MB, its JSON."""
    env = {
        **os.environ,
        "TERRAGON_DB": str(home / "store.db"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    command = [*terragon(), "scan", "--json"]
    if workers is not None:
        command += ["--workers", str(workers)]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=repo, env=env, stdout=out)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"terragon scan failed ({process.returncode}):\n{text[-2000:]}")
    # ru_maxrss is in KiB on Linux: the largest of the process and the children it waited for
    return seconds, usage.ru_maxrss / 1024, json.loads(text)


def timings_line(report: dict[str, Any]) -> str:
    """The scan's own seconds per step and source, largest first."""
    spent = sorted(report["timings"].items(), key=lambda kv: -kv[1])
    return ", ".join(f"{name} {seconds:.2f}" for name, seconds in spent if seconds >= 0.005)


def main() -> None:
    """Build the repository, scan it twice, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=None, help="default: every core")
    parser.add_argument("--repeat", type=int, default=1, help="rescans; the best counts")
    parser.add_argument("--keep", type=Path, default=None, help="build (or reuse) it here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="terragon-scale-") as tmp:
        repo = args.keep or Path(tmp) / "repo"
        if not (repo / ".git").exists():
            started = time.perf_counter()
            counts = build(repo, args.files)
            shape = ", ".join(f"{n} {suffix}" for suffix, n in sorted(counts.items()))
            spent = time.perf_counter() - started
            print(f"Generated {args.files} files ({shape}) in {spent:.1f} s")
        home = Path(tmp) / "home"
        full_s, full_mb, full = run_scan(repo, home, args.workers)
        rescans = [run_scan(repo, home, args.workers) for _ in range(args.repeat)]
        re_s, re_mb, rescan = min(rescans, key=lambda run: run[0])
        print(
            f"  full scan   {full_s:7.2f} s  peak {full_mb:6.0f} MB  "
            f"{full['files_analysed']} analysed, {len(full['new'])} new items"
        )
        print(f"    steps and sources (s): {timings_line(full)}")
        print(
            f"  rescan      {re_s:7.2f} s  peak {re_mb:6.0f} MB  "
            f"{rescan['files_cached']} cached, {len(rescan['updated'])} updated"
        )
        print(f"    steps and sources (s): {timings_line(rescan)}")
        ratio = re_s / full_s
        peak = max(full_mb, re_mb)
        ok = "ok" if ratio <= TARGET_RESCAN else "MISSED"
        print(f"  rescan / full scan  {ratio:6.3f}  (target <= {TARGET_RESCAN:g}: {ok})")
        ok = "ok" if peak <= TARGET_PEAK_MB else "MISSED"
        print(f"  peak memory         {peak:6.0f} MB  (target <= {TARGET_PEAK_MB:g} MB: {ok})")


if __name__ == "__main__":
    main()
