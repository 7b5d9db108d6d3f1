"""Security source: bandit's checks on one Python file at a time, reusing the parsed tree."""

from __future__ import annotations

import ast
import hashlib
import io
import logging
import re
from collections import Counter
from pathlib import PurePosixPath
from typing import Any, TypedDict

from ..core.text import printable, sentence
from .finding import Finding

SOURCE = "security"
#: bandit's weak-hash check (md5, sha1 without usedforsecurity=False).
WEAK_HASH = "B324"
#: bandit checks that flag the same call as a more specific one (its `mark_safe` blacklist
#: entry and the Django check): where both fire on one line, the specific one stands.
SAME_AS = {"B308": "B703"}
#: Hours to fix one bandit finding, whatever its severity.
ESTIMATE = 2.0
IDENTIFIER_NOTE = (
    " Nothing around it speaks of passwords, tokens or signatures: it names content (a cache"
    " key, an id), so severity LOW here; pass usedforsecurity=False to say so."
)
#: bandit severity / confidence -> security_severity (0-10) and confidence (1-10).
SEVERITY = {"LOW": 3.0, "MEDIUM": 6.0, "HIGH": 9.0, "UNDEFINED": 1.0}
CONFIDENCE = {"LOW": 4.0, "MEDIUM": 7.0, "HIGH": 9.0, "UNDEFINED": 3.0}
#: Checks whose message quotes the value they flag: a hard-coded password stays out of the backlog.
_QUOTES_VALUE = frozenset({"B105", "B106", "B107"})
_QUOTED = re.compile(r"""(['"]).*?\1""")
_TEST_FILE = re.compile(
    r"(^|/)(tests?|testing)/|(^|/)test_[^/]*\.py$|_test\.py$|(^|/)conftest\.py$"
)


def is_test_file(path: str) -> bool:
    """Whether `path` looks like part of a test suite (tests/, test_*.py, *_test.py, conftest)."""
    return bool(_TEST_FILE.search(path))


class BanditFileScanner:
    """bandit's configured test set, loaded once per process, run on one file per call.

    With a tree and the file's comments from the shared token pass, bandit neither parses
    nor tokenizes the file again; without them it goes through BanditManager as documented.
    """

    def __init__(self) -> None:
        from bandit.core import config, manager

        logging.getLogger("bandit").setLevel(logging.CRITICAL)
        self._ascii_tests: _AsciiTestSet | None = None
        self._manager = manager.BanditManager(config.BanditConfig(), "file", quiet=True)
        try:
            from bandit.core import metrics, node_visitor
            from bandit.core.manager import _parse_nosec_comment

            self._fast: tuple[Any, Any, Any] | None = (
                _visitor_skipping_untested(node_visitor.BanditNodeVisitor, self._manager.b_ts),
                metrics.Metrics,
                _parse_nosec_comment,
            )
        except ImportError:  # a bandit without these internals: use the documented path
            self._fast = None

    def scan(
        self,
        filename: str,
        data: bytes,
        tree: ast.AST | None = None,
        comments: list[tuple[int, str]] | None = None,
    ) -> list[dict[str, Any]]:
        """bandit's issues for one file as plain dicts (test id, severity, line...)."""
        if self._fast is not None and tree is not None and comments is not None:
            issues = self._scan_tree(filename, data, tree, comments)
        else:
            issues = self._scan_file(filename)
        return [_issue_row(issue) for issue in issues]

    def _scan_tree(
        self, filename: str, data: bytes, tree: ast.AST, comments: list[tuple[int, str]]
    ) -> list[Any]:
        assert self._fast is not None
        visitor_class, metrics_class, parse_nosec = self._fast
        metrics = metrics_class()
        metrics.begin(filename)
        nosec_lines = {line: parse_nosec(text) for line, text in comments}
        nosec_lines = {line: tests for line, tests in nosec_lines.items() if tests is not None}
        testset = self._manager.b_ts
        if data.isascii():
            if self._ascii_tests is None:
                self._ascii_tests = _AsciiTestSet(testset)
            testset = self._ascii_tests
        visitor = visitor_class(
            filename,
            io.BytesIO(data),
            self._manager.b_ma,
            testset,
            False,
            nosec_lines,
            metrics,
        )
        if not nosec_lines:
            # Without a single nosec comment every nosec lookup answers None; bandit would
            # still walk each node's line range once per test to find that out.
            visitor.tester._get_nosecs_from_contexts = _no_nosec
        # BanditNodeVisitor.process(), minus its own ast.parse of the same bytes
        visitor.generic_visit(tree)
        visitor.context = {
            "file_data": visitor.fdata,
            "filename": filename,
            "lineno": 0,
            "linerange": [0, 1],
            "col_offset": 0,
        }
        visitor.update_scores(visitor.tester.run_tests(visitor.context, "File"))
        return list(visitor.tester.results)

    def _scan_file(self, filename: str) -> list[Any]:
        from bandit.core import metrics

        manager = self._manager
        manager.files_list, manager.results, manager.skipped = [filename], [], []
        manager.scores, manager.metrics = [], metrics.Metrics()
        manager.run_tests()
        if manager.skipped:
            raise SyntaxError(manager.skipped[0][1])
        return list(manager.get_issue_list())


def _visitor_skipping_untested(base: Any, testset: Any) -> Any:
    """bandit's node visitor, minus its test run on nodes of a kind that has neither a test
    nor a visit method (Name, Load, BinOp...): such a run calls no test and adds zero
    scores, yet costs a chain of calls on most of a tree's nodes."""
    kinds = (name for name, value in vars(ast).items() if isinstance(value, type))
    untested = frozenset(
        kind
        for kind in kinds
        if issubclass(getattr(ast, kind), ast.AST)
        and not hasattr(base, f"visit_{kind}")
        and not testset.get_tests(kind)
    )

    class Visitor(base):
        def visit(self, node: ast.AST) -> None:
            if node.__class__.__name__ not in untested:
                super().visit(node)

    return Visitor


class _AsciiTestSet:
    """bandit's test set for a pure-ASCII file, without B613 (bidirectional control
    characters), which cannot fire there and reads the file character by character."""

    def __init__(self, testset: Any) -> None:
        self._testset = testset
        self._file_tests = [
            t for t in testset.get_tests("File") if getattr(t, "_test_id", "") != "B613"
        ]

    def get_tests(self, checktype: str) -> list[Any]:
        """The tests bandit runs for one kind of node (or "File")."""
        if checktype == "File":
            return self._file_tests
        return list(self._testset.get_tests(checktype))


def _no_nosec(context: object, test_result: object = None) -> None:
    return None


def _issue_row(issue: Any) -> dict[str, Any]:
    row = issue.as_dict(with_code=False)
    text = str(row["issue_text"])
    if row["test_id"] in _QUOTES_VALUE:
        text = _QUOTED.sub("'***'", text)
    return {
        "test_id": str(row["test_id"]),
        "test_name": str(row["test_name"]),
        "severity": str(row["issue_severity"]),
        "confidence": str(row["issue_confidence"]),
        "cwe": int((row.get("issue_cwe") or {}).get("id", 0) or 0),
        "line": int(row["line_number"]),
        "line_range": [int(n) for n in row["line_range"]],
        "text": text,
    }


#: Words around a weak hash that say it guards something: then it is a HIGH finding indeed.
#: ("signature" is not one: code calls a content fingerprint that as often as a signature,
#: and a real one comes with hmac, a key, a secret or a verify beside it.)
_GUARDING = frozenset(
    "password passwords passwd pwd secret secrets token tokens auth authenticate login salt "  # noqa: SIM905
    "salted credential credentials hmac nonce session cookie csrf otp apikey private crypt "
    "encrypt decrypt cert certificate verify".split()
)
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
#: A digest cut short names something (`hexdigest()[:8]`): nothing is checked against it.
_TRUNCATED = re.compile(r"(?:hex)?digest\(\)\s*\[\s*:?\s*-?\d*\s*:")
#: How far above a weak hash the words around it are read (its function, usually).
_CONTEXT_LINES = 12


def attach_snippets(rows: list[dict[str, Any]], lines: list[str]) -> None:
    """Give each issue the hash of its first source line, its identity across moves, and a
    weak hash (B324) the purpose its surroundings show."""
    for row in rows:
        index = row["line"] - 1
        code = " ".join(lines[index].split()) if 0 <= index < len(lines) else ""
        row["code_hash"] = hashlib.sha1(
            code.encode("utf-8", "surrogateescape"), usedforsecurity=False
        ).hexdigest()[:12]
        if row["test_id"] == WEAK_HASH and 0 <= index < len(lines):
            row["purpose"] = _hash_purpose(lines, index)


def _hash_purpose(lines: list[str], index: int) -> str:
    """ "identifier" when nothing from the enclosing def down to the flagged line speaks of
    passwords, tokens, signatures..., so md5/sha1 names content (a cache key, an ETag, a
    short id); "security" otherwise."""
    if _TRUNCATED.search(lines[index]):
        return "identifier"
    start = index
    while start > 0 and index - start < _CONTEXT_LINES:
        if lines[start].lstrip().startswith(("def ", "async def ")):
            break
        start -= 1
    context = "\n".join(lines[start : index + 1])
    words = {word.lower() for word in _WORDS.findall(context)}
    return "security" if words & _GUARDING else "identifier"


class Urgency(TypedDict):
    """The fields of a finding its severity sets."""

    impact: float
    risk: float
    business_value: float
    time_criticality: float
    risk_reduction: float


def urgency(high: bool, medium: bool) -> Urgency:
    """How much a finding of bandit's HIGH, MEDIUM (or else LOW) severity is worth fixing, and
    how risky the fix."""
    return {
        "impact": 8.0 if high else 6.0 if medium else 4.0,
        "risk": 0.7 if high else 0.5,
        "business_value": 8.0 if high else 5.0 if medium else 3.0,
        "time_criticality": 13.0 if high else 5.0 if medium else 3.0,
        "risk_reduction": 13.0 if high else 8.0 if medium else 5.0,
    }


def lower(finding: Finding, shape: str) -> None:
    """Make a bandit finding one of severity LOW, as a harmless shape the repository shows
    (`shape`, said in its description) makes it; the severity found stays in its data."""
    said = f" Here {shape}, so severity LOW."
    finding.data = {
        **finding.data,
        "text": sentence(str(finding.data.get("text", ""))) + said,
        "shape": shape,
        "severity_as_found": finding.data.get("severity_as_found", finding.security_severity),
    }
    finding.description = sentence(finding.description) + said
    finding.security_severity = SEVERITY["LOW"]
    for name, value in urgency(high=False, medium=False).items():
        setattr(finding, name, value)


def findings(
    path: str, rows: list[dict[str, Any]], *, skip_in_tests: tuple[str, ...] = ()
) -> list[Finding]:
    """One finding per bandit issue; the symbol is the test id and the hash of the flagged line.

    Checks in `skip_in_tests` (by default B101, `assert` used) are dropped in test files,
    where they are the point rather than a problem.
    """
    testing = is_test_file(path)
    seen: Counter[str] = Counter()
    found = []
    flagged = {(row["test_id"], row["line"]) for row in rows}
    for row in rows:
        test_id = row["test_id"]
        if testing and test_id in skip_in_tests:
            continue
        if (SAME_AS.get(test_id), row["line"]) in flagged:
            continue  # the same call, reported by bandit's more specific check too
        symbol = f"{test_id}@{row.get('code_hash', '')}"
        seen[symbol] += 1
        if seen[symbol] > 1:
            symbol = f"{symbol}#{seen[symbol]}"
        severity = SEVERITY.get(row["severity"], 1.0)
        high = row["severity"] == "HIGH"
        medium = row["severity"] == "MEDIUM"
        text = printable(row["text"], single_line=True)
        cwe = f" (CWE-{row['cwe']})" if row["cwe"] else ""
        extra: dict[str, object] = {}
        if row.get("purpose") == "identifier":
            # md5 naming content is a chore (say usedforsecurity=False), not a weakness
            extra = {"purpose": "identifier", "severity_as_found": severity}
            text = sentence(text) + IDENTIFIER_NOTE
            severity, high, medium = SEVERITY["LOW"], False, False
        finding = Finding(
            source=SOURCE,
            rule=test_id,
            title=f"{test_id} {row['test_name']} in {PurePosixPath(path).name}:{row['line']}",
            description=(
                f"bandit {test_id} ({row['test_name']}), severity {row['severity']}, "
                f"confidence {row['confidence']}{cwe} at {path}:{row['line']}: {text}"
            ),
            category="security",
            path=path,
            line=row["line"],
            symbol=symbol,
            # the same for every severity, so job size never ranks a LOW above a HIGH
            estimated_hours=ESTIMATE,
            confidence=CONFIDENCE.get(row["confidence"], 3.0),
            ease=6.0,
            **urgency(high, medium),
            security_severity=severity,
            is_security=True,
            business_value_text="Closes a weakness before someone else finds it.",
            data={
                "test_name": row["test_name"],
                "severity": row["severity"],
                "confidence": row["confidence"],
                "cwe": row["cwe"],
                "line_range": row["line_range"],
                "text": text,
                **extra,
            },
        )
        if row.get("shape"):  # a harmless shape the tree shows (bandit_shapes.py)
            lower(finding, row["shape"])
        found.append(finding)
    return found
