"""The keys of every settings table and the words their values take, read without the schema
(which builds pydantic models) by whoever only needs to name them."""

from __future__ import annotations

import re

from ..core.vocabulary import FILTER_KEYS

#: The keys of `[tool.terragon]`, in the order an unknown key's message lists them.
CONFIG_KEYS = (
    "maturity",
    "weights",
    "boosts",
    "scan",
    "security_boost_from",
    "roadmap",
    "targets",
    "schedule",
)
#: The keys of the user's config.
USER_KEYS = ("keymap", "theme", "limits", "views")
#: The severities from which the security boost may be set to apply.
BOOST_FROM_WORDS = ("low", "medium", "high")
#: `[roadmap]` keys: the team's capacity, and the least and most each may be.
ROADMAP_RANGES = {"hours_per_week": (0.5, 168.0), "weeks_per_phase": (1, 26)}
#: `[targets]` keys (success indicators) and what each must be: the largest count, ratio or
#: time that still meets it ("max"), the smallest that does ("min"), or the worst debt rating.
TARGETS = {
    "open_items": "max",
    "open_security": "max",
    "open_critical": "max",
    "debt_ratio": "max",  # percent of the development cost
    "debt_rating": "rating",  # A-E, SonarQube's scale
    "maturity": "min",  # 0-100
    "deployments_per_week": "min",
    "lead_time_days": "max",
    "change_failure_rate": "max",  # 0-1
    "time_to_restore_hours": "max",
}
DEBT_RATINGS = ("A", "B", "C", "D", "E")
#: The keys a `[views.NAME]` table may have: the filters of `terragon list`, and a sort.
VIEW_KEYS = (*FILTER_KEYS, "sort")
#: A view's name is a bare TOML key, so `[views.NAME]` needs no quotes.
VIEW_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
