"""Type errors: mypy over the repository where it configures mypy (or on request), grouped by
error code.

mypy runs through `mypy.api.run` in a child process of our interpreter, so it can be killed
when its time budget (`types_budget`) is spent. It runs on a safe copy of the repository's
configuration (mypy_config.py: no plugins, no reports), writes its cache under the user cache
directory, never into the repository, and reads no site-packages (`--no-site-packages`): the
results depend on the repository alone, not on what happens to be installed here, and no
interpreter is asked for its paths. Third-party imports are then unresolved: missing stubs
are not the repository's debt and are left out. An import of its own modules that resolves
to nothing is the imports source's (imports.py), which also knows the guarded ones and the
modules a build writes; mypy's error for it is counted, not repeated. The checks that only
flag what an unresolved (Any) third-party name does to the repository's code are turned off:
untyped decorators, subclassing Any, returning Any, unused ignores (an ignore for a
third-party error has nothing to ignore here).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.text import printable
from . import mypy_config, path_roles
from .finding import Finding, Occurrence
from .mypy_config import MypyConfig
from .pool import ScanCancelled
from .repo_sources import RepoContext

SOURCE = "types"
#: What mypy is told beside the repository's configuration (see the module docstring).
FLAGS = (
    "--output=json",
    "--show-error-codes",
    "--no-site-packages",
    "--allow-untyped-decorators",
    "--allow-subclassing-any",
    "--no-warn-unused-ignores",
    "--no-warn-return-any",
)
#: Bump when what is remembered of a run changes, so older results are not used.
RESULT_FORMAT = 3
#: mypy named in what CI runs.
_MYPY_RUN = re.compile(r"\bmypy\b")
#: Error codes whose errors are usually defects: the code fails or misbehaves at run time.
LIKELY_BUGS = frozenset(
    "abstract arg-type assignment attr-defined await-not-async call-arg call-overload "  # noqa: SIM905
    "comparison-overlap dict-item empty-body exit-return func-returns-value has-type import "
    "import-not-found index list-item literal-required metaclass method-assign name-defined "
    "no-redef operator override possibly-undefined return return-value safe-super "
    "str-bytes-safe str-format str-unpack top-level-await truthy-function type-abstract "
    "typeddict-item typeddict-readonly-mutated typeddict-unknown-key union-attr "
    "unused-coroutine used-before-def valid-newtype".split()
)
#: Error codes about annotations and strictness: typing debt, rarely a defect.
STYLE = frozenset(
    "annotation-unchecked assert-type deprecated explicit-any explicit-override "  # noqa: SIM905
    "ignore-without-code maybe-unrecognized-str-typeform mutable-override name-match "
    "narrowed-type-not-subtype no-any-return no-any-unimported no-untyped-call no-untyped-def "
    "nonetype-type prop-decorator redundant-cast redundant-expr redundant-self truthy-bool "
    "truthy-iterable type-arg unimported-reveal unreachable untyped-decorator unused-awaitable "
    "unused-ignore var-annotated".split()
)
#: Per tier: hours per error, impact, confidence, ease, risk, business value, time
#: criticality, risk reduction.
_SCORES = {
    "bug": (0.5, 6.0, 6.0, 6.0, 0.3, 5.0, 3.0, 5.0),
    "typing": (0.5, 4.0, 6.0, 6.0, 0.2, 2.0, 2.0, 3.0),
    "style": (0.2, 2.0, 8.0, 8.0, 0.1, 1.0, 1.0, 2.0),
}
_MEANING = {
    "bug": "errors that usually fail at run time",
    "typing": "type errors",
    "style": "missing or loose annotations",
}
_IMPORTS = frozenset({"import", "import-not-found", "import-untyped"})
_MODULE = re.compile(r'module named "([^"]+)"|stubs not installed for "([^"]+)"|"([^"]+)"')
_BAD_PACKAGE = re.compile(r"^(.+?) contains __init__\.pyi? but is not a valid Python package name")
#: Files mypy stopped at (a syntax error, a duplicate module name) are left out and it is run
#: again, at most this many times.
MOST_RUNS = 20
#: The child: mypy.api.run with the arguments read from stdin; its three results on stdout.
_CHILD = (
    "import json, sys\nfrom mypy import api\njson.dump(api.run(json.load(sys.stdin)), sys.stdout)\n"
)


@dataclass
class _Run:
    """What one scan's mypy runs gave."""

    errors: list[list[Any]] = field(default_factory=list)  # [path, line, code, message]
    left_out: list[str] = field(default_factory=list)  # files mypy stopped at
    third_party: int = 0  # unresolved third-party imports, not counted
    own_unresolved: int = 0  # unresolved imports of the repository's modules: imports.py's
    gave_up: str | None = None
    over_budget: bool = False

    def as_json(self) -> dict[str, Any]:
        """JSON-able, to remember."""
        return dict(self.__dict__)


def applies(context: RepoContext) -> bool:
    """A `types` scan always runs mypy; a full scan only where the repository configures it."""
    if context.kind == "types":
        return True
    return context.kind == "full" and mypy_config.find(context.root, context.paths).configured


def findings(context: RepoContext) -> list[Finding]:
    """The repository's type errors, one finding per error (grouping.py makes the items)."""
    config = mypy_config.find(context.root, context.paths)
    python = [p for p in context.paths if PurePosixPath(p).suffix in (".py", ".pyi")]
    targets = [] if config.targets else _targets(context, config, python)
    if not config.targets and not targets:
        return []
    budget = context.config.types_budget
    key = context.inputs_key(
        SOURCE, [*python, *([config.path] if config.path else [])],
        RESULT_FORMAT, _mypy_version(), sys.version_info[:2], config.text, FLAGS, targets,
    )  # fmt: skip
    known = context.remembered(SOURCE, key)
    if known is not None:
        run = _Run(**known)
    else:
        run = _run(context, config, targets, budget)
        if not run.over_budget:  # mypy keeps what it checked in its cache: try again
            context.remember(SOURCE, key, run.as_json())
    if config.plugins:
        context.notes.append(f"types: mypy plugins not loaded ({', '.join(config.plugins)})")
    if run.left_out:
        shown = ", ".join(run.left_out[:5]) + (" ..." if len(run.left_out) > 5 else "")
        context.notes.append(f"types: mypy could not take {len(run.left_out)} file(s): {shown}")
    if run.gave_up is not None:
        return context.give_up(SOURCE, run.gave_up)
    if run.third_party:
        context.notes.append(
            f"types: {run.third_party} unresolved third-party import(s) not counted "
            "(no site-packages are read; missing stubs are not the repository's debt)"
        )
    if run.own_unresolved:
        context.notes.append(
            f"types: {run.own_unresolved} unresolved import(s) of the repository's own modules "
            "left to the imports source"
        )
    pinned = mypy_config.pinned_version(context.root, context.paths)
    checked = bool(run.errors) and _ci_runs_mypy(context)
    return [
        _finding(path, line, code, message, pinned, config.plugins, checked)
        for path, line, code, message in run.errors
    ]


def _ci_runs_mypy(context: RepoContext) -> bool:
    """Whether a CI step of the repository (or a hook CI runs) runs mypy (ci_runs.py)."""
    from . import ci_runs, config_audit

    ci_files = config_audit.ci_files_of(context.paths)
    if not ci_files:
        return False
    tool = config_audit.tool_table(context.root)
    return ci_runs.read(context.root, context.paths, ci_files, tool).runs(_MYPY_RUN)


@functools.cache
def _mypy_version() -> str:
    try:
        return metadata.version("mypy")
    except metadata.PackageNotFoundError:
        return "missing"


def _targets(context: RepoContext, config: MypyConfig, python: list[str]) -> list[str]:
    """The tracked Python files to check: not vendored or generated, not excluded by the
    repository's mypy `exclude`, and parsed by the scan (mypy stops at a syntax error)."""
    patterns = [re.compile(p) for p in config.exclude if _valid(p)]
    chosen = []
    for path in python:
        if context.roles.role(path) in path_roles.NOT_SCANNED:
            continue
        results = context.results.get(path)
        if results is not None and results.get("outline") is None:
            continue  # the scan could not parse it
        if patterns and _excluded(path, patterns):
            continue
        chosen.append(path)
    return chosen


def _valid(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _excluded(path: str, patterns: list[re.Pattern[str]]) -> bool:
    """Whether mypy's `exclude` would skip `path` while walking the tree: the file or one of
    its directories (as "dir/") matches a pattern."""
    parts = path.split("/")
    walked = ["/".join(parts[: n + 1]) + "/" for n in range(len(parts) - 1)] + [path]
    return any(p.search(step) for p in patterns for step in walked)


def _places(root: Path, config: MypyConfig, base: Path) -> tuple[Path, Path]:
    """mypy's cache directory for this repository, and where its configuration is written:
    under `base` (the user cache directory), never in the repository."""
    digest = hashlib.sha1(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    base.mkdir(parents=True, exist_ok=True)
    written = base / f"{digest[:16]}{config.suffix}"
    temporary = written.with_name(f"{written.name}.{os.getpid()}")
    temporary.write_text(config.text, encoding="utf-8")
    os.replace(temporary, written)
    return base / digest[:16], written


def _run(context: RepoContext, config: MypyConfig, targets: list[str], budget: float) -> _Run:
    """mypy over `targets`, with its cache in the user cache directory, or in a temporary
    one (said in a note) where that cannot be written: a full or read-only disk costs speed."""
    from platformdirs import user_cache_path

    base = user_cache_path("terragon-tui", appauthor=False) / "mypy"
    try:
        places = _places(context.root, config, base)
    except OSError as exc:
        context.notes.append(
            f"types: mypy's cache could not be written in {base} "
            f"({exc.strerror or exc}): mypy ran with a temporary one"
        )
    else:
        return _run_in(context, config, targets, budget, places)
    with tempfile.TemporaryDirectory(prefix="terragon-mypy-") as scratch:
        places = _places(context.root, config, Path(scratch))
        return _run_in(context, config, targets, budget, places)


def _run_in(
    context: RepoContext, config: MypyConfig, targets: list[str], budget: float,
    places: tuple[Path, Path],
) -> _Run:  # fmt: skip
    """mypy over `targets` (or the configuration's own), again without the files it stops at."""
    deadline = time.monotonic() + budget
    cache_dir, config_file = places
    base = [*FLAGS, f"--config-file={config_file}", f"--cache-dir={cache_dir}"]
    run = _Run()
    own = _own_modules(context.paths)
    tracked = set(context.paths)
    for _ in range(MOST_RUNS):
        outcome = _child([*base, "--", *targets], context, deadline, budget)
        if isinstance(outcome, str):
            run.gave_up, run.over_budget = outcome, time.monotonic() >= deadline
            return run
        stdout, stderr, status = outcome
        rows = _rows(stdout, context.root)
        if status != 2:  # 0: clean, 1: errors found
            _keep(run, rows, own, tracked)
            return run
        stopped = _stopped_at(rows, stderr, targets)
        if config.targets or not stopped:
            blocking = [r for r in rows if r.get("code") in (None, "syntax")]
            said = [str(r.get("message", "")) for r in blocking or rows]
            said += [line for line in stderr.splitlines() if "error" in line] or [stderr.strip()]
            first = printable(next((s for s in said if s.strip()), "no output"), single_line=True)
            run.gave_up = f"mypy stopped: {first[:200]}"
            return run
        run.left_out += sorted(stopped)
        targets = [t for t in targets if t not in stopped]
        if not targets:
            return run
    run.gave_up = f"mypy stopped at more than {MOST_RUNS} files"
    return run


def _child(
    args: list[str], context: RepoContext, deadline: float, budget: float
) -> tuple[str, str, int] | str:
    """mypy.api.run(args) in a child process in the repository, or why it did not finish;
    raises ScanCancelled (killing it) when the scan is cancelled.

    `-P`: the repository (the working directory) is not on the child's import path, so no
    module of the repository can pose as mypy or as part of the standard library."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYPY")}
    process = subprocess.Popen(
        [sys.executable, "-P", "-c", _CHILD],
        cwd=context.root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,  # its own process group, killed as one
    )
    sent: str | None = json.dumps(args)
    while True:
        wait = min(0.25, max(0.01, deadline - time.monotonic()))
        try:
            out, err = process.communicate(sent, timeout=wait)
            break
        except subprocess.TimeoutExpired:
            sent = None
            if context.cancelled():
                _kill(process)
                raise ScanCancelled("scan cancelled") from None
            if time.monotonic() >= deadline:
                _kill(process)
                return f"mypy ran out of its {budget:g} s budget (types_budget)"
    try:
        stdout, stderr, status = json.loads(out)
        return str(stdout), str(stderr), int(status)
    except (ValueError, TypeError):
        last = (err.strip().splitlines() or ["no output"])[-1]
        return f"mypy failed: {printable(last, single_line=True)[:200]}"


def _kill(process: subprocess.Popen[str]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except ProcessLookupError:
        pass
    process.communicate()


def _rows(stdout: str, root: Path) -> list[dict[str, Any]]:
    """mypy's JSON lines, each with its file as a repository-relative POSIX path."""
    rows = []
    resolved = root.resolve()
    for line in stdout.splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if not isinstance(row, dict):
            continue
        name = str(row.get("file") or "")
        path = Path(name)
        if path.is_absolute():
            try:
                name = path.resolve().relative_to(resolved).as_posix()
            except ValueError:
                name = ""  # outside the repository
        row["file"] = PurePosixPath(name.replace(os.sep, "/")).as_posix() if name else ""
        rows.append(row)
    return rows


def _stopped_at(rows: list[dict[str, Any]], stderr: str, targets: list[str]) -> set[str]:
    """The files of `targets` that stopped mypy: those of its blocking errors (no code, or
    a syntax error), or under a directory it says is no valid package. None when leaving
    files out would not help: a module imported under two names (`src.pkg.x` and `pkg.x`)."""
    chosen = set(targets)
    # a file imported under two names is found twice however many files are left out
    blocking = {
        r["file"]
        for r in rows
        if r.get("code") in (None, "syntax")
        and not str(r.get("message", "")).startswith("Source file found twice")
    } & chosen
    for line in stderr.splitlines():
        match = _BAD_PACKAGE.match(line.strip())
        if match:
            name = PurePosixPath(match.group(1)).name
            blocking |= {t for t in targets if name in t.split("/")[:-1]}
    return blocking


def _own_modules(paths: tuple[str, ...]) -> set[str]:
    """Top-level module names the repository defines (at the root or under src/)."""
    names = set()
    for path in paths:
        pure = PurePosixPath(path)
        if pure.suffix not in (".py", ".pyi"):
            continue
        parts = pure.parts[1:] if pure.parts[0] == "src" and len(pure.parts) > 1 else pure.parts
        names.add(PurePosixPath(parts[0]).stem if len(parts) == 1 else parts[0])
    return names


def _keep(run: _Run, rows: list[dict[str, Any]], own: set[str], tracked: set[str]) -> None:
    """The errors worth an item: in tracked files; an unresolved import only of the
    repository's own modules; notes only where mypy skipped checking a function."""
    for row in rows:
        code = row.get("code")
        path = row["file"]
        if not isinstance(code, str) or path not in tracked:
            continue
        if row.get("severity") != "error" and code != "annotation-unchecked":
            continue
        message = printable(str(row.get("message", "")), single_line=True)[:300]
        if code in _IMPORTS:
            match = _MODULE.search(message)
            module = next((g for g in match.groups() if g), "") if match else ""
            if code == "import-untyped" or module.split(".")[0] not in own:
                run.third_party += 1
            else:
                run.own_unresolved += 1
            continue
        line = row.get("line")
        run.errors.append(
            [path, line if isinstance(line, int) and line > 0 else None, code, message]
        )


def tier(code: str) -> str:
    """bug, typing or style: what an error of mypy's `code` usually is."""
    return "bug" if code in LIKELY_BUGS else "style" if code in STYLE else "typing"


def _caveats(pinned: object, plugins: object, ci_checked: object = False) -> str:
    """What to know about a result of this run that the repository's own run may not share:
    another mypy version, plugins that were not loaded, a CI that runs mypy already."""
    ours = _mypy_version()
    said = ""
    if ci_checked:
        said += (
            " The repository's CI runs mypy already, with its own version and settings: "
            f"this is likely what mypy {ours} here finds beyond that run."
        )
    if pinned and str(pinned).split(".")[:2] != ours.split(".")[:2]:
        said += f" The repository pins mypy {pinned}; this is mypy {ours}, so it may be new."
    if isinstance(plugins, list | tuple) and plugins:
        names = ", ".join(str(p) for p in plugins)
        said += f" Its mypy plugins ({names}) were not loaded: they may explain it."
    return said


def _finding(
    path: str,
    line: int | None,
    code: str,
    message: str,
    pinned: str | None = None,
    plugins: tuple[str, ...] = (),
    ci_checked: bool = False,
) -> Finding:
    kind = tier(code)
    hours, impact, confidence, ease, risk, value, criticality, reduction = _SCORES[kind]
    note = _caveats(pinned, plugins, ci_checked)
    if note:
        confidence -= 1  # the repository's own run may well be clean
    if ci_checked:  # its CI's mypy passes: what is left is an upgrade's worth, not a defect
        confidence, impact, value, criticality = confidence - 2, impact - 2, 1.0, 1.0
    where = f"{path}:{line}" if line else path
    return Finding(
        source=SOURCE,
        rule=code,
        title=f"mypy {code} in {path}: {message[:90]}",
        description=f"mypy {_mypy_version()} reports at {where}: {message} [{code}].{note}",
        category="technical-debt",
        path=path,
        line=line,
        symbol=message[:200],
        estimated_hours=hours,
        impact=impact,
        confidence=confidence,
        ease=ease,
        risk=risk,
        business_value=value,
        time_criticality=criticality,
        risk_reduction=reduction,
        debt_hours=hours,
        data={
            "code": code,
            "tier": kind,
            "text": message,
            "pinned_mypy": pinned,
            "plugins_not_loaded": list(plugins),
            "ci_checked": ci_checked,
        },
    )


def group_words(
    rule: str, role: str, lead: Finding, occurrences: list[Occurrence], where: str
) -> tuple[str, str]:
    """Title and description of one error code's errors in one path role."""
    count = len(occurrences)
    files = Counter(o.path for o in occurrences)
    kind = tier(rule)
    spread = f"{count} places in {len(files)} files" if len(files) > 1 else f"{count} places"
    busiest, most = files.most_common(1)[0]
    crowded = f" The most in {busiest} ({most})." if len(files) > 1 else ""
    first = occurrences[0]
    example = f"{first.path}:{first.line}: {first.data.get('text', '')}"
    title = f"mypy {rule}: {count} errors in {len(files)} files{where}"
    if len(files) == 1:
        title = f"mypy {rule}: {count} errors in {busiest}{where}"
    description = (
        f"mypy {_mypy_version()} reports [{rule}] ({_MEANING[kind]}) at {spread}.{crowded} "
        "For example, "
        f"{example}. Fix them, or disable the code for the modules where it does not matter "
        "([tool.mypy] overrides)."
        + _caveats(
            lead.data.get("pinned_mypy"),
            lead.data.get("plugins_not_loaded"),
            lead.data.get("ci_checked"),
        )
    )
    return title, description
