"""A Python file's outline: what it imports and whether it runs as a script; which top-level
files are standalone scripts (tooling) rather than the code a project ships.

A young repository keeps `run_checks.py`, `validate_release.py` and the like beside its real
modules at the top. Such a file runs as a script (`if __name__ == "__main__":`), no shipped
module imports it and no entry point names it: findings there are about the project's own
tooling, not about what its users run. Read from the parsed tree only: nothing is imported.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.nesting import toml_loads
from .bindings import bindings

#: `module:function` (or `package.module:function`) in an entry-point table.
_ENTRY = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*:")


def outline(tree: ast.Module) -> dict[str, Any]:
    """Whether the module has an `if __name__ == "__main__":` block, and its bindings
    (bindings.py): the top-level names it imports, each import with its line and guard,
    the names it defines, `__all__`."""
    main = any(_is_main_guard(node) for node in tree.body)
    return {"main": main, **bindings(tree)}


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    parts = [node.test.left, *node.test.comparators]
    names = {p.id for p in parts if isinstance(p, ast.Name)}
    texts = {p.value for p in parts if isinstance(p, ast.Constant)}
    return "__name__" in names and "__main__" in texts


def entry_point_modules(root: Path) -> set[str]:
    """Top-level modules named by pyproject.toml's [project.scripts], [project.gui-scripts]
    and [project.entry-points.*]."""
    path = root / "pyproject.toml"
    try:
        if not path.is_file() or path.is_symlink():
            return set()
        project = toml_loads(path.read_text(encoding="utf-8", errors="replace")).get("project")
    except (OSError, tomllib.TOMLDecodeError):
        return set()
    if not isinstance(project, dict):
        return set()
    tables: list[Any] = [project.get("scripts"), project.get("gui-scripts")]
    groups = project.get("entry-points")
    if isinstance(groups, dict):
        tables += list(groups.values())
    found = set()
    for table in tables:
        if isinstance(table, dict):
            for target in table.values():
                match = _ENTRY.match(str(target))
                if match:
                    found.add(match.group(1).split(".")[0])
    return found


def standalone_scripts(
    outlines: Mapping[str, dict[str, Any]], entry_points: set[str], shipped: set[str]
) -> set[str]:
    """The top-level `.py` files that run as scripts, that no entry point names and that no
    other file in `shipped` (the paths whose role is production) imports."""
    candidates = {
        path
        for path, found in outlines.items()
        if "/" not in path  # at the top of the repository
        and path.endswith(".py")
        and found.get("main")
        and PurePosixPath(path).stem not in entry_points | {"setup", "manage"}
    }
    imported: set[str] = set()
    for path in shipped - candidates:
        imported.update(outlines.get(path, {}).get("imports", ()))
    return {path for path in candidates if PurePosixPath(path).stem not in imported}
