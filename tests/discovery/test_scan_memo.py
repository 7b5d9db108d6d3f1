"""A rescan with nothing changed reuses the last scan's whole result; any change is seen."""

from __future__ import annotations

from pathlib import Path

import pytest

from terragon_tui.discovery import ScanCache, ScanConfig, runner, scan

from .conftest import GitRepo, complex_function

PROJECT = {
    "app/core.py": complex_function("decide", 14) + "\n# TODO: split decide()\n",
    "app/run.py": (
        "import subprocess\n\n\ndef go(cmd):\n    return subprocess.call(cmd, shell=True)\n"
    ),
    "README.md": "# demo\n",
}


def _rescan(repo: GitRepo, where: Path, **kwargs):
    """A scan as the CLI runs one: with the cache file, read only when needed."""
    cache = ScanCache.deferred(where)
    result = scan(repo.path, "full", workers=1, cache=cache, **kwargs)
    cache.save(where)
    return result, cache


def _seen(result) -> list[tuple]:
    return sorted((f.fingerprint, f.title, f.path, f.line, f.role) for f in result.findings)


def test_nothing_changed_reuses_the_result_without_reading_the_cache(
    git_repo: GitRepo, tmp_path: Path
) -> None:
    git_repo.commit(PROJECT)
    where = tmp_path / "cache" / "repo.cache"
    first, _ = _rescan(git_repo, where)
    second, cache = _rescan(git_repo, where)
    assert _seen(second) == _seen(first)
    assert second.sources == first.sources and second.per_source == first.per_source
    assert [(s.rule, s.line) for s in second.suppressed] == [
        (s.rule, s.line) for s in first.suppressed
    ]
    assert [len(f.occurrences) for f in second.findings] == [
        len(f.occurrences) for f in first.findings
    ]
    assert second.files_analysed == 0 and second.files_cached == first.files_analysed
    assert any("its result is reused" in note for note in second.notes)
    assert cache._unread is not None  # the per-file entries were never read


def test_any_change_is_scanned_again(git_repo: GitRepo, tmp_path: Path) -> None:
    git_repo.commit(PROJECT)
    where = tmp_path / "cache" / "repo.cache"
    _rescan(git_repo, where)
    git_repo.commit({"app/more.py": "# FIXME: one more\n"})  # a new commit, a new file
    committed, _ = _rescan(git_repo, where)
    assert any(f.rule == "fixme" for f in committed.findings)
    assert not any("reused" in note for note in committed.notes)
    (git_repo.path / "app/more.py").write_text("# HACK: not committed yet\n")  # dirty tree
    dirty, _ = _rescan(git_repo, where)
    assert any(f.rule == "hack" for f in dirty.findings)
    assert not any(f.rule == "fixme" for f in dirty.findings)
    stricter = ScanConfig(complexity_rank="F")  # other settings: another result
    cache = ScanCache.deferred(where)
    assert not any(
        f.source == "complexity" and f.rule == "cyclomatic-complexity"
        for f in scan(git_repo.path, "full", workers=1, cache=cache, config=stricter).findings
    )


class _GivesUp:
    SOURCE = "lint"

    @staticmethod
    def applies(context) -> bool:
        return True

    @staticmethod
    def findings(context):
        return context.give_up("lint", "ruff ran out of its budget")


def test_a_scan_in_which_a_source_gave_up_is_not_remembered(
    git_repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_repo.commit(PROJECT)
    where = tmp_path / "cache" / "repo.cache"
    monkeypatch.setattr(runner, "REPO_SOURCES", (*runner.REPO_SOURCES, _GivesUp))
    _rescan(git_repo, where)
    second, _ = _rescan(git_repo, where)
    assert not any("reused" in note for note in second.notes)  # lint gets another try
    assert any("ran out of its budget" in note for note in second.notes)


def test_another_terragon_version_scans_again(
    git_repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import terragon_tui

    git_repo.commit(PROJECT)
    where = tmp_path / "cache" / "repo.cache"
    _rescan(git_repo, where)
    monkeypatch.setattr(terragon_tui, "__version__", "99.0.0")  # an upgrade: rules may differ
    upgraded, _ = _rescan(git_repo, where)
    assert not any("reused" in note for note in upgraded.notes)
