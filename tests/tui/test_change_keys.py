"""`a` previews an item's mechanical fix and applies it on its own branch on confirm; `D`
shows what the current branch changes since its base."""

from __future__ import annotations

import pytest

from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.screens.change import ApplyPreview, BranchDiffScreen

from ..backlog.test_apply import WORKFLOW, add_item, state
from ..conftest import git, make_repo
from .pilots import said, settle, shown, wait_for


@pytest.fixture
def templates_ws(tmp_path):  # type: ignore[no-untyped-def]
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n", "docs/ci.yml": WORKFLOW})
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="workflow-templates-inactive", source="config",
                   category="infrastructure", data={"templates": ["docs/ci.yml"]})  # fmt: skip
    yield ws, root, key
    ws.close()


async def test_a_previews_the_fix_and_y_applies_it_on_a_branch(templates_ws):
    ws, root, key = templates_ws
    before = state(root)
    app = TerragonApp(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ApplyPreview))
        text = shown(app)
        assert "rename to .github/workflows/ci.yml" in text and f"terragon/{key}-" in text
        assert "refs/heads/terragon" not in git(root, "for-each-ref")  # a dry run: no branch
        await pilot.press("n")  # cancel: nothing made
        await settle(pilot)
        assert not isinstance(app.screen, ApplyPreview)
        assert git(root, "branch", "--list", "terragon/*").strip() == ""
        await pilot.press("a")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ApplyPreview))
        await pilot.press("y")
        assert await wait_for(pilot, lambda: said(app, f"Applied {key} on branch terragon/"))
        await settle(pilot)
    assert git(root, "branch", "--list", "terragon/*").strip().startswith("terragon/")
    assert state(root) == before  # the work tree and index as they were


async def test_a_on_an_item_without_a_recipe_says_so(ws):
    from ..conftest import suggest

    suggest(ws, "Write the docs", "documentation")
    app = TerragonApp(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert await wait_for(pilot, lambda: said(app, "no mechanical fix"))
        assert not isinstance(app.screen, ApplyPreview)


async def test_D_shows_what_the_branch_changes_since_main(templates_ws, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    ws, root, _ = templates_ws
    git(root, "checkout", "-q", "-b", "feature")
    (root / "shell.py").write_text(
        "import subprocess\n\n\ndef run(c):\n    return subprocess.call(c, shell=True)\n"
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feature")
    app = TerragonApp(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        screen = app.screen
        assert isinstance(screen, BranchDiffScreen)
        assert await wait_for(pilot, lambda: screen.diff is not None, seconds=60)
        await pilot.pause()
        assert "B602" in shown(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, BranchDiffScreen)
