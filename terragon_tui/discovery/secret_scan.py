"""Secrets source: detect-secrets' default plugins and filters over one text file at a time."""

from __future__ import annotations

import bisect
import contextlib
import importlib
import re
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from . import secret_filters
from .finding import Finding

SOURCE = "secrets"
#: Files detect-secrets reads through its own transformers (YAML, INI...): scanned its own way.
TRANSFORMED_SUFFIXES = frozenset({".yaml", ".yml", ".ini", ".cfg", ".conf", ".properties", ".env"})
_NEWLINE = re.compile("\n")
_GENERIC = frozenset({"Secret Keyword", "Basic Auth Credentials"})
_WEAK = frozenset({"Base64 High Entropy String", "Hex High Entropy String"})
_NOT_SECRET = frozenset({"Public IP (ipv4)"})
#: Read like any other file, so a credential in a resolved URL is found and the hashes
#: are counted as suppressed instead of the whole file going unread.
_LOCK_FILE_FILTER = "detect_secrets.filters.heuristic.is_lock_file"


class SecretScanner:
    """detect-secrets with its default settings, active from `open()` until `close()`.

    Every line goes through a cheap whole-file prefilter built from the plugins' own
    patterns (each searched only on lines holding the literals it cannot match without);
    only the lines it marks go through detect-secrets' per-line plugins. YAML and INI-like
    files, which detect-secrets transforms first, are read the way `scan_file` reads them.
    Each hit then goes through detect-secrets' filters one by one, so that the one that
    drops it is known, and through `secret_filters` for the shapes they miss: a hit is
    kept, or suppressed with a reason.
    """

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._plugins: list[Any] = []
        self._keywords: re.Pattern[str] | None = None
        self._lower_keywords: re.Pattern[str] | None = None
        self._internals: Any = None
        self._hit_filters: list[Any] = []
        self._needles: dict[re.Pattern[str], list[frozenset[str]]] = {}

    def open(self) -> SecretScanner:
        """Enter detect-secrets' default settings (module-level state of that library),
        lock files included."""
        from detect_secrets.settings import default_settings, get_filters, get_plugins

        settings = self._stack.enter_context(default_settings())
        settings.disable_filters(_LOCK_FILE_FILTER)
        self._plugins = list(get_plugins())
        try:
            from detect_secrets.core import scan
            from detect_secrets.plugins.keyword import DENYLIST
            from detect_secrets.util.code_snippet import get_code_snippet
            from detect_secrets.util.inject import call_function_with_arguments

            self._keywords = re.compile("|".join(DENYLIST), re.IGNORECASE)
            self._lower_keywords = re.compile("|".join(DENYLIST))
            self._internals = (
                scan._is_filtered_out,
                scan._get_lines_from_file,
                get_code_snippet,
                call_function_with_arguments,
            )
        except (ImportError, AttributeError):  # another detect-secrets: plain scan_file
            self._internals = None
        # the filters that judge a line or a hit (not a whole file), line filters first and
        # in a fixed order: the settings keep them in a set, whose order varies by process
        self._hit_filters = sorted(
            (f for f in get_filters() if getattr(f, "injectable_variables", set()) - {"filename"}),
            key=lambda f: ("secret" in f.injectable_variables, getattr(f, "path", "")),
        )
        return self

    def close(self) -> None:
        """Restore detect-secrets' previous settings."""
        self._stack.close()

    def scan(
        self, filename: str, text: str, rows: list[tuple[int, int]] | None = None
    ) -> dict[str, list[list[Any]]]:
        """The potential secrets in the file at `filename`, kept and suppressed.

        `found` holds [type, line, secret hash] for each kept hit, `suppressed` holds
        [type, line, secret hash, reason] for each hit judged a false positive: the value
        itself is never in the result. `rows` (first, last line of each string literal and
        comment of a Python file) narrow the prefilter to those lines: a secret in code
        outside them is not valid Python.
        """
        if self._internals is None:
            return _result(self._scan_file(filename, text))
        is_filtered_out = self._internals[0]
        if is_filtered_out(required_filter_parameters=["filename"], filename=filename):
            return _result([])
        suffix = PurePosixPath(filename).suffix.lower()
        if suffix in TRANSFORMED_SUFFIXES or suffix == "":
            return _result(self._scan_transformed(filename))
        return _result(self._scan_lines(filename, text, None if "\r" in text else rows))

    def _scan_file(self, filename: str, text: str) -> list[_Hit]:
        """Another detect-secrets: its `scan_file` (its filters silent), then our judgement."""
        from detect_secrets.core import scan

        lines = text.splitlines()
        hits = []
        for secret in scan.scan_file(filename):
            number = secret.line_number
            line = lines[number - 1] if 0 < number <= len(lines) else ""
            reason = secret_filters.false_positive(
                secret.type, secret.secret_value or "", line, filename
            )
            hits.append(_Hit(secret.type, number, secret.secret_hash, reason))
        return hits

    def _scan_transformed(self, filename: str) -> list[_Hit]:
        """`scan_file`'s reading: transformed (or plain) lines, then eagerly transformed ones
        only when the first reading kept nothing detect-secrets' filters let through."""
        _, lines_from_file, get_code_snippet, _ = self._internals
        hits: list[_Hit] = []
        for lines in lines_from_file(filename):
            for number, raw in enumerate(lines, start=1):
                snippet = get_code_snippet(lines=lines, line_number=number)
                hits += self._line_hits(filename, raw.rstrip(), number, snippet)
            if any(not hit.by_library for hit in hits):
                break
        return hits

    def _line_hits(self, filename: str, line: str, number: int, snippet: Any) -> list[_Hit]:
        """Every plugin's hits on one line, each with the reason it is suppressed, if any."""
        call = self._internals[3]
        hits = []
        for plugin in self._plugins:
            secrets = call(
                plugin.analyze_line,
                filename=filename,
                line=line,
                line_number=number,
                context=snippet,
            )
            for secret in secrets or ():
                value = secret.secret_value or ""
                reason = self._library_reason(filename, line, snippet, value, plugin)
                if reason is not None:
                    hits.append(_Hit(secret.type, number, secret.secret_hash, reason, True))
                    continue
                reason = secret_filters.false_positive(
                    secret.type, value, line, filename, _matched_text(plugin, line, value)
                )
                hits.append(_Hit(secret.type, number, secret.secret_hash, reason))
        return hits

    def _library_reason(
        self, filename: str, line: str, snippet: Any, value: str, plugin: Any
    ) -> str | None:
        """The reason of the first of detect-secrets' line and hit filters that drops it."""
        call = self._internals[3]
        for check in self._hit_filters:
            try:
                dropped = call(
                    check,
                    filename=filename,
                    line=line,
                    context=snippet,
                    secret=value,
                    plugin=plugin,
                )
            except TypeError:  # as detect-secrets does: a filter it cannot call is skipped
                continue
            if dropped:
                return secret_filters.library_reason(getattr(check, "path", ""))
        return None

    def _candidates(self, filename: str, text: str) -> set[int]:
        """Line numbers (1-based) where some plugin's pattern matches: a superset of hits."""
        starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        marked: set[int] = set()
        lowered = text.lower() if text.isascii() else None
        memo: dict[tuple[frozenset[str], bool], set[int]] = {}

        def needle_lines(group: frozenset[str], ignore_case: bool) -> set[int] | None:
            """Lines holding one of `group`, or None when the text is not ASCII."""
            if ignore_case and lowered is None:
                return None
            key = (group, ignore_case)
            if key not in memo:
                finder = re.compile("|".join(map(re.escape, sorted(group, key=len, reverse=True))))
                haystack = lowered if ignore_case and lowered is not None else text
                memo[key] = {
                    bisect.bisect_right(starts, m.start()) for m in finder.finditer(haystack)
                }
            return memo[key]

        def mark(begin: int, end: int) -> None:
            first = bisect.bisect_right(starts, begin)
            last = bisect.bisect_right(starts, max(begin, end - 1))
            marked.update(range(first, last + 1))

        for plugin in self._plugins:
            denylist = getattr(plugin, "denylist", None)
            if hasattr(plugin, "entropy_limit"):
                # high-entropy strings: the plugin's own entropy check over the whole text
                for secret in plugin.analyze_line(filename=filename, line=text, line_number=0):
                    value = secret.secret_value or ""
                    position = text.find(value) if value else -1
                    while position >= 0:
                        mark(position, position + len(value))
                        position = text.find(value, position + 1)
            elif denylist:
                for pattern in denylist:
                    self._match_lines(pattern, text, starts, mark, needle_lines)
            elif (
                self._keywords is not None
                and self._lower_keywords is not None
                and type(plugin).__name__ == "KeywordDetector"
            ):
                # lower-casing ASCII keeps offsets and is far faster than re.IGNORECASE
                keywords = self._keywords if lowered is None else self._lower_keywords
                for match in keywords.finditer(lowered or text):
                    mark(match.start(), match.end())
            else:  # a plugin we cannot prefilter: every line is a candidate
                marked.update(range(1, len(starts) + 1))
        return {n for n in marked if n <= len(starts) - (text.endswith("\n") or not text)}

    def _match_lines(
        self,
        pattern: re.Pattern[str],
        text: str,
        starts: list[int],
        mark: Any,
        needle_lines: Any,
    ) -> None:
        """Mark the lines where `pattern` matches, looking only at lines with its needles."""
        groups = self._needles.get(pattern)
        if groups is None:
            groups = self._needles[pattern] = needle_sets(pattern)
        chosen: set[int] | None = None
        for group in groups:
            lines = needle_lines(group, bool(pattern.flags & re.IGNORECASE))
            if lines is None:
                chosen = None
                break
            chosen = lines if chosen is None else chosen & lines
        if chosen is None:
            for match in pattern.finditer(text):
                mark(match.start(), match.end())
            return
        for number in chosen:
            end = starts[number] if number < len(starts) else len(text)
            line = text[starts[number - 1] : end]
            for match in pattern.finditer(line):
                mark(starts[number - 1] + match.start(), starts[number - 1] + match.end())

    def _scan_lines(
        self, filename: str, text: str, rows: list[tuple[int, int]] | None
    ) -> list[_Hit]:
        get_code_snippet = self._internals[2]
        # the lines `open().readlines()` gives detect-secrets: universal newlines, ends kept
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        pieces = text.split("\n")
        lines = [piece + "\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
        if rows is None:
            candidates = self._candidates(filename, text)
        else:
            chosen = sorted({n for first, last in rows for n in range(first, last + 1)})
            chosen = [n for n in chosen if 0 < n <= len(lines)]
            part = "".join(lines[n - 1].rstrip("\n") + "\n" for n in chosen)
            candidates = {chosen[n - 1] for n in self._candidates(filename, part)}
        hits: list[_Hit] = []
        for number in sorted(candidates):
            if number > len(lines):
                continue
            snippet = get_code_snippet(lines=lines, line_number=number)
            hits += self._line_hits(filename, lines[number - 1].rstrip(), number, snippet)
        return hits


class _Hit(NamedTuple):
    """One plugin hit: its type, line and hash, and why it is suppressed (None: kept)."""

    type: str
    line: int
    hash: str
    reason: str | None
    by_library: bool = False  # suppressed by one of detect-secrets' own filters


def _result(hits: list[_Hit]) -> dict[str, list[list[Any]]]:
    """Kept and suppressed rows, each once, in order; a hit kept once is not suppressed."""
    found = {(h.type, h.line, h.hash) for h in hits if h.reason is None}
    suppressed = {
        (h.type, h.line, h.hash, h.reason)
        for h in hits
        if h.reason is not None and (h.type, h.line, h.hash) not in found
    }
    return {
        "found": [list(row) for row in sorted(found)],
        "suppressed": [list(row) for row in sorted(suppressed)],
    }


def _matched_text(plugin: Any, line: str, value: str) -> str:
    """The whole token a pattern plugin matched when its value is only the start of it
    (a GitHub token's value is `ghp`); otherwise the value itself."""
    for pattern in getattr(plugin, "denylist", None) or ():
        for match in pattern.finditer(line):
            whole = str(match.group(0))
            if len(whole) > len(value) and whole.startswith(value) and value in match.groups():
                return whole
    return value


def needle_sets(pattern: re.Pattern[str]) -> list[frozenset[str]]:
    """Sets of strings a match of `pattern` must contain one of, read from its parse tree.

    `(?:cloudant|cl)(?:key|pwd)` gives {cloudant, cl} and {key, pwd}: a line without any
    of either set cannot match. Lower-cased for IGNORECASE patterns; [] when nothing is
    certain (or the private parser module is unavailable), which disables the shortcut.
    """
    try:  # private modules, which typeshed does not describe: read as plain modules
        sre_constants = importlib.import_module("re._constants")
        sre_parse = importlib.import_module("re._parser")
    except ImportError:  # another Python's internals
        return []
    ops = sre_constants

    def walk(items: Any, out: list[frozenset[str]]) -> None:
        run = ""
        for op, value in items:
            if op is ops.LITERAL:
                run += chr(value)
                continue
            if run:
                out.append(frozenset({run}))
                run = ""
            if op is ops.SUBPATTERN:
                if value[1] & re.IGNORECASE:  # a scoped (?i:...): literals are not literal
                    raise ValueError("scoped flags")
                walk(value[-1], out)
            elif op in (ops.MAX_REPEAT, ops.MIN_REPEAT) and value[0] >= 1:
                walk(value[2], out)
            elif op is ops.BRANCH:
                options: set[str] = set()
                for alternative in value[1]:
                    inner: list[frozenset[str]] = []
                    walk(alternative, inner)
                    if not inner:
                        break
                    options |= max(inner, key=lambda group: min(map(len, group)))
                else:
                    out.append(frozenset(options))
        if run:
            out.append(frozenset({run}))

    found: list[frozenset[str]] = []
    try:
        walk(sre_parse.parse(pattern.pattern, pattern.flags), found)
    except Exception:  # an unusual pattern: no shortcut, never a wrong answer
        return []
    lower = bool(pattern.flags & re.IGNORECASE)
    usable = [
        frozenset(n.lower() for n in group) if lower else group
        for group in found
        if group and "\n" not in "".join(group) and min(map(len, group)) >= 2
    ]
    usable.sort(key=lambda group: -min(map(len, group)))
    return usable[:2]


def rule(secret_type: str) -> str:
    """The rule of a secret type, as findings name it: `AWS Access Key` -> `aws-access-key`."""
    return "-".join(re.sub(r"[^a-z0-9]+", " ", secret_type.lower()).split()) or "secret"


def findings(path: str, rows: list[list[Any]]) -> list[Finding]:
    """One finding per potential secret; the symbol is its type and hash, never its value."""
    found = []
    for secret_type, line, secret_hash in rows:
        if secret_type in _NOT_SECRET:
            severity, confidence, criticality = 2.0, 3.0, 2.0
        elif secret_type in _WEAK:
            severity, confidence, criticality = 6.0, 4.0, 5.0
        elif secret_type in _GENERIC:
            severity, confidence, criticality = 8.0, 6.0, 13.0
        else:
            severity, confidence, criticality = 9.0, 9.0, 20.0
        found.append(
            Finding(
                source=SOURCE,
                rule=rule(secret_type),
                title=f"Possible secret ({secret_type}) in {PurePosixPath(path).name}:{line}",
                description=(
                    f"detect-secrets found a potential {secret_type} at {path}:{line}. "
                    "If it is real, rotate it, then move it out of the repository "
                    "(environment, secret store) and out of its history."
                ),
                category="security",
                path=path,
                line=int(line),
                symbol=f"{secret_type}:{str(secret_hash)[:16]}",
                estimated_hours=2.0,
                impact=9.0 if severity >= 8 else 5.0,
                confidence=confidence,
                ease=6.0,
                risk=0.7,
                business_value=8.0 if severity >= 8 else 3.0,
                time_criticality=criticality,
                risk_reduction=13.0 if severity >= 8 else 5.0,
                security_severity=severity,
                is_security=True,
                business_value_text="A leaked credential is an open door until it is rotated.",
                data={"type": secret_type},
            )
        )
    return found
