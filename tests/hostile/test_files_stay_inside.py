"""Only regular files inside the repository are read, and never past the size limit: FIFOs,
devices and links out of the repository are skipped with a reason, whatever git lists."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from terragon_tui.discovery import safe_read
from terragon_tui.discovery.safe_read import RepoReader, Unreadable

from .repository import OUTSIDE_SECRET, OUTSIDE_TODO, build, git


def terragon(repo, tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line in its own process, so that a hang fails the test instead of the run."""
    env = {
        **os.environ,
        "TERRAGON_DB": os.fspath(tmp_path / "store.db"),
        "XDG_CACHE_HOME": os.fspath(tmp_path / "cache"),
        "XDG_CONFIG_HOME": os.fspath(tmp_path / "config"),
    }
    program = os.path.join(os.path.dirname(sys.executable), "terragon")
    command = [program, "-C", os.fspath(repo), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_a_scan_of_the_hostile_repository_finishes_and_reads_nothing_outside(tmp_path):
    hostile = build(tmp_path / "repo")
    done = terragon(hostile.root, tmp_path, "scan", "--json")
    assert done.returncode == 0, done.stderr
    skipped = {row["path"]: row["reason"] for row in json.loads(done.stdout)["skipped"]}
    assert skipped["queue.py"] == safe_read.NOT_REGULAR  # a tracked file, now a FIFO
    assert skipped["pipe-link.txt"] == safe_read.NOT_REGULAR  # a committed link to a FIFO
    assert skipped["leak.py"] == safe_read.OUTSIDE
    assert skipped["sub/x.py"] == "a folder on its path is a symlink (sub)"
    if os.geteuid() == 0:  # only root could make the device
        assert skipped["zero.py"] == safe_read.NOT_REGULAR
    listed = terragon(hostile.root, tmp_path, "list", "--json", "--all", "-n", "100000")
    assert listed.returncode == 0, listed.stderr
    assert OUTSIDE_TODO not in listed.stdout and "AKIA" not in listed.stdout
    assert "handle the empty case" in listed.stdout  # what is inside was read
    assert hostile.ran() == []


def test_a_path_swapped_for_a_symlink_after_the_check_is_not_followed(tmp_path, monkeypatch):
    (tmp_path / "outside.py").write_text(OUTSIDE_SECRET)
    root = tmp_path / "repo"
    root.mkdir()
    (root / "x.py").symlink_to(tmp_path / "outside.py")
    reader = RepoReader(root)
    monkeypatch.setattr(reader, "_target", lambda path: os.path.join(reader.top, path))
    with pytest.raises(Unreadable, match="changed into a symlink"):
        reader.read("x.py", 1 << 20)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc/self/fd")
def test_the_opened_file_itself_must_lie_inside_the_repository(tmp_path, monkeypatch):
    (tmp_path / "outside.py").write_text(OUTSIDE_SECRET)
    root = tmp_path / "repo"
    root.mkdir()
    (root / "x.py").write_text("X = 1\n")
    reader = RepoReader(root)
    # a folder swapped between resolving it and opening the file: the open lands outside
    monkeypatch.setattr(reader, "_target", lambda path: os.fspath(tmp_path / "outside.py"))
    with pytest.raises(Unreadable, match="out of the repository"):
        reader.read("x.py", 1 << 20)


def test_a_fifo_or_device_is_never_opened(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    os.mkfifo(root / "pipe")
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(
        os, "open", lambda path, *a, **k: opened.append(path) or real_open(path, *a, **k)
    )
    with pytest.raises(Unreadable, match="not a regular file"):
        RepoReader(root).read("pipe", 100)
    assert opened == []


def test_a_read_stops_at_the_limit_even_when_the_size_said_less(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "big.txt").write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    def small(fd):  # the file grows between fstat and read, as a log being written does
        status = real_fstat(fd)
        return os.stat_result((status.st_mode, *status[1:6], 10, *status[7:]))

    monkeypatch.setattr(os, "fstat", small)
    with pytest.raises(Unreadable, match=r"larger than the size limit \(100 bytes\)"):
        RepoReader(root).read("big.txt", 100)
    assert RepoReader(root).head("big.txt", 100) == b"x" * 100


def test_config_files_are_read_the_same_safe_way(tmp_path):
    from terragon_tui.discovery.small_files import read_text

    hostile = build(tmp_path / "repo", vectors=["links-out"])
    (hostile.root / "requirements.txt").symlink_to(hostile.outside / "folder" / "x.py")
    assert read_text(hostile.root, "requirements.txt") == ""
    assert read_text(hostile.root, "sub/x.py") == ""  # below a folder that leads out
    assert read_text(hostile.root, "app.py").startswith("def main")


def test_the_repository_config_is_read_only_from_inside_and_bounded(cli, tmp_path):
    from terragon_tui.config import project as config
    from terragon_tui.config.files import MOST_CONFIG_BYTES

    hostile = build(tmp_path / "repo", vectors=["links-out"])
    outside = hostile.outside / "pyproject.toml"
    outside.write_text('[tool.terragon]\nmaturity = "advanced"\n')
    (hostile.root / "pyproject.toml").symlink_to(outside)
    assert config.load_project_config(hostile.root).maturity is None  # not read: outside
    (hostile.root / "pyproject.toml").unlink()
    os.mkfifo(hostile.root / "pyproject.toml")
    assert config.load_project_config(hostile.root).maturity is None  # not opened: a FIFO
    (hostile.root / "pyproject.toml").unlink()
    with (hostile.root / "pyproject.toml").open("wb") as handle:
        handle.truncate(MOST_CONFIG_BYTES + 1)
    done = cli("list", repo_path=hostile.root)
    assert done.code != 0 and "pyproject.toml: larger than the size limit" in done.err


def _items(cli, root) -> dict[str, dict]:
    done = cli("list", "--json", "--all", "-n", "100000", repo_path=root)
    return {row["title"]: row for row in json.loads(done.out)["items"]}


def test_items_of_a_file_the_scan_could_not_read_stay_as_they_were(cli, tmp_path):
    """Not seeing a finding in a file that was not read says nothing about it: a file turned
    into a FIFO, or over a lowered size limit, keeps its items open; a deleted one does not."""
    hostile = build(tmp_path / "repo", vectors=[])
    (hostile.root / "other.py").write_text("# TODO: keep me when unreadable\n")
    (hostile.root / "gone.py").write_text("# TODO: resolve me when deleted\n")
    git(hostile.root, "add", "other.py", "gone.py")
    git(hostile.root, "commit", "-q", "-m", "two more")
    assert cli("scan", repo_path=hostile.root).code == 0
    assert {"TODO in other.py: keep me when unreadable"} <= set(_items(cli, hostile.root))
    (hostile.root / "other.py").unlink()
    os.mkfifo(hostile.root / "other.py")
    (hostile.root / "gone.py").unlink()
    done = cli("scan", "--json", repo_path=hostile.root)
    assert done.code == 0, done.err
    report = json.loads(done.out)
    items = _items(cli, hostile.root)
    assert items["TODO in other.py: keep me when unreadable"]["status"] == "open"
    assert items["TODO in gone.py: resolve me when deleted"]["status"] == "resolved-by-scan"
    assert report["kept"] == [items["TODO in other.py: keep me when unreadable"]["id"]]
    (hostile.root / "other.py").unlink()
    (hostile.root / "other.py").write_text("# TODO: keep me when unreadable\n" + "x = 1\n" * 99)
    (hostile.root / "pyproject.toml").write_text("[tool.terragon.scan]\nsize_limit = 100\n")
    summary = cli("scan", repo_path=hostile.root)
    assert "1 kept (their files were not read)" in summary.out
    assert (
        _items(cli, hostile.root)["TODO in other.py: keep me when unreadable"]["status"] == "open"
    )


def test_a_file_over_its_time_budget_that_lint_read_has_its_lint_items_resolved(cli, tmp_path):
    """The time budget stops terragon's own analysers, not ruff: a source that found something
    in the file this time read it, so its item there that was not found again is resolved
    rather than kept beside the new one (here: the same error once its path role changed)."""
    hostile = build(tmp_path / "repo", vectors=[])
    (hostile.root / "profiling").mkdir()
    (hostile.root / "profiling" / "big.py").write_text("print(undefined)\n")
    git(hostile.root, "add", "profiling")
    git(hostile.root, "commit", "-q", "-m", "timing inputs")
    settings = "[tool.terragon.scan]\nfile_budget = 1e-9\n"  # every file over its budget
    (hostile.root / "pyproject.toml").write_text(settings + 'production_paths = ["profiling/**"]\n')
    assert cli("scan", repo_path=hostile.root).code == 0
    [shipped] = [row for row in _items(cli, hostile.root).values() if row["rule"] == "F821"]
    assert (shipped["role"], shipped["status"]) == ("production", "open")
    (hostile.root / "pyproject.toml").write_text(settings)  # profiling/ is a benchmark again
    done = cli("scan", "--json", repo_path=hostile.root)
    assert done.code == 0, done.err
    assert shipped["id"] not in json.loads(done.out)["kept"]
    rows = [row for row in _items(cli, hostile.root).values() if row["rule"] == "F821"]
    assert {(row["role"], row["status"]) for row in rows} == {
        ("production", "resolved-by-scan"),
        ("benchmark", "open"),
    }


def test_a_group_with_a_place_in_a_file_not_read_stays_as_it_was(cli, tmp_path):
    """A group of one rule across files (here bandit's B108, in two files) has no single file:
    one of its files turning unreadable keeps it open too."""
    hostile = build(tmp_path / "repo", vectors=[])
    for name in ("a.py", "b.py"):
        (hostile.root / name).write_text('import os\nos.chmod("/tmp/x", 0o777)\n')
    git(hostile.root, "add", "a.py", "b.py")
    git(hostile.root, "commit", "-q", "-m", "two places")
    assert cli("scan", repo_path=hostile.root).code == 0
    groups = [r for r in _items(cli, hostile.root).values() if r.get("file_count") == 2]
    assert groups, _items(cli, hostile.root).keys()
    for name in ("a.py", "b.py"):
        (hostile.root / name).unlink()
        os.mkfifo(hostile.root / name)
    report = json.loads(cli("scan", "--json", repo_path=hostile.root).out)
    assert groups[0]["id"] in report["kept"]
    assert groups[0]["id"] not in report["resolved"]
