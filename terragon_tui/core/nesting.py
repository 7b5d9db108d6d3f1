"""TOML and JSON of bounded nesting: a file nested 100,000 deep is refused, not a crash.

tomllib and json parse nested arrays and tables recursively, so deep enough nesting stops
them with a RecursionError (in a worker, a scan source or the config reader alike), and
what parses below that limit can still be too deep for the code that walks it. Every TOML
and JSON file terragon reads from a repository or the user goes through these instead.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from typing import Any

#: The deepest nesting of tables and arrays read; no configuration needs a tenth of it.
MAX_NESTING = 100


class TomlTooDeep(tomllib.TOMLDecodeError):
    """A TOML document nested deeper than MAX_NESTING: invalid, as a syntax error is."""

    def __init__(self) -> None:
        ValueError.__init__(self, f"nested more than {MAX_NESTING} levels deep")


class JsonTooDeep(ValueError):
    """A JSON document nested deeper than MAX_NESTING (a ValueError, as json's own are)."""

    def __init__(self) -> None:
        super().__init__(f"nested more than {MAX_NESTING} levels deep")


def _bounded(loads: Callable[[Any], Any], text: Any, error: type[Exception]) -> Any:
    """`loads(text)`, raising `error` for a document nested deeper than MAX_NESTING."""
    try:
        data = loads(text)
    except RecursionError:
        raise error() from None
    if too_deep(data):
        raise error()
    return data


def toml_loads(text: str) -> dict[str, Any]:
    """`tomllib.loads(text)`, raising TomlTooDeep (a TOMLDecodeError) for too deep a one."""
    document: dict[str, Any] = _bounded(tomllib.loads, text, TomlTooDeep)
    return document


def json_loads(text: str | bytes) -> Any:
    """`json.loads(text)`, raising JsonTooDeep (a ValueError) for too deep a document."""
    return _bounded(json.loads, text, JsonTooDeep)


def too_deep(value: Any) -> bool:
    """Whether `value` nests dicts and lists more than MAX_NESTING levels (walked without
    recursion, so any depth can be measured)."""
    stack = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if level > MAX_NESTING:
            return True
        stack.extend((child, level + 1) for child in children)
    return False
