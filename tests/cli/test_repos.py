"""`terragon repos`: the repositories one store holds, as a user and a script see them."""

from __future__ import annotations

import json
import shutil

import pytest

from terragon_tui.backlog.repositories import list_repositories
from terragon_tui.store.opening import open_engine
from tests.conftest import make_repo
from tests.hostile import shows_no_control


@pytest.fixture
def two_repos(cli, repo, tmp_path):
    """The demo repository with three items (one rejected) and a second with one item."""
    other = make_repo(tmp_path / "other-repo", {"lib.py": "X = 1\n"})
    for args in (
        ("-c", "feature", "-t", "Dark mode"),
        ("-c", "security", "-t", "Rotate leaked key", "--impact", "9", "--severity", "8"),
        ("-c", "documentation", "-t", "Old docs"),
    ):
        assert cli("suggest", *args).code == 0
    assert cli("reject", "DOCS-001", "-r", "obsolete").code == 0
    assert cli("suggest", "-c", "testing", "-t", "Cover lib", repo_path=other).code == 0
    return repo, other


def test_an_empty_store_says_so(cli):
    shown = cli("repos")
    assert shown.code == 0
    assert "holds no repository yet" in shown.out and "terragon scan" in shown.out
    assert json.loads(cli("repos", "--json").out)["repositories"] == []


def test_lists_each_repository_with_open_items_and_the_top_one_next_gives(cli, two_repos):
    repo, other = two_repos
    records = {r["path"]: r for r in json.loads(cli("repos", "--json").out)["repositories"]}
    assert set(records) == {str(repo), str(other)}
    for path in (repo, other):
        nxt = json.loads(cli("next", "--json", repo_path=path).out)["item"]
        assert records[str(path)]["top"] == {
            "id": nxt["id"],
            "title": nxt["title"],
            "score": nxt["score"],
        }
    mine = records[str(repo)]
    assert mine["open_items"] == 2  # the rejected item is not open
    assert mine["top"]["id"] == "SEC-001"
    assert mine["current"] is True and records[str(other)]["current"] is False
    assert mine["exists"] is True and mine["problem"] is None
    assert mine["last_scan_at"] is None


def test_the_table_shows_paths_counts_and_top_items(cli, two_repos):
    repo, other = two_repos
    shown = cli("repos")
    assert shown.code == 0
    for text in (str(repo), str(other), "SEC-001", "Rotate leaked key", "TEST-001", "never"):
        assert text in shown.out
    assert "(missing)" not in shown.out


def test_a_scan_sets_the_last_scan_time(cli, two_repos):
    repo, _other = two_repos
    assert cli("scan").code == 0
    records = {r["path"]: r for r in json.loads(cli("repos", "--json").out)["repositories"]}
    assert records[str(repo)]["last_scan_at"] is not None


def test_a_repository_whose_path_is_gone_is_marked(cli, two_repos):
    _repo, other = two_repos
    shutil.rmtree(other)
    records = {r["path"]: r for r in json.loads(cli("repos", "--json").out)["repositories"]}
    assert records[str(other)]["exists"] is False
    assert records[str(other)]["top"]["id"] == "TEST-001"  # the store still knows its items
    assert "(missing)" in cli("repos").out


def test_a_broken_config_is_one_repositorys_problem_not_the_listings(cli, two_repos):
    _repo, other = two_repos
    (other / "pyproject.toml").write_text('[tool.terragon]\nmaturity = "bogus"\n')
    shown = cli("repos", "--json")
    assert shown.code == 0
    records = {r["path"]: r for r in json.loads(shown.out)["repositories"]}
    broken = records[str(other)]
    assert broken["top"] is None and broken["open_items"] == 1
    assert "bogus" in broken["problem"]
    assert "cannot score" in cli("repos").out


def test_the_service_lists_what_the_command_does(cli, two_repos):
    engine = open_engine(cli.db_url)
    try:
        summaries = list_repositories(engine)
    finally:
        engine.dispose()
    records = json.loads(cli("repos", "--json").out)["repositories"]
    assert [(s.path, s.open_items) for s in summaries] == [
        (r["path"], r["open_items"]) for r in records
    ]


def test_help_teaches_with_examples(cli):
    shown = cli("repos", "--help")
    assert shown.code == 0
    assert "Examples" in shown.out and "terragon repos --json" in shown.out


def test_hostile_names_and_titles_are_shown_escaped(cli, tmp_path):
    evil = make_repo(tmp_path / "repo\x1b[2J\u202eevil", {"lib.py": "X = 1\n"})
    title = "Fix \x1b]0;pwned\x07 now"
    assert cli("suggest", "-c", "feature", "-t", title, repo_path=evil).code == 0
    shown = cli("repos")
    assert shown.code == 0
    shows_no_control(shown.out, "terragon repos")
    assert "\\x1b" in shown.out and "\\u202e" in shown.out
    assert json.loads(cli("repos", "--json").out)["repositories"][0]["top"]["title"] == title
