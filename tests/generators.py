"""Generated repositories shaped like the real ones the product meets, for tests and CI smoke runs.

Standard library and git only, so `.ci/run` can call it from a venv that has nothing but the
project installed: `python tests/generators.py project|templates-only|polyglot DIR [--files N]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

AUTHOR = ("Ann Example", "ann@example.com")

PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "0.3.0"
requires-python = ">=3.10"
dependencies = [
    "requests>=2.31",
    "click",
    "pyyaml==6.0.1",
    "rich>=13; python_version >= '3.10'",
]

[project.optional-dependencies]
test = ["pytest>=8"]
"""

REQUIREMENTS = """\
# runtime pins for the deployment image
requests==2.31.0
click
pyyaml==6.0.1
rich>=13 ; python_version >= "3.10"
-e .
"""

MODULE = '''\
"""Module {n} of the generated package."""

import subprocess


def handle_{n}(kind, value):
    # TODO: split this dispatcher into one function per kind
    if kind == "a":
        return value + 1
    elif kind == "b":
        return value - 1
    elif kind == "c":
        return value * 2
    elif kind == "d":
        return value // 2
    elif kind == "e":
        return -value
    elif kind == "f":
        return value ** 2
    elif kind == "g":
        return abs(value)
    elif kind == "h":
        return value % 7
    elif kind == "i":
        return value << 1
    elif kind == "j":
        return value >> 1
    elif kind == "k":
        return value & 3
    return value


def run_{n}(command):
    return subprocess.call(command, shell=True)
'''


def git(path: Path, *args: str, author: tuple[str, str] = AUTHOR, date: int | None = None) -> str:
    """Run git in `path` as `author`, at Unix time `date`, with the user's config out of the way."""
    name, email = author
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date} -0400"
    done = subprocess.run(
        ["git", *args], cwd=path, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def write(root: Path, files: dict[str, str]) -> None:
    """Write text files under `root`, creating directories."""
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def project(root: Path, files: int = 120, name: str = "sampleapp") -> Path:
    """A committed Python project: `[project].dependencies`, a requirements.txt, `files` modules.

    Every module has a TODO, a function over the complexity threshold and a bandit finding,
    so a scan of it has work for every per-file source.
    """
    root.mkdir(parents=True, exist_ok=True)
    content = {
        "pyproject.toml": PYPROJECT.format(name=name),
        "requirements.txt": REQUIREMENTS,
        f"src/{name}/__init__.py": '"""The generated package."""\n',
    }
    for n in range(files):
        content[f"src/{name}/module_{n:03}.py"] = MODULE.format(n=n)
    write(root, content)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "generated project")
    return root


#: GitHub Actions workflows as a project keeps them for someone to copy into place.
WORKFLOW = """\
name: {title}

on:
{triggers}

permissions:
  contents: read

jobs:
  {job}:
    name: {title}
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install -e ".[dev]"
      - run: {command}
"""
TRIGGERS = {
    "checks": "  push:\n    branches: [main]\n  pull_request:\n    branches: [main]",
    "release": "  release:\n    types: [published]\n  push:\n    tags: ['v*']",
    "weekly": "  schedule:\n    - cron: '0 6 * * 1'\n  workflow_dispatch:",
}
#: (file, title, job, triggers, command) of the two template folders.
EXAMPLES = (
    ("ci.yml", "Continuous Integration", "test", "checks", "pytest --cov"),
    ("cd.yml", "Continuous Deployment", "deploy", "release", "python -m build"),
    ("dependency-update.yml", "Dependency Updates", "update", "weekly", "pip list --outdated"),
    ("security.yml", "Security Scanning", "scan", "checks", "bandit -r ."),
)
TEMPLATES = (
    ("ci.yml", "CI", "test", "checks", "pytest"),
    ("release.yml", "Release", "publish", "release", "python -m build"),
    ("security.yml", "Security", "audit", "checks", "pip-audit"),
)
#: YAML that is not CI but lies in the same places or in folders named like templates.
OTHER_YAML = {
    ".github/ISSUE_TEMPLATE/bug_report.yml": (
        "name: Bug Report\ndescription: File a bug report\nlabels: [bug]\nbody:\n"
        "  - type: textarea\n    id: what-happened\n    attributes:\n"
        "      label: What happened?\n"
    ),
    ".github/ISSUE_TEMPLATE/config.yml": "blank_issues_enabled: false\ncontact_links: []\n",
    ".github/dependabot.yml": (
        "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n"
        "    schedule:\n      interval: weekly\n"
    ),
    "mkdocs.yml": "site_name: Orchestrator\nnav:\n  - Home: index.md\n",
    "docker-compose.yml": "services:\n  app:\n    build: .\n    command: python app.py\n",
    "docs/api/openapi.yaml": "openapi: 3.0.0\ninfo:\n  title: API\n  version: '1'\npaths: {}\n",
    "monitoring/prometheus/prometheus.yml": "global:\n  scrape_interval: 15s\n",
    "backlog.yml": "items:\n  - id: 1\n    title: first\n",
}
#: A module with a TODO and a complex function, but nothing bandit reports.
DISPATCHER = MODULE.replace("\nimport subprocess\n", "").split("\n\n\ndef run_")[0] + "\n"
BOT = ("terragon-labs[bot]", "215797445+terragon-labs[bot]@users.noreply.github.com")


def _workflows(folder: str, rows: tuple[tuple[str, str, str, str, str], ...]) -> dict[str, str]:
    return {
        f"{folder}/{file}": WORKFLOW.format(
            title=title, job=job, triggers=TRIGGERS[triggers], command=command
        )
        for file, title, job, triggers, command in rows
    }


def templates_only(root: Path, last_commit_days_ago: int = 460) -> Path:
    """A project whose only CI is workflow templates nobody copied into .github/workflows/.

    The shape of a generated "autonomous SDLC" repository: a Python package with tests,
    complex modules with TODOs, requirements that drift from pyproject.toml and every policy
    file; four examples in docs/workflows/examples/ and three more in
    github-workflows-template/, each folder with a README saying to copy them by hand, and
    issue forms, dependabot and compose YAML beside them. One person wrote its month of
    history, in which one module changed four times; a bot account committed once; the last
    commit is `last_commit_days_ago` days old.
    """
    root.mkdir(parents=True, exist_ok=True)
    content = {
        "pyproject.toml": PYPROJECT.format(name="orchestrator")
        + "\n[tool.ruff]\nline-length = 100\n[tool.mypy]\nstrict = true\n",
        "uv.lock": "version = 1\n",
        "README.md": "# Orchestrator\n",
        "LICENSE": "MIT License\n",
        "SECURITY.md": "Report vulnerabilities to security@example.com\n",
        "CONTRIBUTING.md": "Run the tests before a pull request.\n",
        ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n",
        "orchestrator/__init__.py": '"""The orchestrator."""\n',
        # Pins that disagree with pyproject.toml, as a hand-kept requirements file drifts.
        "requirements.txt": "requests==2.28.0\nclick==7.1\npyyaml==5.4\nrich==12.0\n",
        **{f"orchestrator/engine_{n}.py": DISPATCHER.format(n=n) for n in range(8)},
        "tests/test_orchestrator.py": "def test_imports():\n    import orchestrator\n",
        ".github/CODEOWNERS": "* @owner\n",
        ".github/PULL_REQUEST_TEMPLATE.md": "## What changed\n",
        "docs/workflows/README.md": "Copy examples/*.yml into .github/workflows/ by hand.\n",
        "docs/workflows/examples/README.md": "Workflow examples to copy by hand.\n",
        "github-workflows-template/README.md": "Copy these into .github/workflows/.\n",
        **_workflows("docs/workflows/examples", EXAMPLES),
        **_workflows("github-workflows-template", TEMPLATES),
        **OTHER_YAML,
    }
    write(root, content)
    start = int(time.time()) - (last_commit_days_ago + 30) * 86400
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "scaffold", date=start)
    for n in range(4):
        write(root, {"orchestrator/backlog.py": DISPATCHER.format(n=n)})
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"backlog {n}", date=start + (n + 1) * 6 * 86400)
    write(root, {"docs/status.md": "Generated status\n"})
    git(root, "add", "-A", author=BOT)
    git(root, "commit", "-q", "-m", "status", author=BOT, date=start + 30 * 86400)
    return root


#: A workflow that runs the linter and the tests, but none of the rest the project configures.
SOME_CHECKS = (
    WORKFLOW.format(title="CI", job="test", triggers=TRIGGERS["checks"], command="ruff check src")
    + "      - run: pytest -q\n"
)
#: Make targets for everything; CI calls none of them.
MAKEFILE = """\
.PHONY: lint type-check test docs release clean

lint: type-check
\truff check src

type-check:
\t@echo "Running mypy"
\tmypy src

test:
\tpytest tests/

docs:
\tmkdocs build --strict

release:
\tpython -m build
\ttwine upload dist/*

clean:
\trm -rf .mypy_cache .pytest_cache .ruff_cache dist
"""


def configured_not_run(root: Path) -> Path:
    """A project that configures more tooling than its CI runs.

    Its one workflow runs ruff and pytest. mypy is configured in pyproject.toml and run by
    `make type-check`, a MkDocs site by `make docs`, semantic-release by `.releaserc.json`;
    the pre-commit hooks (ruff, mypy) run only where someone installed them: no step runs
    pre-commit, and pre-commit.ci is not configured.
    """
    root.mkdir(parents=True, exist_ok=True)
    content = {
        "pyproject.toml": PYPROJECT.format(name="studio")
        + "\n[tool.ruff]\nline-length = 100\n[tool.mypy]\nstrict = true\n",
        "uv.lock": "version = 1\n",
        "README.md": "# Studio\n",
        "LICENSE": "MIT License\n",
        "SECURITY.md": "Report vulnerabilities to security@example.com\n",
        "CONTRIBUTING.md": "Run `make lint test` before a pull request.\n",
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n"
            "    hooks:\n      - id: ruff\n"
            "  - repo: https://github.com/pre-commit/mirrors-mypy\n    rev: v1.11.0\n"
            "    hooks:\n      - id: mypy\n"
        ),
        ".releaserc.json": '{"branches": ["main"], "plugins": ["@semantic-release/github"]}\n',
        "mkdocs.yml": "site_name: Studio\nnav:\n  - Home: index.md\n",
        "docs/index.md": "# Studio\n",
        "Makefile": MAKEFILE,
        ".github/workflows/ci.yml": SOME_CHECKS,
        "src/studio/__init__.py": '"""The studio."""\n',
        "src/studio/engine.py": DISPATCHER.format(n=0),
        "tests/test_studio.py": "def test_imports():\n    import studio\n",
    }
    write(root, content)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "scaffold")
    return root


def _branches(test: str, body: str, count: int, indent: str) -> str:
    """`count` one-branch ifs, each testing `test` and returning `body` with {n} filled in."""
    return "".join(
        f"{indent}if ({test.format(n=n)}) {{\n{indent}  return {body.format(n=n)};\n{indent}}}\n"
        for n in range(count)
    )


def js_router(branches: int) -> str:
    """JavaScript: `route` of cyclomatic complexity 1 + `branches`, and a simple `noop`."""
    return (
        "// Routes a request to its handler.\n"
        "export function route(request) {\n"
        + _branches('request.path === "/{n}"', "{n}", branches, "  ")
        + "  return -1;\n}\n\nexport function noop() {\n  return null;\n}\n"
    )


def ts_store(cases: int) -> str:
    """TypeScript: method `reduce` of class Store, complexity 1 + `cases`, and a getter."""
    arms = "".join(f'      case "a{n}":\n        return state + {n};\n' for n in range(cases))
    return (
        "export class Store {\n"
        "  private state = 0;\n\n"
        "  reduce(state: number, action: { type: string }): number {\n"
        f"    switch (action.type) {{\n{arms}      default:\n        return state;\n    }}\n"
        "  }\n\n"
        "  get size(): number {\n    return this.state;\n  }\n}\n"
    )


def go_handler(branches: int, version: int = 0) -> str:
    """Go: `Dispatch` of complexity 1 + `branches`, a simple method and a `Version`."""
    body = "".join(
        f'\tif kind == "k{n}" {{\n\t\treturn value + {n}\n\t}}\n' for n in range(branches)
    )
    return (
        "package server\n\n"
        "type Server struct{ name string }\n\n"
        f"func Dispatch(kind string, value int) int {{\n{body}\treturn -1\n}}\n\n"
        "func (s *Server) Name() string {\n\treturn s.name\n}\n\n"
        f"func Version() int {{\n\treturn {version}\n}}\n"
    )


def polyglot(root: Path, hot_commits: int = 6) -> Path:
    """A repository of JavaScript, TypeScript and Go beside a little Python.

    `web/src/router.js` has a complex `route` (CC 15, rank C) and a simple `noop`;
    `web/src/store.ts` a complex method `Store.reduce` (CC 24, rank D) and a simple getter;
    `web/src/legacy.js` one far over (CC 45, rank F); `server/handler.go` a complex
    `Dispatch` (CC 17, rank C) and changes in `hot_commits` more commits by two people, so it
    is the hotspot; `server/version.go` changes as often but is simple. The same complex code
    minified under `web/dist/` (`*.min.js`) and `web/static/` (`-min.js`, as prettify ships)
    and vendored under `web/node_modules/` is nobody's debt.
    """
    root.mkdir(parents=True, exist_ok=True)
    content = {
        "README.md": "# Polyglot\n",
        "web/src/router.js": js_router(14),
        "web/src/store.ts": ts_store(23),
        "web/src/legacy.js": js_router(44).replace("route(", "legacyRoute("),
        "web/src/format.ts": "export const pad = (s: string): string => ` ${s} `;\n",
        "web/dist/app.min.js": js_router(30).split("\n", 1)[1].replace("\n", ""),
        "web/static/prettify-min.js": js_router(30).split("\n", 1)[1].replace("\n", ""),
        "web/node_modules/left/index.js": js_router(30),
        "server/handler.go": go_handler(16),
        "server/version.go": 'package server\n\nconst Name = "polyglot"\n',
        "tools/build.py": '"""Build the bundle."""\n\n\ndef build():\n    return "dist"\n',
    }
    write(root, content)
    start = int(time.time()) - 40 * 86400
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "scaffold", date=start)
    people = (AUTHOR, ("Bo Other", "bo@example.com"))
    for n in range(1, hot_commits + 1):
        write(root, {"server/handler.go": go_handler(16, version=n)})
        write(root, {"server/version.go": f'package server\n\nconst Name = "polyglot-{n}"\n'})
        author, date = people[n % 2], start + n * 86400
        git(root, "add", "-A", author=author)
        git(root, "commit", "-q", "-m", f"release {n}", author=author, date=date)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "shape", choices=["project", "templates-only", "configured-not-run", "polyglot"]
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--files", type=int, default=120)
    args = parser.parse_args(argv)
    if args.shape == "project":
        project(args.directory, files=args.files)
    elif args.shape == "configured-not-run":
        configured_not_run(args.directory)
    elif args.shape == "polyglot":
        polyglot(args.directory)
    else:
        templates_only(args.directory)
    print(args.directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
