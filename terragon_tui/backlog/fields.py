"""The item fields a person may set, their ranges, and the checks shared by CLI and TUI forms."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..core.errors import UsageError
from ..core.vocabulary import check_category, check_priority, check_status


@dataclass(frozen=True)
class NumberField:
    """A numeric item field with the range a person may give it."""

    label: str
    low: float
    high: float
    low_inclusive: bool = True

    def check(self, name: str, value: Any) -> float:
        """`value` as a float inside the range, or a UsageError saying what is allowed."""
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise UsageError(f"{name} must be a number, got {value!r}") from None
        low_ok = number >= self.low if self.low_inclusive else number > self.low
        if not math.isfinite(number) or not low_ok or number > self.high:
            bound = "from" if self.low_inclusive else "above"
            raise UsageError(
                f"{name} ({self.label}) must be {bound} {self.low:g} to {self.high:g}, got {value}"
            )
        return number


NUMBER_FIELDS: dict[str, NumberField] = {
    "estimated_hours": NumberField("estimated effort in hours", 0, 10_000, low_inclusive=False),
    "impact": NumberField("1-10", 1, 10),
    "confidence": NumberField("1-10", 1, 10),
    "ease": NumberField("1-10", 1, 10),
    "risk": NumberField("0-1", 0, 1),
    "business_value": NumberField("modified Fibonacci 1-20", 1, 20),
    "time_criticality": NumberField("modified Fibonacci 1-20", 1, 20),
    "risk_reduction": NumberField("modified Fibonacci 1-20", 1, 20),
    "debt_hours": NumberField("remediation hours", 0, 10_000),
    "debt_interest": NumberField("interest multiplier", 1, 100),
    "security_severity": NumberField("0-10", 0, 10),
}
TEXT_FIELDS = ("title", "description", "business_value_text", "file_path")
FLAG_FIELDS = ("is_security", "is_compliance", "is_performance")
CHOICE_FIELDS = {"category": check_category, "priority": check_priority, "status": check_status}
EDITABLE_FIELDS = (*NUMBER_FIELDS, *TEXT_FIELDS, *FLAG_FIELDS, *CHOICE_FIELDS, "line")
TITLE_MAX = 200
LINE_MAX = 1_000_000_000  # far beyond any file, well inside the store's 64-bit integers


def check_title(value: Any) -> str:
    """A title: one non-empty line of at most TITLE_MAX characters."""
    title = " ".join(str(value).split())
    if not title:
        raise UsageError("title must not be empty")
    if len(title) > TITLE_MAX:
        raise UsageError(f"title must be at most {TITLE_MAX} characters, got {len(title)}")
    return title


def check_fields(changes: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise item field values; unknown names and bad values raise UsageError."""
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        if name in NUMBER_FIELDS:
            checked[name] = NUMBER_FIELDS[name].check(name, value)
        elif name == "title":
            checked[name] = check_title(value)
        elif name in TEXT_FIELDS:
            checked[name] = None if value is None and name == "file_path" else str(value)
        elif name in FLAG_FIELDS:
            if not isinstance(value, bool):
                raise UsageError(f"{name} must be true or false, got {value!r}")
            checked[name] = value
        elif name in CHOICE_FIELDS:
            checked[name] = CHOICE_FIELDS[name](str(value))
        elif name == "line":
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= LINE_MAX
            ):
                raise UsageError(f"line must be a whole number from 1 to {LINE_MAX}, got {value!r}")
            checked[name] = value
        else:
            raise UsageError(f"unknown item field {name!r}")
    return checked
