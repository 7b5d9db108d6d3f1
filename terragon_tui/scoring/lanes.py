"""Decision lanes: how much autonomy an item's risk allows."""

from __future__ import annotations

LANES = ("auto-apply", "auto-pr", "manual-review")
LANE_LABELS = {"auto-apply": "Auto-apply", "auto-pr": "Auto-PR", "manual-review": "Manual review"}


def decision_lane(risk: float) -> str:
    """auto-apply below 0.3, auto-pr from 0.3 to 0.6, manual-review above 0.6."""
    if risk < 0.3:
        return "auto-apply"
    if risk <= 0.6:
        return "auto-pr"
    return "manual-review"
