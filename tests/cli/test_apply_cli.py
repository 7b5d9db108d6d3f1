"""terragon apply, export issues and link-issue on the command line, after a real scan."""

from __future__ import annotations

import json

import pytest

from ..conftest import git


@pytest.fixture(autouse=True)
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Apply Tester")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "apply@example.com")


def _id_of(cli, rule: str) -> str:
    rows = json.loads(cli("list", "--json").out)["items"]
    return next(row["id"] for row in rows if row["rule"] == rule)


def test_apply_from_dry_run_to_show_and_issue_drafts(cli, repo, tmp_path):
    assert cli("scan", "-j", "1").code == 0
    key = _id_of(cli, "missing-contributing")

    dry = cli("apply", key, "--dry-run")
    assert dry.code == 0, dry.err
    assert "+++ b/CONTRIBUTING.md" in dry.out and "No branch was kept" in dry.out
    record = json.loads(cli("apply", key, "--dry-run", "--json").out)
    assert (record["branch"], record["commit"], record["dry_run"]) == (None, None, True)
    assert "+# Contributing to demo-repo" in record["diff"]
    assert git(repo, "branch", "--list").split() == ["*", "main"]

    done = cli("apply", key)
    assert done.code == 0, done.err
    branch = f"terragon/{key}-add-contributing-guidelines"
    assert f"on {branch} (now in-progress)" in done.out
    assert "**Rollback.**" in done.out and f"git push REMOTE {branch}" in done.out
    assert git(repo, "show", f"{branch}:CONTRIBUTING.md").startswith("# Contributing to demo-repo")
    shown = json.loads(cli("show", key, "--json").out)
    assert (shown["status"], shown["branch"]) == ("in-progress", branch)
    assert "Branch" in cli("show", key).out

    again = cli("apply", key)
    assert again.code == 2 and again.err.count("\n") == 1

    out = tmp_path / "drafts"
    exported = cli("export", "issues", "-o", str(out), "-n", "2", "--label", "value")
    assert exported.code == 0, exported.err
    drafts = json.loads((out / "issues.json").read_text())["issues"]
    assert len(drafts) == 2 and all(d["labels"][0] == "value" for d in drafts)
    assert cli("link-issue", key, "https://github.com/o/r/issues/9").code == 0
    assert "https://github.com/o/r/issues/9" in cli("show", key).out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("apply", "NOPE-001"), "no item 'NOPE-001'"),
        (("export", "issues", "-n", "0"), "-n must be at least 1"),
        (("export", "issues", "--label", "a;b"), "a label is up to 50"),
        (("link-issue", "X", "javascript:alert(1)"), "an issue link is a web address"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.code != 0
    assert message in result.err and result.err.count("\n") == 1
