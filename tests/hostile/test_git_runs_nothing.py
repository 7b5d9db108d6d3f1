"""Git on a hostile repository runs nothing the repository configures: every command that
reads git (each scan kind, the reports, the export, the TUI's first-visit scan and its
dashboard) leaves the marker of the repository's configured program empty."""

from __future__ import annotations

import pytest

from terragon_tui.backlog.history import scan_history
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.discovery.inventory import take_inventory
from terragon_tui.discovery.runner import KINDS
from terragon_tui.git import run as git_run
from terragon_tui.tui.app import TerragonApp

from ..tui.pilots import wait_for
from .repository import GIT_VECTORS, VECTORS, build


@pytest.fixture
def hostile(tmp_path):
    return build(tmp_path / "repo")


def test_plain_git_runs_what_the_hostile_repository_configures(hostile):
    """The vectors are live: without the overrides, git runs the configured programs."""
    from .repository import git

    git(hostile.root, "status", "--short", check=False)  # re-reads stat-dirty files: filters
    git(hostile.root, "log", "-p", check=False)  # a signature check, the textconv driver
    ran = {line.split()[0] + " " + line.split()[1] for line in hostile.ran() if " " in line}
    assert {"program.sh filter-clean", "program.sh textconv"} <= ran
    assert any(line.startswith("gpg") for line in hostile.ran())


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--short"),
        ("ls-files", "-m"),
        ("diff",),
        ("log", "-p", "--stat", "--numstat"),
        ("log", "--show-signature"),
        ("show", "HEAD~1"),
    ],
)
def test_git_run_lets_no_configured_program_run(tmp_path, args):
    hostile = build(tmp_path / "repo", vectors=GIT_VECTORS)
    done = git_run.run(hostile.root, *args)
    assert done.returncode == 0, done.stderr
    assert hostile.ran() == []


def test_a_gitpython_repo_from_open_repo_runs_nothing_either(hostile):
    repo = git_run.open_repo(hostile.root)
    try:
        repo.git.status()
        repo.git.log("-p", "--show-signature")
    finally:
        repo.close()
    assert hostile.ran() == []


def test_filter_and_driver_names_with_dots_are_turned_off_too(hostile):
    from .repository import git

    git(hostile.root, "config", "filter.a.b.clean", f"{hostile.program} dotted")
    (hostile.root / ".gitattributes").write_text("* filter=a.b\n")
    (hostile.root / "app.py").touch()
    assert "filter.a.b.clean=" in git_run.overrides(hostile.root)
    assert git_run.run(hostile.root, "status").returncode == 0
    assert hostile.ran() == []


def test_the_inventory_finds_changed_files_without_asking_git_to_reread_them(hostile):
    (hostile.root / "app.py").write_text("def main():\n    return 2\n")
    listed = {entry.path: entry.blob for entry in take_inventory(hostile.root).files}
    assert hostile.ran() == []
    assert listed["app.py"] is None  # changed: hashed from its content, not the index's blob
    assert listed["README.md"] is None  # only touched (stat-dirty): hashed, never trusted
    assert set(listed) >= {"app.py", "README.md", "settings.cfg", ".gitattributes"}


def test_an_untouched_file_keeps_the_index_blob(tmp_path):
    clean = build(tmp_path / "clean", vectors=[])
    import time

    time.sleep(0.01)
    from .repository import git

    git(clean.root, "update-index", "--refresh")  # the index now newer than every file
    listed = {entry.path: entry.blob for entry in take_inventory(clean.root).files}
    assert listed["app.py"] == git(clean.root, "rev-parse", ":app.py").strip()


@pytest.mark.parametrize(
    "args",
    [
        *(("scan", "--kind", kind) for kind in KINDS),
        ("scan", "--since", "HEAD~2"),
        ("report", "delivery"),
        ("report", "stakeholder"),
        ("report", "value"),
        ("export", "backlog"),
        ("list",),
    ],
    ids=lambda args: " ".join(args),
)
def test_no_command_runs_a_configured_program(cli, hostile, args):
    if args[0] != "scan":
        assert cli("scan", repo_path=hostile.root).code == 0
    done = cli(*args, repo_path=hostile.root)
    assert done.code == 0, done.err
    assert hostile.ran() == []


def test_every_vector_is_in_the_hostile_repository(hostile):
    assert hostile.vectors == list(VECTORS)


async def test_the_tui_first_visit_scan_and_dashboard_run_nothing(hostile, db_url):
    from terragon_tui.tui.screens.dashboard import DashboardScreen

    ws = open_workspace(hostile.root, db_url)
    app = TerragonApp(ws, scan_workers=2, first_scan=True)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            assert await wait_for(pilot, lambda: scan_history(ws) and screen.scan_cancel is None)
            assert [run.status for run in scan_history(ws)] == ["done"]
            await pilot.press("2")
            assert isinstance(app.screen, DashboardScreen)
            await app.workers.wait_for_complete()
            await pilot.pause()
    finally:
        ws.close()
    assert hostile.ran() == []


def test_a_config_that_never_ends_makes_git_unusable_not_a_hang(tmp_path, cli, monkeypatch):
    """An include of a FIFO makes every git command wait forever: the scan walks the tree
    instead, after one bounded wait, and says why."""
    import os

    from .repository import git

    monkeypatch.setattr(git_run, "CONFIG_SECONDS", 1)
    clean = build(tmp_path / "repo", vectors=[])
    os.mkfifo(tmp_path / "never")
    git(clean.root, "config", "include.path", os.fspath(tmp_path / "never"))
    done = cli("scan", "--json", repo_path=clean.root)
    assert done.code == 0, done.err
    assert "git not used: its git config could not be read in 1 s" in done.out
    assert "handle the empty case" in cli("list", repo_path=clean.root).out
    delivery = cli("report", "delivery", repo_path=clean.root)
    assert delivery.code == 1 and "git not used on" in delivery.err
