"""`terragon list` filters by rule, path glob and path role, and applies saved views."""

from __future__ import annotations

import json

import pytest

from ..filtered_backlog import fill_filtered


@pytest.fixture
def filtered(ws, cli, tmp_path, monkeypatch):
    """The CLI on a backlog with rules and roles, and a user config of its own."""
    fill_filtered(ws)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return cli


def user_config(tmp_path, text):
    path = tmp_path / "xdg" / "terragon-tui" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def titles(cli, *args):
    result = cli("list", "--json", *args)
    assert result.code == 0, result.err
    return sorted(record["title"] for record in json.loads(result.out)["items"])


def test_rule_path_and_role_each_narrow_the_list(filtered):
    assert len(titles(filtered, "--rule", "B311")) == 5
    assert titles(filtered, "--role", "docs") == ["todo in docs/guide.md"]
    assert titles(filtered, "--role", "tests") == titles(filtered, "--role", "test")
    assert len(titles(filtered, "--role", "test")) == 3
    assert titles(filtered, "--path", "lib/**") == ["cc-rank-d in several files"]
    assert titles(filtered, "--path", "src/app/**", "--rule", "B105") == [
        "B105 in src/app/settings.py"
    ]


def test_filters_combine_with_the_existing_ones(filtered):
    assert titles(filtered, "-c", "security", "--role", "test") == [
        "B311 in tests/test_models.py",
        "B311 in tests/test_views.py",
    ]
    assert titles(filtered, "--source", "todos", "--path", "tests/**") == [
        "todo in tests/test_jobs.py"
    ]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--rule", "B999"), "no item has rule 'B999'; rules here: B311 (5), todo (2)"),
        (("--role", "fixtures"), "unknown path role 'fixtures'; choose one of: production,"),
        (("--source", "nowhere"), "unknown source 'nowhere'; choose one of: complexity,"),
        (("--view", "mine"), "no view 'mine':"),
    ],
)
def test_bad_values_get_one_line_naming_the_choices(filtered, args, says):
    result = filtered("list", *args)
    assert result.code == 2
    assert says in result.err and result.err.count("\n") == 1


def test_a_saved_view_applies_and_options_override_its_keys(filtered, tmp_path):
    user_config(
        tmp_path,
        "# my views\n"
        '[views.security-in-src]\ncategory = "security"\npath = "src/**"\nsort = "title"\n'
        '[views.tests]\nrole = "test"\n',
    )
    result = filtered("list", "--json", "--view", "security-in-src")
    assert [r["title"] for r in json.loads(result.out)["items"]] == [
        "B105 in src/app/settings.py",
        "B311 in src/app/jobs.py",
        "B311 in src/app/models.py",
        "B311 in src/app/views.py",
    ]
    assert titles(filtered, "--view", "security-in-src", "--rule", "B105") == [
        "B105 in src/app/settings.py"
    ]
    assert titles(filtered, "--view", "tests", "--role", "docs") == ["todo in docs/guide.md"]
    unknown = filtered("list", "--view", "nope")
    assert unknown.code == 2 and "views: security-in-src, tests" in unknown.err


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('[views.x]\nrole = "fixtures"\n', "views.x.role: unknown path role 'fixtures'"),
        ('[views.x]\ncolour = "red"\n', "views.x has unknown key 'colour'; known keys: category"),
        ("[views.x]\nrule = 3\n", "views.x.rule must be a non-empty string, got 3"),
        ('[views.x]\nsort = "size"\n', "views.x.sort: unknown sort key 'size'"),
        ('views = "all"\n', "views must be a table"),
    ],
)
def test_a_bad_view_names_the_file_and_the_dotted_key(filtered, tmp_path, table, says):
    path = user_config(tmp_path, table)
    result = filtered("list", "--view", "x")
    assert result.code == 1
    assert f"{path}: {says}" in result.err and result.err.count("\n") == 1


def test_list_help_has_a_view_example(filtered):
    result = filtered("list", "--help")
    assert "--view security-in-src" in result.out and "[views.NAME]" in result.out
