"""A syntax error's reason names the Python a file needs when it only uses newer syntax."""

from __future__ import annotations

import ast
import sys

import pytest

from terragon_tui.discovery.newer_syntax import syntax_error_reason

#: Source each Python before `needs` rejects, with what the reason should say it uses.
NEWER = [
    ("type Point = tuple[float, float]\n", (3, 12), "type parameter lists / `type` aliases"),
    ("def first[T](xs: list[T]) -> T:\n    return xs[0]\n", (3, 12), "type parameter lists"),
    ("class Box[T]:\n    pass\n", (3, 12), "type parameter lists"),
    ("def f[T = int](x: T) -> T:\n    return x\n", (3, 13), "type parameter defaults"),
    ('d = {"k": 1}\nprint(f"{d["k"]}")\n', (3, 12), "f-strings nesting their own quotes"),
    ("xs = ['a']\nprint(f\"{'\\n'.join(xs)}\")\n", (3, 12), "backslashes and comments"),
    ("try:\n    pass\nexcept ValueError, TypeError:\n    pass\n", (3, 14), "`except` clauses"),
    ("name = 'x'\ngreeting = t'hello {name}'\n", (3, 14), "template strings (t-strings)"),
]
#: Errors that no Python accepts: no newer version is named.
GENUINE = [
    "def f(:\n    pass\n",
    "try:\n    pass\nexcept ValueError, TypeError as e:\n    pass\n",
    "x = f'{}'\n",
    "x = don't\n",
]


def _error(source: str) -> SyntaxError:
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return exc
    pytest.skip(f"Python {sys.version_info[:2]} accepts this source")


@pytest.mark.parametrize(("source", "needs", "feature"), NEWER)
def test_newer_syntax_is_named_with_the_python_it_needs(
    source: str, needs: tuple[int, int], feature: str
) -> None:
    exc = _error(source)
    reason = syntax_error_reason(exc, source, running=(3, 11))
    assert reason.startswith(f"syntax error at line {exc.lineno}: {exc.msg} (")
    assert "uses syntax newer than Python 3.11: " in reason
    assert feature in reason
    assert reason.endswith(f"need {needs[0]}.{needs[1]})")


@pytest.mark.parametrize(("source", "needs", "feature"), NEWER)
def test_a_python_new_enough_for_the_syntax_names_none(
    source: str, needs: tuple[int, int], feature: str
) -> None:
    exc = _error(source)
    assert syntax_error_reason(exc, source, running=needs) == (
        f"syntax error at line {exc.lineno}: {exc.msg}"
    )


@pytest.mark.parametrize("source", GENUINE)
def test_a_genuine_error_names_no_newer_python(source: str) -> None:
    exc = _error(source)
    assert syntax_error_reason(exc, source, running=(3, 11)) == (
        f"syntax error at line {exc.lineno}: {exc.msg}"
    )


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="3.14 parses `except A, B:`")
def test_the_running_python_is_the_one_named() -> None:
    source = "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n"
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    reason = syntax_error_reason(_error(source), source)
    assert f"(uses syntax newer than Python {running}: " in reason
