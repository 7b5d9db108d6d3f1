"""`diff_branch`: what a branch introduces, worsens and resolves, scanned beside the work tree."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlmodel import select

from terragon_tui.backlog.diffing import diff_branch
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.core.errors import UsageError
from terragon_tui.store.models import Item, ScanRun
from tests.generators import git, write

#: What these test is git and scanning; both stores are covered by the store and
#: command tests, so they run on SQLite alone.
pytestmark = pytest.mark.sqlite_only


def branchy(name: str, branches: int) -> str:
    """A function of cyclomatic complexity `branches` + 1."""
    body = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(branches))
    return f"def {name}(x):\n{body}    return -1\n"


def commit(root: Path, files: dict[str, str], message: str) -> None:
    write(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose main has a TODO and two complex functions, on a branch `feature`."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(
        root,
        {
            "calc.py": branchy("grows", 11) + "\n\n" + branchy("stays", 12),
            "notes.py": "# TODO: remove this module\nVALUE = 1\n",
        },
        "first",
    )
    git(root, "checkout", "-q", "-b", "feature")
    return root


def state(root: Path) -> dict[str, str]:
    """A digest of every file under `root`, the .git folder's index and refs included."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha1(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "objects" not in path.parts and path.name != "ORIG_HEAD"
    }


def test_introduced_worsened_and_resolved_are_told_apart(project: Path, tmp_path: Path) -> None:
    commit(
        project,
        {
            "calc.py": branchy("grows", 15)
            + "\n\n"
            + branchy("stays", 12)
            + "\n\n"
            + branchy("added", 11),
            "notes.py": "VALUE = 1\n",
            "shell.py": "import subprocess\n\n\ndef run(c):\n"
            "    return subprocess.call(c, shell=True)\n",
        },
        "work",
    )
    ws = open_workspace(project, f"sqlite:///{tmp_path / 'store.db'}")
    diff = diff_branch(ws, workers=1)
    assert diff.base == "merge-base with main"
    assert diff.base_commit == git(project, "rev-parse", "main").strip()
    assert {c.finding.rule for c in diff.introduced} == {"B602", "B404"}
    assert [c.finding.rule for c in diff.resolved] == ["todo"]
    [worse] = diff.worsened
    assert worse.finding.path == "calc.py"
    assert worse.reasons == (
        "1 new place: added (calc.py:63)",
        "complexity of grows rose from 12 to 16",
    )
    assert [p.symbol for p in worse.places] == ["added", "grows"]
    high = next(c for c in diff.introduced if c.finding.rule == "B602")
    assert high.severity == "high" and high.score > 50
    with ws.reading() as session:  # the diff changed nothing in the store
        assert session.exec(select(Item)).all() == []
        assert session.exec(select(ScanRun)).all() == []


def test_work_tree_index_and_branches_stay_byte_identical(project: Path, tmp_path: Path) -> None:
    commit(project, {"more.py": "# FIXME: later\n"}, "more")
    write(project, {"calc.py": branchy("grows", 20), "untracked.py": "# TODO: new\n"})
    git(project, "add", "calc.py")  # something staged, something not, something untracked
    write(project, {"calc.py": branchy("grows", 21)})
    before = state(project)
    ws = open_workspace(project, f"sqlite:///{tmp_path / 'store.db'}")
    diff = diff_branch(ws, workers=1)
    assert state(project) == before
    assert git(project, "worktree", "list", "--porcelain").count("worktree ") == 1
    area = tmp_path / "cache" / "terragon-tui" / "worktrees"
    assert [p for p in area.rglob("*") if p.is_dir()] == []
    rules = {c.finding.rule for c in diff.introduced}
    assert {"fixme", "todo"} <= rules  # committed and untracked: the work tree as it is


def test_head_compares_the_commit_not_the_work_tree(project: Path, tmp_path: Path) -> None:
    commit(project, {"more.py": "# FIXME: later\n"}, "more")
    write(project, {"draft.py": "# HACK: uncommitted\n"})
    ws = open_workspace(project, f"sqlite:///{tmp_path / 'store.db'}")
    rules = {c.finding.rule for c in diff_branch(ws, head=True, workers=1).introduced}
    assert rules == {"fixme"}
    assert (project / "draft.py").exists()


def test_the_worktree_goes_even_when_the_scan_is_interrupted(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terragon_tui.backlog import diffing

    real = diffing._scan
    calls = []

    def interrupted(root, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(root)
        if root != project:  # the base, in its worktree
            assert (root / "calc.py").exists()
            raise KeyboardInterrupt
        return real(root, *args, **kwargs)

    monkeypatch.setattr(diffing, "_scan", interrupted)
    ws = open_workspace(project, f"sqlite:///{tmp_path / 'store.db'}")
    with pytest.raises(KeyboardInterrupt):
        diff_branch(ws, workers=1)
    assert len(calls) == 2 and not calls[1].exists()
    assert git(project, "worktree", "list", "--porcelain").count("worktree ") == 1


def test_a_hotspot_that_got_hotter_is_worsened(project: Path, tmp_path: Path) -> None:
    hot = branchy("hot", 12)
    for n in range(3):
        commit(project, {"hot.py": hot + f"\nVERSION = {n}\n"}, f"hot {n}")
    git(project, "branch", "-f", "main", "HEAD")
    for n in range(3, 6):
        commit(project, {"hot.py": hot + f"\nVERSION = {n}\n"}, f"hot {n}")
    ws = open_workspace(project, f"sqlite:///{tmp_path / 'store.db'}")
    diff = diff_branch(ws, "main", workers=1)
    [hotter] = [c for c in diff.worsened if c.finding.rule == "hotspot"]
    assert hotter.reasons[0].startswith("hotter: commits 3 → 6, complexity 13 (score 39 → 78)")
    assert hotter.before is not None and hotter.before.data["score"] < hotter.finding.data["score"]


def test_an_unknown_base_is_one_clear_error(project: Path, tmp_path: Path) -> None:
    ws = open_workspace(project, f"sqlite:///{tmp_path / 'store.db'}")
    with pytest.raises(UsageError, match="no commit 'nope'"):
        diff_branch(ws, "nope")
    with pytest.raises(UsageError, match="not a revision"):
        diff_branch(ws, "--output=x")


def test_a_worktree_left_by_a_killed_diff_is_removed_by_the_next(
    project: Path, tmp_path: Path
) -> None:
    import os

    from terragon_tui.git import worktrees

    area = worktrees._area(project)
    area.mkdir(parents=True)
    left = area / "killed"
    git(project, "worktree", "add", "-q", "--detach", str(left), "main")
    os.utime(left, (1, 1))
    fresh = area / "running"  # another diff's, still in use
    fresh.mkdir()
    ws = open_workspace(project, f"sqlite:///{tmp_path / 'store.db'}")
    diff_branch(ws, workers=1)
    assert not left.exists() and fresh.exists()
    assert git(project, "worktree", "list", "--porcelain").count("worktree ") == 1


def test_a_second_diff_of_the_same_base_reuses_its_remembered_scan(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terragon_tui.discovery import scan_memo

    commit(project, {"more.py": "# FIXME: later\n"}, "more")
    real, reused = scan_memo.recall, []

    def recall(path: Path, key: str):  # type: ignore[no-untyped-def]
        found = real(path, key)
        reused.append((path.name.split(".cache.")[-1], found is not None))
        return found

    monkeypatch.setattr(scan_memo, "recall", recall)
    ws = open_workspace(project, f"sqlite:///{tmp_path / 'store.db'}")
    first = diff_branch(ws, workers=1)
    second = diff_branch(ws, workers=1)
    assert reused == [
        ("memo.full", False), ("memo-base.full", False),
        ("memo.full", True), ("memo-base.full", True),
    ]  # fmt: skip
    assert second.as_dict()["introduced"] == first.as_dict()["introduced"]
