"""Running ruff on a repository without letting the repository steer it: its configuration is
checked for reads outside the repository first, ruff fixes and caches nothing, `RUFF_*`
environment variables are left out, and it runs under a time budget.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import tomllib
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.nesting import toml_loads
from ..core.text import printable

#: The code ruff gives a syntax error (older versions gave none).
SYNTAX_ERROR = "invalid-syntax"
CONFIG_NAMES = (".ruff.toml", "ruff.toml", "pyproject.toml")
#: Characters of file names per ruff run: well under every platform's command-line limit.
ARGS_LIMIT = 30_000
#: ruff's arguments beside the rule selection: report as JSON, change nothing, cache nothing,
#: honour the configuration's excludes for the files named on the command line too.
BASE_ARGS = ("--output-format", "json", "--no-cache", "--exit-zero", "--no-fix", "--force-exclude")
_MESSAGE_LIMIT = 300


#: The Python versions ruff takes as `--target-version` (py37 to py314).
OLDEST_TARGET, NEWEST_TARGET = 7, 14
#: A lower bound in `requires-python` (`>=3.14`, `~=3.10`, `==3.12.*`, `>3.9`).
_LOWER_BOUND = re.compile(r"(>=|~=|==|>)\s*(\d+)\.(\d+)")
_TARGET = re.compile(r"^py3(\d+)$")


class LintUnavailable(Exception):
    """ruff could not be run, or did not finish: the reason, in one line."""


def own_config(root: Path) -> str | None:
    """The file that configures ruff at the repository's root, as ruff looks for it."""
    for name in CONFIG_NAMES:
        path = root / name
        if path.is_file() and (name != "pyproject.toml" or _ruff_table(path) is not None):
            return name
    return None


def python_target(text: str) -> str | None:
    """The Python a project's pyproject.toml says it runs on, as ruff names it (`py314`): its
    `[tool.ruff] target-version`, else the lower bound of `[project] requires-python`, within
    the versions ruff knows; None when it says neither, or is no TOML."""
    try:
        data = toml_loads(text)
    except tomllib.TOMLDecodeError:
        return None
    tool, project = data.get("tool"), data.get("project")
    ruff = tool.get("ruff") if isinstance(tool, dict) else None
    given = ruff.get("target-version") if isinstance(ruff, dict) else None
    match = _TARGET.match(given) if isinstance(given, str) else None
    minor = int(match.group(1)) if match else None
    needs = project.get("requires-python") if isinstance(project, dict) else None
    if minor is None and isinstance(needs, str):
        bounds = [  # a Python 2 bound lets in every Python 3
            (int(low) + (operator == ">")) if major == "3" else 0
            for operator, major, low in _LOWER_BOUND.findall(needs)
            if major in ("2", "3")
        ]
        minor = max(bounds) if bounds else None
    if minor is None:
        return None
    return f"py3{min(max(minor, OLDEST_TARGET), NEWEST_TARGET)}"


def _ruff_table(path: Path, strict_as: str | None = None) -> dict[str, Any] | None:
    """The ruff settings in `path` (a ruff.toml, or a pyproject.toml's [tool.ruff]), or None
    when it has none. A file that is no TOML has none, or, given the name to show it by
    (`strict_as`), raises LintUnavailable: ruff would refuse it, and nothing in it may go
    unchecked."""
    try:
        data = toml_loads(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        if strict_as is not None:
            raise LintUnavailable(f"{strict_as} cannot be read as TOML: ruff was not run") from exc
        return None
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    table = tool.get("ruff") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def config_reads(root: Path, configs: list[str]) -> list[str]:
    """The files the repository's ruff configurations `extend`, relative to the root.

    Raises LintUnavailable when a configuration, or a file one extends, lies outside the
    repository, so ruff never reads a file the scan has no business with (and never quotes
    one in an error message).
    """
    top = root.resolve()
    reads: list[str] = []
    pending = [(root / path, path) for path in configs]
    seen: set[Path] = set()
    while pending:
        path, shown = pending.pop()
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        if not real.is_relative_to(top):
            raise LintUnavailable(f"the ruff configuration {shown} lies outside the repository")
        table = _ruff_table(path, shown) if real.is_file() else None
        extend = table.get("extend") if table else None
        if not isinstance(extend, str):
            continue
        shown_extend = printable(extend, single_line=True)[:200]
        target = (path.parent / extend).resolve()
        if "$" in extend or extend.startswith("~") or not target.is_relative_to(top):
            raise LintUnavailable(
                f"{shown} extends {shown_extend!r}, outside the repository: ruff was not run"
            )
        relative = target.relative_to(top).as_posix()
        reads.append(relative)
        pending.append((target, relative))
    return sorted(reads)


def ruff_binary() -> tuple[str, str]:
    """The ruff executable of the installed ruff package, and its version."""
    try:
        from ruff.__main__ import find_ruff_bin

        binary = os.fsdecode(find_ruff_bin())
        version = metadata.version("ruff")
    except (ImportError, FileNotFoundError, metadata.PackageNotFoundError):
        raise LintUnavailable("ruff is not installed (pip install ruff)") from None
    return binary, version


def _chunks(files: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    size = 0
    for path in files:
        if chunks[-1] and size + len(path) + 1 > ARGS_LIMIT:
            chunks.append([])
            size = 0
        chunks[-1].append(path)
        size += len(path) + 1
    return chunks


def _ruff_env() -> dict[str, str]:
    """The environment without RUFF_* settings, which would change what ruff does."""
    return {name: value for name, value in os.environ.items() if not name.startswith("RUFF_")}


def _run(command: list[str], root: Path, deadline: float, budget: float) -> bytes:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise LintUnavailable(f"ruff ran out of its {budget:g} s budget")
    try:
        done = subprocess.run(
            command,
            cwd=root,
            env=_ruff_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=remaining,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed it
        raise LintUnavailable(f"ruff ran out of its {budget:g} s budget") from None
    except OSError as exc:
        raise LintUnavailable(f"ruff could not start: {exc.strerror or exc}") from None
    if done.returncode != 0:
        raise LintUnavailable(f"ruff failed: {_reason(done.stderr)}")
    return done.stdout


def _reason(stderr: bytes) -> str:
    """ruff's error in one line, without the source lines it quotes from a file."""
    lines = []
    for raw in stderr.decode("utf-8", "replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("|") or line.split(" ", 1)[0].isdigit():
            continue
        lines.append(line.removeprefix("Cause: "))
    text = printable("; ".join(lines), single_line=True)
    return text[:300] or "no error message"


def run_ruff(
    binary: str,
    root: Path,
    files: list[str],
    args: list[str],
    budget: float,
    targets: dict[str, str] | None = None,
) -> dict[str, Any]:
    """ruff's diagnostics on `files` as cached: rows of [path, line, column, code, message,
    fix applicability or None], and the rules met, by code: [name, category, linter, url].

    `targets` gives files the Python version to check them for (`--target-version`), when
    ruff reads no configuration that says it."""
    deadline = time.monotonic() + budget
    diagnostics: list[dict[str, Any]] = []
    by_target: dict[str | None, list[str]] = {}
    for path in files:
        by_target.setdefault((targets or {}).get(path), []).append(path)
    runs = [
        ([*args, *(["--target-version", target] if target else [])], chunk)
        for target, group in sorted(by_target.items(), key=lambda pair: pair[0] or "")
        for chunk in _chunks(group)
    ]
    for run_args, chunk in runs:
        output = _run([binary, "check", *run_args, "--", *chunk], root, deadline, budget)
        try:
            parsed = json.loads(output or b"[]")
        except ValueError:
            raise LintUnavailable("ruff's output was not JSON") from None
        if not isinstance(parsed, list):
            raise LintUnavailable("ruff's output was not a list of diagnostics")
        diagnostics += [d for d in parsed if isinstance(d, dict)]
    known = set(files)
    tops = {os.path.realpath(root), os.path.abspath(root)}
    rows = []
    urls: dict[str, str] = {}
    for item in diagnostics:
        path = _relative(str(item.get("filename", "")), tops)
        if path not in known:
            continue
        location = item.get("location") or {}
        fix = item.get("fix")
        code = str(item.get("code") or SYNTAX_ERROR)
        rows.append(
            [
                path,
                int(location.get("row") or 1),
                int(location.get("column") or 1),
                code,
                printable(str(item.get("message", "")), single_line=True)[:_MESSAGE_LIMIT],
                str(fix.get("applicability")) if isinstance(fix, dict) else None,
            ]
        )
        urls.setdefault(code, printable(str(item.get("url") or ""), single_line=True)[:200])
    rows.sort(key=lambda row: (row[0], row[1], row[2], row[3]))
    rules = _rules(binary, root, urls, deadline, budget) if rows else {}
    return {"rows": rows, "rules": rules}


def _relative(filename: str, tops: set[str]) -> str:
    for top in tops:
        relative = os.path.relpath(filename, top)
        if not relative.startswith(".."):
            return PurePosixPath(Path(relative)).as_posix()
    return ""


def _rules(
    binary: str, root: Path, urls: dict[str, str], deadline: float, budget: float
) -> dict[str, list[str]]:
    """[name, category, linter, url] of each code met (with its documentation's address),
    from `ruff rule --all`."""
    output = _run([binary, "rule", "--all", "--output-format", "json"], root, deadline, budget)
    try:
        listed = json.loads(output)
    except ValueError:
        listed = []
    rules = {SYNTAX_ERROR: [SYNTAX_ERROR, "correctness", "ruff", ""]}
    for rule in listed if isinstance(listed, list) else []:
        code = rule.get("code") if isinstance(rule, dict) else None
        if code in urls:
            rules[code] = [
                str(rule.get("name", "")),
                str(rule.get("category") or ""),
                str(rule.get("linter") or ""),
                urls[code],
            ]
    return rules
