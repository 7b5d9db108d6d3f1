"""What a repository's task runners run: Makefile rules, tox environments, package.json
scripts, the task tables of pyproject.toml, read (never run) for `ci_runs`."""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.nesting import json_loads
from . import small_files

_MAX_READ = 256 * 1024
_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*::?(?![=])(.*)$")
_DEFAULT_GOAL = re.compile(r"^\.DEFAULT_GOAL\s*[:?]?=\s*(\S+)")


@dataclass(slots=True)
class Makefile:
    """A Makefile's rules: target -> (prerequisites, recipe), and its first target."""

    rules: dict[str, tuple[list[str], str]] = field(default_factory=dict)
    default: str | None = None
    goal: str | None = None  # .DEFAULT_GOAL, which `make` alone runs instead of the first

    @classmethod
    def parse(cls, text: str) -> Makefile:
        """The rules of Makefile `text`: rule lines and their tab-indented recipes; variables
        are not expanded, `.DEFAULT_GOAL` is honoured."""
        made = cls()
        current: list[str] = []
        for line in text.splitlines():
            goal = _DEFAULT_GOAL.match(line)
            if goal is not None:
                made.goal = goal.group(1)
            if line.startswith("\t"):
                for target in current:
                    prereqs, recipe = made.rules[target]
                    made.rules[target] = (prereqs, recipe + line.strip() + "\n")
                continue
            match = _RULE.match(line)
            if match is None:
                if line.strip() and not line.lstrip().startswith("#"):
                    current = []
                continue
            targets = match.group(1).split()
            prereqs = match.group(2).split("#")[0].split(";")
            recipe = prereqs[1].strip() + "\n" if len(prereqs) > 1 else ""
            current = [t for t in targets if not t.startswith(".")] or []
            for target in current:
                made.rules.setdefault(target, (prereqs[0].split(), recipe))
                if made.default is None and "%" not in target:
                    made.default = target
        return made

    def recipe(self, target: str) -> tuple[list[str], str] | None:
        """The prerequisites and recipe `make target` runs (a `%` rule catches the rest)."""
        return self.rules.get(target) or self.rules.get("%")


def read_text(root: Path, path: str) -> str:
    """The text of a regular file under `root` (no symlink, at most 256 KiB), or ""."""
    return small_files.read_text(root, path, _MAX_READ)


def strings(node: object) -> Iterator[str]:
    """Every string in a parsed document; a list of plain strings is one command line."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        if node and all(isinstance(v, str | int | float) for v in node):
            yield " ".join(str(v) for v in node)
        else:
            for value in node:
                yield from strings(value)


class Repository:
    """The files a command may call into, read once each when first needed."""

    def __init__(self, root: Path, paths: Iterable[str], tool: Mapping[str, Any]) -> None:
        self.root = root
        self.paths = set(paths)
        self.tool = tool
        self._makefiles: dict[str, Makefile] = {}
        self._package: dict[str, str] | None = None

    def text(self, path: str) -> str:
        """The text of a tracked file, or "" (untracked, missing, too big)."""
        return read_text(self.root, path) if path in self.paths else ""

    def makefile(self, folder: str) -> Makefile:
        """The rules of the Makefile in `folder` ("" for the root), empty when there is none."""
        if folder not in self._makefiles:
            names = ("GNUmakefile", "makefile", "Makefile")
            path = next((p for n in names if (p := join_path(folder, n)) in self.paths), "")
            self._makefiles[folder] = Makefile.parse(self.text(path))
        return self._makefiles[folder]

    def package_scripts(self) -> dict[str, str]:
        """The `scripts` of the top-level package.json: name -> command."""
        if self._package is None:
            try:
                scripts = json_loads(self.text("package.json") or "{}").get("scripts", {})
            except (ValueError, AttributeError):
                scripts = {}
            valid = isinstance(scripts, dict)
            items = scripts.items() if valid else ()
            self._package = {k: v for k, v in items if isinstance(v, str)}
        return self._package

    def tox_envs(self) -> dict[str, str]:
        """tox environment -> the commands it runs ("" is the default environment)."""
        envs: dict[str, str] = {}
        for name in ("tox.ini", "setup.cfg"):
            envs.update(ini_envs(self.text(name)))
        tox = self.tool.get("tox", {})
        if isinstance(tox, Mapping):
            envs.update(ini_envs(str(tox.get("legacy_tox_ini", ""))))
            base = tox.get("env_run_base", {})
            envs[""] = envs.get("", "") + "\n".join(strings(_only_commands(base)))
            named = tox.get("env", {})
            for env, table in named.items() if isinstance(named, Mapping) else ():
                envs[str(env)] = "\n".join(strings(_only_commands(table)))
        return {env: text for env, text in envs.items() if text.strip()}

    def task_tables(self) -> str:
        """What `hatch run`, `pdm run` and `poe` may run: their tables in pyproject.toml."""
        tool = self.tool
        tables = [
            tool.get("hatch", {}).get("envs") if isinstance(tool.get("hatch"), Mapping) else None,
            tool.get("pdm", {}).get("scripts") if isinstance(tool.get("pdm"), Mapping) else None,
            tool.get("poe", {}).get("tasks") if isinstance(tool.get("poe"), Mapping) else None,
        ]
        return "\n".join(s for table in tables if table for s in strings(table))


def join_path(folder: str, name: str) -> str:
    """`name` inside `folder`, the root when `folder` is "" or "."."""
    return name if folder in ("", ".") else f"{folder.rstrip('/')}/{name}"


def _only_commands(table: object) -> list[object]:
    if not isinstance(table, Mapping):
        return []
    return [v for k, v in table.items() if str(k).startswith("commands")]


def ini_envs(text: str) -> dict[str, str]:
    """tox environment -> its commands, from tox.ini or setup.cfg text."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    envs = {}
    for section in parser.sections():
        if section == "testenv" or section.startswith("testenv:"):
            commands = [v for k, v in parser[section].items() if k.startswith("commands")]
            envs[section.partition(":")[2]] = "\n".join(commands)
    return envs


def make_args(args: str) -> tuple[str, list[str]]:
    """The folder (`-C dir`) and targets of a make command line's arguments."""
    folder, targets, words = "", [], args.split()
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
        elif word in ("-C", "--directory", "-f", "--file", "--makefile"):
            skip = True
            if word in ("-C", "--directory") and index + 1 < len(words):
                folder = words[index + 1]
        elif word.startswith("--directory="):
            folder = word.partition("=")[2]
        elif not word.startswith("-") and "=" not in word and re.match(r"^[\w./%-]+$", word):
            targets.append(word)
    return folder.strip("'\"").removeprefix("./"), targets
