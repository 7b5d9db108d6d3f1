"""Lint: ruff over the repository's Python files, once per scan, with the repository's own rules.

ruff runs once over every listed Python file (`.py`, `.pyw`, `.pyi`; in chunks only when
the command line would be too long), `ruff check --output-format json`, never fixing, never
caching, from the repository root so it finds the repository's configuration itself
(`.ruff.toml`, `ruff.toml`, `pyproject.toml [tool.ruff]`, nested ones for their folders).
A repository whose root configures no ruff is checked with DEFAULT_RULES alone, in
`--isolated` mode, so no configuration from outside it changes what is found. ruff runs no
code of the repository; a configuration that `extend`s a file outside the repository (or
through `~` or an environment variable) is not run at all, so a scan reads nothing else.

How much a rule weighs follows ruff's own category of it (`ruff rule --all`): syntax errors
and the correctness rules of DEFAULT_RULES (undefined names...) are defects; the rest of
DEFAULT_RULES (such as B006 and F811, which ruff calls suspicious: often deliberate) and other
correctness, suspicious and performance rules are warnings; style, formatting, pedantic,
complexity and restriction rules are style.
Every rule is technical debt (a defect ruff finds is still the code's debt, and no category
fits a bug better), except pydocstyle's and pydoclint's, which are documentation work.
A fixable finding (a safe fix, applied by `ruff check --fix`) costs next to nothing: the
fixable ones of a rule cost one run of the fix and a look at its diff together. The more
places a defect rule has, the more its staying costs (each is a line that breaks); in code
that does not ship (tests, examples, docs, tooling) nothing of it is urgent.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from functools import cache
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from ..core.text import sentence
from ..scoring.components import FIBONACCI
from . import ruff_run
from .finding import Finding, GroupFields, Occurrence
from .path_roles import NOT_SHIPPED
from .repo_sources import RepoContext
from .ruff_run import SYNTAX_ERROR, LintUnavailable
from .small_files import read_text

SOURCE = "lint"
#: What ruff checks when the repository configures no ruff: errors that are bugs. Undefined
#: names (F821-F823), a redefinition that hides the first (F811), `is` with a literal
#: (F632), repeated dict keys (F601, F602), always-true asserts and ifs on tuples (F631,
#: F634, PLW0129), statements where they cannot run (F701-F707, PLE1142), %-format and
#: .format calls that raise (F50x, F52x), `raise NotImplemented` (F901), mutable argument
#: defaults (B006), `++x` (B002), a return in `finally` (B012), a comparison that does
#: nothing (B015), a duplicated handler or set value (B025, B033), `except ()` (B029,
#: B030), bad `__all__` (PLE0604, PLE0605), logging calls with the wrong arguments (PLE1205,
#: PLE1206) and the like. ruff always reports syntax errors besides. Line length, imports
#: order and other style rules are not checked: only a repository that asks for them gets them.
DEFAULT_RULES = (
    "F501", "F502", "F503", "F505", "F506", "F507", "F508", "F509", "F521", "F524", "F525",
    "F601", "F602", "F621", "F622", "F631", "F632", "F633", "F634", "F701", "F702", "F704",
    "F706", "F707", "F722", "F811", "F821", "F822", "F823", "F901",
    "B002", "B006", "B012", "B015", "B016", "B020", "B025", "B029", "B030", "B032", "B033",
    "B035",
    "PLE0100", "PLE0101", "PLE0117", "PLE0118", "PLE0604", "PLE0605", "PLE0643", "PLE1142",
    "PLE1205", "PLE1206", "PLE1300", "PLE1307", "PLW0129",
)  # fmt: skip
#: What an item says was its configuration when the repository has none.
DEFAULT_CONFIG = "default rules"
#: Rule prefixes (or codes) whose findings another source reports: left to it, counted.
ELSEWHERE = {"S": "security (bandit)", "TD": "todos", "FIX": "todos", "C901": "complexity"}
LINTED_SUFFIXES = frozenset({".py", ".pyw", ".pyi"})
_DOCUMENTATION_LINTERS = frozenset({"pydocstyle", "pydoclint"})
_WARNING_CATEGORIES = frozenset({"correctness", "suspicious", "performance", "security"})


class Weight(NamedTuple):
    """How a class of rules scores: per place, before grouping."""

    hours: float
    impact: float
    confidence: float
    ease: float
    risk: float
    business_value: float
    time_criticality: float
    risk_reduction: float


#: Rule class -> its weight. A defect breaks when its line runs; a warning is likely wrong;
#: style costs readers a little and users nothing.
WEIGHTS = {
    "defect": Weight(0.5, 7.0, 8.0, 6.0, 0.4, 5.0, 5.0, 8.0),
    "warning": Weight(0.25, 4.0, 6.0, 6.0, 0.3, 2.0, 1.0, 2.0),
    "style": Weight(0.1, 2.0, 7.0, 8.0, 0.1, 1.0, 1.0, 1.0),
}
#: Running `ruff check --fix` on a rule's fixable places and reading the diff, in hours.
FIX_RUN_HOURS = 0.25
#: Per place, kept on its occurrence and left off its group.
PER_PLACE = ("message", "column", "fix")


def applies(context: RepoContext) -> bool:
    """Lint is part of a full scan."""
    return context.kind == "full"


def findings(context: RepoContext) -> list[Finding]:
    """One finding per ruff diagnostic in the repository's Python files (grouped later)."""
    files = linted_files(context)
    if not files:
        return []
    configured = ruff_run.own_config(context.root)
    # --isolated reads no configuration: only a configured repository's files matter
    names = ruff_run.CONFIG_NAMES if configured else ()
    configs = [path for path in context.paths if PurePosixPath(path).name in names]
    try:
        extended = ruff_run.config_reads(context.root, configs)
        binary, version = ruff_run.ruff_binary()
    except LintUnavailable as exc:
        return context.give_up(SOURCE, str(exc))
    args = ruff_args(configured is not None)
    targets, projects = ({}, []) if configured else python_targets(context, files)
    key = context.inputs_key(SOURCE, [*files, *configs, *extended, *projects], version, args)
    result = context.remembered(SOURCE, key)
    if result is None:
        try:
            budget = context.config.lint_budget
            result = ruff_run.run_ruff(binary, context.root, files, args, budget, targets)
        except LintUnavailable as exc:
            return context.give_up(SOURCE, str(exc))
        context.remember(SOURCE, key, result)
    found, elsewhere = _findings(result, configured)
    context.notes.append(
        f"lint: ruff {version} over {len(files)} Python files, "
        + (f"with the repository's {configured}" if configured else "default bug rules only")
    )
    if elsewhere:
        left = ", ".join(f"{rule} ({count})" for rule, count in sorted(elsewhere.items()))
        context.notes.append(f"lint: ruff findings other sources report were left to them: {left}")
    return found


def python_targets(context: RepoContext, files: list[str]) -> tuple[dict[str, str], list[str]]:
    """The Python version each file's project runs on, from the nearest pyproject.toml above it
    that says (`--isolated` reads none, and ruff's default version would take a project on
    3.14 for an older one: its deferred annotations for undefined names, its syntax for
    errors); and the pyproject.toml files that said, for the cache key."""
    projects = {
        str(PurePosixPath(path).parent): path
        for path in context.paths
        if PurePosixPath(path).name == "pyproject.toml"
    }
    said: dict[str, str | None] = {}
    targets: dict[str, str] = {}
    for path in files:
        folder = PurePosixPath(path).parent
        for above in (folder, *folder.parents):
            project = projects.get(str(above))
            if project is None:
                continue
            if project not in said:
                said[project] = ruff_run.python_target(read_text(context.root, project))
            target = said[project]
            if target is not None:
                targets[path] = target
                break
    return targets, sorted(project for project, target in said.items() if target)


def linted_files(context: RepoContext) -> list[str]:
    """The Python files the scan listed (not vendored, generated or excluded), sorted."""
    return sorted(p for p in context.blobs if PurePosixPath(p).suffix.lower() in LINTED_SUFFIXES)


def ruff_args(configured: bool) -> list[str]:
    """`ruff check`'s arguments: the repository's configuration, or the default rules alone."""
    args = list(ruff_run.BASE_ARGS)
    if not configured:
        args += ["--isolated", "--select", ",".join(DEFAULT_RULES)]
    return args


def rule_class(code: str, category: str) -> str:
    """defect, warning or style (see the module's docstring)."""
    if code == SYNTAX_ERROR or (code in DEFAULT_RULES and category == "correctness"):
        return "defect"
    return "warning" if code in DEFAULT_RULES or category in _WARNING_CATEGORIES else "style"


@cache
def _elsewhere(code: str) -> str | None:
    for prefix in ELSEWHERE:
        rest = code[len(prefix) :]
        if code.startswith(prefix) and (not rest or rest[0].isdigit()):
            return prefix
    return None


def _findings(result: dict[str, Any], configured: str | None) -> tuple[list[Finding], Counter[str]]:
    rules: dict[str, list[str]] = result.get("rules", {})
    found: list[Finding] = []
    elsewhere: Counter[str] = Counter()
    seen: Counter[tuple[str, str]] = Counter()
    config = configured or DEFAULT_CONFIG
    for path, line, column, code, message, fix in result.get("rows", []):
        prefix = _elsewhere(code)
        if prefix is not None:
            elsewhere[prefix] += 1
            continue
        name, category, linter, url = rules.get(code) or [code, "", "", ""]
        symbol = message[:200] or code
        seen[(path, symbol)] += 1
        if seen[(path, symbol)] > 1:
            symbol = f"{symbol}#{seen[(path, symbol)]}"
        kind = rule_class(code, category)
        weight = WEIGHTS[kind]
        fixable = fix == "safe"
        hours = min(FIX_RUN_HOURS, weight.hours) if fixable else weight.hours
        shown = _shown(code, name)
        found.append(
            Finding(
                source=SOURCE,
                rule=code,
                title=f"ruff {shown} at {path}:{line}: {message[:80]}",
                description=(
                    f"ruff {shown} ({_kind_words(code, {'ruff_category': category})}) at "
                    f"{path}:{line}: {sentence(message)}"
                    + (" `ruff check --fix` fixes it." if fixable else "")
                    + f" {_why(code, config)}"
                ),
                category="documentation" if linter in _DOCUMENTATION_LINTERS else "technical-debt",
                path=path,
                line=line,
                symbol=symbol,
                estimated_hours=hours,
                impact=weight.impact,
                confidence=weight.confidence,
                ease=9.0 if fixable else weight.ease,
                risk=0.1 if fixable else weight.risk,
                business_value=weight.business_value,
                time_criticality=weight.time_criticality,
                risk_reduction=weight.risk_reduction,
                debt_hours=hours,
                data={
                    "name": name,
                    "ruff_category": category,
                    "linter": linter,
                    "rule_class": kind,
                    "url": url,
                    "config": config,
                    "message": message,
                    "column": column,
                    "fix": fix,
                },
            )
        )
    return found, elsewhere


def _why(code: str, config: str) -> str:
    if code == SYNTAX_ERROR:
        return "Python cannot import the module as it stands."
    if config != DEFAULT_CONFIG:
        return f"The repository's ruff configuration ({config}) selects this rule."
    return (
        "The repository configures no ruff: this is one of the few rules terragon checks "
        "then, errors that are bugs."
    )


def _cost_of_delay(kind: str, count: int, role: str) -> tuple[float, float, float]:
    """Business value, time criticality and risk reduction of a rule's places: a defect
    rule's climb one step of the scale for every fourfold of places (each is a line that
    breaks); in code that does not ship nothing is urgent, as no user runs it."""
    weight = WEIGHTS[kind]
    value, reduction = weight.business_value, weight.risk_reduction
    urgency = weight.time_criticality
    if kind == "defect" and count > 1:
        steps = int(math.log(count, 4))
        value, reduction = _step_up(value, steps), _step_up(reduction, steps)
    if role in NOT_SHIPPED:
        urgency, reduction = 1.0, min(reduction, 3.0)
    return value, urgency, reduction


def _step_up(value: float, steps: int) -> float:
    at = FIBONACCI.index(min(FIBONACCI, key=lambda step: abs(step - value)))
    return float(FIBONACCI[min(len(FIBONACCI) - 1, at + steps)])


def grouped(
    lead: Finding, occurrences: list[Occurrence], common: GroupFields, where: str
) -> Finding:
    """One rule's findings in one path role (`where` says which, if not production) as one
    item: its places, how many `ruff check --fix` fixes, and an estimate of one fix run
    plus the base estimate × √(the places left to fix by hand)."""
    count = len(occurrences)
    fixable = sum(1 for o in occurrences if o.data.get("fix") == "safe")
    unsafe = sum(1 for o in occurrences if o.data.get("fix") == "unsafe")
    kind = str(lead.data.get("rule_class", "style"))
    weight = WEIGHTS[kind]
    fix_run = min(FIX_RUN_HOURS, weight.hours * math.sqrt(fixable)) if fixable else 0.0
    hours = round(fix_run + weight.hours * math.sqrt(count - fixable), 2)
    data = {k: v for k, v in common["data"].items() if count == 1 or k not in PER_PLACE}
    data.update(fixable=fixable, unsafe_fixable=unsafe)
    value, urgency, reduction = _cost_of_delay(kind, count, common["role"])
    if count == 1:
        title, description = lead.title + where, lead.description
    else:
        files = Counter(o.path for o in occurrences)
        spread = f"{count:,} places" + (f" in {len(files):,} files" if len(files) > 1 else "")
        fixes = f" ({fixable:,} fixable)" if fixable else ""
        fixes = " (all fixable)" if fixable == count else fixes
        busiest, most = files.most_common(1)[0]
        crowded = f" The most in {busiest} ({most:,})." if len(files) > 1 else ""
        shown = _shown(lead.rule, str(lead.data.get("name", "")))
        title = f"ruff {shown}: {spread}{fixes}{where}"
        description = (
            f"ruff {shown} ({_kind_words(lead.rule, lead.data)}) at {spread}, such as: "
            f"{sentence(str(lead.data.get('message', '')))}{crowded} "
            f"{_fix_advice(lead.rule, kind, count, fixable, unsafe)} "
            f"{_why(lead.rule, str(lead.data.get('config', DEFAULT_CONFIG)))}"
        )
    everywhere = fixable == count
    fields: GroupFields = {**common, "data": data}
    return replace(
        lead,
        title=title,
        description=description,
        estimated_hours=hours,
        debt_hours=hours,
        ease=9.0 if everywhere else weight.ease,
        risk=0.1 if everywhere else weight.risk,
        business_value=value,
        time_criticality=urgency,
        risk_reduction=reduction,
        **fields,
    )


def _shown(code: str, name: str) -> str:
    return f"{code} {name}" if name and name != code else code


def _kind_words(code: str, data: dict[str, object]) -> str:
    if code == SYNTAX_ERROR:
        return "a syntax error"
    return f"{data.get('ruff_category') or 'uncategorised'} rule"


def _fix_advice(code: str, kind: str, count: int, fixable: int, unsafe: int) -> str:
    command = f"`ruff check --fix --select {code}`"
    if fixable == count:
        advice = f"{command} fixes every one (read its diff)."
    elif fixable:
        advice = f"{command} fixes {fixable:,} of them; the other {count - fixable:,} need a hand."
    elif kind == "defect":
        advice = "Each is a bug where its line runs: fix each place."
    else:
        advice = "ruff has no safe fix for them: fix each place, or drop the rule."
    if unsafe:
        advice += f" {unsafe:,} have a fix ruff calls unsafe (`--unsafe-fixes`: review each)."
    return advice
