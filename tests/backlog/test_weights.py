"""Weights in force: maturity default, then repository config, then the saved profile."""

from __future__ import annotations

import pytest

from terragon_tui.backlog.scoring_settings import (
    focus_weights,
    reset_weights,
    scoring_settings,
    set_weights,
)
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.core.errors import ConfigError, UsageError


def settings_of(ws):
    with ws.session() as session:
        return scoring_settings(ws, session)


def test_default_is_the_advanced_profile_of_the_seed(ws):
    settings = settings_of(ws)
    assert settings.weights.as_dict() == {"wsjf": 0.5, "debt": 0.3, "ice": 0.1, "security": 0.1}
    assert settings.boosts.as_dict() == {"security": 2.5, "compliance": 2.0, "performance": 1.8}
    assert settings.origin == "advanced maturity profile"


def test_pyproject_tool_terragon_overrides_the_default(repo, db_url):
    (repo / "pyproject.toml").write_text(
        "[tool.terragon]\nmaturity = 'nascent'\n"
        "[tool.terragon.weights]\nsecurity = 0.4\n[tool.terragon.boosts]\nsecurity = 3\n"
    )
    ws = open_workspace(repo, db_url)
    settings = settings_of(ws)
    assert settings.level == "nascent"
    assert settings.weights.as_dict() == {"wsjf": 0.4, "debt": 0.2, "ice": 0.3, "security": 0.4}
    assert settings.boosts.security == 3
    assert "pyproject.toml" in settings.origin
    ws.close()


def test_the_security_boost_applies_from_medium_unless_the_repository_says_otherwise(repo, db_url):
    from terragon_tui.backlog.items import suggest_item
    from terragon_tui.backlog.listing import show_item

    ws = open_workspace(repo, db_url)
    assert settings_of(ws).security_from == 6.0
    medium = suggest_item(ws, category="security", title="Weak hash", security_severity=6)
    assert show_item(ws, medium.key).breakdown.boosts == (("security", 2.5),)
    ws.close()
    (repo / "pyproject.toml").write_text("[tool.terragon]\nsecurity_boost_from = 'high'\n")
    ws = open_workspace(repo, db_url)
    assert settings_of(ws).security_from == 9.0
    assert settings_of(ws).as_dict()["security_boost_from"] == "high"
    parts = show_item(ws, medium.key).breakdown
    assert parts.boosts == () and "severity medium is below high" in parts.withheld
    ws.close()


def test_a_security_suggestion_without_a_severity_counts_as_medium(ws):
    from terragon_tui.backlog.items import suggest_item

    item = suggest_item(ws, category="security", title="Rotate the deploy key")
    assert item.security_severity == 6.0
    low = suggest_item(ws, category="security", title="Tidy headers", security_severity=3)
    assert low.security_severity == 3.0


def test_terragon_config_toml_is_read_after_pyproject(repo, db_url):
    (repo / "pyproject.toml").write_text("[tool.terragon.weights]\nwsjf = 0.9\n")
    (repo / ".terragon").mkdir()
    (repo / ".terragon" / "config.toml").write_text("[weights]\nwsjf = 0.7\n")
    ws = open_workspace(repo, db_url)
    assert settings_of(ws).weights.wsjf == 0.7
    ws.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[tool.terragon\n", "invalid TOML"),
        ("[tool.terragon.weights]\nwsjf = 'high'\n", "must be a number"),
        ("[tool.terragon]\nweights = 3\n", "must be a table"),
        ("[tool.terragon]\ncolour = 'blue'\n", "unknown key 'colour'"),
        ("[tool.terragon]\nmaturity = 7\n", "maturity must be a string"),
        ("[tool.terragon.weights]\nwsjf = -1\n", "weights.wsjf must not be negative"),
        ("[tool.terragon.weights]\nspeed = 1\n", "unknown key 'speed'"),
        ("[tool.terragon]\nmaturity = 'legendary'\n", "legendary"),
        (
            "[tool.terragon]\nsecurity_boost_from = 'severe'\n",
            "tool.terragon.security_boost_from must be one of low, medium, high, got 'severe'",
        ),
    ],
)
def test_malformed_config_is_a_clear_error(repo, db_url, content, message):
    (repo / "pyproject.toml").write_text(content)
    with pytest.raises(ConfigError, match=message):
        open_workspace(repo, db_url)


def test_weights_that_are_all_zero_across_two_config_files_name_both(repo, db_url):
    (repo / "pyproject.toml").write_text("[tool.terragon.weights]\nwsjf = 0\ndebt = 0\n")
    (repo / ".terragon").mkdir()
    (repo / ".terragon" / "config.toml").write_text("[weights]\nice = 0\nsecurity = 0\n")
    ws = open_workspace(repo, db_url)  # each file alone is fine
    with pytest.raises(ConfigError, match="zero") as caught:
        settings_of(ws)
    assert "pyproject.toml" in str(caught.value) and "config.toml" in str(caught.value)
    ws.close()


def test_config_values_at_the_edges_of_their_ranges_are_accepted(repo, db_url):
    (repo / "pyproject.toml").write_text(
        "[tool.terragon.weights]\nwsjf = 0\n[tool.terragon.boosts]\nsecurity = 100\n"
    )
    ws = open_workspace(repo, db_url)
    settings = settings_of(ws)
    assert settings.weights.wsjf == 0 and settings.boosts.security == 100
    ws.close()


def test_saved_weights_win_and_reset_forgets_them(ws):
    saved = set_weights(ws, "wsjf=0.2, security_boost=4")
    assert saved.weights.wsjf == 0.2 and saved.boosts.security == 4
    assert settings_of(ws).origin == "saved profile"
    assert reset_weights(ws).weights.wsjf == 0.5
    assert settings_of(ws).origin == "advanced maturity profile"


def test_focus_saves_the_focus_profile(ws):
    settings = focus_weights(ws, "security")
    assert settings.focus == "security"
    assert settings.weights.security == pytest.approx(0.6)
    assert settings_of(ws).origin == "saved profile (focus: security)"


@pytest.mark.parametrize(
    "text", ["wsjf=-0.5", "wsjf=0,debt=0,ice=0,security=0", "speed=1", "wsjf", "wsjf=abc"]
)
def test_bad_weights_are_refused_and_nothing_is_saved(ws, text):
    with pytest.raises(UsageError):
        set_weights(ws, text)
    assert settings_of(ws).origin == "advanced maturity profile"


def test_unknown_focus_is_refused(ws):
    with pytest.raises(UsageError, match="focus|area"):
        focus_weights(ws, "speed")
