"""The one-pass raw counts agree with radon's own `radon.raw.analyze`."""

from __future__ import annotations

import pytest
from radon.raw import analyze

from terragon_tui.discovery import raw_metrics as rm

SOURCES = {
    "docstrings": (
        '"""Module doc."""\n\n\ndef f(x):\n    """Multi\n\n    line doc.\n    """\n'
        "    return x  # answer\n"
    ),
    "semicolons": "import os; import sys\nif x: y = 1; z = 2\nx: int = 1; y = 2\n",
    "continuations": "x = (1,  # one\n     2)\ny = 1 + \\\n    2\n\n# alone\n",
    "prefixed strings": 'x = rb"abc" + f"{y}"\nr"""raw\ndoc"""\n',
    "no final newline": "def g():\n    pass",
    "walrus and lambda": "if (n := 10) > 5: pass\nf = lambda a: a\nd = {1: 2}\n",
    "form feed": "x = 1\n\x0c\ndef h():\n    return 2\n",
}


def _counts(metrics: rm.RawMetrics) -> tuple[int, ...]:
    return (
        metrics.loc,
        metrics.lloc,
        metrics.sloc,
        metrics.comments,
        metrics.multi,
        metrics.blank,
        metrics.single_comments,
    )


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_counts_match_radon(name: str) -> None:
    assert _counts(rm.raw_metrics(SOURCES[name])) == tuple(analyze(SOURCES[name]))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_lexer_and_tokenizer_agree(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = rm.raw_metrics(SOURCES[name])
    monkeypatch.setattr(rm, "_lex", rm._tokenize)
    slow = rm.raw_metrics(SOURCES[name])
    assert _counts(fast) == _counts(slow)
    assert fast.comment_tokens == slow.comment_tokens
    assert fast.literal_rows == slow.literal_rows


def test_comments_are_collected_with_their_lines_and_strings_are_not() -> None:
    metrics = rm.raw_metrics('x = "# not a comment"\n# a comment\ny = 2  # trailing\n')
    assert metrics.comment_tokens == [(2, "# a comment"), (3, "# trailing")]


def test_except_star_is_noticed() -> None:
    source = "try:\n    pass\nexcept* ValueError:\n    pass\n"
    assert rm.raw_metrics(source).has_except_star
    assert not rm.raw_metrics("try:\n    pass\nexcept ValueError:\n    pass\n").has_except_star


def test_a_long_file_is_linear() -> None:
    # radon.raw.analyze re-tokenizes every multi-line string (radon#223); one pass does not
    source = "x = '''\n" + "line\n" * 20_000 + "'''\n"
    metrics = rm.raw_metrics(source)
    assert metrics.sloc == 20_002
