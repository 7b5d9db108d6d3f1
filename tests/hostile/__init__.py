"""What the hostile-input tests look for in output: characters a terminal would act on or hide."""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, and C1 (8-bit CSI, OSC). Written out here rather
#: than taken from terragon_tui.core.text, so the tests do not share a mistake with the code.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Characters that show nothing yet change what a line shows: the bidi marks (ALM, LRM, RLM),
#: embeddings and overrides (LRE RLE PDF LRO RLO), isolates (LRI RLI FSI PDI), and the
#: zero-width space, non-joiner, joiner, word joiner and no-break space (BOM).
INVISIBLE = re.compile(
    "[\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u2060\ufeff]"
)
#: A zero-width joiner between two emoji (symbols, dingbats, pictographs) draws one picture
#: (👩‍💻, 🏳️‍🌈, 🐈‍⬛): visible, so allowed there.
_EMOJI = "[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]"
EMOJI_JOIN = re.compile(f"(?<={_EMOJI}|\ufe0f)\u200d(?={_EMOJI})")
#: So does a joiner or non-joiner after a letter of a script that joins (Arabic, Syriac, N'Ko)
#: or forms conjuncts (Devanagari to Sinhala): Persian spells words with it, Malayalam ends
#: them with it.
_JOINING = "[\u0600-\u07ff\u0860-\u08ff\u0900-\u0dff\ufb50-\ufdff\ufe70-\ufefc]"
SCRIPT_JOIN = re.compile(f"(?<={_JOINING})[\u200c\u200d]")


def shows_no_control(text: str, where: str = "the output") -> None:
    """Fail, naming them, if raw control or invisible characters would reach a terminal."""
    found = sorted({f"{ord(c):#04x}" for c in CONTROL.findall(text)})
    assert found == [], f"raw control characters reach {where}: {found}"
    hidden = sorted(
        {
            f"U+{ord(c):04X}"
            for c in INVISIBLE.findall(SCRIPT_JOIN.sub("", EMOJI_JOIN.sub("", text)))
        }
    )
    assert hidden == [], f"raw bidi or zero-width characters reach {where}: {hidden}"
