"""terragon apply: each recipe's fix committed on its own branch in a worktree of its own,
the user's work tree, index and current branch byte-identical before and after."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from terragon_tui.backlog.apply.fix import apply_item, pr_text_path
from terragon_tui.backlog.apply.locks import pin_requirements
from terragon_tui.backlog.apply.worktree import branch_name, slug
from terragon_tui.backlog.items import complete_item, suggest_item, undo
from terragon_tui.backlog.listing import show_item
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.core.errors import TerragonError, UsageError
from terragon_tui.store.models import Item, Occurrence

from ..conftest import git, make_repo

#: What these test is git and scanning; both stores are covered by the store and
#: command tests, so they run on SQLite alone.
pytestmark = pytest.mark.sqlite_only


WORKFLOW = "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n"


@pytest.fixture(autouse=True)
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits made by apply need an identity; the user's would come from their config."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Apply Tester")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "apply@example.com")


def state(root: Path) -> dict[str, Any]:
    """A hash of every file of the work tree, of the index, and where HEAD points."""
    files = {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }
    return {
        "files": files,
        "index": hashlib.sha256((root / ".git" / "index").read_bytes()).hexdigest(),
        "head": git(root, "symbolic-ref", "HEAD").strip(),
        "commit": git(root, "rev-parse", "HEAD").strip(),
        "status": git(root, "status", "--porcelain"),
    }


def make_dirty(root: Path) -> None:
    """Unstaged, staged and untracked changes: apply must leave all of them alone."""
    (root / "app.py").write_text((root / "app.py").read_text() + "# mine, not committed\n")
    (root / "notes.txt").write_text("untracked\n")
    (root / "staged.txt").write_text("staged\n")
    git(root, "add", "staged.txt")


def add_item(ws, *, rule: str, source: str, category: str, risk: float = 0.1,
             data: dict[str, Any] | None = None, file_path: str | None = None,
             places: tuple[str, ...] = ()) -> str:  # fmt: skip
    """An item as a scan would have made it, with its places."""
    item = suggest_item(ws, category=category, title=f"Fix {rule}", risk=risk)
    with ws.session() as session:
        row = session.get(Item, item.id)
        row.source, row.rule, row.file_path, row.data = source, rule, file_path, data or {}
        row.fingerprint = f"fp-{rule}"
        session.add(row)
        for n, place in enumerate(places):
            session.add(Occurrence(item_id=item.id, path=place, line=1, fingerprint=f"{rule}{n}"))
    return item.key


def show_file(root: Path, branch: str, path: str) -> str:
    return git(root, "show", f"{branch}:{path}")


def files_on(root: Path, branch: str) -> set[str]:
    return set(git(root, "ls-tree", "-r", "--name-only", branch).split())


def test_ci_templates_move_into_workflows_on_a_branch_and_the_work_tree_stays(tmp_path):
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n", "docs/ci.yml": WORKFLOW})
    make_dirty(root)
    before = state(root)
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="workflow-templates-inactive", source="config",
                   category="infrastructure", data={"templates": ["docs/ci.yml"]})  # fmt: skip

    result = apply_item(ws, key)

    assert state(root) == before
    assert result.branch == f"terragon/{key}-fix-workflow-templates-inactive"
    assert files_on(root, result.branch) == {"app.py", ".github/workflows/ci.yml"}
    assert show_file(root, result.branch, ".github/workflows/ci.yml") == WORKFLOW
    assert git(root, "log", "-1", "--format=%s", result.branch).strip().startswith(f"{key}: ")
    assert git(root, "rev-parse", f"{result.branch}^").strip() == before["commit"]
    # The temporary worktree is gone; the branch stays.
    assert git(root, "worktree", "list", "--porcelain").count("worktree ") == 1
    item = show_item(ws, key).ranked.item
    assert (item.status, item.branch) == ("in-progress", result.branch)
    assert result.pr_path == pr_text_path(root, key) and result.pr_path.is_file()
    assert "**Rollback.**" in result.pr_text and "Score breakdown" in result.pr_text
    # Completing it later keeps the link to the branch.
    complete_item(ws, key, hours=0.5)
    assert show_item(ws, key).ranked.item.branch == result.branch
    ws.close()


@pytest.mark.parametrize(
    ("rule", "category", "file_name", "words"),
    [
        ("missing-security-policy", "security", "SECURITY.md", "Reporting a vulnerability"),
        ("missing-contributing", "documentation", "CONTRIBUTING.md", "Contributing to proj"),
    ],
)
def test_policies_are_filled_with_the_name_and_the_maintainers(
    tmp_path, rule, category, file_name, words
):
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n"})
    (root / "b.py").write_text("y = 2\n")
    git(root, "add", "b.py")
    ada = {"GIT_AUTHOR_NAME": "Ada *Lovelace*", "GIT_AUTHOR_EMAIL": "ada@example.com"}
    subprocess.run(["git", "commit", "-qm", "second"], cwd=root, check=True,
                   env={**os.environ, **ada})  # fmt: skip
    make_dirty(root)
    before = state(root)
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule=rule, source="config", category=category)

    result = apply_item(ws, key)

    assert state(root) == before
    text = show_file(root, result.branch, file_name)
    assert words in text
    # Names from git are escaped for Markdown.
    assert "- Ada \\*Lovelace\\* <ada@example.com>" in text
    assert "- Apply Tester <apply@example.com>" in text  # the first commit's author too
    ws.close()


def test_ruff_fixes_the_rule_only_in_the_items_files(tmp_path):
    source = "import os\nimport sys\n\n\ndef main():\n    return 1\n"
    root = make_repo(tmp_path / "proj", {"app.py": source, "other.py": source})
    make_dirty(root)
    before = state(root)
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="F401", source="lint", category="technical-debt",
                   data={"fixable": 2, "config": "default rules"}, places=("app.py",))  # fmt: skip

    result = apply_item(ws, key)

    assert state(root) == before
    assert show_file(root, result.branch, "app.py") == "\n\ndef main():\n    return 1\n"
    assert show_file(root, result.branch, "other.py") == source
    assert "ruff check --fix --select F401" in result.summary
    assert not list(tmp_path.glob("**/.ruff_cache"))
    ws.close()


def test_requirements_are_pinned_to_the_lock_files_versions(tmp_path):
    lock = (
        'version = 1\n[[package]]\nname = "requests"\nversion = "2.31.0"\n\n'
        '[[package]]\nname = "Click"\nversion = "8.1.7"\n'
    )
    requirements = "requests>=2\nclick  # the cli\nflask==2.0\nnumpy\n"
    root = make_repo(
        tmp_path / "proj", {"app.py": "x = 1\n", "requirements.txt": requirements, "uv.lock": lock}
    )
    before = state(root)
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="unpinned-requirements", source="dependencies",
                   category="dependencies", file_path="requirements.txt",
                   data={"names": ["click", "numpy", "requests"]})  # fmt: skip

    result = apply_item(ws, key)

    assert state(root) == before
    assert show_file(root, result.branch, "requirements.txt") == (
        "requests==2.31.0\nclick==8.1.7  # the cli\nflask==2.0\nnumpy\n"
    )
    assert "the lock has no one version of: numpy)" in result.summary
    ws.close()


def test_pinning_keeps_extras_markers_options_and_continued_lines():
    text = (
        'uvicorn[standard]>=0.20 ; python_version >= "3.9"\r\n'
        "httpx --hash=sha256:abc\n"
        "rich \\\n    >=13\n"
        "-r base.txt\n"
    )
    pinned, left = pin_requirements(text, {"uvicorn": "0.30.1", "httpx": "0.27.0", "rich": "1"})
    assert pinned == (
        'uvicorn[standard]==0.30.1; python_version >= "3.9"\r\n'
        "httpx==0.27.0 --hash=sha256:abc\n"
        "rich \\\n    >=13\n"
        "-r base.txt\n"
    )
    assert left == []


def test_dry_run_prints_the_diff_and_keeps_nothing(tmp_path):
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n", "docs/ci.yml": WORKFLOW})
    make_dirty(root)
    before = state(root)
    branches = git(root, "branch", "--list")
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="workflow-templates-inactive", source="config",
                   category="infrastructure", data={"templates": ["docs/ci.yml"]})  # fmt: skip

    result = apply_item(ws, key, dry_run=True)

    assert "rename to .github/workflows/ci.yml" in result.diff
    assert result.commit is None
    assert git(root, "branch", "--list") == branches
    assert state(root) == before
    assert show_item(ws, key).ranked.item.status == "open"
    assert not pr_text_path(root, key).exists()
    ws.close()


def test_manual_review_items_need_force(tmp_path):
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n"})
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="missing-contributing", source="config",
                   category="documentation", risk=0.8)  # fmt: skip
    with pytest.raises(UsageError, match="manual-review lane.*--force"):
        apply_item(ws, key)
    assert git(root, "branch", "--list").split() == ["*", "main"]
    assert apply_item(ws, key, force=True).commit
    ws.close()


def test_an_item_without_a_recipe_is_refused_in_one_line(ws):
    key = suggest_item(ws, category="performance", title="Make it faster").key
    refused = rf"^no mechanical fix for {key} \(category performance\)$"
    with pytest.raises(UsageError, match=refused):
        apply_item(ws, key)


def test_a_second_apply_refuses_and_undo_puts_the_item_back(tmp_path):
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n"})
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="missing-contributing", source="config", category="documentation")
    apply_item(ws, key)
    undo(ws)
    item = show_item(ws, key).ranked.item
    assert (item.status, item.branch) == ("open", None)
    with pytest.raises(UsageError, match="exists already"):
        apply_item(ws, key)
    ws.close()


def test_the_repositorys_hooks_never_run(tmp_path):
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n"})
    marker = tmp_path / "hook-ran"
    for hook in ("pre-commit", "commit-msg", "post-checkout", "post-commit", "pre-push"):
        path = root / ".git" / "hooks" / hook
        path.write_text(f"#!/bin/sh\necho {hook} >> {marker}\n")
        path.chmod(0o755)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(root, "remote", "add", "origin", str(remote))
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="missing-security-policy", source="config", category="security")

    result = apply_item(ws, key, push=True)

    assert not marker.exists()
    assert result.delivery.pushed
    assert git(remote, "rev-parse", result.branch).strip() == result.commit
    # Without gh, it says what to run to open the pull request.
    assert any(command.startswith("gh pr create --head") for command in result.delivery.to_run)
    ws.close()


def test_the_repositorys_pr_template_is_filled_and_escaped(tmp_path):
    template = "Fixes {{id}}: {{title}}\n\n{{what}}\n{{unknown}}\n"
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n", ".terragon/pr_template.md": template})
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="missing-contributing", source="config", category="documentation")
    with ws.session() as session:
        row = session.exec(__import__("sqlmodel").select(Item).where(Item.key == key)).one()
        row.title = "Add [docs](http://evil) <b>{{id}}</b>"
        session.add(row)
    result = apply_item(ws, key)
    assert result.pr_text.startswith(f"Fixes {key}: Add \\[docs\\]\\(http://evil\\) \\<b\\>")
    assert "\\{\\{id\\}\\}" in result.pr_text and "{{unknown}}" in result.pr_text
    ws.close()


def test_branch_slugs_are_ascii_lowercase_and_short():
    assert slug("Élan: Fix the ÜBER-long ☃ title " * 5) == (
        "elan-fix-the-uber-long-title-elan-fix-the-uber"
    )
    assert len(slug("x" * 80)) == 50
    assert slug("☃☃") == "fix"
    assert branch_name("SEC-001", "Add a SECURITY.md") == "terragon/SEC-001-add-a-security-md"


def test_a_link_leading_out_of_the_repository_is_refused_and_no_branch_is_left(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n", "docs/ci.yml": WORKFLOW})
    (root / ".github").symlink_to(outside)
    git(root, "add", ".github")
    git(root, "commit", "-qm", "link")
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="workflow-templates-inactive", source="config",
                   category="infrastructure", data={"templates": ["docs/ci.yml"]})  # fmt: skip
    with pytest.raises(TerragonError, match="lies outside the repository"):
        apply_item(ws, key)
    assert list(outside.iterdir()) == []
    assert git(root, "branch", "--list").split() == ["*", "main"]
    assert show_item(ws, key).ranked.item.status == "open"
    ws.close()


FAKE_GH = """#!/bin/sh
printf '%s\\n' "$*" >> "$GH_LOG"
if [ "$1" = pr ]; then echo "https://github.com/o/r/pull/5"; fi
"""


def test_push_opens_the_pull_request_with_gh_when_it_is_logged_in(tmp_path, monkeypatch):
    root = make_repo(tmp_path / "proj", {"app.py": "x = 1\n"})
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(root, "remote", "add", "origin", "https://github.com/o/r.git")
    git(root, "config", "remote.origin.pushurl", str(remote))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    log = tmp_path / "gh.log"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GH_LOG", str(log))
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    key = add_item(ws, rule="missing-contributing", source="config", category="documentation")

    result = apply_item(ws, key, push=True)

    assert git(remote, "rev-parse", result.branch).strip() == result.commit
    assert result.delivery.pr_url == "https://github.com/o/r/pull/5"
    calls = log.read_text().splitlines()
    assert calls[0] == "auth status"
    assert calls[1] == (
        f"pr create --head {result.branch} --title {result.pr_title} "
        f"--body-file {result.pr_path} --repo o/r"
    )
    assert result.delivery.to_run == []
    ws.close()
