"""What a Python module binds at its top level and what it imports, read from its parsed tree:
the per-file half of the imports source (imports.py resolves them across the repository).

Each import is kept with how it runs. An import that is optional by design (in a `try:`
that catches ImportError, under `with suppress(ImportError)`), one for type checkers only
(`if TYPE_CHECKING:`) or one that depends on the interpreter (`if sys.version_info ...`,
`sys.platform`) is guarded; one in a function or an `if __name__ == "__main__":` block is
deferred: it breaks when that code runs, not when the module is imported. Imports of the
standard library are left out (they cannot name the repository's own modules), except star
imports, which make a module's names unknown.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, cast

#: How an import runs (the "guard" of an import row).
RUNS = ""  # when the module is imported
DEFERRED = "deferred"  # when the function or script block it is in runs
OPTIONAL = "optional"  # its ImportError is caught
TYPING = "typing"  # only type checkers read it
CONDITIONAL = "conditional"  # only on some interpreters or platforms
GUARDED = frozenset({OPTIONAL, TYPING, CONDITIONAL})

#: What makes a module's names unknowable from its text (the "dynamic" list).
GETATTR = "__getattr__"  # names made on demand (PEP 562, lazy loaders)
NAMESPACE = "globals"  # globals(), exec() or sys.modules[__name__] write names
ALL = "__all__"  # __all__ is computed, so what `import *` takes is unknown
PATH = "__path__"  # submodules come from elsewhere (`__path__` extended, sys.modules written)

_CAUGHT = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
#: Names that say a test depends on the interpreter or platform (PY2, PYPY, IS_WINDOWS...).
_INTERPRETER_NAME = re.compile(
    r"^(?:PY\d*|PYPY|CPYTHON|JYTHON|IS_[A-Z0-9_]+|[A-Z_]*WIN[A-Z0-9_]*)$"
)
_INTERPRETER_ATTRS = {
    "sys": frozenset({"version_info", "platform", "implementation", "hexversion", "maxsize"}),
    "os": frozenset({"name"}),
}
_STDLIB = frozenset(sys.stdlib_module_names)
_TYPE_ALIAS: Any = getattr(ast, "TypeAlias", ())


def bindings(tree: ast.Module) -> dict[str, Any]:
    """The top-level names the module imports (absolute imports, first component), its
    imports as rows (module, names, level, line and guard), the names it binds at its top
    level, its static `__all__` (None without one), what makes its names unknowable
    (`dynamic`) and the modules it puts in `sys.modules` by name (`registers`)."""
    rows: list[dict[str, Any]] = []
    _collect_imports(tree.body, RUNS, False, rows)
    defined: set[str] = set()
    _bind(tree.body, defined)
    seen = _Walk()
    seen.walk(tree)
    defined |= seen.defined
    if GETATTR in defined:
        seen.dynamic.add(GETATTR)
    exported = _static_all(tree.body, seen.all_writes)
    if exported is None and "__all__" in defined:
        seen.dynamic.add(ALL)
    return {
        "imports": sorted(seen.imported),
        "imported": rows,
        "defines": sorted(defined),
        "all": sorted(exported) if exported is not None else None,
        "dynamic": sorted(seen.dynamic),
        "registers": sorted(seen.registered),
    }


class _Walk:
    """One pass over every node of a module for what can be anywhere in it."""

    def __init__(self) -> None:
        self.imported: set[str] = set()
        self.defined: set[str] = set()
        self.dynamic: set[str] = set()
        self.registered: set[str] = set()
        self.all_writes = 0

    def walk(self, tree: ast.Module) -> None:
        """Read every node (by its exact type: this runs on every node of every file)."""
        for node in ast.walk(tree):
            # `kind is` does not narrow `node` for mypy; each branch casts to what it tested
            kind = type(node)
            if kind is ast.Name:
                name = cast(ast.Name, node)
                if name.id in ("__all__", "__path__") and type(name.ctx) is ast.Store:
                    self._store(name.id)
            elif kind is ast.Attribute:
                attribute = cast(ast.Attribute, node)
                owner = attribute.value
                if type(owner) is ast.Name and owner.id in ("__all__", "__path__"):
                    self._method(owner.id, attribute.attr)
            elif kind is ast.Call:
                self._call(cast(ast.Call, node))
            elif kind is ast.Subscript:
                self._subscript(cast(ast.Subscript, node))
            elif kind is ast.Import:
                imported = cast(ast.Import, node)
                self.imported.update(alias.name.split(".")[0] for alias in imported.names)
            elif kind is ast.ImportFrom:
                source = cast(ast.ImportFrom, node)
                if source.level == 0 and source.module:
                    self.imported.add(source.module.split(".")[0])
            elif kind is ast.Global:  # a function that declares a global binds it
                self.defined.update(cast(ast.Global, node).names)
            elif kind is ast.NamedExpr:
                target = cast(ast.NamedExpr, node).target
                if type(target) is ast.Name:
                    self.defined.add(target.id)

    def _store(self, name: str) -> None:
        if name == "__all__":
            self.all_writes += 1
        else:
            self.dynamic.add(PATH)

    def _method(self, name: str, method: str) -> None:
        if name == "__all__":  # a method called on __all__ may change it
            self.all_writes += 1
        elif method in ("append", "extend", "insert"):
            self.dynamic.add(PATH)

    def _call(self, call: ast.Call) -> None:
        func = call.func
        name = func.id if type(func) is ast.Name else getattr(func, "attr", "")
        if name in ("globals", "exec") and type(func) is ast.Name:
            self.dynamic.add(NAMESPACE)  # names the text does not show
        elif name in ("extend_path", "declare_namespace"):
            self.dynamic.add(PATH)
        elif _passes_sys_modules(call):
            # sys.modules.update({...}), monkeypatch.setitem(sys.modules, "x", m), patch.dict
            keys = _string_keys(call)
            if keys:
                self.registered.update(keys)
            else:
                self.dynamic.add(PATH)

    def _subscript(self, node: ast.Subscript) -> None:
        if not _is_sys_modules(node.value):
            return
        key = node.slice
        if _is_name(key, "__name__"):  # the module replaced, or written to from inside
            self.dynamic.add(NAMESPACE)
        elif isinstance(node.ctx, ast.Store):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self.registered.add(key.value)
            else:  # modules made at run time under names the text does not show
                self.dynamic.add(PATH)


def _row(module: str, names: list[str], level: int, line: int, guard: str) -> dict[str, Any]:
    return {"module": module, "names": names, "level": level, "line": line, "guard": guard}


def _collect_imports(
    body: Iterable[ast.stmt], guard: str, deferred: bool, rows: list[dict[str, Any]]
) -> None:
    """Every import under `body`, with how it runs (`guard`, or deferred, or RUNS)."""
    runs = guard or (DEFERRED if deferred else RUNS)
    for node in body:
        if isinstance(node, ast.Import):
            rows.extend(
                _row(alias.name, [], 0, node.lineno, runs)
                for alias in node.names
                if alias.name.split(".")[0] not in _STDLIB
            )
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [alias.name for alias in node.names]
            # a star import is kept whatever it names: the names it brings are unknown
            if node.level or module.split(".")[0] not in _STDLIB or "*" in names:
                rows.append(_row(module, names, node.level, node.lineno, runs))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            _collect_imports(node.body, guard, True, rows)
        elif isinstance(node, ast.If):
            _collect_if(node, guard, deferred, rows)
        elif isinstance(node, ast.Try | ast.TryStar):
            caught = OPTIONAL if any(_catches_import_error(h.type) for h in node.handlers) else ""
            _collect_imports(node.body, guard or caught, deferred, rows)
            for handler in node.handlers:  # the fallback of an optional import is optional too
                _collect_imports(handler.body, guard or caught, deferred, rows)
            _collect_imports(node.orelse, guard, deferred, rows)
            _collect_imports(node.finalbody, guard, deferred, rows)
        elif isinstance(node, ast.With | ast.AsyncWith):
            suppressed = any(_suppresses_import_error(item.context_expr) for item in node.items)
            _collect_imports(node.body, guard or (OPTIONAL if suppressed else ""), deferred, rows)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
            _collect_imports(node.body, guard, deferred, rows)
            _collect_imports(node.orelse, guard, deferred, rows)
        elif isinstance(node, ast.ClassDef):  # a class body runs with its module
            _collect_imports(node.body, guard, deferred, rows)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                _collect_imports(case.body, guard, deferred, rows)


def _collect_if(node: ast.If, guard: str, deferred: bool, rows: list[dict[str, Any]]) -> None:
    test = node.test
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    inner = test.operand if isinstance(test, ast.UnaryOp) and negated else test
    if _is_main_guard(test):
        _collect_imports(node.body, guard, True, rows)
        _collect_imports(node.orelse, guard, deferred, rows)
    elif _is_type_checking(inner):
        typed, runtime = (node.orelse, node.body) if negated else (node.body, node.orelse)
        _collect_imports(typed, guard or TYPING, deferred, rows)
        _collect_imports(runtime, guard, deferred, rows)
    elif _depends_on_interpreter(test):
        _collect_imports(node.body, guard or CONDITIONAL, deferred, rows)
        _collect_imports(node.orelse, guard or CONDITIONAL, deferred, rows)
    elif _probes_for_module(test):  # `if find_spec("x"):` is an optional import
        _collect_imports(node.body, guard or OPTIONAL, deferred, rows)
        _collect_imports(node.orelse, guard, deferred, rows)
    else:
        _collect_imports(node.body, guard, deferred, rows)
        _collect_imports(node.orelse, guard, deferred, rows)


def _names_in(node: ast.expr | None) -> Iterator[str]:
    """The plain names and the last part of the dotted names in an expression."""
    if node is None:
        return
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            yield part.id
        elif isinstance(part, ast.Attribute):
            yield part.attr


def _catches_import_error(handler_type: ast.expr | None) -> bool:
    return handler_type is None or any(name in _CAUGHT for name in _names_in(handler_type))


def _suppresses_import_error(expr: ast.expr) -> bool:
    """`suppress(ImportError)` or `contextlib.suppress(ModuleNotFoundError, ...)`."""
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "suppress" and any(
        _catches_import_error(argument) for argument in expr.args if argument is not None
    )


def _is_main_guard(test: ast.expr) -> bool:
    if not isinstance(test, ast.Compare):
        return False
    parts = [test.left, *test.comparators]
    names = {p.id for p in parts if isinstance(p, ast.Name)}
    texts = {p.value for p in parts if isinstance(p, ast.Constant)}
    return "__name__" in names and "__main__" in texts


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Constant) and test.value is False:  # the old `if False:` idiom
        return True
    if isinstance(test, ast.BoolOp):
        return any(_is_type_checking(value) for value in test.values)
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _depends_on_interpreter(test: ast.expr) -> bool:
    for part in ast.walk(test):
        if isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name):
            if part.attr in _INTERPRETER_ATTRS.get(part.value.id, ()):
                return True
            if part.value.id == "platform":  # platform.system(), platform.python_version()
                return True
        elif isinstance(part, ast.Name) and _INTERPRETER_NAME.match(part.id):
            return True
    return False


def _probes_for_module(test: ast.expr) -> bool:
    return any(name in ("find_spec", "find_loader") for name in _names_in(test))


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_sys_modules(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute) and node.attr == "modules" and _is_name(node.value, "sys")
    )


def _passes_sys_modules(call: ast.Call) -> bool:
    """A call on sys.modules (`update`, `setdefault`) or one that is handed it."""
    func = call.func
    if isinstance(func, ast.Attribute) and _is_sys_modules(func.value):
        return func.attr in ("update", "setdefault", "__setitem__")
    return any(_is_sys_modules(argument) for argument in call.args)


def _string_keys(call: ast.Call) -> set[str]:
    """The strings a call passes, directly or as the keys of a dict literal."""
    keys: set[str] = set()
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        candidates = argument.keys if isinstance(argument, ast.Dict) else [argument]
        keys.update(
            c.value for c in candidates if isinstance(c, ast.Constant) and isinstance(c.value, str)
        )
    return keys


def _bind(body: Iterable[ast.stmt], names: set[str]) -> None:
    """The names `body` binds in its module's namespace (not inside functions or classes)."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                _targets(target, names)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            _targets(node.target, names)
        elif isinstance(node, ast.Import):
            names.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.For | ast.AsyncFor):
            _targets(node.target, names)
            _bind(node.body, names)
            _bind(node.orelse, names)
        elif isinstance(node, ast.While | ast.If):
            _bind(node.body, names)
            _bind(node.orelse, names)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None:
                    _targets(item.optional_vars, names)
            _bind(node.body, names)
        elif isinstance(node, ast.Try | ast.TryStar):
            _bind(node.body, names)
            for handler in node.handlers:
                if handler.name:
                    names.add(handler.name)
                _bind(handler.body, names)
            _bind(node.orelse, names)
            _bind(node.finalbody, names)
        elif isinstance(node, ast.Match):
            for case in node.cases:
                names.update(
                    n
                    for p in ast.walk(case.pattern)
                    for n in (getattr(p, "name", None), getattr(p, "rest", None))
                    if isinstance(n, str)
                )
                _bind(case.body, names)
        elif isinstance(node, _TYPE_ALIAS):  # `type X = ...` (3.12)
            _targets(node.name, names)


def _targets(target: ast.expr, names: set[str]) -> None:
    if isinstance(target, ast.Name):
        names.add(target.id)
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            _targets(element, names)
    elif isinstance(target, ast.Starred):
        _targets(target.value, names)


def _static_all(body: list[ast.stmt], writes: int) -> set[str] | None:
    """The names `__all__` lists when only literal lists of strings make it (assigned,
    `+=`, `.extend([...])`, `.append("x")`, at the top level or in its if/try blocks);
    None when it is absent, computed, or changed anywhere else (`writes` counts every
    place that binds it or calls a method on it)."""
    found: set[str] | None = None
    understood = 0
    for node in _top_level(body):
        value = _value_for_all(node)
        if value is None:
            continue
        listed = _literal_strings(value)
        if listed is None:
            return None
        understood += 1
        found = (found or set()) | listed
    return found if understood == writes else None


def _value_for_all(node: ast.stmt) -> ast.expr | None:
    """What the statement adds to `__all__` (an expression to read as a literal), or None
    if it does not touch it. A call other than append or extend adds an unreadable value."""
    if isinstance(node, ast.Assign) and any(_is_name(t, "__all__") for t in node.targets):
        return node.value
    if isinstance(node, ast.AnnAssign | ast.AugAssign) and _is_name(node.target, "__all__"):
        return node.value or ast.List(elts=[])
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return None
    call = node.value
    if not (isinstance(call.func, ast.Attribute) and _is_name(call.func.value, "__all__")):
        return None
    if call.func.attr == "append":
        return ast.List(elts=list(call.args))
    if call.func.attr == "extend" and len(call.args) == 1:
        return call.args[0]
    return ast.Name(id="__all__")  # anything else: not a literal


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of the module's top level, including those in if/try blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.Try | ast.TryStar):
            yield from _top_level(node.body)
            yield from _top_level(node.orelse)
            if not isinstance(node, ast.If):
                for handler in node.handlers:
                    yield from _top_level(handler.body)
                yield from _top_level(node.finalbody)


def _literal_strings(value: ast.expr | None) -> set[str] | None:
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        strings = [
            e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
        return set(strings) if len(strings) == len(value.elts) else None
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        left, right = _literal_strings(value.left), _literal_strings(value.right)
        return left | right if left is not None and right is not None else None
    return None
