"""What the hostile-input tests look for in output: characters a terminal would act on."""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, and C1 (8-bit CSI, OSC). Written out here rather
#: than taken from terragon_tui.text, so the tests do not share a mistake with the code.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shows_no_control(text: str, where: str = "the output") -> None:
    """Fail, naming them, if raw control characters would reach a terminal from `text`."""
    found = sorted({f"{ord(c):#04x}" for c in CONTROL.findall(text)})
    assert found == [], f"raw control characters reach {where}: {found}"
