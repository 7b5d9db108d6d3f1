"""Repository-wide sources: those that read the repository as a whole, after the per-file
analysis (a tool run once over every file, a check of the whole package tree).

Each source is a module with `SOURCE` (its name), `applies(context)` (whether a scan of
this kind covers it in this repository: a source that does not apply is not covered, so
its items are neither found nor resolved) and `findings(context)`. Results that cost a tool
run are remembered in the scan cache under a key built from the inputs the tool reads
(`RepoContext.inputs_key`), so a rescan with nothing changed does not run it again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .cache import ScanCache
from .finding import Finding
from .path_roles import PathRoles
from .scan_config import ScanConfig

__all__ = ["RepoContext", "RepoSource"]


@dataclass
class RepoContext:
    """What a repository-wide source may read: the root, every tracked path, the content key
    of each file the scan listed, the per-file results (outlines), settings and the cache."""

    root: Path
    kind: str
    paths: tuple[str, ...]
    config: ScanConfig
    cache: ScanCache
    roles: PathRoles
    #: path -> content key (blob SHA and file type) of every file the scan listed.
    blobs: dict[str, str] = field(default_factory=dict)
    #: path -> per-file results of that file (outline, complexity...), as cached.
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: What a source wants the scan summary to say (a tool missing, a budget spent).
    notes: list[str] = field(default_factory=list)
    #: Sources that could not finish, with why (see `give_up`).
    unfinished: dict[str, str] = field(default_factory=dict)
    #: True once the scan should stop (a source running a slow tool stops it then).
    cancelled: Callable[[], bool] = lambda: False

    def give_up(self, source: str, reason: str) -> list[Finding]:
        """Say that `source` could not finish (its tool is missing, crashed or ran out of its
        time budget): the scan does not count it as covered, so its items stay as they were
        instead of being resolved, and the summary says why. Returns no findings."""
        self.unfinished[source] = reason
        self.notes.append(f"{source}: {reason}; its items were left as they were")
        return []

    def content_key(self, path: str) -> str:
        """A key that changes when the file at `path` changes: its blob SHA when the scan
        listed it, else its size and modification time (or "missing")."""
        known = self.blobs.get(path)
        if known is not None:
            return known
        try:
            stat = os.stat(self.root / path)
        except OSError:
            return "missing"
        return f"stat:{stat.st_size}:{stat.st_mtime_ns}"

    def inputs_key(self, source: str, paths: Iterable[str], *extra: object) -> str:
        """A digest of what `source` reads: each path with its content key, and `extra`
        (the tool's version, its settings)."""
        digest = hashlib.sha256(source.encode())
        for path in sorted(set(paths)):
            digest.update(f"\0{path}\x1f{self.content_key(path)}".encode("utf-8", "replace"))
        digest.update(json.dumps(extra, default=_stable, sort_keys=True).encode())
        return digest.hexdigest()

    def remembered(self, source: str, key: str) -> Any | None:
        """What `source` stored under `key` in an earlier scan, or None."""
        return self.cache.repo_result(source, key)

    def remember(self, source: str, key: str, value: Any) -> None:
        """Store `source`'s JSON-able result under `key` for the next scan."""
        self.cache.store_repo_result(source, key, value)


def _stable(value: object) -> object:
    """JSON for what json.dumps cannot write, the same in every process: a set sorted (its
    own order follows string hashing, which differs from one run to the next), else str()."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    return str(value)


class RepoSource(Protocol):
    """A repository-wide source module."""

    SOURCE: str

    def applies(self, context: RepoContext) -> bool:
        """Whether the scan covers this source here."""
        ...

    def findings(self, context: RepoContext) -> list[Finding]:
        """What the source found in the repository."""
        ...
