"""Configuration audit: what a repository lacks, and the maturity its practices add up to."""

from __future__ import annotations

from pathlib import Path

from terragon_tui.discovery import config_audit

from .conftest import audit_files

WELL_EQUIPPED = {
    "README.md": "# demo\n",
    "LICENSE": "MIT\n",
    "SECURITY.md": "Report to security@example.com\n",
    "CONTRIBUTING.md": "How to help\n",
    # CI runs every tool the repository configures (see test_inactive_tooling.py)
    ".github/workflows/ci.yml": "on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - run: ruff check .\n      - run: mypy\n      - run: pytest\n",
    ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n",
    "pyproject.toml": '[project]\nname = "demo"\ndependencies = ["rich>=13"]\n'
    "[tool.mypy]\nstrict = true\n[tool.ruff]\nline-length = 100\n",
    "uv.lock": "version = 1\n",
    "demo/__init__.py": "",
    "tests/test_demo.py": "def test_x():\n    pass\n",
}


def test_a_bare_repository_is_nascent_and_lacks_everything(tmp_path: Path) -> None:
    result = audit_files(tmp_path, {"app.py": "print(1)\n"})
    rules = {f.rule for f in result.findings}
    assert rules == {
        "no-ci",
        "no-tests",
        "missing-license",
        "missing-security-policy",
        "missing-contributing",
        "no-type-checking",
        "no-linting",
        "no-pre-commit",
    }
    assert result.level == "nascent" and result.score < 25
    assert all(f.source == "config" for f in result.findings)
    license_finding = next(f for f in result.findings if f.rule == "missing-license")
    assert license_finding.category == "compliance" and license_finding.is_compliance


def test_a_well_equipped_repository_is_advanced_and_clean(tmp_path: Path) -> None:
    result = audit_files(tmp_path, WELL_EQUIPPED)
    assert result.findings == []
    assert result.score == 100
    assert result.level == "advanced"


def test_workflow_templates_that_are_not_active(tmp_path: Path) -> None:
    files = {k: v for k, v in WELL_EQUIPPED.items() if not k.startswith(".github/")}
    files["docs/workflows/ci.yml"] = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
    result = audit_files(tmp_path, files)
    assert [f.rule for f in result.findings] == ["workflow-templates-inactive"]
    finding = result.findings[0]
    assert finding.category == "infrastructure" and finding.path == "docs/workflows"
    assert result.level == "advanced" and result.score < 100


def test_declared_dependencies_without_a_lock(tmp_path: Path) -> None:
    files = {k: v for k, v in WELL_EQUIPPED.items() if k != "uv.lock"}
    assert [f.rule for f in audit_files(tmp_path, files).findings] == ["no-lock-file"]


def test_pinned_requirements_count_as_a_lock(tmp_path: Path) -> None:
    files = {k: v for k, v in WELL_EQUIPPED.items() if k != "uv.lock"}
    files["requirements.txt"] = "rich==13.7.1\n"
    assert audit_files(tmp_path, files).findings == []


def test_levels_follow_the_score() -> None:
    assert [config_audit.maturity_level(s) for s in (0, 24.9, 25, 49, 50, 74, 75, 100)] == [
        "nascent",
        "nascent",
        "developing",
        "developing",
        "maturing",
        "maturing",
        "advanced",
        "advanced",
    ]


def test_a_monorepos_projects_configure_their_own_tools_and_locks(tmp_path: Path) -> None:
    """backend/ and frontend/ keep their type checkers, linters and locks beside their own
    manifests; one in an example or a test folder is not the repository's."""
    monorepo = {
        name: text
        for name, text in WELL_EQUIPPED.items()
        if name not in ("pyproject.toml", "uv.lock", ".pre-commit-config.yaml")
    }
    monorepo[".pre-commit-config.yaml"] = "repos: []\n"
    monorepo["backend/pyproject.toml"] = (
        '[project]\nname = "api"\ndependencies = ["fastapi"]\n[tool.mypy]\nstrict = true\n'
    )
    monorepo["backend/uv.lock"] = "version = 1\n"
    monorepo["frontend/package.json"] = '{"name": "web"}\n'
    monorepo["frontend/biome.json"] = "{}\n"
    monorepo["frontend/package-lock.json"] = "{}\n"
    assert audit_files(tmp_path / "mono", monorepo).findings == []
    elsewhere = {
        name.replace("backend/", "examples/api/").replace("frontend/", "docs/web/"): text
        for name, text in monorepo.items()
    }
    rules = {f.rule for f in audit_files(tmp_path / "examples", elsewhere).findings}
    assert rules == {"no-type-checking", "no-linting"}  # and no manifest, so no lock to miss
    assert config_audit.project_folders(monorepo) == ["", "backend", "frontend"]
