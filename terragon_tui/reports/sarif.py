"""SARIF 2.1.0 logs of open items, one result per place, in the shape GitHub code scanning takes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import __version__
from ..backlog.ranked import RankedItem
from ..core.text import markdown_inline, printable
from ..core.vocabulary import OPEN_STATUSES, SOURCE_GROUPS
from ..scoring.scale import severity_word
from ..store.models import Occurrence

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: GitHub code scanning rejects a run with more results than this.
MAX_RESULTS = 25_000
#: The key of our own fingerprint in `partialFingerprints`; bump the version if it changes shape.
FINGERPRINT_KEY = "terragon/v1"
#: Files a repository-wide finding (no file of its own) is reported on, the first that exists:
#: code scanning refuses a result without a location.
ANCHOR_FILES = ("pyproject.toml", "setup.cfg", "setup.py", "README.md", "README.rst", "README")
LEVELS = {"high": "error", "medium": "warning", "low": "note"}
#: What each discovery source looks for: the rules' description where the tool has none.
SOURCE_HELP = {
    "complexity": "Code whose cyclomatic complexity or maintainability index is past the "
    "threshold: hard to read, test and change safely.",
    "hotspots": "Code that is both complex and changed often in the recent window (or "
    "known by one person only): where refactoring pays back first.",
    "todos": "A TODO, FIXME, HACK or XXX comment: work the code itself says is left to do.",
    "security": "A security issue found by bandit.",
    "secrets": "Something that looks like a secret committed to the repository.",
    "config": "Something the repository's setup lacks or leaves unused (policy files, CI, "
    "tests, lock files, configured tooling).",
    "dependencies": "A dependency problem found by deptry: missing, unused or misplaced.",
    "lint": "A lint finding reported by ruff with the repository's own settings.",
    "imports": "An import of the repository's own code that does not resolve.",
    "types": "A type error reported by mypy.",
    "user": "Work a person suggested for the backlog.",
}

if TYPE_CHECKING:
    from ..backlog.diffing import Change


@dataclass(frozen=True)
class Place:
    """One place an item stands for: a repository-relative path (or None), a line, its print."""

    path: str | None
    line: int | None
    fingerprint: str


@dataclass(frozen=True)
class FlaggedItem:
    """What a SARIF result needs of an item, as plain data (the backlog and `diff` both give it)."""

    key: str
    title: str
    description: str
    category: str
    priority: str
    source: str
    rule: str | None
    score: float
    rank: int
    security_severity: float
    places: tuple[Place, ...]
    rule_name: str | None = None  # a tool's own name for its rule (bandit's test name)
    rule_text: str | None = None  # a tool's own description of its rule


def flagged_items(
    ranked: Iterable[RankedItem], occurrences: Mapping[int, Sequence[Occurrence]]
) -> list[FlaggedItem]:
    """The open ones of `ranked` (best first) with their places, as plain data."""
    flagged: list[FlaggedItem] = []
    for entry in ranked:
        item = entry.item
        if item.status not in OPEN_STATUSES:
            continue
        places = tuple(
            Place(o.path, o.line, o.fingerprint) for o in occurrences.get(item.id or -1, [])
        )
        if not places:  # a suggestion: its key is what stays the same
            places = (Place(item.file_path, item.line, item.fingerprint or f"item:{item.key}"),)
        data = item.data or {}
        name = data.get("test_name")
        text = data.get("text") or next(
            (p.data.get("text") for p in occurrences.get(item.id or -1, []) if p.data), None
        )
        flagged.append(
            FlaggedItem(
                key=item.key,
                title=item.title,
                description=item.description,
                category=item.category,
                priority=item.priority,
                source=item.source,
                rule=item.rule,
                score=entry.score,
                rank=entry.rank or len(flagged) + 1,  # open items always have one
                security_severity=item.security_severity,
                places=places,
                rule_name=name if isinstance(name, str) else None,
                rule_text=text if item.source == "security" and isinstance(text, str) else None,
            )
        )
    return flagged


def repository_anchor(root: Path) -> str:
    """The file repository-wide results point at: the project's config or README."""
    for name in ANCHOR_FILES:
        if (root / name).is_file() and not (root / name).is_symlink():
            return name
    return ANCHOR_FILES[0]


def rule_id(item: FlaggedItem) -> str:
    """`source/rule`: the same rule id on every run, unique across the discovery sources."""
    return f"{item.source}/{item.rule or 'suggested'}"


def level(item: FlaggedItem) -> str:
    """error, warning or note: from the security severity, else from the priority."""
    word = severity_word(item.security_severity)
    if word is not None:
        return LEVELS[word]
    return "warning" if item.priority in ("critical", "high") else "note"


def _text(value: str) -> str:
    """Repository text as SARIF plain text: no terminal controls (JSON escapes the rest)."""
    return printable(value)


def _uri(path: str) -> str:
    """A repository-relative URI reference with forward slashes, never absolute."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in (".", "")]
    return quote("/".join(parts), safe="/")


def _location(place: Place, anchor: str) -> dict[str, Any]:
    path = _uri(place.path) if place.path else ""
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": path or _uri(anchor), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": place.line if place.line and place.line >= 1 else 1},
        }
    }


def _rule(item: FlaggedItem) -> dict[str, Any]:
    group = SOURCE_GROUPS.get(item.source, item.source)
    name = item.rule_name or item.rule or "suggested"
    short = _text(f"{item.rule} {item.rule_name}" if item.rule_name else f"{group}: {name}")
    full = _text(item.rule_text or SOURCE_HELP.get(item.source, short))
    help_text = (
        f"{full}\n\nFound by terragon's {item.source} source ({group}). "
        "Each result is one place of a backlog item; `terragon show ID` explains its score."
    )
    help_md = (
        f"{markdown_inline(full)}\n\nFound by terragon's `{markdown_inline(item.source)}` "
        f"source ({markdown_inline(group)}). Each result is one place of a backlog item; "
        "`terragon show ID` explains its score."
    )
    properties: dict[str, Any] = {"tags": sorted({item.category, item.source})}
    if item.security_severity > 0:
        properties["tags"] = sorted({*properties["tags"], "security"})
        properties["security-severity"] = f"{item.security_severity:.1f}"
    return {
        "id": rule_id(item),
        "name": _text(name),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": _text(help_text), "markdown": help_md},
        "defaultConfiguration": {"level": level(item)},
        "properties": properties,
    }


def _fingerprints(places: Sequence[Place]) -> list[str]:
    """Each place's fingerprint, made distinct: some sources give the places of one file a
    shared print (a mypy error code, a secret repeated in a file), and code scanning would
    take results with one print for one alert. The second of a print becomes `print/2`."""
    seen: dict[str, int] = {}
    made = []
    for place in places:
        fingerprint = str(place.fingerprint)
        seen[fingerprint] = seen.get(fingerprint, 0) + 1
        count = seen[fingerprint]
        made.append(fingerprint if count == 1 else f"{fingerprint}/{count}")
    return made


def _results(item: FlaggedItem, anchor: str, room: int) -> list[dict[str, Any]]:
    """The results of the first `room` places of `item`, one each."""
    count = len(item.places)
    lines = item.description.strip().splitlines()
    detail = _text(f": {lines[0]}") if lines and lines[0] != item.title else ""
    title, key, level_ = _text(item.title), _text(item.key), level(item)
    properties = {
        "itemId": item.key,
        "score": round(item.score, 2),
        "rank": item.rank,
        "category": item.category,
        "priority": item.priority,
    }
    made = []
    prints = _fingerprints(item.places)
    for number, place in enumerate(item.places[:room], 1):
        where = f" (place {number} of {count})" if count > 1 else ""
        if not place.path:
            where += " (repository-wide)"
        made.append(
            {
                "ruleId": rule_id(item),
                "level": level_,
                "message": {"text": f"{title}{where} [{key}]{detail}"},
                "locations": [_location(place, anchor)],
                "partialFingerprints": {FINGERPRINT_KEY: prints[number - 1]},
                "properties": dict(properties),
            }
        )
    return made


def sarif_log(
    items: Sequence[FlaggedItem], *, anchor: str = ANCHOR_FILES[0], limit: int = MAX_RESULTS
) -> dict[str, Any]:
    """One SARIF run: a result per place of each item, best-ranked first, at most `limit`.

    Past `limit` the lowest-ranked places are left out and the run's invocation says how many,
    so the log stays one code scanning accepts.
    """
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    total = sum(len(item.places) for item in items)
    for item in items:
        if len(results) >= limit:
            break
        rules.setdefault(rule_id(item), _rule(item))
        results += _results(item, anchor, limit - len(results))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "terragon",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": list(rules.values()),
            }
        },
        "results": results,
    }
    if total > len(results):
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {
                        "level": "warning",
                        "message": {
                            "text": f"{total - len(results)} of {total} results left out: "
                            f"code scanning takes at most {limit:,} per run; "
                            "the best-ranked are kept"
                        },
                    }
                ],
            }
        ]
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def diff_flagged(changes: Sequence[Change]) -> list[FlaggedItem]:
    """What a branch introduces or worsens (`terragon diff`), best score first, as plain
    data: each change's places are the new or worse ones, its key says which it is."""
    from ..core.vocabulary import priority_for_impact

    flagged: list[FlaggedItem] = []
    for rank, change in enumerate(sorted(changes, key=lambda c: -c.score), 1):
        finding = change.finding
        places = tuple(
            Place(o.path, o.line, o.fingerprints[0] if o.fingerprints else finding.fingerprint)
            for o in change.places
        ) or (Place(finding.path, finding.line, finding.fingerprint),)
        name = finding.data.get("test_name")
        text = finding.data.get("text")
        flagged.append(
            FlaggedItem(
                key=f"{change.change}:{finding.fingerprint[:12]}",
                title=finding.title,
                description=finding.description,
                category=finding.category,
                priority=priority_for_impact(finding.impact),
                source=finding.source,
                rule=finding.rule,
                score=change.score,
                rank=rank,
                security_severity=finding.security_severity,
                places=places,
                rule_name=name if isinstance(name, str) else None,
                rule_text=text if finding.source == "security" and isinstance(text, str) else None,
            )
        )
    return flagged
