"""Delivery metrics from git: real repositories with a history dated by hand."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from terragon_tui.backlog.delivery import (
    delivery_metrics,
    first_releases,
    is_revert_or_hotfix,
    measure,
)
from terragon_tui.git.history import Commit, Release

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)  # ISO week 2026-W12


def run_git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def commit(repo: Path, subject: str, when: str) -> None:
    run_git(repo, "commit", "-q", "--allow-empty", "-m", subject, when=when)


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """Six commits and two releases (an annotated and a lightweight tag)."""
    repo = tmp_path / "released"
    repo.mkdir()
    run_git(repo, "init", "-q", "-b", "main")
    commit(repo, "Initial import", "2026-01-05T10:00:00Z")
    commit(repo, "Add parser", "2026-02-24T10:00:00Z")
    commit(repo, "Hotfix: crash on empty input", "2026-02-25T10:00:00Z")
    run_git(repo, "tag", "-a", "v1.0", "-m", "1.0", when="2026-02-26T10:00:00Z")
    commit(repo, 'Revert "Add parser"', "2026-03-03T10:00:00Z")
    commit(repo, "Add feature", "2026-03-04T10:00:00Z")
    run_git(repo, "tag", "v1.1")  # lightweight: dated by its commit
    commit(repo, "Work in progress", "2026-03-17T10:00:00Z")
    return repo


def test_weeks_releases_lead_time_and_reverts(released):
    m = delivery_metrics(released, weeks=4, now=NOW)
    assert m.status == "ok" and m.tags == 2
    weeks = [(w.week.label, w.commits, w.releases, w.reverts_or_hotfixes) for w in m.weeks]
    # W09: "Add parser", "Hotfix…" and v1.0; W10: "Revert…", "Add feature" and v1.1;
    # W12: "Work in progress". The initial import (January) is before the window.
    assert weeks == [
        ("2026-W09", 2, 1, 1),
        ("2026-W10", 2, 1, 1),
        ("2026-W11", 0, 0, 0),
        ("2026-W12", 1, 0, 0),
    ]
    assert (m.commits, m.commits_per_week) == (5, 1.25)  # 5 commits / 4 weeks
    assert (m.releases, m.releases_per_week) == (2, 0.5)  # 2 releases / 4 weeks
    assert m.revert_share == pytest.approx(2 / 5)  # the hotfix and the revert
    # Lead times of the changes each release shipped first (hours):
    # v1.0 (Feb 26 10:00): initial import 52 days = 1248, parser 48, hotfix 24;
    # v1.1 (Mar 4 10:00, its commit's date): revert 24, feature 0.
    assert sorted(m.lead_times) == [0, 24, 24, 48, 1248]
    assert m.lead_time_median == 24
    assert m.lead_time_mean == pytest.approx(1344 / 5)  # 268.8
    assert m.unreleased == 1  # "Work in progress"
    assert m.last_release is not None and m.last_release.name == "v1.1"


def test_a_repository_without_tags_says_so_instead_of_zeros(tmp_path):
    repo = tmp_path / "untagged"
    repo.mkdir()
    run_git(repo, "init", "-q")
    commit(repo, "One", "2026-03-10T10:00:00Z")
    m = delivery_metrics(repo, weeks=2, now=NOW)
    assert (m.commits, m.has_tags) == (1, False)
    assert (m.releases_per_week, m.lead_time_median) == (None, None)
    assert any(note.startswith("No tags") for note in m.notes())
    data = m.as_dict()
    assert data["releases"] is None and data["weeks"][0]["releases"] is None


def test_a_repository_with_no_history_or_no_git(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    run_git(empty, "init", "-q")
    assert delivery_metrics(empty, now=NOW).status == "no-history"
    plain = tmp_path / "plain"
    plain.mkdir()
    m = delivery_metrics(plain, now=NOW)
    assert m.status == "not-a-repository" and m.weeks == []
    assert m.notes() == ["Not a git repository: delivery metrics need git history."]


def test_merges_are_not_changes_and_each_commit_belongs_to_its_first_release():
    def at(day: int) -> datetime:
        return datetime(2026, 3, day, tzinfo=UTC)

    # a ← b ← m (merge of b and c) ; a ← c. v1 tags b, v2 tags m.
    commits = [
        Commit("a", (), at(2), "start"),
        Commit("b", ("a",), at(3), "main work"),
        Commit("c", ("a",), at(4), "branch work"),
        Commit("m", ("b", "c"), at(5), "Merge branch 'hotfix/x'"),
    ]
    v1, v2 = Release("v1", "b", at(3)), Release("v2", "m", at(6))
    owner = first_releases(commits, [v1, v2])
    assert {sha: r.name for sha, r in owner.items()} == {"a": "v1", "b": "v1", "c": "v2", "m": "v2"}
    m = measure(commits, [v1, v2], weeks=1, now=at(6))
    assert m.commits == 3  # the merge is left out
    assert m.revert_share == 0
    # a: 1 day (24 h), b: 0, c: 2 days (48 h); the merge is not a change.
    assert sorted(m.lead_times) == [0, 24, 48]


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ('Revert "Add parser"', True),
        ("[revert] bad change", True),
        ("Hot-fix for login", True),
        ("hotfix: crash", True),
        ("Add reverter tool", False),
        ("Fix typo", False),
    ],
)
def test_reverts_and_hotfixes_are_read_from_the_subject(subject, expected):
    assert is_revert_or_hotfix(subject) is expected


def test_cli_delivery_report(released, cli):
    result = cli("report", "delivery", "--json", repo_path=released)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["tags"] == 2 and data["status"] == "ok"


def test_cli_delivery_report_without_tags(cli):
    result = cli("report", "delivery")  # the fixture repository: one commit, no tag
    assert result.code == 0
    assert "No tags" in result.out and "Releases per week" not in result.out


def _history(*rows: tuple[str, str, str | None]) -> tuple[list[Commit], list[Release]]:
    """A straight history from (subject, commit time, tag made an hour later or None)."""
    commits: list[Commit] = []
    releases: list[Release] = []
    for number, (subject, when, tag) in enumerate(rows):
        at = datetime.fromisoformat(when)
        parents = (commits[-1].sha,) if commits else ()
        commits.append(Commit(f"c{number}", parents, at, subject))
        if tag:
            releases.append(Release(tag, f"c{number}", at.replace(hour=at.hour + 1)))
    return commits, releases


def test_change_failure_rate_and_time_to_restore_follow_their_rule():
    commits, releases = _history(
        ("Add a", "2026-01-05T10:00:00+00:00", "v1.0"),
        ("Hotfix: a crashes", "2026-01-07T10:00:00+00:00", "v1.0.1"),  # fixes v1.0 in 48 h
        ("Add b", "2026-01-20T10:00:00+00:00", "v1.1"),
        ("Add c", "2026-02-10T10:00:00+00:00", "v1.2"),
        ('Revert "Add c"', "2026-02-13T10:00:00+00:00", "v1.2.1"),  # fixes v1.2 in 72 h
        ("Add d", "2026-03-10T10:00:00+00:00", "v1.3"),  # 8 days old: not judged yet
    )
    m = measure(commits, releases, weeks=12, now=NOW)
    assert [r.name for r in m.judged] == ["v1.0", "v1.0.1", "v1.1", "v1.2", "v1.2.1"]
    assert [(f.release.name, f.fixed_by.name) for f in m.failures] == [
        ("v1.0", "v1.0.1"),
        ("v1.2", "v1.2.1"),
    ]
    assert m.change_failure_rate == pytest.approx(2 / 5)
    assert m.time_to_restore_median == pytest.approx(60.0)
    shown = m.as_dict()
    assert shown["change_failure_rate"] == 0.4
    assert shown["time_to_restore_hours_median"] == 60.0
    assert shown["failed_releases"][1] == {"release": "v1.2", "fixed_by": "v1.2.1"}


def test_a_fix_release_weeks_later_is_not_a_failure_and_short_histories_say_so():
    commits, releases = _history(
        ("Add a", "2026-01-05T10:00:00+00:00", "v1.0"),
        ("Hotfix: a crashes", "2026-02-05T10:00:00+00:00", "v1.0.1"),  # 31 days later
    )
    m = measure(commits, releases, weeks=12, now=NOW)
    assert [r.name for r in m.judged] == ["v1.0", "v1.0.1"]
    assert m.failures == []
    assert m.change_failure_rate is None  # two judged releases are not enough to say
    assert m.time_to_restore_median is None
    assert any("Not enough history for the change failure rate" in n for n in m.notes())
    assert m.as_dict()["change_failure_rate"] is None


def test_a_patch_release_soon_after_is_a_fix_release():
    commits, releases = _history(
        ("Add a", "2026-01-05T10:00:00+00:00", "v2.0.0"),
        ("Correct the parser", "2026-01-09T10:00:00+00:00", "v2.0.1"),  # patch, 4 days on
        ("Add b", "2026-01-20T10:00:00+00:00", "v2.1.0"),  # a minor release is no fix
        ("Add c", "2026-02-20T10:00:00+00:00", "v2.1.1"),  # a patch, but 31 days on
    )
    m = measure(commits, releases, weeks=12, now=NOW)
    assert [(f.release.name, f.fixed_by.name) for f in m.failures] == [("v2.0.0", "v2.0.1")]
    assert m.change_failure_rate == pytest.approx(1 / 4)
    assert m.time_to_restore_median == pytest.approx(96.0)
