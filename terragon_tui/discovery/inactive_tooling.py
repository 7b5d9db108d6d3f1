"""Configured but inactive tooling: linters, type checkers, tests, docs and releases CI never runs.

A tool counts as run when its name appears in what CI runs (`ci_runs`: the CI steps and what
they call, one tox/nox/make/npm/script level at a time), or in a pre-commit hook that CI or
pre-commit.ci runs. A hook nothing in CI runs is "run locally only": whoever has not installed
pre-commit merges unchecked code, so that is an item too, saying so. A Read the Docs
configuration builds the docs. When CI calls something that cannot be read here (another
repository's reusable workflow, a GitLab include, a CircleCI orb), nothing is reported: it may
run anything. Without CI there is nothing to run a tool, and the no-CI item says what CI should
run instead of one item per tool.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.nesting import json_loads
from ..core.text import printable
from . import ci_runs, task_runners
from .finding import Finding

_RTD = frozenset({".readthedocs.yaml", ".readthedocs.yml", "readthedocs.yml", "readthedocs.yaml"})
_SPHINX = ("docs/conf.py", "doc/conf.py", "docs/source/conf.py", "doc/source/conf.py")
_TESTS_RUN = re.compile(
    r"\bpytest\b|py\.test|unittest|\bnose2?\b|\bjest\b|vitest|mocha|karma|jasmine|\bava\b"
    r"|playwright\s+test|cypress\s+run|rspec|phpunit|ctest|runtests|run_?tests?\b|test\.sh"
    r"|(?<![\w\[.$-])test(?=$|[\s:;&|'\")]|-\w+(?:$|\s))",
    re.IGNORECASE | re.MULTILINE,
)
#: Any release at all: what a manual upload target is measured against.
_RELEASES = re.compile(
    r"twine\s+upload|pypi-publish|\bpublish\b|semantic[-_]release|goreleaser|release-please"
    r"|gh\s+release|action-gh-release|changeset|upload-release-asset",
    re.IGNORECASE,
)
_UPLOADS = re.compile(r"\b(twine|flit|poetry|uv|hatch|pdm|npm)\s+(?:upload|publish)\b")


@dataclass(frozen=True, slots=True)
class Tool:
    """A tool a repository configures, how to tell that CI runs it, and what CI should run."""

    name: str
    rule: str
    runs: re.Pattern[str]
    command: str
    files: tuple[str, ...] = ()  # top-level files that configure it
    tables: tuple[str, ...] = ()  # pyproject.toml [tool.X]
    sections: tuple[tuple[str, str], ...] = ()  # (file, section) of an INI file
    hooked: bool = False  # a pre-commit hook of this name configures it too
    package_key: str | None = None  # a package.json key that configures it
    #: Tools of one rule and family do one job: when CI runs one, the others are left over.
    family: str = ""


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


LINT, TYPES, TESTS, DOCS, RELEASE = (
    "inactive-linter",
    "inactive-type-checker",
    "tests-not-run-in-ci",
    "docs-never-built",
    "release-without-workflow",
)
TOOLS = (
    Tool("ruff", LINT, _p(r"\bruff\b"), "ruff check .", ("ruff.toml", ".ruff.toml"),
         ("ruff",), hooked=True, family="python"),
    Tool("flake8", LINT, _p(r"\bflake8\b"), "flake8", (".flake8",), (),
         (("setup.cfg", "flake8"), ("tox.ini", "flake8")), hooked=True, family="python"),
    Tool("pylint", LINT, _p(r"\bpylint\b"), "pylint", (".pylintrc", "pylintrc"), ("pylint",),
         hooked=True, family="python"),
    Tool("eslint", LINT, _p(r"eslint|\bnext\s+lint|\bng\s+lint"), "npx eslint .",
         (".eslintrc", ".eslintrc.js", ".eslintrc.cjs", ".eslintrc.json", ".eslintrc.yml",
          ".eslintrc.yaml", "eslint.config.js", "eslint.config.mjs", "eslint.config.cjs",
          "eslint.config.ts"), hooked=True, package_key="eslintConfig", family="js"),
    Tool("biome", LINT, _p(r"\bbiome\b"), "npx biome ci .", ("biome.json", "biome.jsonc"),
         family="js"),
    Tool("golangci-lint", LINT, _p(r"golangci"), "golangci-lint run",
         (".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json")),
    Tool("rubocop", LINT, _p(r"rubocop"), "rubocop", (".rubocop.yml",)),
    Tool("mypy", TYPES, _p(r"\bmypy\b"), "mypy", ("mypy.ini", ".mypy.ini"), ("mypy",),
         (("setup.cfg", "mypy"),), hooked=True, family="python"),
    Tool("pyright", TYPES, _p(r"\b(?:based)?pyright\b"), "pyright", ("pyrightconfig.json",),
         ("pyright", "basedpyright"), hooked=True, family="python"),
    Tool("pytype", TYPES, _p(r"\bpytype\b"), "pytype", (), ("pytype",), family="python"),
    Tool("tsc", TYPES,
         _p(r"\btsc\b|vue-tsc|svelte-check|type-?check|check-types|\bnext\s+build|\bng\s+build"
            r"|astro\s+check|nuxi\s+typecheck|fork-ts-checker"),
         "npx tsc --noEmit", ("tsconfig.json",)),
    Tool("MkDocs", DOCS, _p(r"mkdocs|\bmike\b|zensical"), "mkdocs build --strict",
         ("mkdocs.yml", "mkdocs.yaml")),
    Tool("Sphinx", DOCS, _p(r"sphinx|\bmake\b[^\n]*\bhtml\b|jupyter-book"),
         "sphinx-build -W docs docs/_build", _SPHINX),
    Tool("semantic-release", RELEASE, _p(r"semantic[-_]release"), "npx semantic-release",
         (".releaserc", ".releaserc.json", ".releaserc.yaml", ".releaserc.yml", ".releaserc.js",
          ".releaserc.cjs", ".releaserc.mjs", "release.config.js", "release.config.cjs",
          "release.config.mjs"), ("semantic_release",), (("setup.cfg", "semantic_release"),),
         package_key="release"),
    Tool("release-please", RELEASE, _p(r"release-please"),
         "googleapis/release-please-action",
         ("release-please-config.json", ".release-please-manifest.json")),
    Tool("GoReleaser", RELEASE, _p(r"goreleaser"), "goreleaser release",
         (".goreleaser.yml", ".goreleaser.yaml")),
    Tool("changesets", RELEASE, _p(r"changeset"), "changesets/action",
         (".changeset/config.json",)),
)  # fmt: skip


@dataclass(slots=True)
class Configured:
    """A tool the repository configures, where, and whether and how it is run."""

    tool: Tool
    where: str  # "pyproject.toml [tool.ruff]", "mypy.ini", ".pre-commit-config.yaml"
    path: str
    active: bool = False
    local: list[str] = field(default_factory=list)  # "a pre-commit hook", "make lint"...
    instead: list[str] = field(default_factory=list)  # what CI runs for the same job


@dataclass(slots=True)
class Tooling:
    """Every configured tool with its state, and the items for those CI does not run."""

    configured: list[Configured] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    ci_files: list[str] = field(default_factory=list)
    #: CI calls what cannot be read here, so whether it runs a tool is unknown.
    opaque: bool = False

    def inactive(self, rule: str) -> bool:
        """Whether the repository configures tools of `rule` and CI is seen to run none."""
        tools = [c for c in self.configured if c.tool.rule == rule]
        return bool(tools) and not self.opaque and not any(c.active for c in tools)

    def for_no_ci(self) -> str:
        """What CI should run, for the no-CI item: "CI should then run ruff, mypy and pytest"."""
        wanted = [c for c in self.configured if not c.active]
        if not wanted:
            return ""
        runs = [c.tool.name for c in wanted if c.tool.rule in (LINT, TYPES, TESTS)]
        docs = [c.tool.name for c in wanted if c.tool.rule == DOCS]
        releases = [c.tool.name for c in wanted if c.tool.rule == RELEASE]
        parts = [f"run {_and(runs)}"] if runs else []
        parts += [f"build the {_and(docs)} docs"] if docs else []
        parts += [f"release with {_and(releases)}"] if releases else []
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
        return f" The repository configures more than runs: CI should then {joined}."


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _sections(root: Path, name: str) -> set[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(task_runners.read_text(root, name))
    except configparser.Error:
        return set()
    return set(parser.sections())


def _package(root: Path, names: set[str]) -> dict[str, Any]:
    if "package.json" not in names:
        return {}
    try:
        data = json_loads(task_runners.read_text(root, "package.json") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _where(
    tool: Tool, files: set[str], table: Mapping[str, Any], sections: dict[str, set[str]],
    package: Mapping[str, Any], hooks: str, hooks_file: str | None,
) -> tuple[str, str] | None:  # fmt: skip
    """(where, path) a tool is configured, or None."""
    for name in tool.files:
        if name in files:
            return name, name
    for name in tool.tables:
        if name in table:
            return f"pyproject.toml [tool.{name}]", "pyproject.toml"
    for name, section in tool.sections:
        if any(s == section or s.startswith(f"{section}-") for s in sections.get(name, ())):
            return f"{name} [{section}]", name
    if tool.package_key and tool.package_key in package:
        return f'package.json "{tool.package_key}"', "package.json"
    if tool.hooked and hooks_file and tool.runs.search(hooks):
        return f"{hooks_file} (a hook)", hooks_file
    return None


#: The suffix of a test file -> the command that runs such tests.
_TEST_COMMANDS = {
    ".py": "pytest", ".go": "go test ./...", ".js": "npm test", ".jsx": "npm test",
    ".ts": "npm test", ".tsx": "npm test", ".mjs": "npm test", ".rb": "bundle exec rspec",
    ".rs": "cargo test", ".php": "vendor/bin/phpunit",
}  # fmt: skip


def _tests(tests_found: str, files: Iterable[str]) -> Tool:
    """The tests as a tool, with the command their language runs them by ("" if unknown)."""
    if tests_found.endswith("/"):
        suffixes = [Path(p).suffix for p in files if p.startswith(tests_found)]
    else:
        suffixes = [Path(tests_found).suffix]
    command = next((_TEST_COMMANDS[s] for s in suffixes if s in _TEST_COMMANDS), "")
    return Tool("the tests", TESTS, _TESTS_RUN, command)


def _uploads(runs: ci_runs.CiRuns) -> list[Configured]:
    """A local release command (`make release` running `twine upload`) no workflow replaces."""
    if _RELEASES.search(runs.text):
        return []
    found = []
    for command, text in runs.local.items():
        match = _UPLOADS.search(text)
        if match and re.search(r"release|publish|upload|deploy|dist", command):
            name = match.group(1)
            tool = Tool(name, RELEASE, _RELEASES, f"{name} {match.group(0).split()[-1]}")
            where = command.partition(" ")[0]
            path = {"make": "Makefile", "tox": "tox.ini", "npm": "package.json"}.get(where, where)
            found.append(Configured(tool, f"{path} ({command})", path, local=[command]))
            break
    return found


def audit(
    root: Path,
    paths: Iterable[str],
    ci_files: Iterable[str],
    tool_table: Mapping[str, Any],
    tests_found: str | None,
) -> Tooling:
    """Which tools the repository configures and which of them CI runs, with the items for
    those it does not (none when there is no CI: the no-CI item names them)."""
    files = list(paths)
    names = {p for p in files if "/" not in p} | {p for p in files if p in _SPHINX}
    names |= {p for p in files if p == ".changeset/config.json"}
    runs = ci_runs.read(root, files, ci_files, tool_table)
    sections: dict[str, set[str]] = {
        n: _sections(root, n) for n in ("setup.cfg", "tox.ini") if n in names
    }
    package = _package(root, names)
    result = Tooling(ci_files=runs.ci_files, opaque=bool(runs.opaque))
    for tool in TOOLS:
        place = _where(tool, names, tool_table, sections, package, runs.hooks, runs.pre_commit_file)
        if place is not None:
            result.configured.append(Configured(tool, *place))
    if tests_found is not None:
        tests = _tests(tests_found, files)
        result.configured.append(Configured(tests, tests_found, tests_found.rstrip("/")))
    built_elsewhere = bool(names & _RTD)
    for entry in result.configured:
        entry.active = runs.runs(entry.tool.runs) or (entry.tool.rule == DOCS and built_elsewhere)
        entry.local = runs.runs_locally(entry.tool.runs)
    if runs.ci_files and not any(c.tool.rule == RELEASE for c in result.configured):
        result.configured += _uploads(runs)
    broken = [broken_finding(p, error, runs.pre_commit) for p, error in sorted(runs.broken.items())]
    if not runs.ci_files or runs.opaque:
        result.findings = broken
        return result
    for entry in result.configured:
        if not entry.active and entry.tool.family:
            entry.instead = [
                c.tool.name for c in result.configured
                if c.active and (c.tool.rule, c.tool.family) == (entry.tool.rule, entry.tool.family)
            ]  # fmt: skip
    result.findings = broken + [_finding(c, runs) for c in result.configured if not c.active]
    return result


#: rule -> category, hours, impact, ease, risk, "BV TC RR" (WSJF on the 1-20 scale).
_SCORES = {
    # The configuration says what the project wants checked; nothing checks it, so violations
    # pile up for whoever turns it on. An hour or two: a CI step, then fixing what it finds.
    LINT: ("infrastructure", 2.0, 5.0, 7.0, 0.2, "3 2 3"),
    TYPES: ("infrastructure", 2.0, 5.0, 6.0, 0.2, "3 2 5"),
    # A suite nobody runs on each change catches nothing at merge time.
    TESTS: ("testing", 1.0, 7.0, 8.0, 0.2, "8 3 8"),
    DOCS: ("documentation", 1.0, 3.0, 8.0, 0.1, "2 1 1"),
    # A release workflow publishes with the repository's secrets: reviewed, not unattended.
    RELEASE: ("infrastructure", 2.0, 4.0, 6.0, 0.4, "3 1 2"),
}


#: What each rule's tool not running costs, said after "no CI step (...) runs it".
_CONSEQUENCE = {
    LINT: "its rules are enforced on nothing, and violations pile up for whoever turns it on.",
    TYPES: "type errors reach run time, and pile up for whoever turns it on.",
    TESTS: "a change that breaks them is merged without anyone knowing.",
    DOCS: "a broken page or reference is found by a reader, not at review, and no Read the "
    "Docs configuration builds it either.",
    RELEASE: "releases are made by hand, when someone remembers, from whatever their checkout "
    "holds.",
}


def _words(entry: Configured, ci: str) -> tuple[str, str]:
    """The title and description of the item for a tool CI does not run."""
    tool = entry.tool
    if entry.instead:
        return (
            f"Run {tool.name} in CI or drop its configuration: CI runs {entry.instead[0]}",
            f"{tool.name} is configured in {entry.where}, but no CI step ({ci}) runs it; CI "
            f"runs {_and(entry.instead)} for the same job. Either the configuration is left "
            f"over from before {entry.instead[0]} (remove it, so nobody tunes rules nothing "
            "applies) or both are meant to run (add a step).",
        )
    if entry.local[:1] == ["a pre-commit hook"]:
        return (
            f"Run {tool.name} in CI: it runs only as a local pre-commit hook",
            f"{tool.name} is configured in {entry.where} but runs only as a local pre-commit "
            f"hook: no CI step ({ci}) runs pre-commit and pre-commit.ci is not set up, so "
            "whoever has not installed the hooks merges unchecked code. Run "
            "`pre-commit run --all-files` in CI (or enable pre-commit.ci).",
        )
    title = {
        LINT: f"Run {tool.name} in CI: it is configured but nothing runs it",
        TYPES: f"Run {tool.name} in CI: it is configured but nothing runs it",
        TESTS: f"Run the tests in CI: no CI step runs {entry.where}",
        DOCS: f"Build the {tool.name} docs in CI: {entry.where} is never built",
        RELEASE: f"Release with {tool.name} from a workflow: no workflow runs it",
    }[tool.rule]
    if tool.rule == TESTS:
        said = f"The tests in {entry.where} run in no CI step ({ci}): "
    else:
        step = "workflow" if tool.rule == RELEASE else "CI step"
        verb = "builds" if tool.rule == DOCS else "runs"
        said = f"{tool.name} is configured in {entry.where}, but no {step} ({ci}) {verb} it: "
    said += _CONSEQUENCE[tool.rule]
    local = entry.local[:2]
    if len(local) == 1:
        said += f" Locally `{local[0]}` runs it: CI should run that."
    elif local:
        said += f" Locally `{local[0]}` and `{local[1]}` run it: CI should run one."
    else:
        step = "A release workflow" if tool.rule == RELEASE else "A CI step"
        said += f" {step} running `{tool.command}` would." if tool.command else " A CI step should."
    return title, said


def _finding(entry: Configured, runs: ci_runs.CiRuns) -> Finding:
    tool = entry.tool
    category, hours, impact, ease, risk, wsjf = _SCORES[tool.rule]
    value, criticality, reduction = (float(n) for n in wsjf.split())
    shown = runs.ci_files[:3] + ([f"+{len(runs.ci_files) - 3}"] if len(runs.ci_files) > 3 else [])
    title, said = _words(entry, ", ".join(shown))
    if entry.instead:
        hours, impact = 0.5, 2.0  # a decision and a deleted section, or one more step
    elif entry.local[:1] == ["a pre-commit hook"]:
        impact -= 1.0  # contributors who installed the hooks are checked
    return Finding(
        source="config",
        rule=tool.rule,
        # paths and make targets are the repository's text: no control characters
        title=printable(title, single_line=True),
        description=printable(said, single_line=True),
        category=category,
        path=entry.path,
        symbol=tool.name,
        estimated_hours=hours,
        impact=impact,
        confidence=8.0,
        ease=ease,
        risk=risk,
        business_value=value,
        time_criticality=criticality,
        risk_reduction=reduction,
        data={
            "tool": tool.name,
            "configured_in": printable(entry.where, single_line=True),
            "local": [printable(c, single_line=True) for c in entry.local],
        },
    )


def broken_finding(path: str, error: str, pre_commit: str = "") -> Finding:
    """The item for a CI or pre-commit file that is not YAML: it runs nothing, or it fails.
    `pre_commit` is how the hooks are run (`CiRuns.pre_commit`)."""
    if not path.startswith(".pre-commit-config"):
        what = "no job of it runs"
        then = "the CI service rejects the file, and the checks it holds run on no push"
    elif pre_commit == "ci":
        what = "the CI step running pre-commit fails"
        then = "the CI step that runs pre-commit fails on every push, whatever the change"
    else:
        what = "pre-commit cannot run any hook"
        then = "pre-commit refuses to run, so none of the checks it lists runs anywhere"
    return Finding(
        source="config",
        rule="ci-config-unreadable",
        title=f"Fix {path}: it is not valid YAML, so {what}",
        description=(
            f"{path} does not parse as YAML ({error}): {then}. Minutes to fix once seen: "
            "check it with a YAML parser."
        ),
        category="infrastructure",
        path=path,
        # Minutes to fix once seen; every push meanwhile goes unchecked or red.
        estimated_hours=0.5,
        impact=7.0,
        confidence=9.0,
        ease=9.0,
        risk=0.1,
        business_value=8.0,
        time_criticality=8.0,
        risk_reduction=8.0,
        data={"error": error},
    )
