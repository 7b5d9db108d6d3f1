"""Making untrusted text (from scanned files and users) safe for terminals and documents."""

from __future__ import annotations

import html
import re
import unicodedata

#: Characters no one sees that change what a line shows: bidi marks, embeddings, overrides and
#: isolates (U+061C, U+200E/F, U+202A-E, U+2066-9: `notes\u202etxt.py` reads `notesyp.txt`), the
#: deprecated format controls beside them (U+206A-F), zero-width spaces, joiners and no-breaks
#: (U+200B-D, U+2060, U+FEFF: two names that look alike are not), the soft hyphen, the
#: Mongolian vowel separator, invisible operators (U+2061-4), interlinear annotation marks and
#: tag characters (text hidden inside a line). Variation selectors stay: emoji and CJK need them.
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\U000e0000-\U000e007f"
)
# C0 controls except tab and newline, DEL, the C1 range (which includes 8-bit CSI/OSC), and the
# invisible characters above.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")
#: What json.dumps leaves raw once non-ASCII is kept: DEL, the C1 controls (8-bit CSI and
#: OSC, which a terminal obeys), the invisible characters and lone surrogates (which cannot be
#: written as UTF-8).
_JSON_RAW = re.compile(f"[\x7f-\x9f{_INVISIBLE}\ud800-\udfff]")
_ZWNJ, _ZWJ = "\u200c", "\u200d"
# Emoji that a zero-width joiner makes one picture of (👩‍💻, 🏳️‍🌈, 🐈‍⬛), the left one perhaps
# with its emoji presentation selector; skin tones are in the last range.
_EMOJI_BEFORE = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]\ufe0f?$")
_EMOJI_AFTER = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")
# Scripts whose letters join or form conjuncts, where a joiner or non-joiner is part of the
# spelling (Persian می‌خواهم) and visibly changes the shapes: Arabic and its supplements,
# Syriac, N'Ko, and the Indic scripts from Devanagari to Sinhala.
_JOINING = re.compile("[\u0600-\u07ff\u0860-\u08ff\u0900-\u0dff\ufb50-\ufdff\ufe70-\ufefc]")


def _joining_letter(text: str, at: int) -> bool:
    """Whether `text[at]` is a letter or mark of a joining script (not one of its controls)."""
    return (
        0 <= at < len(text)
        and _JOINING.match(text, at) is not None
        and unicodedata.category(text[at])[0] in "LM"
    )


def _joins_visibly(match: re.Match[str]) -> bool:
    """Whether the matched character is a joiner whose work shows, so no trick.

    A zero-width joiner between two emoji draws one picture where two would stand; a joiner
    or non-joiner between two letters of a joining script, or after a virama, changes their
    shapes. Showing `\\u200d` there would break every such emoji or word. Anywhere else
    (between Latin letters, at either end) it hides, and is escaped like the rest.
    """
    char = match.group()
    if char not in (_ZWNJ, _ZWJ):
        return False
    at, text = match.start(), match.string
    if char == _ZWJ and _EMOJI_BEFORE.search(text, max(0, at - 2), at):
        return bool(_EMOJI_AFTER.match(text, at + 1))
    if not _joining_letter(text, at - 1):
        return False
    # after a virama it makes a half form or a word-final chillu (Malayalam ന്‍): shown too
    return _joining_letter(text, at + 1) or unicodedata.category(text[at - 1]) == "Mn"


def _visible(match: re.Match[str]) -> str:
    if _joins_visibly(match):
        return match.group()
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: str, *, single_line: bool = False) -> str:
    """`text` with every terminal control and invisible character shown escaped, never obeyed.

    ESC, BEL, carriage returns and the rest cannot move the cursor, change colours or set
    the window title (shown as `\\xNN`); bidi overrides cannot reverse a name and zero-width
    characters cannot hide in one (shown as `\\u202e`, `\\u200b`). Accents, CJK, emoji and
    the joiners that shape emoji and Arabic or Indic words are left as they are. With
    `single_line`, newlines and tabs become spaces.
    """
    text = _CONTROL.sub(_visible, text)
    if single_line:
        text = " ".join(text.split())
    return text


def _json_escape(match: re.Match[str]) -> str:
    if _joins_visibly(match):
        return match.group()
    units = match.group().encode("utf-16-be", "surrogatepass")  # a tag is two \u escapes
    return "".join(f"\\u{int.from_bytes(units[i : i + 2]):04x}" for i in range(0, len(units), 2))


def json_printable(encoded: str) -> str:
    """JSON text from `json.dumps(..., ensure_ascii=False)` with what it leaves raw escaped.

    The escapes are JSON's own (`\\u202e`), so a program reading it gets the text exactly as
    stored, while a terminal showing it obeys and hides nothing.
    """
    return _JSON_RAW.sub(_json_escape, encoded)


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
