"""What a repository's CI runs: its commands, what they call in the repository, its hooks.

Everything is read, never run: CI files and `.pre-commit-config.yaml` are parsed with PyYAML's
safe loader, tox configuration with configparser or tomllib, `package.json` with json,
Makefiles by their rule lines. A command that calls into the repository (`tox`, `nox`,
`make lint`, `npm run lint`, `just`, `hatch run`, `scripts/check`, a local action, `pre-commit
run`) brings in the text of what it calls, and that text is read the same way, at most
`DEPTH` calls deep: what a tool's name appears in is what CI runs.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..git.run import run as run_git
from .ci_templates import load, parse
from .task_runners import Repository, join_path, make_args, read_text, strings

#: How many calls deep a command is followed (CI step -> make target -> script -> ...).
DEPTH = 3
#: Keys under which CI services keep what they run (GitHub `run`, GitLab `script`, CircleCI
#: `command`, drone/woodpecker `commands`, Azure `bash`/`pwsh`, Travis `install`...).
_COMMAND_KEYS = frozenset(
    "run script before_script after_script before_install install after_success command "  # noqa: SIM905
    "commands bash pwsh powershell sh cmd args extra_args entrypoint".split()
)
_PRE_COMMIT_FILES = (".pre-commit-config.yaml", ".pre-commit-config.yml")
#: Actions and commands that run the pre-commit hooks.
_RUNS_PRE_COMMIT = re.compile(
    r"pre-commit\s+run|\bprek\s+run|pre-commit/action|pre-commit-ci/lite-action", re.I
)
_MAKE = re.compile(r"(?:^|[\s;&|(`])(?:g?make|\$\(MAKE\)|\$\{MAKE\})((?:[ \t]+[^\s;&|)`]+)*)")
_PACKAGE_SCRIPT = re.compile(
    r"\b(?:npm|pnpm|yarn|bun)(?:\s+--?[\w-]+(?:=\S+)?)*\s+(?:run(?:-script)?\s+)?([\w:.-]+)"
)
_SCRIPT_SUFFIXES = ("", ".sh", ".bash", ".py", ".ps1", ".bat", ".cmd")
#: What names a tool without running it: installing it, printing its name.
_NOT_RUNNING = re.compile(
    r"(?:\b(?:pip3?|uv\s+pip|pipx|npm|yarn|pnpm|poetry|uv|brew|apt(?:-get)?|gem|go|cargo)"
    r"|\$[({]\w*(?:pip|npm)\w*[)}])\s+(?:install|add|i|get)\b[^\n;&|]*"
    r"|@?\b(?:echo|printf)\b[^\n;&|]*",
    re.IGNORECASE,
)


def runnable(text: str) -> str:
    """`text` without what only installs a tool or prints its name: what is left runs."""
    return _NOT_RUNNING.sub(" ", text)


@dataclass(slots=True)
class CiRuns:
    """What CI runs, as text to look for tools in, and how the pre-commit hooks are run.

    `pre_commit` is "ci" (a CI step runs the hooks), "pre-commit.ci" (the service runs them),
    "local" (hooks are configured, nothing in CI runs them) or "" (no hooks).
    `opaque` names what CI calls that cannot be read here (a reusable workflow of another
    repository, a GitLab include, a CircleCI orb): it may run anything.
    """

    text: str = ""
    ci_files: list[str] = field(default_factory=list)
    hooks: str = ""
    pre_commit: str = ""
    pre_commit_file: str | None = None
    opaque: list[str] = field(default_factory=list)
    #: CI or pre-commit files that are not YAML, with the parser's complaint: they run nothing.
    broken: dict[str, str] = field(default_factory=dict)
    #: How a developer runs things locally: "make lint" -> what that runs.
    local: dict[str, str] = field(default_factory=dict)

    def runs(self, pattern: re.Pattern[str]) -> bool:
        """Whether CI runs something `pattern` finds (hooks count when CI runs them)."""
        if pattern.search(self.text):
            return True
        return self.pre_commit in ("ci", "pre-commit.ci") and bool(pattern.search(self.hooks))

    def runs_locally(self, pattern: re.Pattern[str]) -> list[str]:
        """The local commands that run what `pattern` finds ("make lint", "pre-commit hook")."""
        found = [name for name, text in self.local.items() if pattern.search(text)]
        if self.pre_commit == "local" and pattern.search(self.hooks):
            found.insert(0, "a pre-commit hook")
        return found


def _commands(node: object, inside: bool = False) -> Iterator[tuple[str, str]]:
    """("run", command) for each command of a CI document, ("uses", name) for each action."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "uses" and isinstance(value, str):
                yield ("uses", value)
            elif inside or key in _COMMAND_KEYS:
                yield from (("run", s) for s in strings(value))
            else:
                yield from _commands(value)
    elif isinstance(node, list):
        for value in node:
            yield from _commands(value, inside)
    elif isinstance(node, str) and inside:
        yield ("run", node)


def _opaque(path: str, document: object, uses: Iterable[str]) -> list[str]:
    found = [
        f"{path}: reusable workflow {name}"
        for name in uses
        if "/.github/workflows/" in name and not name.startswith("./")
    ]
    if isinstance(document, Mapping):
        if document.get("include"):
            found.append(f"{path}: include")
        if document.get("orbs"):
            found.append(f"{path}: orbs")
    return found


class _Expander:
    """Follows what commands call into the repository, each callee once, `DEPTH` deep."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.seen: set[tuple[str, ...]] = set()
        self.runs_pre_commit = False

    def expand(self, commands: Iterable[str], depth: int = 0) -> list[str]:
        found: list[str] = []
        for command in commands:
            found.append(command)
            if depth < DEPTH:
                found += self.expand(self._callees(command), depth + 1)
        return found

    def _once(self, *key: str) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def _callees(self, command: str) -> Iterator[str]:
        repo = self.repo
        if _RUNS_PRE_COMMIT.search(command):
            self.runs_pre_commit = True
        if re.search(r"\btox\b", command) and self._once("tox"):
            yield from repo.tox_envs().values()
        if re.search(r"\bnox\b", command) and self._once("nox"):
            yield repo.text("noxfile.py")
        if re.search(r"\bjust\b", command) and self._once("just"):
            yield repo.text("justfile") or repo.text("Justfile")
        if re.search(r"\b(hatch|pdm|poe)\b", command) and self._once("tasks"):
            yield repo.task_tables()
        for match in _MAKE.finditer(command):
            folder, targets = make_args(match.group(1))
            makefile = repo.makefile(folder)
            # a target's prerequisites are part of what `make target` runs
            wanted = list(targets or [makefile.goal or makefile.default or ""])
            while wanted:
                target = wanted.pop(0)
                rule = makefile.recipe(target)
                if rule is not None and self._once("make", folder, target):
                    prereqs, recipe = rule
                    yield recipe.replace("$@", target)
                    wanted += prereqs
        scripts = repo.package_scripts()
        for match in _PACKAGE_SCRIPT.finditer(command):
            name = "test" if match.group(1) in ("t", "tst") else match.group(1)
            for script in (f"pre{name}", name, f"post{name}"):
                if script in scripts and self._once("npm", script):
                    yield scripts[script]
        for word in set(re.split(r"[\s;&|()'\"`=]+", command)):
            path = word.removeprefix("./")
            if path not in repo.paths or PurePosixPath(path).suffix not in _SCRIPT_SUFFIXES:
                continue
            if self._once("file", path):
                yield repo.text(path)


def _pre_commit_ci(root: Path, document: object, readmes: Iterable[str]) -> bool:
    """Whether pre-commit.ci runs the hooks: its `ci:` settings, its badge, or its bot's commits."""
    if isinstance(document, Mapping) and "ci" in document:
        return True
    if any("pre-commit.ci" in read_text(root, name) for name in readmes):
        return True
    try:
        log = run_git(root, "log", "--no-show-signature", "-n", "1000", "--format=%an", timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return b"pre-commit-ci[bot]" in log.stdout


def _hook_text(document: object) -> str:
    """Each hook's id, entry and repository: what a tool's name appears in."""
    repos = document.get("repos") if isinstance(document, Mapping) else None
    lines = []
    for repo in repos if isinstance(repos, list) else ():
        if not isinstance(repo, Mapping):
            continue
        hooks = repo.get("hooks")
        for hook in hooks if isinstance(hooks, list) else ():
            if isinstance(hook, Mapping):
                parts = (repo.get("repo"), hook.get("id"), hook.get("entry"))
                lines.append(" ".join(str(p) for p in parts if p))
    return "\n".join(lines)


def read(
    root: Path, paths: Iterable[str], ci_files: Iterable[str], tool: Mapping[str, Any]
) -> CiRuns:
    """What the CI files `ci_files` run in the repository at `root` whose files are `paths`."""
    files = list(paths)
    repo = Repository(root, files, tool)
    expander = _Expander(repo)
    result = CiRuns(ci_files=sorted(ci_files))
    commands: list[str] = []
    for path in result.ci_files:
        text = read_text(root, path)
        if not path.endswith((".yml", ".yaml")):
            commands.append(text)  # a Jenkinsfile is Groovy: its text is what it runs
            continue
        document, error = load(text)
        if error is not None:
            result.broken[path] = error
        pairs = list(_commands(document))
        uses = [value for kind, value in pairs if kind == "uses"]
        result.opaque += _opaque(path, document, uses)
        commands += [value for kind, value in pairs if kind == "run"] + uses
        for name in uses:
            if name.startswith("./"):
                folder = name.removeprefix("./").rstrip("/")
                action = join_path(folder, "action.yml")
                action_text = repo.text(action) or repo.text(join_path(folder, "action.yaml"))
                commands += [v for _kind, v in _commands(parse(action_text))]
    result.text = runnable("\n".join(expander.expand(commands)))
    hooks_file = next((name for name in _PRE_COMMIT_FILES if name in repo.paths), None)
    if hooks_file is not None:
        text = read_text(root, hooks_file)
        document, error = load(text)
        result.hooks = _hook_text(document)
        if error is not None:
            # what the hooks would run is unknown: the broken file is the item, not each tool
            result.broken[hooks_file] = error
            result.hooks = text
        result.pre_commit_file = hooks_file
        readmes = [p for p in files if "/" not in p and p.lower().startswith(("readme", "contrib"))]
        if expander.runs_pre_commit:
            result.pre_commit = "ci"
        elif _pre_commit_ci(root, document, readmes):
            result.pre_commit = "pre-commit.ci"
        else:
            result.pre_commit = "local"
    result.local = _local_commands(repo)
    return result


def _local_commands(repo: Repository) -> dict[str, str]:
    """How a developer runs things: "make lint", "tox -e lint", "npm run lint", "nox"."""
    local: dict[str, str] = {}
    makefile = repo.makefile("")
    for target in makefile.rules:
        if "%" not in target:
            local[f"make {target}"] = "\n".join(_Expander(repo).expand([f"make {target}"]))
    for env, commands in repo.tox_envs().items():
        local[f"tox -e {env}" if env else "tox"] = commands
    for name, script in repo.package_scripts().items():
        local["npm test" if name == "test" else f"npm run {name}"] = script
    if "noxfile.py" in repo.paths:
        local["nox"] = repo.text("noxfile.py")
    return {command: runnable(text) for command, text in local.items()}
