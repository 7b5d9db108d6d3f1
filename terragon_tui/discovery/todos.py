"""TODO source: TODO / FIXME / HACK / XXX / BUG comments in any case, never string literals."""

from __future__ import annotations

import re
from collections import Counter

from ..core.text import printable
from .comments import comment_pieces
from .finding import Finding

SOURCE = "todos"
TAGS = ("TODO", "FIXME", "HACK", "XXX", "BUG")
_TAG_ALTERNATION = "|".join(TAGS)
#: A tag in any case opening the comment, maybe with an owner in parentheses, and the text
#: after it; group 2 is what follows the tag, group 3 the text.
_LEADING = re.compile(
    rf"^[\s#/*!;-]*((?i:{_TAG_ALTERNATION}))\b((?:\([^)]*\))?[\s:.-]*)(.*)$", re.DOTALL
)
#: A tag in capitals later in the comment counts only when a colon (or an owner and a colon)
#: follows it.
_INLINE = re.compile(rf"\b({_TAG_ALTERNATION})(?:\([^)]*\))?:\s*(.*)$", re.DOTALL)
#: What must follow a tag not in capitals: a colon (maybe after an owner), nothing, or a
#: comma, full stop or dash before the text. In any case "todo" and "bug" are also plain
#: words: "# Todo: fix", "# fixme, broken" and "# hack" are notes; "# Todo items are sorted",
#: "# Bug with signed chars" and "# hack to get X" are prose.
_SEPARATED = re.compile(r"(?:\([^)]*\))?\s*(?::|$|[,;.!](?:\s|$)|[-–—]\s)")
#: Any tag in any case: files and lines without one are not looked at further.
ANY_TAG = re.compile(rf"\b(?:{_TAG_ALTERNATION})\b", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w]+")
_PREFIX = re.compile(r"^[\s#/*!;-]*")


def match_tag(comment: str) -> tuple[str, str] | None:
    """The tag (in capitals) and the text after it when `comment` (one comment's text, or one
    line of a block comment) is a TODO-like note.

    A tag in capitals counts when it opens the comment, or later when a colon follows it. A
    tag in another case ("todo", "Fixme") must open the comment and be set off from its text
    by a colon or other punctuation, or stand alone.
    """
    leading = _LEADING.match(comment)
    if leading is not None:
        tag, after, text = leading.groups()
        if tag.isupper() or _SEPARATED.match(after + text[:2]):
            return tag.upper(), text.lstrip(",;!–— \t").rstrip()
    inline = _INLINE.search(comment)
    if inline is None:
        return None
    return inline.group(1), inline.group(2).strip()


def python_todos(comments: list[tuple[int, str]]) -> list[list[int | str]]:
    """[line, tag, text] for each tagged comment among a Python file's COMMENT tokens."""
    rows: list[list[int | str]] = []
    for line, comment in comments:
        found = match_tag(comment.lstrip("#"))
        if found is not None:
            rows.append([line, found[0], found[1]])
    return rows


def text_todos(text: str, style: str) -> list[list[int | str]]:
    """[line, tag, text] for each tagged comment of a non-Python text file whose comment
    syntax is `style` (see comments.comment_style).

    A tag alone on a line of a block comment takes the comment's next line as its text.
    """
    if ANY_TAG.search(text) is None:
        return []
    pieces = list(comment_pieces(text, style))
    rows: list[list[int | str]] = []
    for index, (number, comment, which) in enumerate(pieces):
        if ANY_TAG.search(comment) is None:
            continue
        found = match_tag(comment)
        if found is None:
            continue
        tag, said = found
        if not said and index + 1 < len(pieces) and pieces[index + 1][2] == which:
            following = _PREFIX.sub("", pieces[index + 1][1]).strip()
            if match_tag(following) is None:
                said = following
        rows.append([number, tag, said])
    return rows


def normalise(text: str) -> str:
    """Lower-case words of a comment, so re-wrapping or punctuation keeps its identity."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())[:100]


_PROFILE: dict[str, tuple[float, float, float, float]] = {
    # tag: hours, impact, risk reduction, time criticality
    "TODO": (1.0, 3.0, 2.0, 1.0),
    "XXX": (1.5, 4.0, 3.0, 2.0),
    "HACK": (2.0, 4.0, 3.0, 2.0),
    "FIXME": (2.0, 5.0, 5.0, 3.0),
    "BUG": (3.0, 6.0, 5.0, 5.0),
}


def findings(path: str, rows: list[list[int | str]]) -> list[Finding]:
    """One finding per tagged comment; the symbol is the tag and its normalised text."""
    seen: Counter[str] = Counter()
    found = []
    for line, tag, text in rows:
        tag, text = str(tag), str(text)
        symbol = f"{tag}:{normalise(text)}"
        seen[symbol] += 1
        if seen[symbol] > 1:
            symbol = f"{symbol}#{seen[symbol]}"
        hours, impact, reduction, criticality = _PROFILE[tag]
        shown = printable(text, single_line=True)
        found.append(
            Finding(
                source=SOURCE,
                rule=tag.lower(),
                title=f"{tag} in {path}: {shown[:70] or '(no text)'}",
                description=f"{tag} comment at {path}:{line}: {shown[:500]}",
                category="technical-debt",
                path=path,
                line=int(line),
                symbol=symbol,
                estimated_hours=hours,
                impact=impact,
                confidence=5.0,
                ease=7.0,
                risk=0.2,
                business_value=2.0,
                time_criticality=criticality,
                risk_reduction=reduction,
                debt_hours=hours,
                data={"tag": tag, "text": text[:500]},
            )
        )
    return found
