"""Running deptry on a repository: its command line, the run under a time budget, its report.

deptry runs as a separate process of terragon's own interpreter, isolated (`-I`: neither the
working directory nor PYTHON* variables reach its import path), in the repository's root, so
that it reads the repository's `pyproject.toml` (PEP 621, Poetry, PDM, uv) or requirements
files and its `[tool.deptry]`, as `deptry .` run there would. It parses the code and never
imports it; its JSON report is written to a temporary directory, outside the repository.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.utils import canonicalize_name

from ..core.nesting import toml_loads
from ..core.text import printable
from .small_files import read_text

#: Changes whenever what `run` makes of deptry's report changes (part of the cache key).
REPORT_FORMAT = 6
#: deptry's codes this source reports.
CODES = ("DEP001", "DEP002", "DEP003", "DEP004", "DEP005")
#: What deptry reads besides the Python files: the declarations, and the ignore files that
#: say which files it walks.
_MANIFEST = re.compile(
    r"^pyproject\.toml$|^requirements(?:[-_.][^/]*)?\.(?:txt|in)$|^[^/]*[-_.]requirements\.txt$"
    r"|^requirements/[^/]+\.(?:txt|in)$|(?:^|/)\.gitignore$"
)
_MAIN_REQUIREMENTS = ("requirements.txt", "requirements.in")
_FALLBACK_MAINS = ("requirements/base.txt", "requirements/main.txt", "requirements/prod.txt",
                   "requirements/production.txt", "requirements/common.txt")  # fmt: skip
#: Words in an extra's or a requirements file's name that say it is for development.
_DEV_WORDS = frozenset({
    "dev", "devel", "develop", "development", "test", "tests", "testing", "doc", "docs",
    "documentation", "lint", "linting", "typing", "types", "mypy", "check", "checks", "qa",
    "style", "bench", "benchmark", "benchmarks", "ci", "coverage",
})  # fmt: skip
#: Exceptions whose handler makes the imports of its `try` optional.


@dataclass(frozen=True, slots=True)
class Violation:
    """One line of deptry's report: the code, the module or package, and where; `guard` is
    how the import there runs (bindings.py: optional, typing, conditional, deferred or "")."""

    code: str
    name: str
    path: str
    line: int | None
    guard: str = ""


def deptry_version() -> str:
    """The installed deptry's version, or "" when it is missing."""
    try:
        return metadata.version("deptry")
    except metadata.PackageNotFoundError:
        return ""


def declares_dependencies(paths: tuple[str, ...]) -> bool:
    """Whether the repository has a file deptry reads its dependencies from."""
    return any(p in paths for p in ("pyproject.toml", *_MAIN_REQUIREMENTS)) or bool(
        _fallback_mains(paths)
    )


def unread_declarations(paths: tuple[str, ...]) -> str | None:
    """The file that declares the dependencies where deptry reads none (`setup.py`,
    `setup.cfg`), or None."""
    if declares_dependencies(paths):
        return None
    return next((name for name in ("setup.py", "setup.cfg") if name in paths), None)


def linked_out(root: Path, paths: tuple[str, ...]) -> str | None:
    """A manifest deptry would read that is a symlink out of the repository (deptry follows
    it, and its error messages quote what it read), or None."""
    inside = root.resolve()
    for path in paths:
        target = root / path
        linked = _MANIFEST.search(path) and target.is_symlink()
        if linked and not target.resolve().is_relative_to(inside):
            return path
    return None


def inputs(paths: tuple[str, ...]) -> list[str]:
    """The tracked files deptry's result depends on."""
    return [p for p in paths if p.endswith((".py", ".ipynb")) or _MANIFEST.search(p)]


def read_settings(root: Path) -> dict[str, Any]:
    """The repository's `[tool.deptry]` ("deptry"), its extras' names ("extras") and its
    project's name ("name"); empty when pyproject.toml is unreadable (deptry then says why
    itself)."""
    try:
        data = toml_loads(read_text(root, "pyproject.toml"))
    except tomllib.TOMLDecodeError:
        return {}
    tool = data.get("tool")
    own = tool.get("deptry") if isinstance(tool, dict) else None
    project = data.get("project")
    extras = project.get("optional-dependencies") if isinstance(project, dict) else None
    name = project.get("name") if isinstance(project, dict) else None
    return {
        "deptry": own if isinstance(own, dict) else {},
        "extras": sorted(str(k) for k in extras) if isinstance(extras, dict) else [],
        "name": name if isinstance(name, str) else "",
    }


def arguments(paths: tuple[str, ...], settings: dict[str, Any]) -> list[str]:
    """deptry's command line: its defaults and the repository's `[tool.deptry]`, plus what the
    repository's layout says where `[tool.deptry]` says nothing of it:
    - requirements under `requirements/` when there is no top-level requirements file;
    - every requirements file named for development (test, docs, lint...) as dev ones;
    - extras named for development (`[project.optional-dependencies] test`) as dev groups;
    - the packages of a `src/` layout as first-party modules (with the repository's own)."""
    own = settings.get("deptry", {})
    line = [".", "--no-ansi"]
    mains = _fallback_mains(paths)
    if "requirements_files" not in own and mains and not set(_MAIN_REQUIREMENTS) & set(paths):
        line += ["--requirements-files", ",".join(mains)]
    requirements = [p for p in paths if _MANIFEST.search(p) and p.endswith(".txt")]
    dev_files = sorted(p for p in requirements if _dev_named(p))
    if "requirements_files_dev" not in own and dev_files:
        line += ["--requirements-files-dev", ",".join(dev_files)]
    dev_extras = [e for e in settings.get("extras", []) if _dev_named(e)]
    named = {"optional_dependencies_dev_groups", "pep621_dev_dependency_groups"}
    if dev_extras and not named & set(own):
        line += ["--optional-dependencies-dev-groups", ",".join(dev_extras)]
    first_party = set(_src_packages(paths))
    if first_party:
        theirs = own.get("known_first_party", [])
        first_party |= {str(m) for m in theirs} if isinstance(theirs, list) else set()
        for module in sorted(first_party):
            line += ["--known-first-party", module]
    return line


def environment() -> list[int]:
    """What changes when packages are installed in or removed from terragon's environment,
    where deptry looks up which modules a declared package provides."""
    stamps = []
    for name in ("purelib", "platlib"):
        try:
            stamps.append(os.stat(sysconfig.get_paths()[name]).st_mtime_ns)
        except (OSError, KeyError):
            stamps.append(0)
    return stamps


def run(root: Path, line: list[str], budget: float, python: list[str]) -> dict[str, Any]:
    """deptry's report on the repository at `root`, JSON-able, or the error that stopped it.
    Raises TimeoutExpired, deptry killed, past `budget` seconds.

    The report has deptry's violations (imports inside a `try` that catches ImportError
    marked optional), the unused packages whose module deptry had to guess because they are
    not installed here ("guessed"), and the unused packages taken as used after all ("used":
    package -> why): one whose name, without a usual prefix (py, python-, django-), is the
    module of an undeclared import (PyJWT and `import jwt`: both violations go), and one
    whose module is named in a string of the `python` files ("whitenoise.middleware.X" in
    Django settings, a plugin's entry), as code loads what it names by string.
    """
    with tempfile.TemporaryDirectory(prefix="terragon-deptry-") as scratch:
        report = Path(scratch) / "deptry.json"
        done = subprocess.run(
            [sys.executable, "-I", "-m", "deptry", *line, "--json-output", str(report)],
            cwd=root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=budget,
        )
        if not report.is_file():
            if "DependencySpecificationNotFoundError" in done.stderr:
                return {"violations": [], "guessed": []}  # no [project] nor requirements
            return {"error": _why(done.stderr or done.stdout, done.returncode)}
        rows = json.loads(report.read_text(encoding="utf-8"))
    found = [v for v in map(_violation, rows if isinstance(rows, list) else []) if v]
    unused = sorted({v.name for v in found if v.code == "DEP002"})
    guessed = [name for name in unused if not _installed(name)]
    used = _provides_a_missing_import(found, guessed)
    gone = set(used.values())
    used = {package: f"provides {module}" for package, module in used.items()}
    used |= _named_in_strings(root, python, [n for n in unused if n not in used])
    found = [
        v
        for v in found
        if not (v.code == "DEP002" and v.name in used)
        and not (v.code in ("DEP001", "DEP003") and v.name in gone)
    ]
    return {
        "violations": [dataclasses.asdict(v) for v in found],
        "guessed": [name for name in guessed if name not in used],
        "used": used,
    }


def violations(report: dict[str, Any], settings: dict[str, Any]) -> list[Violation]:
    """The report's violations, without the missing imports the repository ignores as
    transitive ones and the other way round (which of DEP001 and DEP003 deptry says depends
    on the environment it runs in, so what `[tool.deptry]` ignores under either is ignored),
    and without the project itself as an unused dependency of its own extras."""
    own = settings.get("deptry", {})
    ignored = own.get("ignore", [])
    ignored = set(ignored.split(",") if isinstance(ignored, str) else map(str, ignored))
    per_rule = own.get("per_rule_ignores", {})
    per_rule = per_rule if isinstance(per_rule, dict) else {}

    def ignores(code: str, name: str) -> bool:
        names = per_rule.get(code, [])
        listed = names.split("|") if isinstance(names, str) else map(str, names)
        return code in ignored or name in set(listed)

    other = {"DEP001": "DEP003", "DEP003": "DEP001"}
    itself = canonicalize_name(settings.get("name", ""))
    found = [Violation(**row) for row in report.get("violations", [])]
    return [
        v
        for v in found
        if (v.code not in other or not ignores(other[v.code], v.name))
        # an extra that installs others of the project's own (`all = ["shop[a,b]"]`)
        and not (v.code == "DEP002" and itself and canonicalize_name(v.name) == itself)
    ]


def module_names(package: str) -> list[str]:
    """The modules a package not installed here may provide: the one deptry assumes (its
    name, lower case, - as _) and that name without a usual prefix or suffix (python-dateutil:
    dateutil, PyJWT: jwt, django-compressor: compressor, psycopg2-binary: psycopg2)."""
    base = re.sub(r"[-_.]+", "_", package).lower()
    names = [base]
    for prefix in ("python_", "py_", "django_", "py"):
        if base.startswith(prefix) and len(base) > len(prefix) + 1:
            names.append(base.removeprefix(prefix))
    for suffix in ("_python", "_py", "_binary", "_cpu", "_gpu", "_headless"):
        if base.endswith(suffix):
            names.append(base.removesuffix(suffix))
    return names


def _provides_a_missing_import(found: list[Violation], guessed: list[str]) -> dict[str, str]:
    """Guessed unused package -> the undeclared import it most likely provides."""
    missing = {v.name for v in found if v.code in ("DEP001", "DEP003")}
    provides = {}
    for package in guessed:
        module = next((m for m in module_names(package)[1:] if m in missing), None)
        if module is not None:
            provides[package] = module
    return provides


def _named_in_strings(root: Path, python: list[str], packages: list[str]) -> dict[str, str]:
    """Unused package -> where a string names its module (`"whitenoise.middleware.X"`):
    only its own name, or without `django-` (a Django app is named by its module). Files
    whose text has the name in quotes are parsed, to find it as a whole string."""
    wanted: dict[str, str] = {}
    for package in packages:
        names = module_names(package)
        for name in names:
            if name == names[0] or package.lower().startswith("django"):
                wanted.setdefault(name, package)
    if not wanted:
        return {}
    alternatives = "|".join(re.escape(n) for n in sorted(wanted, key=len, reverse=True))
    quoted = re.compile(rf"""["'](?:{alternatives})[."']""")
    found: dict[str, str] = {}
    for path in python:
        text = read_text(root, path)
        if not quoted.search(text):
            continue
        for line, value in sorted(_strings(text)):
            name = value.split(".")[0]
            if name in wanted and wanted[name] not in found:
                found[wanted[name]] = f"named in {path}:{line}"
        if len(found) == len(packages):
            break
    return found


def _strings(text: str) -> list[tuple[int, str]]:
    """(line, value) of every string literal in the Python `text`; parsed, never run."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _dev_named(name: str) -> bool:
    return bool(_DEV_WORDS & set(re.split(r"[-_.]", PurePosixPath(name).stem.lower())))


def _fallback_mains(paths: tuple[str, ...]) -> list[str]:
    return [p for p in _FALLBACK_MAINS if p in paths]


def _src_packages(paths: tuple[str, ...]) -> list[str]:
    """Top-level modules of a `src/` layout, as deptry finds them in a root it is given."""
    found = set()
    for path in paths:
        parts = path.split("/")
        if parts[0] == "src" and len(parts) >= 2 and path.endswith(".py"):
            name = parts[1] if len(parts) > 2 else PurePosixPath(parts[1]).stem
            if name.isidentifier() and name != "__init__":
                found.add(name)
    return sorted(found)


def _violation(row: object) -> Violation | None:
    if not isinstance(row, dict):
        return None
    error, location = row.get("error"), row.get("location")
    if not isinstance(error, dict) or not isinstance(location, dict):
        return None
    code, name, path = error.get("code"), row.get("module"), location.get("file")
    if code not in CODES or not isinstance(name, str) or not isinstance(path, str):
        return None
    line = location.get("line")
    path = path.replace("\\", "/").removeprefix("./")
    return Violation(code, name, path, line if isinstance(line, int) else None)


def _installed(package: str) -> bool:
    try:
        metadata.distribution(package)
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return True


def _why(output: str, code: int) -> str:
    """The last line of deptry's error output that says something: not a traceback frame,
    not the code it quotes, not click's "Try --help"."""
    lines = [
        line.strip()
        for line in output.splitlines()
        if line.strip() and not line[:1].isspace() and not line.startswith(("Try ", "Traceback"))
    ]
    said = lines[-1] if lines else f"deptry exited with {code}"
    return printable(said, single_line=True)[:300]
