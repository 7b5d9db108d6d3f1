"""Known harmless shapes of bandit findings, read from the parsed tree (nothing is run).

Some bandit checks flag a pattern that is harmless in a shape the tree shows plainly:
- B104 (bind to all interfaces) and B108 (a /tmp path) on a literal that is only a default
  (a parameter's, a `default=` argument's, a class field's, an environment lookup's
  fallback): whoever runs the code chooses the real value; and B104 on an address that is
  only a value (returned, compared, passed to a call that neither binds nor hosts);
- B310 (urlopen of a URL whose scheme nobody checked) when the URL is written out as
  http:// or https://, directly, in an f-string, in a Request, or in a name assigned so;
- B308 (mark_safe) on constant text: nothing from a user reaches it.
And one shape the repository's manifests show (`judge_repository`):
- B413 (`import Crypto`, the abandoned pyCrypto) where the manifests name pycryptodome, the
  maintained drop-in that provides the same `Crypto` package, and none names pyCrypto.
Such a finding keeps its place, at severity LOW, with the shape named: counted, not hidden.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from .finding import Finding
from .security import SOURCE, lower
from .small_files import read_text

CONFIGURABLE = "the value is only a default its caller or operator sets"
NOT_LISTENED_ON = (
    "the address is a value here (returned, compared, a placeholder), not one to listen on"
)
FIXED_SCHEME = "the URL is written out as http(s)://"
LITERAL_MARKUP = "mark_safe on constant text"
#: B413's shape: the `Crypto` package is pycryptodome's (the manifest naming it follows).
MAINTAINED_CRYPTO = "`Crypto` is pycryptodome's, the maintained drop-in for pyCrypto"
#: The files that name what a Python project installs: manifests, requirements, locks.
_MANIFEST = re.compile(
    r"^(pyproject\.toml|setup\.cfg|setup\.py|Pipfile|Pipfile\.lock|uv\.lock|poetry\.lock"
    r"|pdm\.lock|requirements[^/]*\.(txt|in))$"
)
_PYCRYPTODOME = re.compile(r"(?<![\w.-])pycryptodome(?![\w.-])", re.IGNORECASE)
_PYCRYPTO = re.compile(r"(?<![\w.-])pycrypto(?![\w.-])", re.IGNORECASE)
_LITERAL_CHECKS = frozenset({"B104", "B108"})
_URL_OPENERS = frozenset({"urlopen", "Request", "urlretrieve"})
_ENV_LOOKUPS = frozenset({"getenv", "get", "setdefault"})
_SCHEMES = ("http://", "https://")
#: Calls and keywords that take an address to listen on or connect to.
_ADDRESS_WORDS = re.compile(r"bind|listen|serve|server|run|socket|host|addr|interface|start", re.I)


def judge(rows: Iterable[dict[str, Any]], tree: ast.AST) -> None:
    """Mark each bandit row (as security.py makes them) whose shape is harmless with
    `row["shape"]`, the reason."""
    wanted = [r for r in rows if r["test_id"] in (*_LITERAL_CHECKS, "B310", "B308")]
    if not wanted:
        return
    lines = {r["line"] for r in wanted}
    parents: dict[ast.AST, ast.AST] = {}
    at_line: dict[int, list[ast.AST]] = {}
    assigned: dict[str, list[tuple[int, ast.expr]]] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
        line = getattr(node, "lineno", None)
        if line is not None and line in lines:
            at_line.setdefault(line, []).append(node)
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append((node.lineno, node.value))
    for row in wanted:
        nodes = at_line.get(row["line"], [])
        shape = None
        if row["test_id"] in _LITERAL_CHECKS:
            literals = _literals(row["test_id"], nodes, parents)
            if literals and all(_is_default(n, parents) for n in literals):
                shape = CONFIGURABLE
            elif (
                row["test_id"] == "B104"
                and literals
                and all(_not_an_address(n, parents) for n in literals)
            ):
                shape = NOT_LISTENED_ON
        elif row["test_id"] == "B310":
            calls = [n for n in nodes if isinstance(n, ast.Call) and _name(n.func) == "urlopen"]
            fixed = calls and all(_fixed_scheme(c, assigned, row["line"]) for c in calls)
            shape = FIXED_SCHEME if fixed else None
        elif row["test_id"] == "B308":
            calls = [n for n in nodes if isinstance(n, ast.Call) and _name(n.func) == "mark_safe"]
            literal = calls and all(_constant_args(c) for c in calls)
            shape = LITERAL_MARKUP if literal else None
        if shape:
            row["shape"] = shape


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _flagged(test_id: str, value: str) -> bool:
    """Whether `value` is the kind of literal the check flags (an address, a temp path)."""
    if test_id == "B104":
        return value in ("0.0.0.0", "::")
    return value.startswith(("/tmp", "/var/tmp", "/dev/shm"))


def _literals(test_id: str, nodes: list[ast.AST], parents: dict[ast.AST, ast.AST]) -> list[ast.AST]:
    """The string literals of the kind the check flags on the line."""
    return [
        n
        for n in nodes
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and _flagged(test_id, n.value)
        and not _is_docstring(n, parents)
    ]


def _not_an_address(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether an all-interfaces literal never reaches anything that listens: it is returned,
    compared, or passed to a call (or keyword) that is not about binding or hosts."""
    parent = parents.get(node)
    while isinstance(parent, ast.IfExp | ast.BoolOp | ast.Tuple | ast.List):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Return | ast.Compare):
        return True
    if isinstance(parent, ast.keyword):
        return not _ADDRESS_WORDS.search(parent.arg or "")
    if isinstance(parent, ast.Call):
        return not _ADDRESS_WORDS.search(_name(parent.func))
    return False


def _is_docstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    return isinstance(parents.get(node), ast.Expr)


def _is_default(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    if isinstance(parent, ast.arguments):  # def f(host="0.0.0.0")
        return True
    if isinstance(parent, ast.keyword) and parent.arg == "default":  # add_argument(default=)
        return True
    if isinstance(parent, ast.AnnAssign | ast.Assign) and isinstance(
        parents.get(parent), ast.ClassDef
    ):  # a class field's default: host: str = "0.0.0.0"
        return True
    if isinstance(parent, ast.Call) and _name(parent.func) in _ENV_LOOKUPS:
        # os.getenv("HOST", "0.0.0.0"), os.environ.get(...), settings.get(...): the fallback
        return len(parent.args) >= 2 and parent.args[-1] is node
    return False


def _fixed_scheme(
    expr: ast.expr, assigned: dict[str, list[tuple[int, ast.expr]]], line: int, depth: int = 0
) -> bool:
    """Whether `expr` is a URL written out as http(s)://, as far as the tree shows."""
    if depth > 3:
        return False
    if isinstance(expr, ast.Call) and _name(expr.func) in _URL_OPENERS:
        if not expr.args:
            return False
        return _fixed_scheme(expr.args[0], assigned, line, depth + 1)
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value.startswith(_SCHEMES)
    if isinstance(expr, ast.JoinedStr) and expr.values:
        head = expr.values[0]
        return isinstance(head, ast.Constant) and str(head.value).startswith(_SCHEMES)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        return _fixed_scheme(expr.left, assigned, line, depth + 1)
    if isinstance(expr, ast.Name):
        earlier = [value for at, value in assigned.get(expr.id, []) if at < line]
        return bool(earlier) and _fixed_scheme(earlier[-1], assigned, line, depth + 1)
    return False


def _constant_args(call: ast.Call) -> bool:
    values = [*call.args, *(k.value for k in call.keywords)]
    return bool(values) and all(isinstance(v, ast.Constant) for v in values)


def crypto_provider(root: Path, paths: Iterable[str]) -> str | None:
    """The manifest (or lock) that names pycryptodome, when none names pyCrypto itself: then
    the repository's `import Crypto` is the maintained package. None otherwise."""
    named = None
    manifests = [
        path
        for path in paths
        if _MANIFEST.match(PurePosixPath(path).name)
        or (PurePosixPath(path).parent.name == "requirements" and path.endswith((".txt", ".in")))
    ]
    for path in sorted(manifests, key=lambda p: (p.endswith(".lock"), p)):  # locks last
        text = read_text(root, path)
        if _PYCRYPTO.search(text):
            return None
        if named is None and _PYCRYPTODOME.search(text):
            named = path
    return named


def judge_repository(root: Path, paths: Iterable[str], found: list[Finding]) -> None:
    """Lower the bandit findings whose shape the repository's manifests show harmless."""
    pycrypto = [f for f in found if f.source == SOURCE and f.rule == "B413"]
    if not pycrypto:
        return
    provider = crypto_provider(root, paths)
    if provider is None:
        return
    for finding in pycrypto:
        lower(finding, f"{MAINTAINED_CRYPTO} ({provider} names it)")
