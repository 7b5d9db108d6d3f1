"""What the project ships for CI: the pre-commit hook and the GitHub Actions example."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.generators import git, write

PROJECT = Path(__file__).resolve().parents[2]
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
SHELL = "import subprocess\n\n\ndef run(c):\n    return subprocess.call(c, shell=True)\n"


def _has_pre_commit() -> bool:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return False
    return True


def test_the_hook_runs_terragon_check_once_per_run() -> None:
    [hook] = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "terragon-check"
    assert hook["entry"] == "terragon check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["always_run"] is True


@pytest.mark.skipif(not _has_pre_commit(), reason="pre-commit is not installed")
def test_pre_commit_accepts_the_hook_manifest() -> None:
    done = subprocess.run(
        [*PRE_COMMIT, "validate-manifest", str(PROJECT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _steps() -> list[dict[str, object]]:
    workflow = yaml.safe_load((PROJECT / "docs" / "github-actions.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert workflow["permissions"]["security-events"] == "write"
    [job] = workflow["jobs"].values()
    return job["steps"]


def test_the_workflow_checks_out_the_history_and_gates_the_branch() -> None:
    steps = _steps()
    uses = [str(step.get("uses", "")).split("@")[0] for step in steps]
    runs = [shlex.split(str(step["run"])) for step in steps if "run" in step]
    checkout = steps[uses.index("actions/checkout")]
    assert checkout["with"]["fetch-depth"] == 0
    assert uses.index("actions/checkout") < uses.index("actions/setup-python")
    assert runs[0][:2] == ["pip", "install"]
    commands = [run[:2] for run in runs]
    assert commands.index(["terragon", "scan"]) < commands.index(["terragon", "check"])
    check = next(run for run in runs if run[:2] == ["terragon", "check"])
    from terragon_tui.backlog.conditions import parse_conditions

    conditions = [check[i + 1] for i, part in enumerate(check) if part == "--fail-on"]
    assert [c.text for c in parse_conditions(conditions)] == ["new:severity>=high", "new:score>=70"]
    export = next(run for run in runs if run[:3] == ["terragon", "export", "backlog"])
    assert export[export.index("--format") + 1] == "sarif"
    sarif = export[export.index("--output") + 1]
    upload = steps[uses.index("github/codeql-action/upload-sarif")]
    assert upload["with"]["sarif_file"] == sarif and upload.get("if") == "always()"


@pytest.mark.skipif(
    not os.environ.get("TERRAGON_TEST_PRE_COMMIT"),
    reason="installs the hook's environment from PyPI (minutes): TERRAGON_TEST_PRE_COMMIT=1",
)
@pytest.mark.skipif(not _has_pre_commit(), reason="pre-commit is not installed")
def test_pre_commit_try_repo_runs_the_gate(tmp_path: Path) -> None:
    """pre-commit itself installs the hook from this checkout and runs it on a branch that
    adds a shell call: the hook fails with the gate's reason; on main it passes."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, {"app.py": "def main():\n    return 1\n"})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
        "TERRAGON_DB": str(tmp_path / "store.db"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    env.pop("GITHUB_BASE_REF", None)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*PRE_COMMIT, "try-repo", str(PROJECT), "terragon-check", "--all-files"],
            cwd=root, env=env, capture_output=True, text=True, check=False, timeout=900,
        )  # fmt: skip

    passed = try_repo()
    if "Installing environment" in passed.stdout and passed.returncode not in (0, 1):
        pytest.skip(f"the hook's environment could not be installed: {passed.stdout[-300:]}")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "terragon check" in passed.stdout and "Passed" in passed.stdout
    git(root, "checkout", "-q", "-b", "feature")
    write(root, {"shell.py": SHELL})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "shell")
    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "new:severity>=high: 1 new item: B602" in failed.stdout
