"""The settings schema: one line naming the file and dotted key for every wrong value."""

from __future__ import annotations

from pathlib import Path

import pytest

from terragon_tui.config.schema import (
    ProjectSettings,
    UserSettings,
    read_project_table,
    read_user_table,
)
from terragon_tui.core.errors import ConfigError

PATH = Path("pyproject.toml")


@pytest.mark.parametrize(
    ("table", "line"),
    [
        ({"weights": {"wsjf": "x"}}, "pyproject.toml: tool.terragon.weights.wsjf must be a number, got 'x'"),  # noqa: E501
        ({"colour": 1}, "pyproject.toml: tool.terragon has unknown key 'colour'; known keys: maturity, weights, boosts, scan, security_boost_from, roadmap, targets, schedule"),  # noqa: E501
        ({"maturity": "x"}, "pyproject.toml: tool.terragon.maturity must be one of nascent, developing, maturing, advanced, got 'x'"),  # noqa: E501
        ({"roadmap": {"weeks_per_phase": 1.5}}, "pyproject.toml: tool.terragon.roadmap.weeks_per_phase must be a whole number, got 1.5"),  # noqa: E501
        ({"targets": {"debt_rating": "Z"}}, "pyproject.toml: tool.terragon.targets.debt_rating must be one of A, B, C, D, E, got 'Z'"),  # noqa: E501
        ({"scan": {"size_limit": 0}}, "pyproject.toml: tool.terragon.scan.size_limit must be from 1 to 33,554,432, got 0"),  # noqa: E501
        ({"schedule": {"nightly": 3}}, "pyproject.toml: tool.terragon.schedule has unknown key 'nightly'"),  # noqa: E501
    ],
)  # fmt: skip
def test_a_wrong_project_value_is_the_line_it_always_was(table, line):
    with pytest.raises(ConfigError) as caught:
        read_project_table(table, PATH, "tool.terragon")
    assert str(caught.value).startswith(line)


def test_the_top_of_an_own_config_is_named_by_the_file_alone():
    with pytest.raises(ConfigError, match=r"^config.toml has unknown key 'colour'"):
        read_project_table({"colour": 1}, Path("config.toml"), "")
    with pytest.raises(ConfigError, match=r"^config.toml: boosts.security must be above 0"):
        read_project_table({"boosts": {"security": 0}}, Path("config.toml"), "")


@pytest.mark.parametrize(
    ("table", "line"),
    [
        ({"keymap": "C"}, 'u.toml: [keymap] must map binding ids to keys, e.g. "backlog.complete" = "C"'),  # noqa: E501
        ({"theme": 3}, "u.toml: theme must be a string, got 3"),
        ({"limits": {"speed": 1}}, "u.toml: [limits] has unknown key 'speed'"),
        ({"limits": {"size_limit": 0}}, "u.toml: [limits].size_limit must be from 1 to 33,554,432"),
        ({"views": {"a b": {}}}, "u.toml: views.a b: a view name is letters, digits, - and _"),
        ({"views": {"v": {"colour": "x"}}}, "u.toml: views.v has unknown key 'colour'"),
        ({"views": 3}, "u.toml: views must be a table of [views.NAME] tables"),
        ({"editor": "vi"}, "u.toml has unknown key 'editor'; known keys: keymap, theme, limits, views"),  # noqa: E501
    ],
)  # fmt: skip
def test_a_wrong_user_value_is_one_line_naming_the_key(table, line):
    with pytest.raises(ConfigError) as caught:
        read_user_table(table, Path("u.toml"))
    assert str(caught.value).startswith(line)


def test_values_that_are_fine_are_read_with_their_types():
    project = ProjectSettings.model_validate(
        {"weights": {"wsjf": 2}, "targets": {"debt_rating": "b"}, "schedule": {"daily": False}}
    )
    assert project.weights == {"wsjf": 2.0}
    assert project.targets == {"debt_rating": "B"}
    assert project.schedule == {"daily": False}
    user = UserSettings.model_validate(
        {"limits": {"size_limit": 2000}, "views": {"v": {"sort": "-score"}}}
    )
    assert user.limits == {"size_limit": 2000} and isinstance(user.limits["size_limit"], int)
    assert user.views == {"v": {"sort": "-score"}}


def test_every_table_refuses_keys_it_does_not_know():
    assert ProjectSettings.model_config["extra"] == "forbid"
    assert UserSettings.model_config["extra"] == "forbid"
