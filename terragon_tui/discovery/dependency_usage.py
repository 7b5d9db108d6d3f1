"""Dependency usage, through deptry: what the code imports against what the repository declares.

deptry runs once per scan (deptry_run.py) and its report is remembered by the inputs it reads
(the Python files, the manifests, deptry's version and command line, terragon's environment),
so a rescan with nothing changed does not run it.

deptry maps a declared package to the modules it provides from the metadata of the packages
installed where it runs, which is terragon's environment, not the repository's: a package not
installed here is assumed to provide the module of its own name (`django-environ` ->
`django_environ`), and an import of a package installed here but not declared is "transitive"
(DEP003) where it would be "missing" (DEP001) in the repository's own environment. Both are
one rule here, DEP001, and a package whose module name was guessed says so.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Any

from ..core.text import printable
from ..core.vocabulary import PRODUCTION
from . import deptry_run
from .bindings import DEFERRED, GUARDED
from .deptry_run import Violation
from .finding import Finding
from .path_roles import NOT_SCANNED
from .repo_sources import RepoContext
from .small_files import read_text

SOURCE = "dependencies"
#: deptry's codes as this source's rules (see the module docstring for DEP003).
RULES = {"DEP001": "DEP001", "DEP003": "DEP001", "DEP002": "DEP002", "DEP004": "DEP004",
         "DEP005": "DEP005"}  # fmt: skip
#: (hours, impact, confidence, ease, risk, value, criticality, reduction) per rule. An
#: undeclared import breaks a clean install, unless another dependency brings it along (which
#: deptry cannot tell here): some impact, some doubt.
_SCORES = {
    "DEP001": (0.25, 6.0, 6.0, 8.0, 0.2, 3.0, 3.0, 5.0),
    "DEP002": (0.25, 3.0, 6.0, 8.0, 0.2, 2.0, 1.0, 3.0),
    "DEP004": (0.25, 5.0, 6.0, 8.0, 0.2, 3.0, 2.0, 3.0),
    "DEP005": (0.1, 3.0, 9.0, 9.0, 0.1, 1.0, 1.0, 2.0),
}
#: An undeclared import in tests, docs, examples or tooling breaks no user's install.
_MINOR = (0.25, 3.0, 5.0, 8.0, 0.1, 1.0, 1.0, 2.0)
#: How much confidence a finding loses when deptry had to guess a package's module name.
_GUESS_LOSS = 2.0


def findings(context: RepoContext) -> list[Finding]:
    """deptry's findings for the repository; none when nothing declares dependencies, and
    none with the source given up when deptry is missing, cannot read the repository's
    declarations, or runs out of its time budget (`dependencies_budget` seconds)."""
    unread = deptry_run.unread_declarations(context.paths)
    if unread is not None:
        return context.give_up(SOURCE, f"deptry does not read {unread}, which declares them")
    if not deptry_run.declares_dependencies(context.paths):
        return []  # nothing to compare the imports with
    outside = deptry_run.linked_out(context.root, context.paths)
    if outside is not None:
        return context.give_up(SOURCE, f"{outside} is a symlink out of the repository")
    version = deptry_run.deptry_version()
    if not version:
        return context.give_up(SOURCE, "deptry is not installed")
    settings = deptry_run.read_settings(context.root)
    line = deptry_run.arguments(context.paths, settings)
    read = deptry_run.inputs(context.paths)
    key = inputs_key(context, read, version, line)
    report = context.remembered(SOURCE, key)
    if report is None:
        budget = context.config.dependencies_budget
        roles = context.roles  # strings in the files that ship count as uses
        shipped = [p for p in read if p.endswith(".py") and roles.role(p) == PRODUCTION]
        try:
            report = deptry_run.run(context.root, line, budget, shipped)
        except subprocess.TimeoutExpired:
            return context.give_up(SOURCE, f"deptry took longer than its {budget:g} s budget")
        except OSError as exc:
            return context.give_up(SOURCE, f"deptry could not start ({exc.strerror or exc})")
        context.remember(SOURCE, key, report)
    if "error" in report:
        return context.give_up(SOURCE, f"deptry could not read the repository: {report['error']}")
    guessed = [str(name) for name in report.get("guessed", [])]
    used = {**report.get("used", {}), **_imported_unseen(context, report)}
    if used:
        said = "; ".join(f"{printable(p)}: {printable(why)}" for p, why in sorted(used.items()))
        context.notes.append(f"dependencies: declared, never imported, but used: {said}")
    tracked = set(context.paths)
    local = _local_modules(context.paths)
    nested = _nested_projects(context.paths)
    found = []
    for violation in deptry_run.violations(report, settings):
        if violation.path not in tracked:
            continue  # deptry walks the directory: an untracked file is nobody's yet
        violation = dataclasses.replace(violation, guard=_guard(context, violation))
        role = context.roles.role(violation.path)
        if role in NOT_SCANNED:
            continue
        if violation.code not in ("DEP002", "DEP005") and _explained(violation, local, nested):
            continue
        if violation.code == "DEP004" and role != PRODUCTION:
            continue  # a dev dependency where it belongs
        if violation.code == "DEP002" and violation.name in used:
            continue
        found.append(_finding(context.root, violation, role, guessed))
    return found


def inputs_key(context: RepoContext, read: list[str], version: str, line: list[str]) -> str:
    """What deptry's report depends on: the files it reads, its version and command line,
    terragon's environment, and the path roles (the same in every process)."""
    roles = context.roles
    placed = (roles.extra, roles.production, sorted(roles.scripts))
    how = (deptry_run.REPORT_FORMAT, version, line, deptry_run.environment())
    return context.inputs_key(SOURCE, read, *how, *placed)


def _imported_unseen(context: RepoContext, report: dict[str, Any]) -> dict[str, str]:
    """Unused package -> the shipped file that imports its module where deptry does not look
    (the `else` of an `if TYPE_CHECKING:`), from each file's outline (outline.py)."""
    unused = [
        str(row["name"]) for row in report.get("violations", []) if row.get("code") == "DEP002"
    ]
    if not unused:
        return {}
    wanted = {module for package in unused for module in deptry_run.module_names(package)}
    importers: dict[str, str] = {}
    for path in sorted(context.results):
        found = context.results[path].get("outline")
        imports = found.get("imports", ()) if isinstance(found, dict) else ()
        modules = wanted.intersection(imports) - importers.keys()
        if modules and context.roles.role(path) == PRODUCTION:
            importers.update(dict.fromkeys(modules, path))
    seen = {}
    for package in unused:
        module = next((m for m in deptry_run.module_names(package) if m in importers), None)
        if module is not None:
            seen[package] = f"{module} imported in {importers[module]}"
    return seen


def _local_modules(paths: tuple[str, ...]) -> set[str]:
    """Every module path below the root ("a/b" for a/b.py, and every folder of Python
    files): deptry knows only the top-level ones."""
    modules: set[str] = set()
    for path in paths:
        if path.endswith(".py"):
            parts = path[:-3].split("/")
            modules.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))
    return modules


def _nested_projects(paths: tuple[str, ...]) -> list[str]:
    """Folders below the root with a project of their own (an example with its own
    pyproject.toml): their imports are theirs to declare."""
    marks = ("pyproject.toml", "setup.py", "setup.cfg")
    return sorted({p.rsplit("/", 1)[0] + "/" for p in paths if "/" in p and p.endswith(marks)
                   and p.rsplit("/", 1)[1] in marks})  # fmt: skip


def _explained(violation: Violation, local: set[str], nested: list[str]) -> bool:
    """Whether an import deptry flags is none of the repository's business: guarded (inside
    a try that catches ImportError, for type checkers only, for some interpreters), in a
    project of its own, or of a module beside the
    importing file or in a folder above it (a script's or a test's sibling), which Python
    finds there, as it finds a folder of the root without an `__init__.py` that deptry
    does not count as a module (`import src.pkg`)."""
    if violation.guard in GUARDED or any(violation.path.startswith(folder) for folder in nested):
        return True
    folders = violation.path.split("/")[:-1]
    top = violation.name.split(".")[0]
    return any("/".join((*folders[:n], top)) in local for n in range(len(folders) + 1))


def _guard(context: RepoContext, violation: Violation) -> str:
    """How the import deptry flags runs, from the file's outline (bindings.py): the guard of
    the import row at its line, "" when there is none (deptry saw what the outline did not)."""
    outline = context.results.get(violation.path, {}).get("outline")
    rows = outline.get("imported", ()) if isinstance(outline, dict) else ()
    top = violation.name.split(".")[0]
    guards = [
        str(row.get("guard", ""))
        for row in rows
        if row.get("line") == violation.line
        and (str(row.get("module", "")).split(".")[0] == top or top in row.get("names", ()))
    ]
    return guards[0] if guards else ""


def _finding(root: Path, v: Violation, role: str, guessed: list[str]) -> Finding:
    rule = RULES[v.code]
    name = printable(v.name, single_line=True)[:200]
    # outside shipped code, or in a function (a lazy import, often of an optional extra),
    # an undeclared import breaks no one's `import` of the package
    minor = role != PRODUCTION or v.guard == DEFERRED
    scores = _MINOR if rule == "DEP001" and minor else _SCORES[rule]
    data: dict[str, object] = {"deptry_code": v.code, "name": name}
    if rule in ("DEP002", "DEP005"):
        return _declared(root, v, name, scores, guessed, data)
    if rule == "DEP001":
        title = f"{name} is imported but not declared as a dependency"
        description = (
            f"{v.path}:{v.line} imports {name}, which is not declared: it is missing, or "
            "installed only as another package's dependency (deptry). Declare it, or tell "
            "deptry in [tool.deptry]: package_module_name_map when a declared package "
            "provides it under another name, per_rule_ignores.DEP001 when it is optional."
        )
    else:
        title = f"{name} is a dev dependency imported by production code"
        description = (
            f"{v.path}:{v.line} imports {name}, declared only as a development dependency: "
            "an install without the dev extras fails there. Declare it as a runtime "
            "dependency, or keep the import out of the code that ships."
        )
    return _made(rule, title, description, v.path, v.line, name, scores, scores[2], data)


def _declared(
    root: Path,
    v: Violation,
    name: str,
    scores: tuple[float, ...],
    guessed: list[str],
    data: dict[str, object],
) -> Finding:
    """A finding about a declared package (DEP002 unused, DEP005 standard library), placed
    on the manifest's line that declares it."""
    from packaging.utils import canonicalize_name

    symbol = canonicalize_name(v.name)
    confidence = scores[2]
    if v.code == "DEP002":
        title = f"{name} is declared in {v.path} but never imported"
        description = (
            f"{v.path} declares {name}, and deptry finds no import of it. Remove it, or, "
            "when it is loaded by name (a Django app, a database driver, a plugin), list it "
            "in [tool.deptry] per_rule_ignores.DEP002."
        )
        if v.name in guessed:
            confidence -= _GUESS_LOSS
            data["module_guessed"] = True
            description += (
                f" {name} is not installed where terragon runs, so deptry assumed its module "
                f"is {symbol.replace('-', '_')}; if it is imported under another name, map it "
                "in [tool.deptry] package_module_name_map."
            )
    else:
        title = f"{name} is in the standard library but declared in {v.path}"
        description = (
            f"{v.path} declares {name}, a module of Python's standard library: the package "
            "of that name on the index is at best an old backport. Remove it."
        )
    line = _declared_on(root, v.path, symbol)
    rule = RULES[v.code]
    return _made(rule, title, description, v.path, line, symbol, scores, confidence, data)


def dependency_finding(
    rule: str,
    title: str,
    description: str,
    path: str | None,
    scores: tuple[float, ...],
    confidence: float = 8.0,
    **fields: Any,
) -> Finding:
    """A finding of the dependencies source; `scores` are hours, impact, ease, risk and the
    WSJF business value, time criticality and risk reduction (the manifest checks use it too)."""
    hours, impact, ease, risk, value, criticality, reduction = scores
    return Finding(
        source=SOURCE,
        rule=rule,
        title=title,
        description=description,
        category="dependencies",
        path=path,
        estimated_hours=hours,
        impact=impact,
        confidence=max(1.0, confidence),
        ease=ease,
        risk=risk,
        business_value=value,
        time_criticality=criticality,
        risk_reduction=reduction,
        **fields,
    )


def _made(
    rule: str,
    title: str,
    description: str,
    path: str,
    line: int | None,
    symbol: str,
    scores: tuple[float, ...],
    confidence: float,
    data: dict[str, object],
) -> Finding:
    hours, impact, _, *rest = scores  # the third is the confidence, given on its own
    return dependency_finding(
        rule, title, description, path, (hours, impact, *rest), confidence,
        line=line, symbol=symbol, data=data,
    )  # fmt: skip


def _declared_on(root: Path, path: str, name: str) -> int | None:
    """The first line of the manifest at `path` that names the package `name` (canonical)."""
    spelled = r"[-_.]+".join(re.escape(part) for part in re.split(r"[-_.]+", name))
    # a requirement line starts with it, a PEP 621 list item is quoted, a Poetry key starts
    # its line
    pattern = re.compile(rf"""(?:^\s*|["'])(?:{spelled})\s*(?:$|[\[<>=!~;@\s"',])""", re.I)
    for number, text in enumerate(read_text(root, path).splitlines(), start=1):
        if pattern.search(text.split("#", 1)[0]):
            return number
    return None
