"""Configured but inactive tooling: what a repository configures and its CI never runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from terragon_tui.discovery import config_audit, scan
from terragon_tui.discovery.finding import Finding

from ..generators import WORKFLOW, configured_not_run
from .conftest import audit_files

INACTIVE_RULES = {
    "inactive-linter",
    "inactive-type-checker",
    "tests-not-run-in-ci",
    "docs-never-built",
    "release-without-workflow",
}
PYPROJECT = '[project]\nname = "demo"\ndependencies = ["rich>=13"]\n'
RUFF = PYPROJECT + "[tool.ruff]\nline-length = 100\n"
RUFF_HOOK = (
    "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n"
    "    hooks:\n      - id: ruff\n"
)
PROJECT = {
    "README.md": "# demo\n",
    "LICENSE": "MIT\n",
    "uv.lock": "version = 1\n",
    "demo/__init__.py": "",
    "tests/test_demo.py": "def test_x():\n    pass\n",
}


def workflow(*commands: str, uses: str = "") -> str:
    """A GitHub Actions workflow that runs `commands`, and the action `uses` if given."""
    text = WORKFLOW.format(title="CI", job="test", triggers="  push:", command=commands[0])
    text += "".join(f"      - run: {command}\n" for command in commands[1:])
    return text + (f"      - uses: {uses}\n" if uses else "")


def inactive(tmp_path: Path, files: dict[str, str]) -> dict[str | None, Finding]:
    """The configured-but-inactive items of a repository, by tool."""
    result = audit_files(tmp_path, {**PROJECT, **files})
    return {f.symbol: f for f in result.findings if f.rule in INACTIVE_RULES}


def test_a_linter_ci_never_runs_is_an_item_naming_it_and_its_configuration(
    tmp_path: Path,
) -> None:
    items = inactive(
        tmp_path, {"pyproject.toml": RUFF, ".github/workflows/ci.yml": workflow("pytest -q")}
    )
    assert list(items) == ["ruff"]
    item = items["ruff"]
    assert item.rule == "inactive-linter" and item.path == "pyproject.toml"
    assert item.title == "Run ruff in CI: it is configured but nothing runs it"
    assert "configured in pyproject.toml [tool.ruff]" in item.description
    assert "no CI step (.github/workflows/ci.yml) runs it" in item.description
    assert "`ruff check .`" in item.description
    assert item.category == "infrastructure" and 1 <= item.estimated_hours <= 2


def test_installing_a_linter_is_not_running_it(tmp_path: Path) -> None:
    ci = workflow("pip install ruff mypy", "echo ruff is next", "pytest -q")
    items = inactive(tmp_path, {"pyproject.toml": RUFF, ".github/workflows/ci.yml": ci})
    assert list(items) == ["ruff"]


@pytest.mark.parametrize(
    ("hooks", "ci"),
    [
        (RUFF_HOOK + "ci:\n  autofix_prs: false\n", workflow("pytest -q")),  # pre-commit.ci
        (RUFF_HOOK, workflow("pytest -q", "pre-commit run --all-files")),
        (RUFF_HOOK, workflow("pytest -q", uses="pre-commit/action@v3.0.1")),
        ("repos: []\n", workflow("pytest -q", uses="astral-sh/ruff-action@v3")),
    ],
    ids=["pre-commit.ci", "pre-commit-run", "pre-commit-action", "ruff-action"],
)
def test_a_linter_run_by_ci_or_pre_commit_ci_is_no_item(
    tmp_path: Path, hooks: str, ci: str
) -> None:
    files = {"pyproject.toml": RUFF, ".pre-commit-config.yaml": hooks}
    result = audit_files(tmp_path, {**PROJECT, **files, ".github/workflows/ci.yml": ci})
    assert not [f for f in result.findings if f.rule in INACTIVE_RULES]
    assert result.checks["linting_inactive"] is False


def test_a_hook_nothing_in_ci_runs_is_run_locally_only(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": RUFF,
        ".pre-commit-config.yaml": RUFF_HOOK,
        ".github/workflows/ci.yml": workflow("pytest -q"),
    }
    item = inactive(tmp_path, files)["ruff"]
    assert item.title == "Run ruff in CI: it runs only as a local pre-commit hook"
    assert "pre-commit run --all-files" in item.description
    assert item.data["local"] == ["a pre-commit hook"]


def test_a_linting_choice_not_enforced_earns_half_its_points(tmp_path: Path) -> None:
    base = {**PROJECT, "pyproject.toml": RUFF + "[tool.mypy]\nstrict = true\n"}
    ran = audit_files(tmp_path / "ran", {**base, ".github/workflows/ci.yml": workflow("ruff .")})
    idle = audit_files(tmp_path / "idle", {**base, ".github/workflows/ci.yml": workflow("ls")})
    assert idle.checks["linting_inactive"] and not ran.checks["linting_inactive"]
    # linting 10 -> 5 points; mypy runs in neither: the same half in both
    assert ran.score - idle.score == config_audit.POINTS["linting"] / 2


def test_a_type_checker_with_no_ci_step_is_an_item(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "mypy.ini": "[mypy]\nstrict = True\n",
        ".github/workflows/ci.yml": workflow("pytest"),
    }
    item = inactive(tmp_path, files)["mypy"]
    assert item.rule == "inactive-type-checker" and item.path == "mypy.ini"
    assert "mypy is configured in mypy.ini" in item.description


def test_tests_ci_never_runs(tmp_path: Path) -> None:
    files = {"pyproject.toml": PYPROJECT, ".github/workflows/ci.yml": workflow("python -m build")}
    item = inactive(tmp_path, files)["the tests"]
    assert item.rule == "tests-not-run-in-ci" and item.path == "tests"
    assert item.title == "Run the tests in CI: no CI step runs tests/"
    assert "`pytest`" in item.description and item.category == "testing"


@pytest.mark.parametrize(
    "files",
    [
        {".github/workflows/ci.yml": workflow("make check"), "Makefile": "check: lint unit\n"
         "lint:\n\truff check .\nunit:\n\tpython -m pytest\n"},
        {".github/workflows/ci.yml": workflow("tox -e py312"),
         "tox.ini": "[tox]\nenvlist = py312\n[testenv]\ncommands = pytest {posargs}\n"},
        {".github/workflows/ci.yml": workflow("./scripts/test"),
         "scripts/test": "#!/bin/sh -e\ncoverage run -m pytest \"$@\"\n"},
        {".github/workflows/ci.yml": workflow("npm ci", "npm test"),
         "package.json": '{"scripts": {"test": "jest --ci"}}'},
        {".gitlab-ci.yml": "stages: [test]\nunit:\n  stage: test\n  script:\n    - pytest\n"},
        {".github/workflows/ci.yml": workflow("python manage.py test")},
    ],
    ids=["make-prerequisites", "tox", "script", "npm-script", "gitlab", "django"],
)  # fmt: skip
def test_tests_run_through_what_ci_calls_count_as_run(
    tmp_path: Path, files: dict[str, str]
) -> None:
    items = inactive(tmp_path, {"pyproject.toml": PYPROJECT, **files})
    assert "the tests" not in items


def test_a_docs_site_never_built(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "mkdocs.yml": "site_name: demo\n",
        ".github/workflows/ci.yml": workflow("pytest"),
    }
    item = inactive(tmp_path, files)["MkDocs"]
    assert item.rule == "docs-never-built" and item.path == "mkdocs.yml"
    assert item.category == "documentation" and "`mkdocs build --strict`" in item.description


@pytest.mark.parametrize(
    "files",
    [
        {"mkdocs.yml": "site_name: demo\n",
         ".github/workflows/docs.yml": workflow("pip install mkdocs", "mkdocs gh-deploy --force")},
        {"mkdocs.yml": "site_name: demo\n", ".readthedocs.yaml": "version: 2\n"},
        {"docs/conf.py": "project = 'demo'\n", "docs/Makefile": "%: Makefile\n"
         "\t@$(SPHINXBUILD) -M $@ \"$(SOURCEDIR)\" \"$(BUILDDIR)\"\n",
         ".github/workflows/docs.yml": workflow("make -C docs html")},
    ],
    ids=["mkdocs-workflow", "readthedocs", "sphinx-makefile"],
)  # fmt: skip
def test_a_docs_site_built_by_a_workflow_or_read_the_docs_is_no_item(
    tmp_path: Path, files: dict[str, str]
) -> None:
    ci = {".github/workflows/ci.yml": workflow("pytest")}
    assert inactive(tmp_path, {"pyproject.toml": PYPROJECT, **ci, **files}) == {}


def test_release_tooling_without_a_workflow_that_releases(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT + "[tool.semantic_release]\nversion_toml = []\n",
        ".github/workflows/ci.yml": workflow("pytest"),
    }
    item = inactive(tmp_path, files)["semantic-release"]
    assert item.rule == "release-without-workflow" and item.path == "pyproject.toml"
    assert "no workflow (.github/workflows/ci.yml) runs it" in item.description
    release = {".github/workflows/release.yml": workflow("npx semantic-release")}
    assert inactive(tmp_path / "released", {**files, **release}) == {}


def test_a_manual_upload_target_asks_for_a_release_workflow(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PYPROJECT,
        "Makefile": "release:\n\tpython -m build\n\ttwine upload dist/*\n",
        ".github/workflows/ci.yml": workflow("pytest"),
    }
    item = inactive(tmp_path, files)["twine"]
    assert item.rule == "release-without-workflow" and item.path == "Makefile"
    assert "`make release` runs it" in item.description


def test_without_ci_the_no_ci_item_names_what_ci_should_run(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": RUFF + "[tool.mypy]\nstrict = true\n",
        "mkdocs.yml": "site_name: demo\n",
        ".releaserc.json": "{}\n",
    }
    result = audit_files(tmp_path, {**PROJECT, **files})
    assert not [f for f in result.findings if f.rule in INACTIVE_RULES]
    (no_ci,) = [f for f in result.findings if f.rule == "no-ci"]
    assert no_ci.description.endswith(
        "CI should then run ruff, mypy and the tests, build the MkDocs docs, "
        "and release with semantic-release."
    )
    assert result.checks["linting_inactive"] and result.checks["type_checking_inactive"]


def test_ci_that_calls_what_cannot_be_read_reports_nothing(tmp_path: Path) -> None:
    reusable = "on: push\njobs:\n  checks:\n    uses: org/shared/.github/workflows/python.yml@v1\n"
    files = {"pyproject.toml": RUFF, ".github/workflows/ci.yml": reusable}
    assert inactive(tmp_path, files) == {}


def test_the_configured_not_run_shape_through_a_scan(tmp_path: Path) -> None:
    root = configured_not_run(tmp_path / "repo")
    result = scan(root, "full", workers=1)
    items = {f.symbol: f for f in result.findings if f.rule in INACTIVE_RULES}
    assert sorted(items) == ["MkDocs", "mypy", "semantic-release"]
    assert items["mypy"].title == "Run mypy in CI: it runs only as a local pre-commit hook"
    assert items["MkDocs"].description.endswith("Locally `make docs` runs it: CI should run that.")
    assert all(f.source == "config" for f in items.values())
    again = scan(root, "full", workers=1)
    assert {f.fingerprint for f in again.findings if f.rule in INACTIVE_RULES} == {
        f.fingerprint for f in items.values()
    }


def test_a_linter_left_over_beside_the_one_ci_runs_asks_to_run_or_drop_it(
    tmp_path: Path,
) -> None:
    files = {
        "pyproject.toml": RUFF,
        "tox.ini": "[flake8]\nmax-line-length = 100\n",
        ".github/workflows/ci.yml": workflow("ruff check .", "pytest"),
    }
    items = inactive(tmp_path, files)
    assert list(items) == ["flake8"]
    item = items["flake8"]
    assert item.title == "Run flake8 in CI or drop its configuration: CI runs ruff"
    assert item.path == "tox.ini" and item.estimated_hours < 1


def test_a_pre_commit_config_that_is_not_yaml_is_one_item_not_one_per_hook(
    tmp_path: Path,
) -> None:
    files = {
        "pyproject.toml": RUFF,
        # a Markdown fence around the YAML, as a generated file came
        ".pre-commit-config.yaml": "```yaml\n" + RUFF_HOOK + "```\n",
        ".github/workflows/ci.yml": workflow("pre-commit run --all-files", "pytest"),
    }
    result = audit_files(tmp_path, {**PROJECT, **files})
    (item,) = [f for f in result.findings if f.rule == "ci-config-unreadable"]
    assert item.path == ".pre-commit-config.yaml"
    assert item.title.endswith("so the CI step running pre-commit fails")
    assert "line 1" in item.description
    assert not [f for f in result.findings if f.rule in INACTIVE_RULES]


def test_make_alone_runs_the_default_goal_and_a_local_action_its_steps(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": RUFF + "[tool.mypy]\nstrict = true\n",
        "Makefile": ".DEFAULT_GOAL := check\nhelp:\n\t@echo ruff mypy\ncheck:\n\truff check .\n",
        ".github/actions/types/action.yml": "runs:\n  using: composite\n  steps:\n"
        "    - run: mypy src\n      shell: bash\n",
        ".github/workflows/ci.yml": workflow("make", "pytest", uses="./.github/actions/types"),
    }
    assert inactive(tmp_path, files) == {}


def test_a_make_target_named_with_control_characters_reaches_the_item_shown_not_interpreted(
    tmp_path: Path,
) -> None:
    files = {
        "pyproject.toml": RUFF,
        "Makefile": "lint\x1b]0;owned\x07:\n\truff check .\n",
        ".github/workflows/ci.yml": workflow("pytest"),
    }
    item = inactive(tmp_path, files)["ruff"]
    assert "\x1b" not in item.description and "\x07" not in item.description
    assert "make lint\\x1b]0;owned\\x07" in item.description


def test_go_tests_ci_never_runs_are_asked_for_by_go_test(tmp_path: Path) -> None:
    files = {
        "go.mod": "module example.com/demo\n",
        "demo.go": "package demo\n",
        "demo_test.go": "package demo\n",
        ".github/workflows/ci.yml": workflow("go build ./..."),
    }
    result = audit_files(tmp_path, files)
    (item,) = [f for f in result.findings if f.rule == "tests-not-run-in-ci"]
    assert item.path == "demo_test.go" and "`go test ./...`" in item.description
