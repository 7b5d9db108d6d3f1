"""Complexity beyond Python: lizard's cyclomatic complexity per function, shaped as radon's.

Python stays radon's (complexity.py), with its maintainability index; every other language
lizard reads (JavaScript, TypeScript, Go, Java, C/C++, C#, Rust, Ruby, Swift, Kotlin, Lua,
PHP, Scala...) is measured here, per function, into the same result shape, so its functions
become the same items on the same thresholds. lizard has no maintainability index.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from ..core.text import printable
from .inventory import name_and_suffix

#: How the product names lizard's languages (by the first of each reader's names).
LANGUAGE_NAMES = {
    "cpp": "C/C++",
    "csharp": "C#",
    "erlang": "Erlang",
    "fortran": "Fortran",
    "gdscript": "GDScript",
    "go": "Go",
    "java": "Java",
    "javascript": "JavaScript",
    "kotlin": "Kotlin",
    "lua": "Lua",
    "objectivec": "Objective-C",
    "perl": "Perl",
    "php": "PHP",
    "plsql": "PL/SQL",
    "r": "R",
    "ruby": "Ruby",
    "rust": "Rust",
    "scala": "Scala",
    "solidity": "Solidity",
    "st": "Structured Text",
    "swift": "Swift",
    "ttcn": "TTCN-3",
    "typescript": "TypeScript",
    "vue": "Vue",
    "zig": "Zig",
}
#: Suffixes one lizard reader reads as two languages, named by the suffix.
SUFFIX_NAMES = {".tsx": "TypeScript (TSX)", ".jsx": "JavaScript (JSX)"}
#: A Go method's receiver as lizard writes it before the name: `(s*Server)`, `(List[T])`.
_GO_RECEIVER = re.compile(r"\((?:\w+(?:\s+|\s*(?=\*)))?\*?\s*([\w.]+)(?:\[[^)]*\])?\)")
_GO_ANONYMOUS = re.compile(r"^anonymous__\d+$")
#: Characters of a line no one writes by hand (minified code is made of them).
LONG_LINE = 250
#: How many tokens lizard reads between two looks at the clock.
_TOKENS_PER_CHECK = 2048


class Unmeasured(Exception):
    """lizard could not measure a file (it failed, or ran out of time); says why."""


@cache
def suffixes() -> frozenset[str]:
    """The file suffixes (lower case, with the dot) of the languages lizard measures here:
    every one its readers match, except Python's."""
    import lizard

    return frozenset(
        f".{ext.lower()}"
        for reader in lizard.languages()
        if "python" not in reader.language_names
        for ext in reader.ext
    )


def reads(path: str) -> bool:
    """True when lizard measures `path`'s language here (any but Python)."""
    return name_and_suffix(path)[1].lower() in suffixes()


def language(path: str, reader: Any) -> str:
    """The name of `path`'s language, as lizard's `reader` for it knows it."""
    suffix = PurePosixPath(path).suffix.lower()
    first = str(reader.language_names[0])
    return SUFFIX_NAMES.get(suffix) or LANGUAGE_NAMES.get(first.lower(), first)


def minified(text: str) -> bool:
    """True when `text` looks minified or bundled: lines over `LONG_LINE` characters are
    more than a third of its lines (a long data line in readable code is not enough)."""
    lines = [line for line in text.splitlines() if line.strip()]
    long = sum(len(line) > LONG_LINE for line in lines)
    return long * 3 > len(lines)


def measure(path: str, text: str, seconds: float) -> dict[str, Any]:
    """Cyclomatic complexity of each function of `text` (the source of `path`), as radon's
    results: {"language", "functions": [[name, kind, line, endline, cc]], "total_cc",
    "sloc" (lizard's lines of code, comments and blank lines aside)}.

    lizard reads the tokens only; raises Unmeasured for minified source, and when lizard
    fails on the source, reports a problem, or has read for more than `seconds`.
    """
    import lizard

    reader = lizard.get_reader_for(path)
    if reader is None or "python" in reader.language_names:
        raise Unmeasured(f"lizard does not measure {PurePosixPath(path).suffix} files here")
    if minified(text):
        raise Unmeasured(f"minified (most lines over {LONG_LINE} characters)")
    deadline = time.monotonic() + seconds

    def within_budget(tokens: Iterator[str], _reader: Any) -> Iterator[str]:
        for count, token in enumerate(tokens):
            if count % _TOKENS_PER_CHECK == 0 and time.monotonic() > deadline:
                raise Unmeasured(f"lizard took longer than {seconds:g} s")
            yield token

    # lizard's FileAnalyzer.analyze_source_code, step by step, so that a RecursionError (which
    # it would report on sys.stderr and swallow, leaving a partial reading) reaches us: no
    # thread of ours may swap sys.stderr, which the TUI's capture and the pool rely on
    context = lizard.FileInfoBuilder(path)
    reading = reader(context)
    try:
        tokens = reading.generate_tokens(text)
        for processor in [within_budget, *lizard.get_extensions([])]:  # ours first in the chain
            tokens = processor(tokens, reading)
        for _ in reading(tokens, reading):
            pass
    except (Unmeasured, MemoryError):
        raise
    except RecursionError as exc:  # nested deeper than lizard's reader can follow
        raise Unmeasured("lizard could not read it: nested too deeply") from exc
    except Exception as exc:  # lizard's readers fail on some source (IndexError, ...)
        raise Unmeasured(f"lizard could not read it: {type(exc).__name__}") from exc
    info = context.fileinfo
    go = "go" in reader.language_names
    functions = [_row(function, go=go) for function in info.function_list]
    return {
        "language": language(path, reader),
        "functions": functions,
        "total_cc": sum(row[4] for row in functions),
        "sloc": int(info.nloc),
    }


def _row(function: Any, *, go: bool) -> list[Any]:
    """[name, kind, line, endline, cc] of one of lizard's functions, named as radon names
    them (`Class.method`) and as untrusted text.

    lizard qualifies a method by its class in Java, C++, C#... (`Parser::step`); in Go it
    keeps the receiver at the head of the long name (`(s*Server)Handle`), and numbers
    anonymous functions by their place in the file (`anonymous__3`, or leaves them
    unnamed before 1.24), which any function added above would shift: they are
    `(anonymous)`, as in JavaScript.
    """
    name = str(function.name).replace("::", ".") or "(anonymous)"
    if go:
        name = _GO_ANONYMOUS.sub("(anonymous)", name)
        receiver = _GO_RECEIVER.match(str(function.long_name))
        if receiver is not None and not name.startswith("("):
            name = f"{receiver.group(1).rsplit('.', 1)[-1]}.{name}"
    name = printable(name, single_line=True)[:200]
    kind = "method" if "." in name.strip(".") else "function"
    score = int(function.cyclomatic_complexity)
    return [name, kind, int(function.start_line), int(function.end_line), score]
