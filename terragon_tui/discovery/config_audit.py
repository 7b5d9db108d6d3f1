"""Configuration audit: CI, tests, policies, lock files, linting; and the maturity score."""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypedDict

from ..core.nesting import toml_loads
from . import ci_templates, inactive_tooling
from .finding import Finding
from .path_roles import NOT_SCANNED, PathRoles
from .small_files import read_text

SOURCE = "config"
#: Rules that belong to a security scan as well as to a full one.
SECURITY_RULES = frozenset({"missing-security-policy"})
#: Points each practice adds to the maturity score (they sum to 100).
POINTS = {
    "ci": 20,
    "tests": 20,
    "license": 10,
    "lock_file": 10,
    "type_checking": 10,
    "linting": 10,
    "readme": 5,
    "security_policy": 5,
    "contributing": 5,
    "pre_commit": 5,
}
LEVELS = ((25, "nascent"), (50, "developing"), (75, "maturing"))

_CI_FILES = re.compile(
    r"^(\.github/workflows/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|\.circleci/config\.ya?ml|Jenkinsfile"
    r"|azure-pipelines\.ya?ml|\.travis\.ya?ml|bitbucket-pipelines\.ya?ml|\.drone\.ya?ml"
    r"|\.woodpecker\.ya?ml|\.woodpecker/[^/]+\.ya?ml|\.buildkite/[^/]+\.ya?ml)$"
)
_TESTS = re.compile(
    r"(^|/)(tests?|testing|__tests__|spec)/|(^|/)test_[^/]*\.py$|_test\.(py|go)$"
    r"|\.(test|spec)\.[jt]sx?$|(^|/)conftest\.py$"
)
_LOCKS = frozenset(
    "poetry.lock uv.lock Pipfile.lock pdm.lock package-lock.json yarn.lock pnpm-lock.yaml "  # noqa: SIM905
    "bun.lockb Cargo.lock go.sum Gemfile.lock composer.lock requirements.lock ".split()
)
_MANIFESTS = frozenset(
    "pyproject.toml setup.py setup.cfg Pipfile package.json Cargo.toml go.mod Gemfile "  # noqa: SIM905
    "composer.json ".split()
)
_LINT_FILES = re.compile(
    r"^(ruff\.toml|\.ruff\.toml|\.flake8|\.pylintrc|pylintrc|\.eslintrc(\.[a-z]+)?"
    r"|eslint\.config\.[cm]?[jt]s|biome\.jsonc?|\.golangci\.ya?ml|\.rubocop\.yml)$"
)
_TYPE_FILES = re.compile(r"^(mypy\.ini|\.mypy\.ini|pyrightconfig\.json|tsconfig\.json)$")
_REQUIREMENTS = re.compile(r"^requirements[^/]*\.txt$|^requirements/[^/]+\.txt$")
#: The path roles of examples, tests, docs and others' code: a manifest there is no project
#: of the repository's own.
_NOT_A_PROJECT = NOT_SCANNED | {"test", "example", "docs"}


@dataclass(slots=True)
class AuditResult:
    """The audit's findings, which practices are present, and the maturity they add up to."""

    findings: list[Finding] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)
    score: float = 0.0
    level: str = "nascent"


def maturity_level(score: float) -> str:
    """nascent (< 25), developing (< 50), maturing (< 75) or advanced."""
    for limit, name in LEVELS:
        if score < limit:
            return name
    return "advanced"


def _pyproject(root: Path, path: str = "pyproject.toml") -> dict[str, Any]:
    try:
        return toml_loads(read_text(root, path))
    except tomllib.TOMLDecodeError:
        return {}


def project_folders(files: Iterable[str], roles: PathRoles | None = None) -> list[str]:
    """The repository's own projects: its top ("") and each folder one or two levels down that
    holds a manifest (`backend`, `packages/api`), but those whose manifest `roles` (default:
    the default path roles) place among examples, tests, docs or others' code."""
    roles = roles or PathRoles()
    folders = {""}
    for path in files:
        pure = PurePosixPath(path)
        own = pure.name in _MANIFESTS and len(pure.parts) in (2, 3)
        if own and roles.role(path) not in _NOT_A_PROJECT:
            folders.add(str(pure.parent))
    return sorted(folders)


def _in_folder(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _ini_sections(root: Path, name: str) -> set[str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(read_text(root, name))
    except configparser.Error:
        return set()
    return set(parser.sections())


def _pinned(text: str) -> bool:
    lines = [ln.split("#")[0].strip() for ln in text.splitlines()]
    reqs = [ln for ln in lines if ln and not ln.startswith("-")]
    return bool(reqs) and all("==" in ln or "@" in ln for ln in reqs)


def _at_top(paths: set[str], *names: str) -> bool:
    wanted = {n.lower() for n in names}
    for path in paths:
        if path.count("/") > 1:  # not at the top, nor in .github/ or docs/
            continue
        pure = PurePosixPath(path)
        parent = str(pure.parent)
        if (
            parent in (".", ".github", "docs")
            and pure.stem.lower() in wanted
            and pure.suffix.lower() in ("", ".md", ".rst", ".txt", ".adoc")
        ):
            return True
    return False


def has_ci(paths: Iterable[str]) -> bool:
    """Whether some CI service's configuration is among `paths`."""
    return any(_CI_FILES.match(p) for p in paths)


def inspect(
    root: Path,
    paths: Iterable[str],
    templates: Sequence[ci_templates.Template] = (),
    roles: PathRoles | None = None,
) -> dict[str, bool]:
    """Which practices the repository shows: ci, templates, tests, license, lock file...

    `templates` are the CI workflow templates `ci_templates.find` found (none looked for
    when the repository has CI).
    """
    files = set(paths)
    names = {p for p in files if "/" not in p}
    # a monorepo's backend/ and frontend/ configure their own tools and locks
    projects = project_folders(files, roles)
    own = {PurePosixPath(p).name for p in files if str(PurePosixPath(p).parent) in projects} | names
    tool: dict[str, Any] = {}
    setup_cfg: set[str] = set()
    for folder in projects:
        if _in_folder(folder, "pyproject.toml") in files:
            found = _pyproject(root, _in_folder(folder, "pyproject.toml")).get("tool", {})
            tool.update(found if isinstance(found, dict) else {})
        if _in_folder(folder, "setup.cfg") in files:
            setup_cfg |= _ini_sections(root, _in_folder(folder, "setup.cfg"))
    tox = _ini_sections(root, "tox.ini") if "tox.ini" in names else set()
    pre_commit = names & {".pre-commit-config.yaml", ".pre-commit-config.yml"}
    hooks = "".join(read_text(root, name) for name in pre_commit)
    requirements = [p for p in files if _REQUIREMENTS.match(p)]
    manifests = (own & _MANIFESTS) or set(requirements)
    has_python = any(p.endswith(".py") for p in files)
    ci = has_ci(files)
    return {
        "ci": ci,
        "templates": not ci and bool(templates),
        "tests": any(_TESTS.search(p) for p in files),
        "license": any(re.match(r"(licen[cs]e|copying)", n, re.I) for n in names),
        "readme": any(n.lower().startswith("readme") for n in names),
        "security_policy": _at_top(files, "security"),
        "contributing": _at_top(files, "contributing"),
        "manifest": bool(manifests),
        "lock_file": bool(own & _LOCKS) or any(_pinned(read_text(root, p)) for p in requirements),
        "type_checking": bool(
            any(_TYPE_FILES.match(n) for n in own)
            or {"mypy", "pyright", "pytype"} & set(tool)
            or any(s == "mypy" or s.startswith("mypy-") for s in setup_cfg)
            or re.search(r"mirrors-mypy|pyright", hooks)
        ),
        "linting": bool(
            any(_LINT_FILES.match(n) for n in own)
            or {"ruff", "pylint", "flake8"} & set(tool)
            or "flake8" in setup_cfg | tox
            or re.search(r"ruff|flake8|pylint|eslint", hooks)
        ),
        "pre_commit": bool(pre_commit),
        "python": has_python,
        "code": has_python or any(re.search(r"\.[jt]sx?$", p) for p in files),
    }


def maturity_score(checks: dict[str, bool]) -> float:
    """0-100 from the practices present; a repository with nothing to lock keeps those points.

    A linter or type checker configured but run by no CI (`linting_inactive`,
    `type_checking_inactive`) earns half its points: the choice is made, not enforced.
    """
    points = 0.0
    for name, weight in POINTS.items():
        present = checks.get(name, False)
        if name == "ci" and not present and checks.get("templates"):
            points += weight / 4  # templates are a start, not CI
        elif present and checks.get(f"{name}_inactive"):
            points += weight / 2
        elif (
            present
            or (name == "lock_file" and not checks.get("manifest"))
            or (name in ("type_checking", "linting") and not checks.get("code"))
        ):
            points += weight
    return points


class _Scores(TypedDict):
    """The scoring inputs of an audit rule's finding."""

    estimated_hours: float
    impact: float
    confidence: float
    ease: float
    risk: float
    business_value: float
    time_criticality: float
    risk_reduction: float


def _scores(hours: float, impact: float, ease: float, risk: float, wsjf: str) -> _Scores:
    value, criticality, reduction = (float(n) for n in wsjf.split())
    return {
        "estimated_hours": hours,
        "impact": impact,
        "confidence": 8.0,
        "ease": ease,
        "risk": risk,
        "business_value": value,
        "time_criticality": criticality,
        "risk_reduction": reduction,
    }


#: rule -> title, description, category, scoring inputs (hours, impact, ease, risk, "BV TC RR").
#: The workflow-templates rule names its files, so ci_templates builds its finding.
RULES: dict[str, tuple[str, str, str, _Scores]] = {
    "no-ci": (
        "Set up continuous integration",
        "No CI configuration was found (GitHub Actions, GitLab CI, CircleCI, Jenkins...): "
        "tests and checks run only when someone remembers to.",
        "infrastructure",
        _scores(4.0, 8.0, 6.0, 0.3, "8 5 8"),
    ),
    "no-tests": (
        "Add an automated test suite",
        "No tests were found (tests/, test_*.py, *_test.go, *.spec.ts...).",
        "testing",
        _scores(8.0, 8.0, 5.0, 0.2, "8 3 13"),
    ),
    "missing-license": (
        "Add a LICENSE file",
        "Without a license nobody may legally use, change or share the code.",
        "compliance",
        _scores(0.5, 6.0, 9.0, 0.1, "5 3 5"),
    ),
    "missing-security-policy": (
        "Add a SECURITY.md with a way to report vulnerabilities",
        "No SECURITY.md (root, .github/ or docs/): whoever finds a vulnerability has no "
        "private way to tell you.",
        "security",
        _scores(1.0, 4.0, 9.0, 0.1, "3 2 5"),
    ),
    "missing-contributing": (
        "Add CONTRIBUTING guidelines",
        "No CONTRIBUTING file: how to set up, test and propose a change is unwritten.",
        "documentation",
        _scores(1.0, 3.0, 9.0, 0.1, "2 1 2"),
    ),
    "no-lock-file": (
        "Lock dependency versions",
        "Dependencies are declared but no lock file (uv.lock, poetry.lock, pinned "
        "requirements, package-lock.json...) fixes what gets installed.",
        "dependencies",
        _scores(1.0, 5.0, 8.0, 0.3, "3 2 5"),
    ),
    "no-type-checking": (
        "Configure a type checker",
        "No mypy / pyright (or tsconfig) configuration: type errors reach run time.",
        "infrastructure",
        _scores(4.0, 5.0, 6.0, 0.2, "3 1 5"),
    ),
    "no-linting": (
        "Configure a linter",
        "No ruff / flake8 / pylint / eslint configuration was found.",
        "infrastructure",
        _scores(2.0, 5.0, 7.0, 0.2, "3 1 3"),
    ),
    "no-pre-commit": (
        "Add pre-commit hooks",
        "No .pre-commit-config.yaml: formatting and lint problems reach review.",
        "infrastructure",
        _scores(1.0, 3.0, 8.0, 0.1, "2 1 2"),
    ),
}


def failed_rules(checks: dict[str, bool]) -> list[str]:
    """The audit rules the repository breaks, given what `inspect` found."""
    rules = []
    if checks["templates"] and not checks["ci"]:
        rules.append(ci_templates.RULE)
    elif not checks["ci"]:
        rules.append("no-ci")
    if checks["code"] and not checks["tests"]:
        rules.append("no-tests")
    if not checks["license"]:
        rules.append("missing-license")
    if not checks["security_policy"]:
        rules.append("missing-security-policy")
    if not checks["contributing"]:
        rules.append("missing-contributing")
    if checks["manifest"] and not checks["lock_file"]:
        rules.append("no-lock-file")
    if checks["code"] and not checks["type_checking"]:
        rules.append("no-type-checking")
    if checks["code"] and not checks["linting"]:
        rules.append("no-linting")
    if not checks["pre_commit"]:
        rules.append("no-pre-commit")
    return rules


def rule_finding(rule: str) -> Finding:
    """The finding for one broken audit rule."""
    title, description, category, scores = RULES[rule]
    return Finding(
        source=SOURCE,
        rule=rule,
        title=title,
        description=description,
        category=category,
        is_compliance=category == "compliance",
        **scores,
    )


def first_tests(paths: Iterable[str]) -> str | None:
    """Where the tests are: tests/ or test/ if there, else the first test folder
    ("hc/api/tests/", "spec/"), else the first test file."""
    folders, files = set(), []
    for path in paths:
        match = _TESTS.search(path)
        if match is not None and match.group(0).endswith("/"):
            folders.add(path[: match.end()])
        elif match is not None:
            files.append(path)
    for preferred in ("tests/", "test/"):
        if preferred in folders:
            return preferred
    named = sorted(f for f in folders if f.rstrip("/").rpartition("/")[2] in ("tests", "test"))
    if named or folders:
        return min(named or folders, key=lambda f: (f.count("/"), f))
    return min(files) if files else None


def ci_files_of(paths: Iterable[str]) -> list[str]:
    """The CI configuration files among `paths` (workflows, .gitlab-ci.yml, Jenkinsfile...)."""
    return [p for p in paths if _CI_FILES.match(p)]


def tool_table(root: Path) -> dict[str, Any]:
    """`[tool]` of the repository's pyproject.toml ({} when it has none or it does not parse)."""
    tool = _pyproject(root).get("tool", {})
    return tool if isinstance(tool, dict) else {}


def audit(root: Path, paths: Iterable[str], roles: PathRoles | None = None) -> AuditResult:
    """Audit the repository at `root` whose files are `paths` (POSIX, relative to root), with
    its path `roles` (default: the default ones)."""
    files = list(paths)
    ci_files = ci_files_of(files)
    templates = [] if ci_files else ci_templates.find(root, files)
    checks = inspect(root, files, templates, roles)
    tool = tool_table(root) if "pyproject.toml" in files else {}
    tests = first_tests(files) if checks["tests"] else None
    tooling = inactive_tooling.audit(root, files, ci_files, tool, tests)
    checks["linting_inactive"] = tooling.inactive(inactive_tooling.LINT)
    checks["type_checking_inactive"] = tooling.inactive(inactive_tooling.TYPES)
    score = maturity_score(checks)
    found = []
    for rule in failed_rules(checks):
        if rule == ci_templates.RULE:
            finding = ci_templates.finding(templates)
        else:
            finding = rule_finding(rule)
        if rule in ("no-ci", ci_templates.RULE):
            finding.description += tooling.for_no_ci()
        found.append(finding)
    found += tooling.findings
    return AuditResult(found, checks, score, maturity_level(score))
