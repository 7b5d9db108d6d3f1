"""Complexity source: cyclomatic complexity per function (radon for Python, lizard for the
other languages it reads: lizard_complexity.py) and, for Python only, maintainability per file."""

from __future__ import annotations

import ast
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from .finding import Finding
from .raw_metrics import RawMetrics, comment_percent

SOURCE = "complexity"
CC_RULE = "cyclomatic-complexity"
MI_RULE = "maintainability-index"
PYTHON = "Python"
ANONYMOUS = "(anonymous)"
#: radon's cyclomatic complexity ranks: the lowest score of each rank.
CC_RANK_FLOOR = {"A": 1, "B": 6, "C": 11, "D": 21, "E": 31, "F": 41}
#: radon's maintainability ranks, best first (A above 19, B above 9, C the rest).
MI_RANKS = ("A", "B", "C")
_RANK_STEP = {"A": 0, "B": 0, "C": 1, "D": 2, "E": 3, "F": 4}


def cc_rank(score: int) -> str:
    """radon's letter (A-F) for a cyclomatic complexity score."""
    from radon.complexity import cc_rank as _cc_rank

    return str(_cc_rank(max(score, 0)))


def mi_rank(score: float) -> str:
    """radon's letter (A-C) for a maintainability index."""
    from radon.metrics import mi_rank as _mi_rank

    return str(_mi_rank(score))


def _flatten(blocks: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every function, method and closure of radon's blocks with a dotted name."""
    from radon.visitors import Function

    for block in blocks:
        if isinstance(block, Function):
            name = f"{prefix}{block.name}"
            yield name, block
            yield from _flatten(block.closures, f"{name}.")
        else:  # a class: its methods and inner classes
            yield from _flatten(block.methods, f"{prefix}{block.name}.")
            yield from _flatten(block.inner_classes, f"{prefix}{block.name}.")


def _try_star_points(tree: ast.AST) -> tuple[dict[tuple[int, int], int], int]:
    """Decision points of `except*` handlers radon does not count, per function and in total.

    Each `try` with `except*` adds one per handler and one for `else`, like a plain `try`;
    handlers inside a nested function or class belong to that one, as radon scopes them.
    """
    per_function: dict[tuple[int, int], int] = {}
    total = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.TryStar):
            total += len(node.handlers) + bool(node.orelse)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        points = 0
        stack: list[ast.AST] = list(node.body)
        while stack:
            child = stack.pop()
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            if isinstance(child, ast.TryStar):
                points += len(child.handlers) + bool(child.orelse)
            stack.extend(ast.iter_child_nodes(child))
        if points:
            per_function[(node.lineno, node.col_offset)] = points
    return per_function, total


def measure(tree: ast.AST, raw: RawMetrics | None) -> dict[str, Any]:
    """Complexity of every function and the file's maintainability index, as plain data.

    `tree` is parsed once by the caller and shared with the other analysers; `raw` comes
    from the same file's token pass (None when the tokenizer rejected the file).
    """
    from radon.metrics import h_visit_ast, mi_compute
    from radon.visitors import ComplexityVisitor

    # what radon's cc_visit_ast does, keeping the visitor for its total complexity
    visitor = ComplexityVisitor.from_ast(tree)
    extra, extra_total = _try_star_points(tree) if raw is None or raw.has_except_star else ({}, 0)
    functions = []
    for name, block in _flatten([*visitor.functions, *visitor.classes]):
        score = block.complexity + extra.get((block.lineno, block.col_offset), 0)
        kind = "method" if block.is_method else "function"
        functions.append([name, kind, block.lineno, block.endline, score])
    total = visitor.total_complexity + extra_total
    volume = h_visit_ast(tree).total.volume
    result: dict[str, Any] = {"functions": functions, "total_cc": total, "volume": volume}
    if raw is not None:
        percent = comment_percent(raw)
        # radon's own mi_parameters passes LLOC as the length; do the same so ranks agree
        # unrounded: radon ranks the exact value, and 19.003 rounded to 19.0 would drop a rank
        mi = mi_compute(volume, total, raw.lloc, percent)
        result.update(
            mi=mi,
            sloc=raw.sloc,
            lloc=raw.lloc,
            loc=raw.loc,
            comments=raw.comments,
            multi=raw.multi,
            comment_percent=round(percent, 1),
        )
    return result


def churn_interest(commits: int) -> float:
    """Debt interest (>= 1) from how often the file changed in the churn window."""
    return round(min(5.0, 1.0 + math.log2(1 + max(commits, 0))), 2)


def _function_finding(
    path: str,
    row: list[Any],
    threshold: int,
    interest: float,
    commits: int,
    *,
    language: str,
    symbol: str,
) -> Finding:
    name, kind, line, endline, score = row
    rank = cc_rank(score)
    step = _RANK_STEP[rank]
    hours = round(min(24.0, 1.0 + 0.25 * (score - threshold)), 2)
    measured = f"radon rank {rank}" if language == PYTHON else f"{language}, lizard; rank {rank}"
    what, where = f"{kind} {name}", f"{kind.capitalize()} {name} in {path}"
    if name == ANONYMOUS:  # lizard's name for a function without one: the file says more
        what = f"an anonymous {kind} in {PurePosixPath(path).name}"
        where = f"An anonymous {kind} in {path} (line {line})"
    return Finding(
        source=SOURCE,
        rule=CC_RULE,
        title=f"Reduce the complexity of {what} (CC {score}, rank {rank})",
        description=(
            f"{where} has cyclomatic complexity {score} "
            f"({measured}); the threshold is {threshold}. Split it into smaller "
            "functions or simplify its branching."
        ),
        category="technical-debt",
        path=path,
        line=line,
        symbol=symbol,
        estimated_hours=hours,
        impact=float(3 + step),
        confidence=8.0,
        ease=float(max(2, 7 - step)),
        risk=round(0.3 + 0.1 * step, 2),
        business_value=2.0,
        time_criticality=1.0,
        risk_reduction=float((2, 3, 5, 8, 13)[step]),
        debt_hours=hours,
        debt_interest=interest,
        business_value_text="Simpler code is cheaper to change and less likely to hide defects.",
        data={
            "cc": score,
            "rank": rank,
            "threshold": threshold,
            "kind": kind,
            "endline": endline,
            "commits": commits,
            "language": language,
        },
    )


def _file_finding(path: str, result: dict[str, Any], interest: float, commits: int) -> Finding:
    mi, sloc = float(result["mi"]), int(result["sloc"])
    rank = mi_rank(mi)
    hours = round(min(40.0, max(1.0, sloc / 200.0 * (1.0 + (19.0 - mi) / 10.0))), 2)
    return Finding(
        source=SOURCE,
        rule=MI_RULE,
        title=f"Improve the maintainability of {path} (MI {mi:.1f}, rank {rank})",
        description=(
            f"{path} has a maintainability index of {mi:.1f} (radon rank {rank}) over "
            f"{sloc} source lines and total cyclomatic complexity {result['total_cc']}. "
            "Split the module by concept and document what stays."
        ),
        category="technical-debt",
        path=path,
        symbol=None,
        estimated_hours=hours,
        impact=6.0 if rank == "C" else 5.0,
        confidence=6.0,
        ease=3.0 if rank == "C" else 4.0,
        risk=0.6,
        business_value=3.0,
        time_criticality=1.0,
        risk_reduction=5.0 if rank == "C" else 3.0,
        debt_hours=hours,
        debt_interest=interest,
        business_value_text="A maintainable module keeps every later change in it cheap.",
        data={
            "mi": round(mi, 2),
            "mi_rank": rank,
            "sloc": sloc,
            "lloc": result["lloc"],
            "comment_percent": result["comment_percent"],
            "halstead_volume": round(float(result["volume"]), 1),
            "total_cc": result["total_cc"],
            "commits": commits,
        },
    )


def findings(
    path: str,
    result: dict[str, Any],
    *,
    min_rank: str = "C",
    mi_max_rank: str = "B",
    commits: int = 0,
) -> list[Finding]:
    """Findings for one file's measurements (radon's, or lizard's with their "language"):
    functions of `min_rank` or worse, and the file when its maintainability rank is
    `mi_max_rank` or worse (Python only); `commits` sets the interest.

    Functions of one name in a file (JavaScript's anonymous ones, Python's redefinitions)
    are told apart by their order among the reported ones: the second is `name#2`.
    """
    threshold = CC_RANK_FLOOR[min_rank] - 1
    interest = churn_interest(commits)
    language = str(result.get("language", PYTHON))
    seen: Counter[str] = Counter()
    found = []
    for row in result.get("functions", ()):
        if row[4] <= threshold:
            continue
        seen[row[0]] += 1
        symbol = row[0] if seen[row[0]] == 1 else f"{row[0]}#{seen[row[0]]}"
        found.append(
            _function_finding(
                path, row, threshold, interest, commits, language=language, symbol=symbol
            )
        )
    worst = MI_RANKS.index(mi_max_rank)
    if "mi" in result and result["sloc"] > 0 and MI_RANKS.index(mi_rank(result["mi"])) >= worst:
        found.append(_file_finding(path, result, interest, commits))
    return found
