"""Broken internal imports: an import of the repository's own package that names a module or
a name the repository does not have, so importing the module that holds it fails.

Resolved from the package tree (every listed path) and each module's bindings (bindings.py,
in the cached per-file outline); nothing is imported. The repository's own packages are the
packages (with `__init__.py`) and modules at its root and everything under `src/`
(namespace packages too); other absolute imports are dependencies, not this source's
business. What the text cannot tell is never reported: guarded imports (optional, typing
only, per interpreter), names made on demand (`__getattr__`, `globals()`), star imports of
other packages, packages that extend their `__path__`, top-level namespace packages (other
distributions may add to them), modules a build writes (git-ignored, named in the build
configuration, compiled from C, Cython or Rust sources) and files the scan could not read.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.text import printable
from ..git.run import run as run_git
from ..scoring.scale import HIGH, MEDIUM
from .bindings import ALL, DEFERRED, GETATTR, NAMESPACE, PATH, RUNS
from .finding import Finding
from .inventory import excluded
from .repo_sources import RepoContext
from .small_files import read_bytes

SOURCE = "imports"
RULE = "broken-import"
#: Where the repository's own top-level packages live.
ROOTS = ("", "src")
#: Seconds the resolution may take before the source gives up (it is pure and fast: a
#: repository that takes this long is pathological, and its items are left as they were).
BUDGET = 60.0
#: Attributes every module has without defining them.
IMPLICIT = frozenset(
    "__name__ __doc__ __file__ __path__ __package__ __spec__ __loader__ __builtins__ "  # noqa: SIM905
    "__cached__ __dict__ __annotations__".split()
)
#: Files that stand for a compiled module of the same name beside them.
NATIVE_SUFFIXES = (".pyi", ".pyx", ".pxd", ".so", ".pyd", ".c", ".cc", ".cpp", ".cxx", ".rs")
#: Files that configure a build, where a module the build writes or compiles is named.
BUILD_FILES = frozenset(
    "setup.py setup.cfg pyproject.toml hatch_build.py build.py CMakeLists.txt meson.build "  # noqa: SIM905
    "Cargo.toml".split()
)
_NATIVE_BUILD = re.compile(
    rb"Extension\(|ext_modules|cythonize|\[tool\.maturin\]|scikit-build|meson-python"
    rb"|pybind11|nanobind|setuptools-rust|cffi_modules"
)

PACKAGE, MODULE, NATIVE, NAMESPACE_DIR = "package", "module", "native", "namespace"


@dataclass(frozen=True, slots=True)
class Found:
    """A module or package an import reached: its path stem, kind, and whether others can
    add submodules to it (a top-level namespace package, a package extending `__path__`)."""

    stem: str
    kind: str
    extensible: bool


@dataclass(frozen=True, slots=True)
class Missing:
    """The first part of an imported dotted name that does not exist, where it would be."""

    module: str
    stem: str


#: The import cannot be told broken from the repository's text.
UNKNOWN = "unknown"
#: The import is of no module of the repository.
EXTERNAL = "external"


@dataclass
class PackageTree:
    """The repository's modules as its paths and per-file outlines describe them."""

    files: frozenset[str]
    outlines: dict[str, dict[str, Any]]
    dirs: frozenset[str] = frozenset()
    native: frozenset[str] = frozenset()
    _names: dict[str, set[str] | None] = field(default_factory=dict)

    @classmethod
    def build(cls, paths: Iterable[str], outlines: dict[str, dict[str, Any]]) -> PackageTree:
        """The tree of `paths`, with the outlines of the Python files that have one."""
        files = frozenset(paths)
        dirs: set[str] = set()
        for path in files:
            folder = _parent(path)
            while folder and folder not in dirs:
                dirs.add(folder)
                folder = _parent(folder)
        native = {_stem(path) for path in files if path.endswith(NATIVE_SUFFIXES)}
        return cls(files, outlines, frozenset(dirs), frozenset(native))

    def kind(self, stem: str) -> str | None:
        """What `stem` (a path without suffix) is, in the order Python's finder looks: a
        package, a module, a compiled module, a namespace directory; None if nothing."""
        if f"{stem}/__init__.py" in self.files:
            return PACKAGE
        if f"{stem}.py" in self.files:
            return MODULE
        if stem in self.native:
            return NATIVE
        if stem in self.dirs:
            return NAMESPACE_DIR
        return None

    def source_file(self, stem: str, kind: str | None) -> str | None:
        """The Python file that defines the module at `stem`."""
        return {PACKAGE: f"{stem}/__init__.py", MODULE: f"{stem}.py"}.get(kind or "")

    def _extensible(self, stem: str, kind: str, parent_extensible: bool) -> bool:
        if kind == NAMESPACE_DIR:
            return parent_extensible
        path = self.source_file(stem, kind)
        return kind == NATIVE or (path is not None and PATH in self._dynamic(path))

    def _dynamic(self, path: str) -> set[str]:
        outline = self.outlines.get(path)
        return set(outline.get("dynamic", ())) if outline else set()

    def walk(self, found: Found, parts: list[str], prefix: str) -> Found | Missing | str:
        """Descend from `found` through the dotted `parts`; `prefix` is found's dotted name."""
        for part in parts:
            if found.kind == NATIVE:
                return UNKNOWN
            prefix = f"{prefix}.{part}" if prefix else part
            child = _join(found.stem, part)
            kind = self.kind(child) if found.kind in (PACKAGE, NAMESPACE_DIR) else None
            if kind is None:
                return UNKNOWN if found.extensible else Missing(prefix, child)
            found = Found(child, kind, self._extensible(child, kind, found.extensible))
        return found

    def top_level(self, name: str, importer: str) -> list[Found]:
        """Where the top-level `name` is one of the repository's own: at the root (a package
        or a module), under src/ (anything), and, when it is, in the first directory above
        `importer` that is no package (the one Python puts first on the path for a script)."""
        places = []
        for root in ROOTS:
            stem = _join(root, name)
            kind = self.kind(stem)
            if kind is None or (root == "" and kind == NAMESPACE_DIR):
                continue
            places.append(Found(stem, kind, self._extensible(stem, kind, True)))
        if places:
            base = _parent(importer)
            while base and self.kind(base) == PACKAGE:
                base = _parent(base)
            local = _join(base, name)
            kind = self.kind(local)
            if base not in ROOTS and kind is not None:
                places.append(Found(local, kind, self._extensible(local, kind, True)))
        return places

    def alternatives(self, importer: str, row: dict[str, Any]) -> list[Found | Missing | str]:
        """What an import row can name: one outcome (Found, Missing, UNKNOWN or EXTERNAL)
        per place its module may be (a top-level name can be both at the root and under
        src/, which one Python finds depends on how it is run)."""
        parts = [p for p in str(row["module"]).split(".") if p]
        level = int(row["level"])
        if not level:
            places = self.top_level(parts[0], importer)
            return [self.walk(place, parts[1:], parts[0]) for place in places] or [EXTERNAL]
        stem = _parent(importer)
        for _ in range(level - 1):
            stem = _parent(stem)
        if not stem:
            return [UNKNOWN]  # the root itself, or beyond it
        kind = self.kind(stem) or NAMESPACE_DIR
        parent = _parent(stem)
        closed = bool(parent) and self.kind(parent) == PACKAGE
        start = Found(stem, kind, self._extensible(stem, kind, not closed))
        return [self.walk(start, parts, self.dotted(stem))]

    def locate(self, importer: str, row: dict[str, Any]) -> Found | Missing | str:
        """The one module an import row names; UNKNOWN when several places may hold it."""
        outcomes = self.alternatives(importer, row)
        return outcomes[0] if len(outcomes) == 1 else UNKNOWN

    def dotted(self, stem: str) -> str:
        """The dotted name Python imports the module at `stem` (or a file) by: from the
        highest package above it, or from src/."""
        parts = stem.removesuffix(".py").removesuffix("/__init__").split("/")
        start = len(parts) - 1
        while start > 0:
            parent = "/".join(parts[:start])
            if parent == "src" or not (parent.startswith("src/") or self.kind(parent) == PACKAGE):
                break
            start -= 1
        return ".".join(parts[start:])

    def absolute(self, importer: str, row: dict[str, Any]) -> str:
        """The dotted module an import row names, a relative one made absolute."""
        level = int(row["level"])
        if not level:
            return str(row["module"])
        package = self.dotted(importer).split(".")
        if not importer.endswith("/__init__.py"):
            package = package[:-1]
        base = package[: len(package) - (level - 1)]
        return ".".join([*base, *filter(None, [str(row["module"])])])

    def names(self, path: str, active: frozenset[str] = frozenset()) -> set[str] | None:
        """The names the module in `path` defines, with what its star imports bring; None
        when they cannot be known (no outline, names made at run time, an unknown star)."""
        if path in self._names:
            return self._names[path]
        if path in active:
            return None  # star imports in a circle: give up rather than guess
        outline = self.outlines.get(path)
        found: set[str] | None = None
        if outline is not None and not {GETATTR, NAMESPACE} & set(outline.get("dynamic", ())):
            found = set(outline.get("defines", ()))
            for row in outline.get("imported", ()):
                if "*" not in row["names"]:
                    continue
                target = self.locate(path, row)
                brought = (
                    self.exports(target, active | {path}) if isinstance(target, Found) else None
                )
                if brought is None:
                    found = None
                    break
                found |= brought
        self._names[path] = found
        return found

    def exports(self, found: Found, active: frozenset[str] = frozenset()) -> set[str] | None:
        """What `from <found> import *` brings; None when unknown."""
        if found.kind == NAMESPACE_DIR:
            return None if found.extensible else set()
        path = self.source_file(found.stem, found.kind)
        outline = self.outlines.get(path) if path else None
        if path is None or outline is None:
            return None
        if outline.get("all") is not None:
            return set(outline["all"])
        if ALL in outline.get("dynamic", ()):
            return None
        names = self.names(path, active)
        return None if names is None else {n for n in names if not n.startswith("_")}

    def has_name(self, found: Found, name: str) -> bool | None:
        """Whether `from <found> import name` finds it (a submodule or a defined name);
        None when that cannot be told."""
        if found.kind in (PACKAGE, NAMESPACE_DIR) and self.kind(_join(found.stem, name)):
            return True
        if found.kind == NATIVE:
            return None
        if found.kind == NAMESPACE_DIR:
            return None if found.extensible else False
        path = self.source_file(found.stem, found.kind)
        names = self.names(path) if path else None
        if names is None:
            return None
        if name in names or name in IMPLICIT:
            return True
        return None if found.extensible else False


def _join(stem: str, part: str) -> str:
    return f"{stem}/{part}" if stem else part


def _parent(path: str) -> str:
    """The directory of a repository path ("" at the root)."""
    return path.rpartition("/")[0]


def _stem(path: str) -> str:
    """A path up to the first dot of the file's name (`a/_speed.cpython-312.so`: a/_speed)."""
    head, _, name = path.rpartition("/")
    return _join(head, name.split(".")[0])


@dataclass
class Broken:
    """One import statement that names what does not exist."""

    path: str
    line: int
    guard: str
    module: str  # the dotted module of the statement
    missing: Missing | None = None  # a module that does not exist
    names: list[str] = field(default_factory=list)  # or the names its module lacks
    defined_in: str = ""  # the file of that module
    package: str = ""  # the stem of that module when it is a package (names may be modules)
    shadows: str = ""  # the module of the same name beside that package, which Python skips

    def stems(self) -> list[str]:
        """Where the missing modules would be (a missing name of a package may be one)."""
        if self.missing is not None:
            return [self.missing.stem]
        return [_join(self.package, name) for name in self.names] if self.package else []

    def without(self, made: set[str], registered: set[str]) -> Broken | None:
        """This import without the modules a build makes or a file puts in sys.modules;
        None when nothing broken is left."""
        if self.missing is not None:
            gone = self.missing.stem in made or _registered(self.missing.module, registered)
            return None if gone else self
        names = [
            name
            for name in self.names
            if not self.package
            or not (
                _join(self.package, name) in made
                or _registered(f"{self.module}.{name}", registered)
            )
        ]
        return replace(self, names=names) if names else None

    @property
    def symbol(self) -> str:
        """The missing module, or the missing names as dotted names."""
        if self.missing is not None:
            return self.missing.module
        return ", ".join(f"{self.module}.{name}" for name in self.names)


def broken_imports(tree: PackageTree, budget: float = BUDGET) -> list[Broken] | None:
    """Every import statement in the outlined files that names a missing module or name;
    None if the resolution took longer than `budget` seconds."""
    deadline = time.monotonic() + budget
    found: list[Broken] = []
    for number, path in enumerate(sorted(tree.outlines)):
        if number % 256 == 0 and time.monotonic() > deadline:
            return None
        for row in tree.outlines[path].get("imported", ()):
            if row["guard"] not in (RUNS, DEFERRED):
                continue
            problem = _check(tree, path, row)
            if problem is not None:
                found.append(problem)
    return found


def _check(tree: PackageTree, path: str, row: dict[str, Any]) -> Broken | None:
    """What is broken in one import row, if it fails wherever its module may be."""
    problems = []
    for target in tree.alternatives(path, row):
        problem = _problem(tree, path, row, target)
        if problem is None:
            return None
        problems.append(problem)
    return problems[0] if problems else None


def _problem(
    tree: PackageTree, path: str, row: dict[str, Any], target: Found | Missing | str
) -> Broken | None:
    module = tree.absolute(path, row)
    if isinstance(target, Missing):
        return Broken(path, int(row["line"]), row["guard"], module, missing=target)
    if not isinstance(target, Found):
        return None
    lacking = [
        name for name in row["names"] if name != "*" and tree.has_name(target, name) is False
    ]
    if not lacking:
        return None
    source = tree.source_file(target.stem, target.kind) or f"{target.stem}/"
    package = target.stem if target.kind in (PACKAGE, NAMESPACE_DIR) else ""
    beside = f"{target.stem}.py" if target.kind == PACKAGE else ""
    shadows = beside if beside in tree.files else ""
    return Broken(
        path, int(row["line"]), row["guard"], module, None, lacking, source, package, shadows
    )


def built_elsewhere(root: Path, paths: Iterable[str], stems: Iterable[str]) -> set[str]:
    """The stems (missing modules) a build makes: git-ignored or already on disk (written by
    a build or a tool), named in the build configuration, generated by protoc, or compiled
    when the repository builds native extensions and its build files name them."""
    stems = set(stems)
    if not stems:
        return set()
    made = {s for s in stems if s.endswith(("_pb2", "_pb2_grpc"))}
    made |= {s for s in stems if (root / f"{s}.py").exists() or (root / s).is_dir()}
    made |= _git_ignored(root, stems - made)
    builds = [p for p in paths if PurePosixPath(p).name in BUILD_FILES]
    texts = [read_bytes(root, p) for p in builds]
    native = any(PurePosixPath(p).name in ("CMakeLists.txt", "meson.build", "Cargo.toml")
                 for p in builds) or any(_NATIVE_BUILD.search(t) for t in texts)  # fmt: skip
    for stem in stems - made:
        inside = stem.removeprefix("src/")
        named = f"{inside}.py".encode()
        leaf = re.compile(rb"\b%s\b" % re.escape(inside.rsplit("/", 1)[-1].encode()))
        if any(named in t for t in texts) or (native and any(leaf.search(t) for t in texts)):
            made.add(stem)
    return made


def _git_ignored(root: Path, stems: set[str]) -> set[str]:
    if not stems or not (root / ".git").exists():
        return set()
    candidates = {f"{s}.py": s for s in stems} | {f"{s}/__init__.py": s for s in stems}
    try:
        listing = "\0".join(candidates).encode("utf-8", "surrogateescape")
        done = run_git(root, "check-ignore", "-z", "--stdin", stdin=listing, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set(stems)  # cannot tell: none of them is reported
    if done.returncode not in (0, 1):
        return set(stems)
    listed = [os.fsdecode(p) for p in done.stdout.split(b"\0") if p]
    return {candidates[p] for p in listed if p in candidates}


def applies(context: RepoContext) -> bool:
    """Every full and architecture scan reads the imports (the kinds decide)."""
    return True


def findings(context: RepoContext) -> list[Finding]:
    """One finding per import statement that names what the repository does not have."""
    outlines = {
        path: results["outline"]
        for path, results in context.results.items()
        if isinstance(results.get("outline"), dict) and "imported" in results["outline"]
    }
    tree = PackageTree.build(context.paths, outlines)
    found = broken_imports(tree)
    if found is None:
        return context.give_up(SOURCE, f"resolving the imports took over {BUDGET:g} s")
    stems = {stem for broken in found for stem in broken.stems()}
    made = built_elsewhere(context.root, context.paths, stems)
    made |= {s for s in stems if _excluded(s, context.config.exclude)}
    registered = {name for o in outlines.values() for name in o.get("registers", ())}
    left = [b.without(made, registered) for b in found]
    return [_finding(b, tree.dotted(b.path)) for b in left if b is not None]


def _registered(module: str, registered: set[str]) -> bool:
    """Whether some file puts `module`, a parent or a child of it in sys.modules by name."""
    return any(
        module == name or module.startswith(f"{name}.") or name.startswith(f"{module}.")
        for name in registered
    )


def _excluded(stem: str, patterns: tuple[str, ...]) -> bool:
    return bool(patterns) and any(
        excluded(p, patterns) for p in (f"{stem}.py", f"{stem}/__init__.py")
    )


def _finding(broken: Broken, importer: str) -> Finding:
    line = f"{broken.path}:{broken.line}"
    if broken.path.endswith("__init__.py"):
        fails = f"`import {importer}` fails, and with it every module of the package"
    else:
        fails = f"`import {importer}` fails"
    if broken.guard == DEFERRED:
        fails = "the function (or script block) that holds the import fails when it runs"
    if broken.missing is not None:
        stem = broken.missing.stem
        where = f"no {stem}.py, no {stem}/"
        what = f"{broken.missing.module}, which the repository does not have ({where})"
        error = "ModuleNotFoundError"
    else:
        names = ", ".join(broken.names)
        what = (
            f"{names} from {broken.module}, which {broken.defined_in} neither defines nor "
            "has as a submodule"
        )
        if broken.shadows:  # a package beside a module of its name: Python takes the package
            what += f" (the package {broken.package}/ hides the module {broken.shadows})"
        error = "ImportError"
    description = (
        f"{line} imports {what}: {fails} with {error}. Add what is missing, or correct or "
        "remove the import."
    )
    several = len(broken.names) > 1
    title = f"Broken import in {broken.path}: {broken.symbol} do{'' if several else 'es'} not exist"
    deferred = broken.guard == DEFERRED
    return Finding(
        source=SOURCE,
        rule=RULE,
        title=printable(title, single_line=True),
        description=printable(description, single_line=True),
        category="technical-debt",
        path=broken.path,
        line=broken.line,
        symbol=printable(broken.symbol, single_line=True),
        estimated_hours=0.5,
        impact=6.0 if deferred else 9.0,
        confidence=9.0,
        ease=8.0,
        risk=0.5,
        business_value=8.0 if deferred else 13.0,
        time_criticality=8.0 if deferred else 13.0,
        risk_reduction=8.0,
        security_severity=MEDIUM if deferred else HIGH,
        data={
            "module": importer,
            "imports": broken.module,
            "missing": broken.missing.module if broken.missing else None,
            "names": list(broken.names),
            "deferred": deferred,
            "fails": fails,
        },
    )
