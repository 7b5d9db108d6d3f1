"""Raw line counts and comments of Python source in one linear pass over its tokens."""

from __future__ import annotations

import io
import re
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field

#: A token as the counts need it: kind (comment, string, colon, semi, other), rows, text.
Token = tuple[str, int, int, str]

_BREAK = re.compile(r"\r\n|\r|\n")
#: Python 3.11's token grammar, reduced to what the counts need; f-strings are plain strings
#: there (3.12 nests them, and its tokenizer is fast C code, so 3.12+ uses tokenize).
_LEXER = re.compile(
    r"""[ \t\f]*(?:
      (?P<string>(?<!\w)[rRbBuUfF]{0,2}(?:'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*"))
     |(?P<comment>\#[^\r\n]*)
     |(?P<newline>\r\n|\r|\n)
     |(?P<cont>\\(?:\r\n|\r|\n))
     |(?P<open>[(\[{])
     |(?P<close>[)\]}])
     |(?P<walrus>:=)
     |(?P<colon>:)
     |(?P<semi>;)
     |(?P<name>\w+)
     |(?P<op>[^\w\s'"\#()\[\]{}:;\\]+)
     |(?P<other>\S)
     |(?P<space>\s)
    )""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(slots=True)
class RawMetrics:
    """radon's raw counts (loc, lloc, sloc, comments, multi, blank, single_comments) and comments.

    The counts follow `radon.raw.analyze`, computed in one pass instead of re-tokenizing
    every multi-line construct (radon issue #223).
    """

    loc: int = 0
    lloc: int = 0
    sloc: int = 0
    comments: int = 0
    multi: int = 0
    blank: int = 0
    single_comments: int = 0
    comment_tokens: list[tuple[int, str]] = field(default_factory=list)
    literal_rows: list[tuple[int, int]] = field(default_factory=list)  # rows of strings, comments
    has_except_star: bool = False


def _breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _lex(text: str) -> Iterator[tuple[list[Token], bool]]:
    """Logical lines of 3.11 source as (tokens, has_except_star), from one regex pass."""
    group: list[Token] = []
    row, depth, previous, star = 1, 0, "", False
    position, end = 0, len(text)
    while position < end:
        match = _LEXER.match(text, position)
        if match is None:  # only trailing spaces are left
            break
        position = match.end()
        kind = match.lastgroup
        value = match.group(kind) if kind else ""
        if kind == "space":
            continue
        if kind == "newline":
            if depth == 0 and group:
                yield group, star
                group, star = [], False
            row += 1
            continue
        if kind == "cont":
            row += 1
            continue
        if kind == "string":
            last = row + _breaks(value)
            group.append(("string", row, last, value))
            row = last
            continue
        if kind == "comment":
            group.append(("comment", row, row, value))
            continue
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "op" and value.startswith("*") and previous == "except":
            star = True
        previous = value
        group.append((kind if kind in ("colon", "semi") else "other", row, row, value))
    if group:
        yield group, star


def _tokenize(text: str) -> Iterator[tuple[list[Token], bool]]:
    """The same logical lines from the standard tokenizer (used on Python 3.12+)."""
    group: list[Token] = []
    previous, star, nested, fstring_row = "", False, 0, 0
    fstart = getattr(tokenize, "FSTRING_START", -1)
    fend = getattr(tokenize, "FSTRING_END", -1)
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        kind = tok.type
        if kind == fstart:
            nested += 1
            fstring_row = fstring_row if nested > 1 else tok.start[0]
            continue
        if nested:
            if kind == fend:
                nested -= 1
                if not nested:
                    group.append(("string", fstring_row, tok.end[0], ""))
            continue
        if kind in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        if kind in (tokenize.NL, tokenize.NEWLINE):
            # an NL ends a logical line only after nothing but comments (else: in brackets)
            if group and (kind == tokenize.NEWLINE or all(t[0] == "comment" for t in group)):
                yield group, star
                group, star = [], False
            continue
        if kind == tokenize.COMMENT:
            group.append(("comment", tok.start[0], tok.start[0], tok.string))
        elif kind == tokenize.STRING:
            group.append(("string", tok.start[0], tok.end[0], tok.string))
        else:
            if tok.string.startswith("*") and previous == "except":
                star = True
            previous = tok.string
            name = {":": "colon", ";": "semi"}.get(tok.string, "other")
            group.append((name, tok.start[0], tok.end[0], tok.string))
    if group:
        yield group, star


def _logical_lines(group: list[Token]) -> int:
    """radon's `_logical`: each `;`-separated part counts 1, or 2 unless a `:` ends it.

    radon looks for the colon one place before the end of every part, because it expects
    the ENDMARKER only the last part has; the parts before a `;` inherit that quirk.
    """
    parts: list[list[str]] = [[]]
    for kind, _first, _last, _text in group:
        if kind == "semi":
            parts.append([])
        elif kind != "comment":
            parts[-1].append(kind)
    total = 0
    for index, kinds in enumerate(parts):
        if not kinds:
            continue
        colons = [i for i, kind in enumerate(kinds) if kind == "colon"]
        if not colons:
            total += 1
            continue
        expected = len(kinds) - 1 if index == len(parts) - 1 else len(kinds) - 2
        total += 2 - (colons[-1] == expected)
    return total


def raw_metrics(text: str) -> RawMetrics:
    """Count lines, logical lines, comments and docstring lines of `text` in one pass.

    On Python 3.12+ the standard tokenizer does the pass and may raise tokenize.TokenError
    or SyntaxError on source it rejects; the caller treats that as unmeasurable.
    """
    lines = _BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    # nonblank[row] for 1-based rows; one spare slot past the end
    nonblank = [False] + [bool(line.strip()) for line in lines] + [False]
    # blank lines as radon counts them: str.splitlines() also breaks at form feeds
    metrics = RawMetrics(blank=sum(1 for line in text.splitlines() if not line.strip()))
    groups = _lex(text) if sys.version_info < (3, 12) else _tokenize(text)
    for group, star in groups:
        metrics.has_except_star |= star
        for kind, first, last, value in group:
            if kind == "comment":
                metrics.comments += 1
                metrics.comment_tokens.append((first, value))
                metrics.literal_rows.append((first, first))
            elif kind == "string":
                metrics.literal_rows.append((first, last))
        first_row, last_row = group[0][1], max(token[2] for token in group)
        rows = sum(nonblank[first_row : last_row + 1])
        kinds = [token[0] for token in group]
        if kinds == ["comment"]:
            metrics.single_comments += 1
        elif kinds == ["string"]:
            if first_row == last_row:
                metrics.single_comments += 1
            else:
                metrics.multi += rows
        else:
            metrics.sloc += rows
        metrics.lloc += _logical_lines(group)
    metrics.loc = metrics.sloc + metrics.blank + metrics.multi + metrics.single_comments
    return metrics


def comment_percent(metrics: RawMetrics) -> float:
    """Comment and docstring lines as a percentage of SLOC, as `radon mi` computes it."""
    if metrics.sloc == 0:
        return 0.0
    return (metrics.comments + metrics.multi) / metrics.sloc * 100.0
