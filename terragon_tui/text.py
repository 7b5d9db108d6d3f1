"""Making untrusted text (from scanned files and users) safe for terminals and documents."""

from __future__ import annotations

import html
import re

# C0 controls except tab and newline, DEL, and the C1 range (which includes 8-bit CSI/OSC).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def printable(text: str, *, single_line: bool = False) -> str:
    """`text` with every terminal control character shown as `\\xNN`, never interpreted.

    ESC, BEL, carriage returns and the rest cannot move the cursor, change colours or set
    the window title. With `single_line`, newlines and tabs become spaces.
    """
    text = _CONTROL.sub(_visible, text)
    if single_line:
        text = " ".join(text.split())
    return text


def sentence(text: str) -> str:
    """`text` ending as a sentence does, so that another can follow it."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", ":")) else text + "."


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def markdown_inline(text: str) -> str:
    """`text` as one line of Markdown that renders literally: no links, HTML or table breaks."""
    return _MD_SPECIAL.sub(r"\\\1", printable(text, single_line=True))


def html_text(text: str) -> str:
    """`text` escaped for HTML element content and attribute values."""
    return html.escape(printable(text), quote=True)
