"""The runner: kinds, progress, cancel, the incremental cache and the process pool."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import pytest

from terragon_tui.config.schema import scan_config
from terragon_tui.core.errors import ConfigError, NotFoundError, UsageError
from terragon_tui.discovery import KINDS, ScanCache, ScanCancelled, ScanConfig, pool, scan

from .conftest import GitRepo, complex_function

PROJECT = {
    "app/core.py": complex_function("decide", 14) + "\n# TODO: split decide()\n",
    "app/run.py": (
        "import subprocess\n\n\ndef go(cmd):\n    return subprocess.call(cmd, shell=True)\n"
    ),
    "app/util.js": "// FIXME: escape input\nexport const x = 1;\n",
    "requirements.txt": "requests\n",
    "README.md": "# demo\n",
}


@pytest.fixture
def project(git_repo: GitRepo) -> GitRepo:
    git_repo.commit(PROJECT)
    for n in range(3):
        git_repo.commit({"app/core.py": PROJECT["app/core.py"] + f"VERSION = {n}\n"})
    return git_repo


def test_full_scan_runs_every_source(project: GitRepo) -> None:
    result = scan(project.path, "full", workers=1)
    rules = {(f.source, f.rule) for f in result.findings}
    assert ("complexity", "cyclomatic-complexity") in rules
    assert ("hotspots", "hotspot") in rules
    assert ("todos", "todo") in rules and ("todos", "fixme") in rules
    assert ("security", "B602") in rules
    assert ("config", "missing-license") in rules
    assert ("dependencies", "unpinned-requirements") in rules
    # every source but types: the repository configures no mypy
    assert result.sources == tuple(s for s in KINDS["full"] if s != "types")
    assert result.per_source["complexity"] == 1
    assert result.files_total == result.files_analysed == 5
    assert result.skipped == []
    assert result.maturity_level == "nascent" and result.maturity_score is not None
    complexity = next(f for f in result.findings if f.source == "complexity")
    assert complexity.debt_interest > 1  # the file changed four times
    assert all(f.path is None or not f.path.startswith("/") for f in result.findings)
    # each covered source says what it cost, beside the steps outside any one source
    assert set(result.sources) - {"hotspots"} <= result.timings.keys()
    assert {"files", "analysis", "parse", "findings", "hotspots"} <= result.timings.keys()
    assert all(spent >= 0 for spent in result.timings.values())
    assert result.summary()["timings"].keys() == result.timings.keys()


def test_security_and_architecture_kinds(project: GitRepo) -> None:
    security = scan(project.path, "security", workers=1)
    assert {f.source for f in security.findings} == {"security"}
    assert security.sources == ("security", "secrets")
    architecture = scan(project.path, "architecture", workers=1)
    assert {f.source for f in architecture.findings} == {"complexity", "hotspots"}
    assert architecture.files_total == 3  # the files with a complexity: Python and JavaScript


def test_unknown_kind_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        scan(tmp_path, "everything")
    with pytest.raises(NotFoundError):
        scan(tmp_path / "nope")


def test_progress_reports_each_phase(project: GitRepo) -> None:
    calls: list[tuple[str, int, int]] = []
    scan(project.path, "full", workers=1, progress=lambda *a: calls.append(a))
    phases = [phase for phase, _, _ in calls]
    assert phases[0] == "files" and phases[-1] == "findings"
    assert {"files", "analysis", "history", "findings"} <= set(phases)
    analysis = [(d, t) for p, d, t in calls if p == "analysis"]
    assert analysis[-1] == (5, 5)
    assert [d for d, _ in analysis] == sorted(d for d, _ in analysis)


def test_cancel_stops_the_scan(project: GitRepo) -> None:
    stop = threading.Event()

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "analysis" and done >= 1:
            stop.set()

    with pytest.raises(ScanCancelled):
        scan(project.path, "full", workers=1, progress=progress, cancel=stop)
    stop.set()
    with pytest.raises(ScanCancelled):
        scan(project.path, "full", workers=1, cancel=stop)


def test_rescan_uses_the_cache_and_reanalyses_only_changes(project: GitRepo) -> None:
    cache = ScanCache()
    first = scan(project.path, "full", cache=cache, workers=1)
    second = scan(project.path, "full", cache=cache, workers=1)
    assert (second.files_analysed, second.files_cached) == (0, 5)
    assert [f.fingerprint for f in second.findings] == [f.fingerprint for f in first.findings]
    (project.path / "app" / "run.py").write_text("def go():\n    return 1\n")  # not committed
    third = scan(project.path, "full", cache=cache, workers=1)
    assert (third.files_analysed, third.files_cached) == (1, 4)
    assert not any(f.rule == "B602" for f in third.findings)


def test_cache_round_trips_through_a_file(project: GitRepo, tmp_path: Path) -> None:
    cache = ScanCache()
    scan(project.path, "full", cache=cache, workers=1)
    where = tmp_path / "state" / "scan-cache.json"
    cache.save(where)
    loaded = ScanCache.load(where)
    assert scan(project.path, "full", cache=loaded, workers=1).files_analysed == 0
    cache.store_repo_result("lint", "inputs-1", {"rows": [1, 2]})
    cache.save(where)
    loaded = ScanCache.load(where)
    assert loaded.repo_result("lint", "inputs-1") == {"rows": [1, 2]}
    assert loaded.repo_result("lint", "inputs-2") is None  # other inputs: run again
    assert loaded.repo_result("types", "inputs-1") is None
    where.write_text("{not json")
    assert len(ScanCache.load(where)) == 0
    where.write_text(json.dumps({"stamp": "format=0", "entries": {"x": {}}}))
    assert len(ScanCache.load(where)) == 0  # written by another version: ignored
    assert len(ScanCache.load(tmp_path / "missing.json")) == 0


def test_a_cache_written_under_another_python_is_not_used(project: GitRepo, tmp_path: Path) -> None:
    cache = ScanCache()
    scan(project.path, "full", cache=cache, workers=1)
    where = tmp_path / "scan-cache.json"
    cache.save(where)
    assert len(ScanCache.load(where)) == 5
    saved = json.loads(where.read_text())
    running = f"python={sys.version_info.major}.{sys.version_info.minor}"
    saved["stamp"] = saved["stamp"].replace(running, "python=3.10")
    where.write_text(json.dumps(saved))
    assert len(ScanCache.load(where)) == 0  # what fails to parse depends on the Python


def test_a_kind_reuses_what_another_kind_cached(project: GitRepo) -> None:
    cache = ScanCache()
    scan(project.path, "architecture", cache=cache, workers=1)
    full = scan(project.path, "full", cache=cache, workers=1)
    assert full.files_analysed == 5  # complexity was cached, the rest was not
    again = scan(project.path, "security", cache=cache, workers=1)
    assert again.files_analysed == 0


def _many_files(repo: GitRepo) -> None:
    files = {f"pkg/m{n:02d}.py": complex_function(f"f{n}", 8 + n) for n in range(30)}
    files["pkg/risky.py"] = PROJECT["app/run.py"]
    repo.commit(files)


def test_worker_processes_find_the_same_as_inline(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_files(git_repo)
    inline = scan(git_repo.path, "full", workers=1)
    pools = []
    real = pool._run_pool
    monkeypatch.setattr(pool, "_run_pool", lambda *a: pools.append(1) or real(*a))
    pooled = scan(git_repo.path, "full", workers=2)
    assert pools, "the process pool was not used"
    assert pooled.files_analysed == inline.files_analysed == 31
    assert sorted(f.fingerprint for f in pooled.findings) == sorted(
        f.fingerprint for f in inline.findings
    )


def test_cancel_stops_the_worker_processes(git_repo: GitRepo) -> None:
    _many_files(git_repo)
    stop = threading.Event()

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "analysis" and done >= 1:
            stop.set()

    started = time.perf_counter()
    with pytest.raises(ScanCancelled):
        scan(git_repo.path, "full", workers=2, progress=progress, cancel=stop)
    assert time.perf_counter() - started < 10


def test_excluded_globs_and_gitignore_are_respected(project: GitRepo) -> None:
    project.write({".gitignore": "build/\n", "build/gen.py": "# TODO: generated\n"})
    project.write({"vendor/lib.py": "# TODO: vendored\n"})
    result = scan(project.path, "full", workers=1, config=ScanConfig(exclude=("vendor/**",)))
    paths = {f.path for f in result.findings}
    assert "build/gen.py" not in paths and "vendor/lib.py" not in paths
    assert result.files_total == 6  # the five committed files and .gitignore


def test_a_file_over_its_time_budget_is_skipped(project: GitRepo) -> None:
    result = scan(project.path, "full", workers=1, config=ScanConfig(file_budget=1e-9))
    reasons = {reason for _, reason in result.skipped}
    assert reasons == {"analysis took longer than 1e-09 s"}
    assert result.files_analysed == 5


def test_scan_config_from_a_toml_table() -> None:
    config = scan_config({"complexity-rank": "d", "churn_days": 90, "exclude": ["x/**"]})
    assert (config.complexity_rank, config.churn_days, config.exclude) == ("D", 90, ("x/**",))
    for bad in ({"nope": 1}, {"churn_days": "often"}, {"exclude": "x"}, {"complexity_rank": "Z"}):
        with pytest.raises(ConfigError):
            scan_config(bad)


def test_the_scanned_codes_warnings_are_not_shown(git_repo):
    import warnings

    git_repo.commit({"pattern.py": 'import re\nDIGITS = re.compile("\\d+")\n'})
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")  # as `python -W always` or 3.12's SyntaxWarning would
        scan(git_repo.path, "full", workers=1)
    assert not [w for w in seen if "escape sequence" in str(w.message)]


class _Unfinished:
    """A repository-wide source whose tool could not finish."""

    SOURCE = "lint"

    @staticmethod
    def applies(context) -> bool:
        return True

    @staticmethod
    def findings(context):
        return context.give_up("lint", "ruff ran out of its 1 s budget")


def test_a_source_that_gives_up_is_not_covered(project: GitRepo, monkeypatch) -> None:
    from terragon_tui.discovery import runner

    monkeypatch.setitem(runner.KINDS, "full", (*runner.KINDS["full"], "lint"))
    monkeypatch.setattr(runner, "REPO_SOURCES", (*runner.REPO_SOURCES, _Unfinished))
    result = scan(project.path, "full", workers=1)
    assert "lint" not in result.sources  # so a rescan cannot resolve its items
    assert "dependencies" in result.sources
    assert any("ruff ran out of its 1 s budget" in note for note in result.notes)


def test_a_sources_inputs_key_is_the_same_in_every_process(tmp_path: Path) -> None:
    import subprocess

    code = (
        "from pathlib import Path\n"
        "from terragon_tui.discovery import ScanCache, ScanConfig\n"
        "from terragon_tui.discovery.repo_sources import RepoContext\n"
        "s = ScanConfig()\n"
        "c = RepoContext(Path('.'), 'full', (), s, ScanCache(), s.path_roles())\n"
        "print(c.inputs_key('lint', ['a.py'], {'select': {'F821', 'E9', 'B006', 'F811'}}))\n"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin"},
            cwd=tmp_path,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(keys) == 1  # else an unchanged rescan would run the tool again


def test_a_rescan_with_nothing_changed_leaves_the_cache_file_alone(
    project: GitRepo, tmp_path: Path
) -> None:
    where = tmp_path / "scan-cache.json"
    cache = ScanCache()
    scan(project.path, "full", cache=cache, workers=1)
    cache.save(where)
    written = where.stat()
    loaded = ScanCache.load(where)
    scan(project.path, "full", cache=loaded, workers=1)
    loaded.save(where)
    assert where.stat().st_ino == written.st_ino  # not replaced by a new file
    (project.path / "app" / "new.py").write_text("def f():\n    return 2\n")
    scan(project.path, "full", cache=loaded, workers=1)
    loaded.save(where)
    assert where.stat().st_ino != written.st_ino
    assert scan(project.path, "full", cache=ScanCache.load(where), workers=1).files_analysed == 0


def test_a_tracked_file_turned_into_a_symlink_is_read_as_one(
    project: GitRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("import subprocess\nsubprocess.call('x', shell=True)\n")
    (project.path / "app" / "run.py").unlink()
    (project.path / "app" / "run.py").symlink_to(outside)
    result = scan(project.path, "full", cache=ScanCache(), workers=1)
    assert ("app/run.py", "symlink points outside the repository") in result.skipped
    assert not any(f.path == "app/run.py" for f in result.findings)


def test_no_more_analysing_processes_than_cores(project: GitRepo) -> None:
    import os

    cores = os.cpu_count() or 1
    result = scan(project.path, "full", workers=cores + 22)
    assert f"{cores + 22} analysing processes asked for; {cores} (one per core) ran" in result.notes
    assert result.files_analysed == 5
    assert not any("analysing processes" in n for n in scan(project.path, workers=1).notes)
