"""Decision lanes: how much autonomy an item's risk allows."""

from __future__ import annotations

import math

import pytest

from terragon_tui.scoring.lanes import LANE_LABELS, LANES, decision_lane


@pytest.mark.parametrize(
    ("risk", "lane"),
    [
        (0, "auto-apply"),
        (0.29, "auto-apply"),
        (0.3, "auto-pr"),
        (0.45, "auto-pr"),
        (0.6, "auto-pr"),
        (0.61, "manual-review"),
        (1, "manual-review"),
    ],
)
def test_lane_follows_the_risk_thresholds(risk, lane):
    assert decision_lane(risk) == lane


def test_unknown_risk_goes_to_a_person():
    assert decision_lane(math.nan) == "manual-review"


def test_lanes_run_from_least_to_most_attention_and_each_has_a_label():
    assert LANES == ("auto-apply", "auto-pr", "manual-review")
    assert [LANE_LABELS[lane] for lane in LANES] == ["Auto-apply", "Auto-PR", "Manual review"]
