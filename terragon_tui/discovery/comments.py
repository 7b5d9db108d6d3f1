"""The comments of text files: which comment syntax a file uses, and each comment's text."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

#: One piece of comment text: its line, the text, and which comment it belongs to (the
#: lines of one block comment share a number, so a bare tag can take the next line's text).
Piece = tuple[int, str, int]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Block:
    """A comment that runs from `open` to `close`, maybe over many lines."""

    open: str
    close: str
    anywhere: bool = False  # else only at a line's start or after a blank, as for `/*`


@dataclass(frozen=True, slots=True)
class Syntax:
    """How one kind of file writes comments.

    A line marker opens a comment to the end of the line at the line's start or after a
    blank: `x = 1  # note` is a comment, `http://x#y` and `a//b` are not.
    """

    line: tuple[str, ...] = ()
    line_start: tuple[str, ...] = ()  # markers only as a line's first text (INI's `;`)
    blocks: tuple[Block, ...] = ()
    code: bool = False  # Markdown: fenced code blocks and code spans are examples, not comments


_MARKUP = Block("<!--", "-->", anywhere=True)
_JINJA = Block("{#", "#}", anywhere=True)
_C_BLOCK = Block("/*", "*/")
#: Every comment syntax by name; "python" files are read by their tokens and "rst" files by
#: their explicit markup instead.
SYNTAXES: dict[str, Syntax] = {
    "#": Syntax(line=("#",)),
    "//": Syntax(line=("//",), blocks=(_C_BLOCK,)),
    "ini": Syntax(line=("#",), line_start=(";",)),
    "sql": Syntax(line=("--",), blocks=(_C_BLOCK,)),
    "markdown": Syntax(blocks=(_MARKUP,), code=True),
    "markup": Syntax(blocks=(_MARKUP,)),
    "html": Syntax(blocks=(_MARKUP, _JINJA)),  # HTML pages are often Jinja or Django templates
    "jinja": Syntax(blocks=(_JINJA,)),
}

#: File suffixes whose line comments start with `#`.
HASH_SUFFIXES = frozenset(
    ".sh .bash .zsh .fish .yml .yaml .toml .rb .pl .r .tf .ps1 .mk .cmake "  # noqa: SIM905
    ".dockerfile .pyx .pxd .nix .env .properties .gitignore .dockerignore ".split()
)
#: File suffixes whose line comments start with `//` (block comments `/* */` too).
SLASH_SUFFIXES = frozenset(
    ".js .jsx .ts .tsx .mjs .cjs .go .rs .java .kt .kts .c .h .cc .cpp .hpp .cs .swift "  # noqa: SIM905
    ".scala .dart .php .proto .groovy .gradle .m .zig .sol .css .scss .less ".split()
)
HASH_NAMES = frozenset({"Dockerfile", "Makefile", "Containerfile", "Justfile", "Procfile"})
INI_NAMES = frozenset({".flake8", ".pylintrc", "pylintrc", ".coveragerc", ".editorconfig"})
_BY_SUFFIX = {
    **dict.fromkeys(HASH_SUFFIXES, "#"),
    **dict.fromkeys(SLASH_SUFFIXES, "//"),
    **dict.fromkeys((".py", ".pyw", ".pyi"), "python"),
    **dict.fromkeys((".ini", ".cfg", ".conf"), "ini"),
    ".sql": "sql",
    **dict.fromkeys((".md", ".markdown"), "markdown"),
    **dict.fromkeys((".html", ".htm"), "html"),
    **dict.fromkeys((".xml", ".xhtml"), "markup"),
    **dict.fromkeys((".j2", ".jinja", ".jinja2"), "jinja"),
    ".rst": "rst",
}
#: pip's requirement files: requirements.txt, requirements-dev.txt, dev-requirements.in,
#: requirements/test.txt.
_REQUIREMENTS = re.compile(r"(?:.*[-_.])?requirements(?:[-_.].*)?\.(?:txt|in)")


def comment_style(path: str) -> str | None:
    """The name of the comment syntax of the file at `path` (a key of SYNTAXES, or "python" or
    "rst"), or None for a file whose comments are not read."""
    folder, _, name = path.rpartition("/")  # asked of every file: no PurePosixPath here
    stem, suffix = _split_suffix(name)
    suffix = suffix.lower()
    if suffix in _BY_SUFFIX:
        style = _BY_SUFFIX[suffix]
        if style == "jinja" and _split_suffix(stem)[1].lower() in (".html", ".htm"):
            return "html"  # page.html.j2
        return style
    if name in HASH_NAMES or name.startswith(".env"):
        return "#"
    if name in INI_NAMES:
        return "ini"
    if suffix in (".txt", ".in") and (
        _REQUIREMENTS.fullmatch(name.lower()) or folder.rpartition("/")[2] == "requirements"
    ):
        return "#"
    return None


def _split_suffix(name: str) -> tuple[str, str]:
    """A file name's stem and suffix, as PurePosixPath's `stem` and `suffix` give them."""
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        return name[:dot], name[dot:]
    return name, ""


def comment_pieces(text: str, style: str) -> Iterator[Piece]:
    """Every comment of `text` in the syntax named `style`, a line of it at a time.

    The text around comments is never read: a tag in prose, in a Markdown code block or in
    a string literal is not a comment (a string holding `#` or `<!--` may open a false
    one, the price of not parsing every language).
    """
    if style == "rst":
        yield from _rst_pieces(text)
        return
    syntax = SYNTAXES["#" if style == "python" else style]  # Python read as plain text
    openings, closes = _openings(syntax)
    close: str | None = None  # the end of the block comment the scan is in
    fence: str | None = None  # the fence of the Markdown code block the scan is in
    comment = 0
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if syntax.code and close is None:
            fence, is_code = _fenced(line, fence)
            if is_code:
                continue
            line = _CODE_SPAN.sub(lambda span: " " * len(span.group()), line)
        position = 0
        while True:
            if close is not None:
                end = line.find(close, position)
                if end < 0:
                    yield number, line[position:], comment
                    break
                yield number, line[position:end].rstrip("-* \t"), comment
                position, close = end + len(close), None
                continue
            opened = openings.search(line, position)
            if opened is None:
                break
            assert opened.lastindex is not None  # every alternative of `openings` is a group
            close, comment = closes[opened.lastindex - 1], comment + 1
            if close is None:  # a line comment
                yield number, line[opened.end() :], comment
                break
            position = opened.end()


@functools.cache
def _openings(syntax: Syntax) -> tuple[re.Pattern[str], tuple[str | None, ...]]:
    """One pattern for every comment opening of `syntax` (group n is the n-th marker), and
    the end marker of each (None for a line comment).

    One search finds the next opening, so a long line with many comments (a bundled
    script's `/*#__PURE__*/` marks) is read in one pass, not once per comment.
    """
    parts: list[str] = []
    closes: list[str | None] = []
    for marker in syntax.line:
        parts.append(rf"(?<!\S)({re.escape(marker)})")
        closes.append(None)
    for marker in syntax.line_start:
        parts.append(rf"^[ \t]*({re.escape(marker)})")
        closes.append(None)
    for block in syntax.blocks:
        after_blank = "" if block.anywhere else r"(?<!\S)"
        parts.append(rf"{after_blank}({re.escape(block.open)})")
        closes.append(block.close)
    return re.compile("|".join(parts)), tuple(closes)


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")


def _fenced(line: str, fence: str | None) -> tuple[str | None, bool]:
    """The Markdown fence open after `line` and whether `line` is code (or a fence)."""
    match = _FENCE.match(line)
    if fence is None:
        return (match.group(1), True) if match else (None, False)
    closing = (
        match is not None
        and match.group(1)[0] == fence[0]
        and len(match.group(1)) >= len(fence)
        and not line[match.end() :].strip()
    )
    return (None if closing else fence), True


#: reStructuredText's explicit markup start: `..` then a blank or the end of the line.
_RST_MARKUP = re.compile(r"^(\s*)\.\.(?:\s+(.*)|\s*)$")
#: What after `.. ` is not a comment: a directive (`name::`), footnote, target, substitution.
_RST_DIRECTIVE = re.compile(r"([\w.+:-]+?)::(?:\s+(.*)|\s*)$")
_RST_OTHER = re.compile(r"[\[_|]")


def _rst_pieces(text: str) -> Iterator[Piece]:
    """Comments of reStructuredText (`.. text` and its indented lines), and Sphinx's
    `.. todo::` directives as a "TODO:" comment with the directive's first line of text.

    Indented text under other directives and after a `::` paragraph is content or a literal
    block (often an example of reStructuredText), never a comment.
    """
    # the construct whose indented lines are being read: kind, indent, line, comment number
    inside: tuple[str, int, int, int] | None = None
    comment = 0
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if inside is not None:
            kind, base, start, belongs = inside
            if not stripped:
                if kind == "empty":  # `..` then a blank line: an empty comment, no more
                    inside = None
                continue
            if indent > base:
                if kind in ("comment", "empty"):
                    inside = ("comment", base, start, belongs)
                    yield number, stripped, belongs
                elif kind == "todo":
                    yield start, f"TODO: {stripped}", belongs
                    inside = ("content", base, start, belongs)
                continue
            inside = None
        markup = _RST_MARKUP.match(line)
        if markup is None:
            if stripped.endswith("::"):
                inside = ("content", indent, number, 0)  # a literal block follows
            continue
        comment += 1
        rest = (markup.group(2) or "").strip()
        directive = _RST_DIRECTIVE.match(rest)
        if directive is not None:
            name, argument = directive.group(1), (directive.group(2) or "").strip()
            if name.lower() == "todo" and argument:
                yield number, f"TODO: {argument}", comment
            kind = "todo" if name.lower() == "todo" and not argument else "content"
            inside = (kind, indent, number, comment)
        elif _RST_OTHER.match(rest):
            inside = ("content", indent, number, comment)
        else:
            if rest:
                yield number, rest, comment
            inside = ("comment" if rest else "empty", indent, number, comment)
