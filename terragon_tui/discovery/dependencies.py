"""Dependency hygiene: what the code imports against what is declared (deptry, in
dependency_usage.py), and the declarations themselves: unpinned and duplicated requirements,
pyproject vs requirements drift, which deptry does not look at."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.nesting import toml_loads
from ..core.text import printable
from . import dependency_usage
from .finding import Finding
from .repo_sources import RepoContext
from .small_files import read_text

SOURCE = "dependencies"
_REQUIREMENTS = re.compile(
    r"^([^/]*[-_.])?requirements([-_.][^/]*)?\.txt$|^requirements/[^/]+\.txt$"
)
_SIDE_FILES = re.compile(r"dev|test|doc|lint|ci|type|bench|example", re.IGNORECASE)
_MAIN_NAMES = frozenset({"requirements.txt", "requirements/base.txt", "requirements/main.txt",
                         "requirements/prod.txt", "requirements/production.txt"})  # fmt: skip
_OPTION_TAIL = re.compile(r"\s+--?[A-Za-z]")
_COMMENT = re.compile(r"(^|\s)#.*$")
#: A line that installs the project itself (`-e .`, `.[dev]`): the file adds to pyproject.
_INSTALLS_PROJECT = re.compile(
    r"^\s*(?:-e\s+|--editable[ =]\s*)?(?:file:)?\.(?:\[[^\]]*\])?\s*$", re.M
)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One requirement line: the canonical name, its specifier, marker and where it is."""

    name: str
    specifier: str
    marker: str
    pinned: bool
    line: int
    text: str


def _parse(text: str) -> tuple[list[Requirement], list[tuple[int, str]]]:
    """Requirements and unparseable lines of a requirements file (options and paths skipped)."""
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Parsed
    from packaging.utils import canonicalize_name

    found: list[Requirement] = []
    invalid: list[tuple[int, str]] = []
    logical, first = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not logical:
            first = number
        line = _COMMENT.sub("", raw).rstrip()
        if line.endswith("\\"):
            logical += line[:-1] + " "
            continue
        logical = (logical + line).strip()
        line, logical = logical, ""
        if not line or line.startswith("-"):
            continue
        line = _OPTION_TAIL.split(line, maxsplit=1)[0].strip()
        if line.startswith((".", "/", "~")) or re.match(r"^[a-z+]+://", line):
            continue  # a path or a bare URL: nothing to pin by name
        try:
            parsed = Parsed(line)
        except InvalidRequirement:
            invalid.append((first, line))
            continue
        specs = list(parsed.specifier)
        pinned = parsed.url is not None or any(
            s.operator in ("==", "===") and "*" not in s.version for s in specs
        )
        found.append(
            Requirement(
                canonicalize_name(parsed.name),
                str(parsed.specifier),
                str(parsed.marker or ""),
                pinned,
                first,
                line,
            )
        )
    return found, invalid


def _finding(rule: str, path: str, title: str, description: str, **fields: Any) -> Finding:
    scores = {
        "unpinned-requirements": (1.0, 4.0, 8.0, 0.3, 2.0, 2.0, 5.0),
        "duplicate-requirement": (0.25, 3.0, 9.0, 0.1, 1.0, 1.0, 2.0),
        "requirements-drift": (0.5, 5.0, 8.0, 0.3, 3.0, 3.0, 5.0),
        "invalid-requirement": (0.25, 4.0, 9.0, 0.1, 2.0, 3.0, 3.0),
    }[rule]
    return dependency_usage.dependency_finding(rule, title, description, path, scores, **fields)


def _file_findings(
    path: str, reqs: list[Requirement], invalid: list[tuple[int, str]]
) -> list[Finding]:
    found = []
    unpinned = sorted({r.name for r in reqs if not r.pinned})
    if unpinned:
        names = ", ".join(unpinned[:10]) + (" ..." if len(unpinned) > 10 else "")
        found.append(
            _finding(
                "unpinned-requirements",
                path,
                f"Pin {len(unpinned)} requirement(s) in {path}",
                f"{path} installs whatever version is newest for: {names}. Pin them (==) or "
                "generate the file from a lock (pip-compile, uv pip compile).",
                data={"names": unpinned},
            )
        )
    seen: dict[tuple[str, str], Requirement] = {}
    for req in reqs:
        first = seen.setdefault((req.name, req.marker), req)
        if first is not req:
            found.append(
                _finding(
                    "duplicate-requirement",
                    path,
                    f"{req.name} is required twice in {path}",
                    f"{path} lists {req.name} on lines {first.line} and {req.line} "
                    f"({first.specifier or 'any'} and {req.specifier or 'any'}); keep one.",
                    line=req.line,
                    symbol=req.name,
                    data={"lines": [first.line, req.line]},
                )
            )
    for line, text in invalid:
        shown = printable(text, single_line=True)[:120]
        found.append(
            _finding(
                "invalid-requirement",
                path,
                f"Unparseable requirement in {path}:{line}",
                f"pip cannot read {shown!r} at {path}:{line}.",
                line=line,
                symbol=" ".join(text.split())[:200],
            )
        )
    return found


def _declared(root: Path) -> tuple[dict[str, Requirement], list[Finding]]:
    """[project].dependencies of pyproject.toml by name, and its own duplicates."""
    try:
        project = toml_loads(read_text(root, "pyproject.toml")).get("project", {})
    except tomllib.TOMLDecodeError:
        return {}, []
    deps = project.get("dependencies") if isinstance(project, dict) else None
    if not isinstance(deps, list):
        return {}, []
    reqs, invalid = _parse("\n".join(str(d) for d in deps))
    found = [
        f
        for f in _file_findings("pyproject.toml", reqs, invalid)
        if f.rule != "unpinned-requirements"
    ]
    return {r.name: r for r in reqs}, found


def _drift(
    path: str, text: str, reqs: list[Requirement], declared: dict[str, Requirement]
) -> list[Finding]:
    from packaging.specifiers import SpecifierSet

    found = []
    listed = {r.name: r for r in reqs}
    # A file that installs the project itself only adds tools to what pyproject declares:
    # what pyproject requires and the file does not list is no disagreement there.
    layered = bool(_INSTALLS_PROJECT.search(text))
    # What the file lists and pyproject does not is no drift: a deployment file adds servers
    # and transitive pins, and an import of one that pyproject lacks is deptry's DEP001.
    for name in sorted(declared):
        ours, theirs = declared[name], listed.get(name)
        if theirs is None:
            if layered:
                continue
            kind, detail = "missing", f"pyproject.toml requires {name} but {path} does not list it"
        elif theirs.pinned and "==" in theirs.specifier:
            version = theirs.specifier.split("==")[-1].split(",")[0]
            try:
                if SpecifierSet(ours.specifier).contains(version, prereleases=True):
                    continue
            except ValueError:
                continue
            kind = "conflict"
            detail = f"{path} pins {name}=={version}, outside pyproject.toml's {ours.specifier}"
        else:
            continue
        found.append(
            _finding(
                "requirements-drift",
                path,
                f"{name}: {path} and pyproject.toml disagree",
                detail + ". Regenerate one from the other.",
                line=theirs.line if theirs else None,
                symbol=name,
                data={
                    "kind": kind,
                    "pyproject": ours.specifier,
                    "requirements": theirs.specifier if theirs else None,
                },
            )
        )
    return found


def applies(context: RepoContext) -> bool:
    """Dependency hygiene is part of a full scan."""
    return context.kind == "full"


def findings(context: RepoContext) -> list[Finding]:
    """The repository's dependency findings (a repository-wide source)."""
    return manifest_findings(context.root, context.paths) + dependency_usage.findings(context)


def manifest_findings(root: Path, paths: Iterable[str]) -> list[Finding]:
    """Dependency hygiene findings for the repository at `root` whose files are `paths`."""
    paths = list(paths)
    files = sorted(p for p in paths if _REQUIREMENTS.match(p))
    declared, found = _declared(root) if "pyproject.toml" in paths else ({}, [])
    mains = [p for p in files if p in _MAIN_NAMES]
    for path in files:
        text = read_text(root, path)
        reqs, invalid = _parse(text)
        side = bool(_SIDE_FILES.search(PurePosixPath(path).stem))
        # a dev or docs toolset is not what users install: its pins are the lock file's job
        found.extend(
            f
            for f in _file_findings(path, reqs, invalid)
            if not (side and f.rule == "unpinned-requirements")
        )
        if declared and path in mains[:1] and not side:
            found.extend(_drift(path, text, reqs, declared))
    return found
