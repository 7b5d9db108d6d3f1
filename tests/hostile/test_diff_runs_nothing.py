"""`terragon diff` on a hostile repository: checking its revisions out in temporary worktrees
runs nothing it configures (smudge and process filters, hooks, fsmonitor)."""

from __future__ import annotations

import subprocess

from terragon_tui.backlog.diffing import diff_branch
from terragon_tui.backlog.workspace import open_workspace

from .repository import build, git


def test_plain_worktree_add_runs_what_the_repository_configures(tmp_path):
    """The vectors are live for a checkout: git's own `worktree add` runs them."""
    hostile = build(tmp_path / "repo")
    subprocess.run(
        ["git", "worktree", "add", "-q", "--detach", str(tmp_path / "wt"), "HEAD"],
        cwd=hostile.root, capture_output=True, check=False,
    )  # fmt: skip
    ran = {line.split()[1] for line in hostile.ran()}
    assert {"filter-smudge", "hook-reference-transaction", "fsmonitor"} <= ran


def test_diffing_against_a_base_runs_no_configured_program(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    hostile = build(tmp_path / "repo")
    ws = open_workspace(hostile.root, f"sqlite:///{tmp_path / 'store.db'}")
    try:
        diff = diff_branch(ws, "HEAD~1", head=True, workers=1)
    finally:
        ws.close()
    assert hostile.ran() == []
    assert diff.base_commit != diff.head_commit
    assert git(hostile.root, "worktree", "list", "--porcelain").count("worktree ") == 1
