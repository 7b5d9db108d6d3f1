"""A scan's secret hits sorted into findings and counted suppressions, baseline included.

The worker has already judged each hit by its value (`secret_filters`); what is left to
decide here needs the whole repository: the hits its owners audited as false positives in
detect-secrets' baseline, which names them by hash, never by value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from . import secret_scan
from .finding import Finding, Suppressed
from .secret_filters import AUDITED, BASELINE_NAME, ENTROPY, KEYWORD

#: An entropy hit on a line where a plugin that knows the kind of secret found one, or a
#: keyword hit where one that knows more than the key's name did (a token, a private key).
SAME_VALUE = "the same value, named by a more specific detector on its line"


def audited_false_positives(root: Path) -> frozenset[tuple[str, str, str]]:
    """(path, type, hash) of each hit `.secrets.baseline` at `root` marks `is_secret: false`.

    Read with detect-secrets' own baseline functions, but not `baseline.load()`: that one
    also applies the baseline's plugin and filter settings to the library's global state.
    Raises ValueError naming what is wrong when the file exists but cannot be read.
    """
    from detect_secrets.core import baseline
    from detect_secrets.core.secrets_collection import SecretsCollection
    from detect_secrets.exceptions import UnableToReadBaselineError

    path = Path(root) / BASELINE_NAME
    if not path.is_file():
        return frozenset()
    try:
        data = baseline.upgrade(baseline.load_from_file(str(path)))
        collection = SecretsCollection.load_from_baseline(data)
    except UnableToReadBaselineError:
        raise ValueError("not valid JSON") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a detect-secrets baseline ({type(exc).__name__}: {exc})") from None
    # detect-secrets matches hits by file, hash and type, never by line (lines move)
    return frozenset(
        (PurePath(filename).as_posix(), secret.type, secret.secret_hash)
        for filename, secrets in collection.data.items()
        for secret in secrets
        if secret.is_secret is False
    )


@dataclass
class SecretTriage:
    """Turns each file's scanned secrets into findings, collecting what is suppressed."""

    audited: frozenset[tuple[str, str, str]] = frozenset()
    suppressed: list[Suppressed] = field(default_factory=list)  # the value is never known

    @classmethod
    def for_repository(cls, root: Path, notes: list[str]) -> SecretTriage:
        """A triage with the repository's baseline; a baseline it cannot read is noted."""
        try:
            return cls(audited_false_positives(root))
        except (OSError, ValueError) as exc:
            notes.append(f"{BASELINE_NAME} not applied: {exc}")
            return cls()

    def findings(self, path: str, result: dict[str, Any]) -> list[Finding]:
        """Findings of the kept hits of one file; every other hit is recorded with its reason."""
        kept = []
        hits = result.get("found", [])
        named = {line for secret_type, line, _hash in hits if secret_type not in ENTROPY}
        # a token assigned to `API_KEY` is a "Secret Keyword" too: the token's detector says more
        specific = {line for kind, line, _hash in hits if kind not in ENTROPY and kind != KEYWORD}
        for secret_type, line, secret_hash in hits:
            if (path, secret_type, secret_hash) in self.audited:
                self._suppress(path, line, secret_type, AUDITED)
            elif (secret_type in ENTROPY and line in named) or (
                secret_type == KEYWORD and line in specific
            ):
                self._suppress(path, line, secret_type, SAME_VALUE)
            else:
                kept.append([secret_type, line, secret_hash])
        for secret_type, line, _hash, reason in result.get("suppressed", []):
            self._suppress(path, line, secret_type, reason)
        found = secret_scan.findings(path, kept)
        documented = set(result.get("in_docstring", ()))
        for finding in found:
            if finding.line in documented:  # documentation, whatever file it is in
                finding.data = {**finding.data, "in_docstring": True}
        return found

    def _suppress(self, path: str, line: int, secret_type: str, reason: str) -> None:
        rule = secret_scan.rule(secret_type)
        self.suppressed.append(Suppressed(secret_scan.SOURCE, rule, path, int(line), reason))
