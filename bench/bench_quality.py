"""How much of the top of a default backlog a senior reviewer would keep, on real repositories.

Each `bench/quality/*.toml` holds a reviewer's verdicts (keep or noise, and why) on the items
a default scan of one public repository put in its top 20, at one commit; the repositories
themselves are not part of this project. Give local clones, at those commits:

    python bench/bench_quality.py ~/src/click ~/src/healthchecks ...
    python bench/bench_quality.py --terragon /path/to/other/terragon ~/src/click   # compare

Each clone is scanned with defaults into a throw-away store and cache (nothing of the user's
is read or written), and precision@10 and @20 are printed: the share of the top N a
reviewer kept. An item nobody judged counts as not kept, and is listed so it can be.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

QUALITY = Path(__file__).parent / "quality"
#: The fields a verdict may name to pick out an item; unnamed ones match anything.
MATCHED = ("source", "rule", "file", "line", "role")


@dataclass(frozen=True)
class Verdict:
    """A reviewer's verdict on one backlog item, which it picks out by some of MATCHED."""

    match: dict[str, object]
    verdict: str
    reason: str

    def picks(self, item: dict[str, object]) -> bool:
        """Whether this verdict is about `item` (a `terragon list --json` record)."""
        return all(item.get(name) == value for name, value in self.match.items())


def load_judgements() -> dict[str, tuple[str, list[Verdict]]]:
    """Commit -> (repository, verdicts), from every bench/quality/*.toml."""
    found = {}
    for path in sorted(QUALITY.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        verdicts = [
            Verdict(
                {name: entry[name] for name in MATCHED if name in entry},
                entry["verdict"],
                entry["reason"],
            )
            for entry in data.get("item", [])
        ]
        found[data["commit"]] = (data["repository"], verdicts)
    return found


def ranked(terragon: str, clone: Path, top: int) -> list[dict[str, object]]:
    """The top of a default scan of `clone`, from a fresh store and cache."""
    work = Path(tempfile.mkdtemp(prefix="terragon-quality-"))
    env = {
        **os.environ,
        "TERRAGON_DB": f"sqlite:///{work / 'store.db'}",
        "XDG_CACHE_HOME": str(work / "cache"),
        "XDG_CONFIG_HOME": str(work / "config"),
        "XDG_DATA_HOME": str(work / "data"),
    }
    try:
        subprocess.run(
            [terragon, "-C", str(clone), "scan"], env=env, check=True, capture_output=True
        )
        listed = subprocess.run(
            [terragon, "-C", str(clone), "list", "--json", "-n", str(top)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    data = json.loads(listed.stdout)
    return list(data.get("items", data) if isinstance(data, dict) else data)


def judge(items: list[dict[str, object]], verdicts: list[Verdict]) -> list[tuple[str, str]]:
    """(verdict, reason) for each item in rank order; unjudged items are ("?", "")."""
    judged = []
    for item in items:
        verdict = next((v for v in verdicts if v.picks(item)), None)
        judged.append((verdict.verdict, verdict.reason) if verdict else ("?", ""))
    return judged


def precision(judged: list[tuple[str, str]], n: int) -> float:
    """The share of the top `n` kept."""
    head = judged[:n]
    return sum(verdict == "keep" for verdict, _ in head) / max(1, len(head))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("clones", nargs="+", type=Path, help="local clones of judged repositories")
    beside = Path(sys.executable).with_name("terragon")  # this venv's, activated or not
    default = str(beside) if beside.exists() else shutil.which("terragon") or "terragon"
    parser.add_argument("--terragon", default=default, help="the terragon to measure")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every item judged")
    args = parser.parse_args(argv)
    judgements = load_judgements()
    worst = 1.0
    for clone in args.clones:
        head = subprocess.run(
            ["git", "-C", str(clone), "rev-parse", "HEAD"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if head not in judgements:
            print(f"{clone}: no judgements for commit {head[:12]} in {QUALITY}", file=sys.stderr)
            return 2
        repository, verdicts = judgements[head]
        items = ranked(args.terragon, clone, 20)
        judged = judge(items, verdicts)
        p10, p20 = precision(judged, 10), precision(judged, 20)
        worst = min(worst, p10)
        unjudged = sum(verdict == "?" for verdict, _ in judged)
        print(
            f"{repository} @ {head[:12]}: precision@10 {p10:.2f}, @20 {p20:.2f}"
            + (f" ({unjudged} of the top 20 not judged)" if unjudged else "")
        )
        for rank, (item, (verdict, reason)) in enumerate(zip(items, judged, strict=True), 1):
            if args.verbose or verdict == "?":
                where = f"{item.get('file')}:{item.get('line')}" if item.get("file") else ""
                print(
                    f"  {rank:2}. [{verdict}] {item.get('source')}:{item.get('rule')} "
                    f"{item.get('role') or ''} {where}  {str(item.get('title'))[:70]}"
                    + (f"  ({reason})" if reason and args.verbose else "")
                )
    print(f"lowest precision@10: {worst:.2f} (target 0.90)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
