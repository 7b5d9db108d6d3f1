"""Why a Python file does not parse: a syntax error, or syntax newer than the running Python."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NewerSyntax:
    """A construct a later Python accepts: the version it needs and how to recognise it, on
    the failing line (`line`) or in the parser's message (`message`)."""

    needs: tuple[int, int]
    feature: str
    line: re.Pattern[str] | None = None
    message: re.Pattern[str] | None = None


_NAME = r"[^\W\d]\w*"
#: The common constructs of Pythons after the oldest we run on (3.11), checked in this order.
NEWER_SYNTAX: tuple[NewerSyntax, ...] = (
    NewerSyntax(
        (3, 12),
        "type parameter lists / `type` aliases",
        line=re.compile(
            rf"^\s*(?:type\s+{_NAME}\s*[\[=]|(?:async\s+)?def\s+{_NAME}\s*\[|class\s+{_NAME}\s*\[)"
        ),
    ),
    NewerSyntax(
        (3, 13),
        "type parameter defaults",
        line=re.compile(rf"^\s*(?:type|(?:async\s+)?def|class)\s+{_NAME}\s*\[[^\]]*="),
    ),
    NewerSyntax(
        (3, 12),
        "f-strings nesting their own quotes",
        # an f-string whose replacement field holds the quote that opened it: f"{d["k"]}"
        line=re.compile(r"(?<![\w'\"])[fF][rR]?(?P<q>['\"])(?:(?!(?P=q)).)*?\{[^}]*(?P=q)"),
    ),
    NewerSyntax(
        (3, 12),
        "backslashes and comments in f-string expressions",
        message=re.compile(r"f-string expression part cannot include (?:a backslash|'#')"),
    ),
    NewerSyntax(
        (3, 14),
        "`except` clauses naming several types without parentheses",
        # except A, B:  (with `as`, parentheses are still needed)
        line=re.compile(r"^\s*except\*?\s+(?!\()(?![^:]*\bas\b)[^:#()]*,[^:]*:"),
    ),
    NewerSyntax(
        (3, 14),
        "template strings (t-strings)",
        line=re.compile(r"(?<![\w'\"])(?:[tT][rR]?|[rR][tT])['\"]"),
    ),
)


def newer_syntax(
    line: str, message: str, running: tuple[int, int] | None = None
) -> NewerSyntax | None:
    """The newer construct the failing `line` (or the parser's `message`) most likely uses,
    if the `running` Python (default: this one) is too old for it; the newest such wins."""
    version = running or (sys.version_info.major, sys.version_info.minor)
    matches = [
        entry
        for entry in NEWER_SYNTAX
        if entry.needs > version
        and (
            (entry.line is not None and entry.line.search(line))
            or (entry.message is not None and entry.message.search(message))
        )
    ]
    return max(matches, key=lambda entry: entry.needs, default=None)


def syntax_error_reason(
    error: SyntaxError, text: str, running: tuple[int, int] | None = None
) -> str:
    """One line on why `text` failed to parse, naming the Python it needs when the failing
    line uses syntax newer than the `running` one."""
    reason = f"syntax error at line {error.lineno}: {error.msg}"
    lines = text.splitlines()
    failing = error.text
    if failing is None and error.lineno is not None and 0 < error.lineno <= len(lines):
        failing = lines[error.lineno - 1]
    newer = newer_syntax(failing or "", error.msg or "", running)
    if newer is None:
        return reason
    version = running or (sys.version_info.major, sys.version_info.minor)
    needs = ".".join(map(str, newer.needs))
    older = ".".join(map(str, version))
    return f"{reason} (uses syntax newer than Python {older}: {newer.feature} need {needs})"
