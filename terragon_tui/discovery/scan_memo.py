"""A whole scan's result, remembered by everything it was made from.

A rescan with nothing changed finds what the last one found. Its per-file half is cheap
with the blob cache, but on a large repository what remains costs more than the target of
a tenth of a full scan: reading the cache of every file, rebuilding and grouping the
findings, the history, the repository-wide sources. So the result itself is remembered,
under a key made of what decides it: the scan kind and settings, every listed path with its
blob SHA (or, for a file git does not know as committed, its size and time), HEAD, today's
date (the notes speak of a commit's age), terragon's own version and the versions of every
analysing tool and of the environment deptry reads. The memo sits beside the scan cache, in
the user cache directory; one per kind. A scan in which a source gave up is not remembered,
so the next one tries that source again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .cache import write_json_object
from .finding import Finding, Occurrence

#: Bump when what is remembered changes shape.
MEMO_FORMAT = 2
_FINDING_FIELDS = tuple(f.name for f in dataclasses.fields(Finding))
_TOOLS = ("ruff", "mypy", "deptry", "lizard")


def memo_key(parts: dict[str, Any]) -> str:
    """The digest of `parts` (JSON-able) together with the format and tool versions."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name in _TOOLS:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "?"
    from .. import __version__  # a new terragon may find, group or place findings otherwise

    whole = {
        "format": MEMO_FORMAT,
        "terragon": __version__,
        "tools": versions,
        "today": str(datetime.date.today()),
    }
    digest = hashlib.sha256(json.dumps(whole, sort_keys=True).encode())
    digest.update(json.dumps(parts, sort_keys=True, default=str).encode("utf-8", "replace"))
    return digest.hexdigest()


def recall(path: Path, key: str) -> dict[str, Any] | None:
    """The result remembered at `path` under `key`, or None (missing, damaged, other key)."""
    try:
        with path.open("r", encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    result = data.get("result")
    return result if isinstance(result, dict) else None


def remember(path: Path, key: str, result: dict[str, Any], findings: list[Finding]) -> None:
    """Keep `result` (a scan's summary) and its `findings` at `path` under `key`, atomically,
    a finding at a time; a failure to write costs only speed."""
    rows = ((str(number), finding_to_json(f)) for number, f in enumerate(findings))
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".scan-memo-", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(f'{{"key":{json.dumps(key)},"result":')
                write_json_object(out, result, "findings", rows)
                out.write("}")
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def finding_to_json(finding: Finding) -> list[Any]:
    """A finding as a JSON list, its fields in order (occurrences as lists)."""
    row = [getattr(finding, name) for name in _FINDING_FIELDS]
    at = _FINDING_FIELDS.index("occurrences")
    row[at] = [
        [o.path, o.line, o.symbol, list(o.fingerprints), o.data] for o in finding.occurrences
    ]
    return row


def finding_from_json(row: list[Any]) -> Finding:
    """The finding `finding_to_json` wrote."""
    values = dict(zip(_FINDING_FIELDS, row, strict=True))
    values["occurrences"] = [
        Occurrence(path, line, symbol, tuple(prints), data)
        for path, line, symbol, prints, data in values["occurrences"]
    ]
    return Finding(**values)
