"""Per-file analysis: one read, one parse, one token pass, shared by every per-file source."""

from __future__ import annotations

import ast
import contextlib
import os
import signal
import threading
import time
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import bandit_shapes, complexity, lizard_complexity, security, todos
from .comments import comment_style
from .inventory import name_and_suffix
from .newer_syntax import syntax_error_reason
from .outline import outline
from .path_roles import generated_header
from .raw_metrics import RawMetrics, raw_metrics
from .safe_read import RepoReader, Unreadable

#: The analysers that run on single files, in the order they run (bandit annotates the tree).
FILE_ANALYSERS = ("outline", "complexity", "todos", "secrets", "security")
#: Analysers that feed the scan itself (path roles), not a source of findings.
OUTLINE_ONLY = frozenset({"outline"})
PYTHON_SUFFIXES = frozenset({".py", ".pyw"})
#: Never text: not worth opening for secrets (detect-secrets' list, plus a few more).
BINARY_SUFFIXES = frozenset(
    ".7z .bin .bmp .bz2 .class .dmg .doc .docx .eot .exe .gif .gz .ico .jar .jpeg .jpg .mo "  # noqa: SIM905
    ".pdf .png .psd .rar .svg .tar .tif .tiff .ttf .webp .woff .woff2 .xls .xlsx .zip .whl "
    ".so .dll .dylib .pyc .pyo .o .a .mp3 .mp4 .wav .ogg .avi .mov .sqlite .db .parquet "
    ".pickle .pkl .npy .npz .xz .zst .lock .sum .map .min.js ".split()
)


def analysers_for(path: str, kind: str) -> frozenset[str]:
    """Which per-file analysers a scan of `kind` runs on `path` (empty: not in scope)."""
    name, suffix = name_and_suffix(path)
    suffix = suffix.lower()
    python = suffix in PYTHON_SUFFIXES
    minified = name.lower().endswith(".min.js")
    # Python's complexity is radon's; the other languages lizard reads are lizard's
    measured = not python and not minified and kind != "security" and lizard_complexity.reads(path)
    if kind == "architecture":
        if python:
            return frozenset({"complexity", "outline"})
        return frozenset({"complexity"}) if measured else frozenset()
    if kind == "types":  # mypy reads the files itself; the outline gives the path roles
        return frozenset({"outline"}) if python else frozenset()
    wanted: set[str] = set()
    if python:  # every kind reads the outline: a file's path role must not depend on the kind
        wanted |= {"security", "secrets", "outline"}
    elif suffix not in BINARY_SUFFIXES and not minified:
        wanted.add("secrets")
    if kind == "full":
        if python:
            wanted |= {"complexity", "todos"}
        else:
            if comment_style(path) is not None:
                wanted.add("todos")
            if measured:
                wanted.add("complexity")
    return frozenset(wanted)


@dataclass(slots=True)
class Outcome:
    """What analysing one file gave: results per analyser, or why the file was skipped.

    A file read only in part (a Python file that does not parse still has its TODOs and
    secrets read) has its results, the analysers that could not run in `not_run`, and why
    in `partial`.
    """

    path: str
    results: dict[str, Any]
    skip: str | None = None
    cacheable: bool = True  # a skip that would happen again (not UTF-8) is cached too
    partial: str | None = None
    not_run: frozenset[str] = frozenset()
    #: Seconds each analyser took on this file (for the scan's time per source; not cached).
    seconds: dict[str, float] = field(default_factory=dict)


def _tokens(text: str) -> RawMetrics | None:
    """The raw metrics, comments and literals of Python source, or None if it cannot be
    tokenized (on 3.12+ the standard tokenizer rejects some broken source)."""
    try:
        return raw_metrics(text)
    except (tokenize.TokenError, SyntaxError):
        return None


class _OverBudget(BaseException):
    """Raised when a file's time is up; a BaseException, so library `except Exception`
    handlers (bandit's per-test one) cannot swallow it."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` where signals allow (a process's main thread)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class FileAnalyser:
    """Runs the per-file sources; keeps bandit's test set and detect-secrets' settings loaded.

    Use it as a context manager: detect-secrets' settings are module state of that library
    and are restored on exit.
    """

    def __init__(self, size_limit: int = 1 << 20, budget: float = 10.0) -> None:
        self.size_limit = size_limit
        self.budget = budget
        self._bandit: security.BanditFileScanner | None = None
        self._secrets: Any = None
        self._seconds: dict[str, float] = {}
        self._readers: dict[str, RepoReader] = {}

    def __enter__(self) -> FileAnalyser:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._secrets is not None:
            self._secrets.close()
            self._secrets = None

    def _secret_scanner(self) -> Any:
        if self._secrets is None:
            from .secret_scan import SecretScanner

            self._secrets = SecretScanner().open()
        return self._secrets

    def analyse(self, root: str, path: str, analysers: frozenset[str]) -> Outcome:
        """Analyse the file at `root`/`path` with `analysers`; never raises for a bad file."""
        started = time.monotonic()
        self._seconds = {}
        reader = self._readers.get(root)
        if reader is None:
            reader = self._readers[root] = RepoReader(root)
        try:
            with _deadline(self.budget):
                outcome = self._analyse(reader, path, analysers, started)
                outcome.seconds = self._seconds
                return outcome
        except _OverBudget:
            pass
        except (RecursionError, MemoryError):
            return Outcome(path, {}, "too deeply nested to analyse (recursion limit)")
        except OSError as exc:
            return Outcome(path, {}, f"unreadable: {exc.strerror or exc}", cacheable=False)
        except Exception as exc:  # one odd file must not stop a scan; the reason is kept
            return Outcome(path, {}, f"analyser error: {type(exc).__name__}: {exc}", False)
        return Outcome(path, {}, f"analysis took longer than {self.budget:g} s", cacheable=False)

    @contextlib.contextmanager
    def _timed(self, analyser: str) -> Iterator[None]:
        """Add the block's time to `analyser`'s seconds on this file."""
        begun = time.perf_counter()
        try:
            yield
        finally:
            spent = time.perf_counter() - begun
            self._seconds[analyser] = self._seconds.get(analyser, 0.0) + spent

    def _check(self, started: float) -> None:
        if time.monotonic() - started > self.budget:
            raise _OverBudget

    def _analyse(
        self, reader: RepoReader, path: str, analysers: frozenset[str], started: float
    ) -> Outcome:
        full = reader.root / path
        try:
            data = reader.read(path, self.size_limit)
        except Unreadable as exc:
            return Outcome(path, {}, str(exc), False)
        if b"\0" in data[:8192]:
            return Outcome(path, {}, "binary file")
        if generated_header(data):
            return Outcome(path, {}, "generated file: its header says a tool wrote it")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Outcome(path, {}, f"not UTF-8 text (byte {exc.start})")
        text = text.removeprefix("\ufeff")
        if PurePosixPath(path).suffix.lower() in PYTHON_SUFFIXES:
            return self._python(full, path, data, text, analysers, started)
        style = comment_style(path)
        if style == "python":  # a stub (.pyi): Python's tokens, no code to measure or audit
            return Outcome(path, self._python_text(full, text, analysers, _tokens(text)))
        results: dict[str, Any] = {}
        unmeasured = None
        if "complexity" in analysers:  # lizard's languages: half the file's time at most
            try:
                with self._timed("complexity"):
                    results["complexity"] = lizard_complexity.measure(path, text, self.budget / 2)
            except lizard_complexity.Unmeasured as exc:
                unmeasured = str(exc)
            self._check(started)
        if "todos" in analysers:
            with self._timed("todos"):
                results["todos"] = todos.text_todos(text, style or "#")
        if "secrets" in analysers:
            with self._timed("secrets"):
                results["secrets"] = self._secret_scanner().scan(str(full), text)
        if unmeasured is not None:
            return Outcome(path, results, partial=unmeasured, not_run=frozenset({"complexity"}))
        return Outcome(path, results)

    def _python_text(
        self, full: Path, text: str, analysers: frozenset[str], raw: RawMetrics | None
    ) -> dict[str, Any]:
        """TODOs and secrets of Python source: from its comment and string tokens, or from
        all of its text when the tokenizer rejected it (`raw` is None)."""
        results: dict[str, Any] = {}
        if "todos" in analysers:
            with self._timed("todos"):
                if raw is not None:
                    results["todos"] = todos.python_todos(raw.comment_tokens)
                else:
                    results["todos"] = todos.text_todos(text, "#")
        if "secrets" in analysers:
            with self._timed("secrets"):
                rows = raw.literal_rows if raw is not None else None
                results["secrets"] = self._secret_scanner().scan(str(full), text, rows)
        return results

    def _python(
        self,
        full: Path,
        path: str,
        data: bytes,
        text: str,
        analysers: frozenset[str],
        started: float,
    ) -> Outcome:
        try:
            with warnings.catch_warnings(), self._timed("parse"):  # not ours to print
                warnings.simplefilter("ignore")
                tree = ast.parse(text, filename=path)
        except SyntaxError as exc:  # no tree: what needs none is still read, as text
            not_run = analysers & {"complexity", "security", "outline"}
            reason = syntax_error_reason(exc, text)
            text_only = self._python_text(full, text, analysers, _tokens(text))
            return Outcome(path, text_only, partial=reason, not_run=not_run)
        with self._timed("parse"):
            raw = _tokens(text)  # None: the tokenizer disagrees with the parser; no MI
        self._check(started)
        results: dict[str, Any] = {}
        if "outline" in analysers:
            with self._timed("outline"):
                results["outline"] = outline(tree)
        if "complexity" in analysers:
            with self._timed("complexity"):
                results["complexity"] = complexity.measure(tree, raw)
            self._check(started)
        results.update(self._python_text(full, text, analysers, raw))
        if results.get("secrets", {}).get("found"):
            results["secrets"]["in_docstring"] = _in_docstrings(tree, results["secrets"]["found"])
        self._check(started)
        if "security" in analysers:  # last: bandit annotates the shared tree
            if self._bandit is None:
                self._bandit = security.BanditFileScanner()
            comments = raw.comment_tokens if raw is not None else None
            with self._timed("security"):
                rows = self._bandit.scan(str(full), data, tree, comments)
                bandit_shapes.judge(rows, tree)
                security.attach_snippets(rows, text.splitlines())
            results["security"] = rows
            self._check(started)
        return Outcome(path, results)


def _in_docstrings(tree: ast.AST, hits: list[list[Any]]) -> list[int]:
    """The lines of `hits` ([type, line, hash]) that lie in a docstring."""
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                spans.append((first.lineno, first.end_lineno or first.lineno))
    lines = {int(hit[1]) for hit in hits}
    return sorted(n for n in lines if any(start <= n <= end for start, end in spans))


#: The analyser of a pool worker process, made by `start_worker`.
_WORKER: FileAnalyser | None = None


def start_worker(size_limit: int, budget: float) -> None:
    """Pool initializer: one FileAnalyser for the life of the worker process, which ends
    when the process that started it is gone (see `_outlive_no_parent`)."""
    global _WORKER
    _WORKER = FileAnalyser(size_limit, budget).__enter__()
    threading.Thread(
        target=_outlive_no_parent, args=(os.getppid(),), name="parent-watch", daemon=True
    ).start()


def _outlive_no_parent(parent: int, every: float = 0.5) -> None:
    """Exit as soon as `parent` is no longer this process's parent. A scan killed outright
    (SIGKILL, or SIGTERM / SIGHUP, which it does not catch) cannot stop its pool; its workers
    would live on under init, each holding its memory and the scan's stdout and stderr, so a
    caller reading those pipes would wait for ever."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


def analyse_batch(root: str, batch: list[tuple[str, frozenset[str]]]) -> list[Outcome]:
    """Analyse a batch of (path, analysers) in a pool worker."""
    assert _WORKER is not None, "start_worker() was not run in this process"
    return [_WORKER.analyse(root, path, analysers) for path, analysers in batch]
