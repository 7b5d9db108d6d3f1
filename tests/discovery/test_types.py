"""The types source: mypy's errors grouped by code, only where mypy is configured or asked
for, never loading what the repository configures to run, within its time budget."""

from __future__ import annotations

import threading
import time
import tomllib
from pathlib import Path

import pytest

from terragon_tui.backlog.listing import list_items
from terragon_tui.backlog.scanning import scan_workspace
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.discovery import KINDS, ScanCache, ScanCancelled, mypy_config, scan, types

from ..conftest import git
from .conftest import GitRepo

#: Two arg-type errors, one name-defined, an own module that is missing, a third-party one.
CORE = """import yaml
from pkg.gone import thing


def double(x: int) -> int:
    return x * 2


double("a")
double("b")
print(undefined_name)
"""
CONFIGURED = {
    "pyproject.toml": '[project]\nname = "pkg"\n\n[tool.mypy]\nwarn_unused_configs = true\n',
    "pkg/__init__.py": "",
    "pkg/core.py": CORE,
    "requirements-dev.txt": "mypy==1.0.0\n",
}


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mypy's cache and the scan cache go under tmp_path, not the user's cache directory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def by_rule(findings) -> dict[str, object]:
    return {f.rule: f for f in findings if f.source == "types"}


def test_errors_are_grouped_by_code_and_a_rescan_does_not_run_mypy_again(
    git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_repo.commit(CONFIGURED)
    cache = ScanCache()
    result = scan(git_repo.path, "full", workers=1, cache=cache)
    assert "types" in result.sources
    found = by_rule(result.findings)
    # one item per code: yaml's missing stubs are not the repository's; pkg.gone is, and
    # the imports source reports it (once, knowing its guards), not mypy's import-not-found
    assert set(found) == {"arg-type"}
    broken = [f for f in result.findings if f.source == "imports"]
    assert len(broken) == 1 and "pkg.gone" in broken[0].description
    # the undefined name is one defect: ruff's F821 item, not mypy's name-defined as well
    undefined = [f for f in result.findings if (f.source, f.rule) == ("lint", "F821")]
    assert [o.line for f in undefined for o in f.occurrences] == [11]
    assert [(s.rule, s.line, s.reason) for s in result.suppressed if s.source == "types"] == [
        ("name-defined", 11, "also lint F821 at this place")
    ]
    assert found["arg-type"].data["occurrences"] == 2
    assert [o.line for o in found["arg-type"].occurrences] == [9, 10]
    assert any("1 unresolved import(s) of the repository's own modules" in n for n in result.notes)
    assert any("1 unresolved third-party import(s) not counted" in n for n in result.notes)
    assert found["arg-type"].category == "technical-debt"
    assert found["arg-type"].impact > 5  # a call with the wrong type is likely a bug
    assert "The repository pins mypy 1.0.0" in found["arg-type"].description
    assert not (git_repo.path / ".mypy_cache").exists()

    def must_not_run(*args: object) -> None:
        raise AssertionError("mypy ran again with nothing changed")

    monkeypatch.setattr(types, "_child", must_not_run)
    again = scan(git_repo.path, "full", workers=1, cache=cache)
    assert by_rule(again.findings).keys() == found.keys()
    assert again.timings["types"] < 1


def test_plugins_and_the_configured_interpreter_are_never_run(git_repo: GitRepo) -> None:
    marker = git_repo.path / "MARKER"
    git_repo.commit(
        {
            "mypy.ini": "[mypy]\nplugins = evil_plugin.py\npython_executable = ./evil.sh\n"
            "junit_xml = report.xml\n\n[mypy.plugins.evil]\nsetting = 1\n",
            "evil_plugin.py": "import pathlib\npathlib.Path('MARKER').write_text('imported')\n"
            "def plugin(version):\n    return None\n",
            "evil.sh": "#!/bin/sh\ntouch MARKER\n",
            "app.py": "def add(a: int, b: int) -> int:\n    return a + b\n\n\nadd(1)\n",
        }
    )
    (git_repo.path / "evil.sh").chmod(0o755)
    git_repo.commit({})
    result = scan(git_repo.path, "full", workers=1)
    assert not marker.exists()
    assert not (git_repo.path / "report.xml").exists()
    assert {(f.rule, f.path) for f in result.findings if f.source == "types"} == {
        ("call-arg", "app.py")
    }
    assert any("plugins not loaded (evil_plugin.py)" in note for note in result.notes)
    [item] = [f for f in result.findings if f.source == "types"]
    assert "plugins (evil_plugin.py) were not loaded" in item.description
    assert git(git_repo.path, "status", "--porcelain") == ""


def test_without_mypy_configured_only_a_types_scan_runs_it(git_repo: GitRepo) -> None:
    git_repo.commit(
        {
            "app.py": "def add(a: int, b: int) -> int:\n    return a + b\n\n\nadd(1)\n",
            # two modules named conftest stop mypy: one is left out, the rest checked
            "tests/a/conftest.py": "A = 1\n",
            "tests/b/conftest.py": "B = 1\n",
        }
    )
    full = scan(git_repo.path, "full", workers=1)
    assert "types" in KINDS["full"] and "types" not in full.sources  # so nothing is resolved
    assert not [f for f in full.findings if f.source == "types"]
    asked = scan(git_repo.path, "types", workers=1)
    assert asked.sources == ("types",)
    assert {f.rule for f in asked.findings} == {"call-arg"}
    assert "types: mypy could not take 1 file(s): tests/b/conftest.py" in asked.notes


def test_over_its_budget_mypy_is_stopped_and_its_items_stay(repo: Path, db_url: str) -> None:
    (repo / "pyproject.toml").write_text(CONFIGURED["pyproject.toml"])
    (repo / "pkg").mkdir()
    (repo / "pkg/__init__.py").write_text("")
    (repo / "pkg/core.py").write_text(CORE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "typed")
    ws = open_workspace(repo, db_url)
    try:
        first = scan_workspace(ws, "types", workers=1)
        assert len(first.outcome.new) == 2  # arg-type, name-defined (a types scan runs no lint)
    finally:
        ws.close()
    with (repo / "pyproject.toml").open("a") as handle:
        handle.write("\n[tool.terragon.scan]\ntypes_budget = 0.05\n")
    git(repo, "commit", "-qam", "a tight budget")
    ws = open_workspace(repo, db_url)
    try:
        second = scan_workspace(ws, "types", workers=1)
        assert second.outcome.resolved == []
        assert "types" not in second.result.sources
        assert any("0.05 s budget" in note for note in second.result.notes)
        still = [e.item for e in list_items(ws) if e.item.source == "types"]
        assert len(still) == 2 and all(item.status == "open" for item in still)
    finally:
        ws.close()


def test_the_configuration_handed_to_mypy_keeps_the_checks_and_drops_what_runs(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mypy]\nstrict = true\nplugins = ["pydantic.mypy"]\nhtml_report = "out"\n'
        'mypy_path = "$MYPY_CONFIG_FILE_DIR/stubs"\nexclude = ["^build/"]\n'
        'files = ["src"]\n\n[[tool.mypy.overrides]]\nmodule = "tests.*"\n'
        "disallow_untyped_defs = false\ncache_dir = '/tmp/elsewhere'\n"
    )
    config = mypy_config.find(tmp_path, ["pyproject.toml"])
    assert config.path == "pyproject.toml" and config.suffix == ".toml"
    assert config.plugins == ("pydantic.mypy",)
    assert config.dropped == ("cache_dir", "html_report", "plugins")
    assert config.targets and config.exclude == ("^build/",)
    handed = tomllib.loads(config.text)["tool"]["mypy"]
    assert handed["strict"] is True and handed["mypy_path"] == f"{tmp_path}/stubs"
    assert handed["overrides"] == [{"module": "tests.*", "disallow_untyped_defs": False}]
    assert not mypy_config.find(tmp_path, []).configured  # an untracked file is not read


def test_a_cancelled_scan_stops_mypy(git_repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.commit(CONFIGURED)
    cancel = threading.Event()
    child = types._child

    def cancel_once_started(*args):  # the scan is cancelled while mypy runs
        cancel.set()
        return child(*args)

    monkeypatch.setattr(types, "_child", cancel_once_started)
    started = time.monotonic()
    with pytest.raises(ScanCancelled):
        scan(git_repo.path, "types", workers=1, cancel=cancel)
    assert time.monotonic() - started < 5


def test_where_ci_runs_mypy_its_errors_here_are_an_upgrade_not_a_defect(
    git_repo: GitRepo,
) -> None:
    git_repo.commit(CONFIGURED)
    unchecked = by_rule(scan(git_repo.path, "full", workers=1).findings)["arg-type"]
    workflow = (
        "on: [push]\njobs:\n  types:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: pip install mypy\n      - run: mypy pkg\n"
    )
    git_repo.commit({".github/workflows/ci.yml": workflow})
    checked = by_rule(scan(git_repo.path, "full", workers=1).findings)["arg-type"]
    assert "The repository's CI runs mypy already" in checked.description
    assert "CI runs mypy" not in unchecked.description
    assert checked.impact < unchecked.impact and checked.confidence < unchecked.confidence
    assert checked.business_value < unchecked.business_value
