"""The loop end to end, on a generated repository whose only CI is templates under docs/:
scan → apply the activation item → diff the new branch → check it → scan it."""

from __future__ import annotations

import json
import subprocess

import pytest

from terragon_tui.discovery import ci_templates

from ..generators import templates_only

#: Git and scanning are what this tests; the store's two backends are covered elsewhere.
pytestmark = pytest.mark.sqlite_only


def _state(root) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The work tree's status and the index, as git reports them."""

    def run(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              check=True).stdout  # fmt: skip

    return run("status", "--porcelain", "--untracked-files=all"), run("ls-files", "-s")


def test_scan_apply_diff_check_round_trip_resolves_the_activation_item(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    root = templates_only(tmp_path / "orchestrator")

    def run(*args: str):  # type: ignore[no-untyped-def]
        return cli(*args, repo_path=root)

    assert run("scan", "-j", "1").code == 0
    items = json.loads(run("list", "--json", "--no-pager").out)["items"]
    activation = next(i for i in items if i["rule"] == ci_templates.RULE)
    before = _state(root)

    applied = run("apply", activation["id"], "--json")
    assert applied.code == 0, applied.err
    branch = json.loads(applied.out)["branch"]
    assert branch.startswith(f"terragon/{activation['id']}-")
    assert _state(root) == before  # the user's work tree and index untouched
    shown = json.loads(run("show", activation["id"], "--json").out)
    assert shown["status"] == "in-progress" and shown["branch"] == branch

    # the developer checks the branch out; the diff against main resolves the item's finding
    subprocess.run(["git", "checkout", "-q", branch], cwd=root, check=True)
    diff = json.loads(run("diff", "main", "--json", "-j", "1").out)
    assert ci_templates.RULE in {c["rule"] for c in diff["resolved"]}
    # with CI running, tooling it does not run yet becomes work of its own (before, the
    # missing CI item's description carried it): follow-ups, none of them a security matter
    introduced = {c["rule"] for c in diff["introduced"]}
    assert introduced <= {"inactive-type-checker", "inactive-linter", "docs-never-built"}
    assert all(c["category"] != "security" for c in diff["introduced"])
    gate = run("check", "--base", "main", "--fail-on", "new:severity>=medium", "-j", "1")
    assert gate.code == 0, gate.out + gate.err

    # a scan of the branch resolves the item, and it keeps its branch
    assert run("scan", "-j", "1").code == 0
    shown = json.loads(run("show", activation["id"], "--json").out)
    assert shown["status"] == "resolved-by-scan" and shown["branch"] == branch
