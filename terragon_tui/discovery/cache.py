"""The incremental scan cache: per-file analysis results keyed by git blob SHA (and file type)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

#: Bump when the shape or meaning of cached results changes, including any change to what
#: the per-file analysers decide (secret false-positive shapes are judged in the worker).
#: 2: MI unrounded, secrets {found, suppressed}; 3: TODO tags in any case; 4: more comment
#: syntaxes; 5: a syntax error names the newer Python its file needs; 6: a file that does not
#: parse is read in part; 7: generated files are skipped; 8: well-known default credentials;
#: 9-11: what a weak hash (B324) is used for; 12: harmless shapes of bandit findings;
#: 13: status words and name_password stand-ins are not secrets; 14: tox {env:} and CI
#: service database passwords; 15: secrets shown in docstrings; 16: all-interfaces values;
#: 17: the outline has each module's imports and bindings (for the imports source).
#: 18: complexity of the languages lizard reads; 19: invisible characters (bidi, zero-width)
#: in function names are escaped, as control characters were; 20: practices and lines of
#: code recorded; 21: placeholders written as one word, keys named public and GitHub
#: Actions' `secrets: inherit` are not secrets.
CACHE_FORMAT = 21
_ABSENT = object()


def analyser_versions() -> str:
    """The cache's validity stamp: our format, the Python that parsed (what is a syntax
    error depends on it) and the versions of the analysing libraries."""
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"format={CACHE_FORMAT}", f"python={sys.version_info.major}.{sys.version_info.minor}"]
    for name in ("radon", "lizard", "bandit", "detect-secrets"):
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=?")
    return ";".join(parts)


#: One object for each empty result shape (no TODOs, no secrets...), which most files have:
#: results are only read once stored, so files with nothing to say can share one.
_EMPTIES: dict[tuple[str, ...], Any] = {}


def _shared(value: Any) -> Any:
    """`value`, or the one shared object equal to it when it is empty (`[]`, or a dict of
    empty lists such as secrets' `{"found": [], "suppressed": []}`)."""
    if isinstance(value, list) and not value:
        return _EMPTIES.setdefault(("[]",), value)
    if isinstance(value, dict) and all(isinstance(v, list) and not v for v in value.values()):
        return _EMPTIES.setdefault(tuple(sorted(value)), value)
    return value


def write_json_object(
    out: TextIO, head: dict[str, Any], key: str, rows: Iterable[tuple[str, Any]]
) -> None:
    """Write `head` with the (name, value) `rows` as an object under `key`, as one JSON
    object, a row at a time: json.dumps of the whole would hold the file twice in memory (its
    text, then its bytes), and json.dump encodes in Python, several times slower than dumps
    of each row. `rows` may be a generator, so they need not be in memory at once."""
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    out.write(dumps(head)[:-1] + ("," if head else "") + dumps(key) + ":{")
    for number, (name, value) in enumerate(rows):
        out.write(("," if number else "") + dumps(name) + ":" + dumps(value))
    out.write("}}")


class ScanCache:
    """Key (`blob SHA:file type`) -> {analyser name: result} for every file analysed before.

    An entry is {"skip": reason} for a file that could not be read at all; an analyser that
    could not run on a file read in part is None, with the reason under "partial". Plain
    JSON-able data: `load()` and `save()` persist it atomically; an unreadable or
    outdated file loads as an empty cache, so the worst a bad cache costs is a full scan.
    """

    def __init__(
        self,
        entries: dict[str, dict[str, Any]] | None = None,
        stamp: str = "",
        repo: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self._entries: dict[str, dict[str, Any]] = entries or {}
        self.stamp = stamp or analyser_versions()
        #: source -> {"key": inputs digest, "value": result} of the repository-wide sources
        #: (repo_sources.py): the last result of each, for the inputs it was found from.
        self._repo: dict[str, dict[str, Any]] = repo or {}
        #: The file to read the entries from when first needed (`deferred`), else None.
        self._unread: Path | None = None
        #: Where a whole scan's result is remembered (scan_memo.py), beside the cache file.
        self.memo_path: Path | None = None
        self._live: set[str] = set()
        #: Whether anything differs from what was loaded (a fresh cache always saves).
        self.changed = entries is None

    @staticmethod
    def default_path(root: Path) -> Path:
        """`.terragon/scan-cache.json` under the repository root."""
        return Path(root) / ".terragon" / "scan-cache.json"

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        """Blob key -> results, read from the file on first use for a deferred cache."""
        self._read_now()
        return self._entries

    @property
    def repo(self) -> dict[str, dict[str, Any]]:
        """Source -> its last result (repo_sources.py), read on first use when deferred."""
        self._read_now()
        return self._repo

    def _read_now(self) -> None:
        if self._unread is not None:
            path, self._unread = self._unread, None
            loaded = ScanCache.load(path)  # changed if nothing usable was there: save replaces it
            self._entries, self._repo, self.changed = loaded._entries, loaded._repo, loaded.changed

    @classmethod
    def deferred(cls, path: Path) -> ScanCache:
        """The cache saved at `path`, read only when a scan first needs an entry: a rescan
        whose whole result is remembered (scan_memo.py) never reads the per-file entries."""
        cache = cls(stamp=analyser_versions())
        cache._unread, cache.changed = Path(path), False
        cache.memo_path = Path(path).with_name(Path(path).name + ".memo")
        return cache

    @classmethod
    def load(cls, path: Path) -> ScanCache:
        """The cache saved at `path`, or an empty one if it is missing, damaged or outdated."""
        stamp = analyser_versions()
        try:
            with Path(path).open("r", encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return cls(stamp=stamp)
        entries = data.get("entries") if isinstance(data, dict) else None
        if data.get("stamp") != stamp or not isinstance(entries, dict):
            return cls(stamp=stamp)
        stored = data.get("repo")
        repo = (
            {k: v for k, v in stored.items() if isinstance(v, dict)}
            if isinstance(stored, dict)
            else {}
        )
        return cls({k: v for k, v in entries.items() if isinstance(v, dict)}, stamp, repo)

    def save(self, path: Path) -> None:
        """Write the cache to `path` atomically (a temporary file renamed into place), unless
        it is what was loaded from there: a rescan with nothing changed writes nothing."""
        path = Path(path)
        if self._unread is not None or (not self.changed and path.exists()):
            return  # never read, or read and unchanged: the file is what it would write
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".scan-cache-", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                head = {"stamp": self.stamp, "repo": self.repo}
                write_json_object(out, head, "entries", self.entries.items())
            os.replace(temporary, path)
            self.changed = False
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def lookup(self, blob: str, analysers: frozenset[str]) -> dict[str, Any] | None:
        """The cached results under `blob` if they cover `analysers` (or record a skip)."""
        self._live.add(blob)
        entry = self.entries.get(blob)
        if entry is None:
            return None
        if "skip" in entry or analysers <= entry.keys():
            return entry
        return None

    def partial(self, blob: str) -> dict[str, Any]:
        """Whatever is cached for `blob`, even if it does not cover a scan's analysers."""
        return self.entries.get(blob, {})

    def store(self, blob: str, results: dict[str, Any]) -> None:
        """Merge one file's fresh results into its entry."""
        self._live.add(blob)
        entry = self.entries.setdefault(blob, {})
        if any(entry.get(name, _ABSENT) != value for name, value in results.items()):
            entry.update({name: _shared(value) for name, value in results.items()})
            self.changed = True

    def repo_result(self, source: str, key: str) -> Any | None:
        """The result a repository-wide source stored for the inputs digest `key`, or None."""
        entry = self.repo.get(source)
        if entry is None or entry.get("key") != key:
            return None
        return entry.get("value")

    def store_repo_result(self, source: str, key: str, value: Any) -> None:
        """Keep `value` as `source`'s result for the inputs digest `key` (replacing the last)."""
        if self.repo.get(source) != {"key": key, "value": value}:
            self.repo[source] = {"key": key, "value": value}
            self.changed = True

    def keep(self, blob: str) -> None:
        """Mark `blob` as still in the repository, so `prune()` keeps it."""
        self._live.add(blob)

    def prune(self) -> int:
        """Drop entries of blobs not seen since the last prune; returns how many went."""
        stale = [blob for blob in self.entries if blob not in self._live]
        for blob in stale:
            del self.entries[blob]
        self._live = set()
        self.changed = self.changed or bool(stale)
        return len(stale)

    def __len__(self) -> int:
        return len(self.entries)
