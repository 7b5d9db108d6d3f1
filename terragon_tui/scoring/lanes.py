"""Decision lanes: how much autonomy an item's risk allows."""

from __future__ import annotations

#: From least to most human attention.
LANES = ("auto-apply", "auto-pr", "manual-review")
LANE_LABELS = {"auto-apply": "Auto-apply", "auto-pr": "Auto-PR", "manual-review": "Manual review"}
#: Below this risk a change may be applied unattended.
AUTO_APPLY_BELOW = 0.3
#: Up to and including this risk a change may open a pull request on its own.
AUTO_PR_UP_TO = 0.6


def decision_lane(risk: float) -> str:
    """auto-apply below 0.3, auto-pr from 0.3 to 0.6, manual-review above (or if unknown)."""
    if risk < AUTO_APPLY_BELOW:
        return "auto-apply"
    if risk <= AUTO_PR_UP_TO:
        return "auto-pr"
    # Anything else, NaN included, fails safe to a person.
    return "manual-review"
