"""Grouping: a rule that fires many times is one decision, so one item with its occurrences.

Findings are grouped by source, rule and path role, so production and test occurrences are
separate items:
- bandit and secret findings below HIGH severity: one item per rule and role, across files;
- ruff findings: one item per rule and role, across files, whatever the rule (lint.py
  estimates it: one `ruff check --fix` run for the fixable places, base × √n for the rest);
- TODO-like comments: one item per tag, role and file;
- mypy's errors: one item per error code and role, across files;
- broken imports: one item per importing module, naming every import that fails;
- imports deptry finds undeclared (DEP001) or declared for development only (DEP004): one item
  per rule and role, across files; its other dependency findings one item per rule and file;
- functions over the complexity threshold: one item per file naming them, sized by their
  total excess, except a function of rank E or F (far over), which stays its own item;
- HIGH-severity findings, hotspots, maintainability and config findings stay items of their
  own: each is a decision.
Several identical findings at one place (one line, one rule) are one occurrence.

A group's estimate grows with its occurrences, but sub-linearly: fixing the same thing in
n places costs base × √n (the first fix teaches the rest), and a file's complex functions
cost 1 h + 15 min per point of complexity over the threshold, in total, at most 40 h.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import PurePosixPath

from ..core.text import sentence
from ..scoring.scale import HIGH
from . import lint, types
from .finding import Finding, GroupFields, Occurrence, fingerprint_of

#: Functions of these radon ranks are far enough over to be a decision of their own.
OWN_ITEM_RANKS = frozenset({"E", "F"})
#: The most hours a group of complex functions in one file is estimated at.
MOST_HOURS = 40.0
#: What a group of dependency findings of one rule says about its file.
DEPENDENCY_PHRASES = {
    "requirements-drift": "disagree with pyproject.toml",
    "duplicate-requirement": "are listed twice",
    "invalid-requirement": "cannot be read by pip",
    "DEP005": "are standard-library modules",
}
#: Dependency rules found at import sites, grouped across files: what they say of several
#: packages and of one.
IMPORT_PHRASES = {
    "DEP001": ("packages are imported but not declared", "is imported but not declared"),
    "DEP004": (
        "dev dependencies are imported by production code",
        "is a dev dependency imported by production code",
    ),
}
#: Measurements of one place, kept on its occurrence and left off its group.
PER_PLACE = ("line_range", "cc", "rank", "kind", "endline", "text")
_ROLE_WORDS = {
    "test": "tests",
    "example": "examples",
    "docs": "docs",
    "benchmark": "benchmarks",
    "tooling": "tooling",
}


def group_key(finding: Finding) -> tuple[str, str, str, str | None] | None:
    """(source, rule, role, file or None) of the group `finding` joins; None: its own item."""
    if finding.source in ("security", "secrets"):
        if finding.security_severity >= HIGH:
            return None
        return (finding.source, finding.rule, finding.role, None)
    if finding.source in (lint.SOURCE, types.SOURCE) or (
        finding.source == "dependencies" and finding.rule in IMPORT_PHRASES
    ):
        return (finding.source, finding.rule, finding.role, None)
    if finding.source in ("todos", "imports") or (
        finding.source == "dependencies" and finding.symbol
    ):
        return (finding.source, finding.rule, finding.role, finding.path)
    if finding.source == "hotspots" and finding.rule == "knowledge-concentration":
        # who owns the hot files is one conversation with the team, not one per file
        return (finding.source, finding.rule, finding.role, None)
    if finding.source == "complexity" and finding.rule == "cyclomatic-complexity":
        if finding.data.get("rank") in OWN_ITEM_RANKS:
            return None
        return (finding.source, finding.rule, finding.role, finding.path)
    return None


def group(findings: Iterable[Finding]) -> list[Finding]:
    """The backlog's findings: ungrouped ones as they are, grouped ones merged, each with its
    occurrences."""
    alone: list[Finding] = []
    buckets: dict[tuple[str, str, str, str | None], list[Finding]] = {}
    copies: dict[tuple[str, str, str | None, str], list[Finding]] = {}
    for finding in findings:
        key = group_key(finding)
        if key is None and finding.source in ("security", "secrets"):
            # a HIGH finding is a decision of its own, but the very same code repeated in a
            # file (same rule, same line text or same secret) is that one decision again
            base = (finding.symbol or "").split("#")[0]
            copies.setdefault((finding.source, finding.rule, finding.path, base), []).append(
                finding
            )
        elif key is None:
            alone.append(_alone(finding))
        else:
            buckets.setdefault(key, []).append(finding)
    alone += [_copies(members) for members in copies.values()]
    return alone + [_merge(key, members) for key, members in buckets.items()]


def _alone(finding: Finding) -> Finding:
    return replace(
        finding, occurrences=[finding.as_occurrence()], data={**finding.data, "role": finding.role}
    )


def _copies(members: list[Finding]) -> Finding:
    """One HIGH finding and the copies of its code elsewhere in the file, as one item that
    keeps the first one's identity (so it is the item that finding always was)."""
    first = _alone(min(members, key=lambda f: (len(f.symbol or ""), f.line or 0)))
    if len(members) == 1:
        return first
    places = _occurrences(members)
    count = len(places)
    lines = ", ".join(str(p.line) for p in places[:8]) + (", ..." if count > 8 else "")
    name = PurePosixPath(str(first.path)).name
    return replace(
        first,
        title=f"{first.rule} {first.data.get('test_name', first.data.get('type', ''))}: "
        f"the same code in {count} places in {name}".replace(" :", ":"),
        description=f"{sentence(first.description)} The same code stands at lines {lines}: "
        "one fix, or one decision, for all of them.",
        estimated_hours=round(first.estimated_hours * math.sqrt(count), 2),
        occurrences=places,
        data={**first.data, "occurrences": count, "files": 1},
    )


def _occurrences(members: list[Finding]) -> list[Occurrence]:
    """One occurrence per place (path, line), keeping every fingerprint seen there."""
    places: dict[tuple[str, int], Occurrence] = {}
    for member in sorted(members, key=lambda f: (f.path or "", f.line or 0)):
        where = (member.path or "", member.line or 0)
        if where in places:
            known = places[where]
            places[where] = replace(known, fingerprints=(*known.fingerprints, member.fingerprint))
        else:
            places[where] = member.as_occurrence()
    return list(places.values())


def _where(role: str) -> str:
    word = _ROLE_WORDS.get(role)
    return f" ({word})" if word else ""


def _merge(key: tuple[str, str, str, str | None], members: list[Finding]) -> Finding:
    source, rule, role, path = key
    occurrences = _occurrences(members)
    files = Counter(o.path for o in occurrences)
    lead = max(members, key=lambda f: (f.security_severity, f.impact, f.estimated_hours))
    count = len(occurrences)
    only_file = next(iter(files)) if len(files) == 1 else None
    shared = dict(lead.data)
    if count > 1:  # what was measured at one place belongs to that occurrence, not the group
        for name in PER_PLACE:
            shared.pop(name, None)
    common: GroupFields = {
        "source": source,
        "rule": rule,
        "path": path or only_file,
        "line": occurrences[0].line if (path or only_file) else None,
        "symbol": f"group:{role}",
        "identity": fingerprint_of(source, rule, path, f"group:{role}"),
        "role": role,
        "occurrences": occurrences,
        "data": {**shared, "occurrences": count, "files": len(files), "role": role},
    }
    if source == "complexity":
        return _complexity(lead, members, occurrences, common)
    if source == lint.SOURCE:
        return lint.grouped(lead, occurrences, common, _where(role))
    hours = round(lead.estimated_hours * math.sqrt(count), 2)
    debt = round(lead.debt_hours * math.sqrt(count), 2)
    title, description = _words(source, rule, role, lead, occurrences, files)
    return replace(
        lead,
        title=title,
        description=description,
        estimated_hours=hours,
        debt_hours=debt,
        **common,
    )


def _spread(count: int, files: Counter[str | None]) -> str:
    if count == 1:
        return ""
    places = f"{count} places"
    return f"{places} in {len(files)} files" if len(files) > 1 else places


def _words(
    source: str,
    rule: str,
    role: str,
    lead: Finding,
    occurrences: list[Occurrence],
    files: Counter[str | None],
) -> tuple[str, str]:
    count = len(occurrences)
    if count == 1:
        return lead.title + _where(role), lead.description
    spread = _spread(count, files)
    busiest, most = files.most_common(1)[0]
    crowded = f" The most in {busiest} ({most})." if len(files) > 1 else ""
    if source == "security":
        name = lead.data.get("test_name", rule)
        text = str(lead.data.get("text", ""))
        title = f"{rule} {name}: {spread}{_where(role)}"
        description = (
            f"bandit {rule} ({name}), severity {lead.data.get('severity')}, confidence "
            f"{lead.data.get('confidence')}, at {spread}: {text}{crowded} Fix each place or "
            "decide once for the rule (a # nosec with the reason, or skip it in [tool.bandit])."
        )
        return title, description
    if source == "secrets":
        kind = lead.data.get("type", rule)
        title = f"Possible secrets ({kind}): {spread}{_where(role)}"
        description = (
            f"detect-secrets found a potential {kind} at {spread}.{crowded} If one is real, "
            "rotate it and move it out of the repository; mark the others audited in "
            ".secrets.baseline."
        )
        return title, description
    if source == "hotspots":
        owners = Counter(str(o.data.get("owner", "?")) for o in occurrences)
        owner, owned = owners.most_common(1)[0]
        return (
            f"Knowledge concentration: {count} hot files each mostly by one author"
            f" ({owner}: {owned})",
            f"{count} hotspots were each changed mostly ({lead.data.get('share', 0):.0%} or "
            "so) by one person in the churn window. Pair on them, review them with someone "
            "new, or document them before that person is away.",
        )
    if source == "types":
        return types.group_words(rule, role, lead, occurrences, _where(role))
    if source == "dependencies" and rule in IMPORT_PHRASES:
        return _imports(rule, role, lead, occurrences, spread)
    if source == "dependencies" and rule == "DEP002":
        return _unused(lead, occurrences)
    if source == "dependencies":
        names = ", ".join(str(o.symbol) for o in occurrences[:8]) + (", ..." if count > 8 else "")
        says = DEPENDENCY_PHRASES.get(rule, rule.replace("-", " "))
        return (
            f"{count} requirements in {lead.path} {says}",
            f"{count} requirements in {lead.path} {says}: {names}. Each is listed with its line.",
        )
    if source == "imports":
        missing = list(dict.fromkeys(str(o.symbol) for o in occurrences))  # once each
        names = ", ".join(missing[:6]) + (", ..." if len(missing) > 6 else "")
        lines = "; ".join(f"line {o.line}: {o.symbol}" for o in occurrences[:20])
        return (
            f"{count} broken imports in {lead.path}: {names}{_where(role)}",
            f"{count} imports in {lead.path} name what the repository does not have, so "
            f"{lead.data.get('fails', 'importing it fails')} ({lines}"
            f"{'; ...' if count > 20 else ''}). Add what is missing, or correct or remove "
            "the imports.",
        )
    tag = str(lead.data.get("tag", rule)).upper()
    name = PurePosixPath(str(lead.path)).name
    return (
        f"{count} {tag} comments in {name}{_where(role)}",
        f"{count} {tag} comments in {lead.path}, each listed with its line.",
    )


def _imports(
    rule: str, role: str, lead: Finding, occurrences: list[Occurrence], spread: str
) -> tuple[str, str]:
    """An import rule's group: the modules, the most imported first, and where."""
    modules = Counter(str(o.symbol) for o in occurrences)
    names = [name for name, _ in modules.most_common()]
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    several, one = IMPORT_PHRASES[rule]
    title = f"{len(names)} {several}: {shown}" if len(names) > 1 else f"{shown} {one}: {spread}"
    if rule == "DEP001":
        advice = (
            "Declare each, or tell deptry in [tool.deptry]: package_module_name_map when a "
            "declared package provides one under another name, per_rule_ignores.DEP001 when "
            "an import is optional."
        )
    else:
        advice = (
            "An install without the dev extras fails there: declare them as runtime "
            "dependencies, or keep the imports out of the code that ships."
        )
    counted = ", ".join(f"{name} ({modules[name]})" for name in names[:8])
    meaning = (
        "imported but not declared: each is missing, or installed only as another "
        "package's dependency"
        if rule == "DEP001"
        else "declared only as development dependencies, and imported by code that ships"
    )
    return title + _where(role), f"deptry: {counted}, {meaning} ({spread}). {advice}"


def _unused(lead: Finding, occurrences: list[Occurrence]) -> tuple[str, str]:
    """The packages a manifest declares and nothing imports (DEP002)."""
    names = [str(o.data.get("name", o.symbol)) for o in occurrences]
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    guessed = [n for o, n in zip(occurrences, names, strict=True) if o.data.get("module_guessed")]
    description = (
        f"{lead.path} declares {shown}, and deptry finds no import of them. Remove them, or, "
        "for one loaded by name (a Django app, a database driver, a plugin), list it in "
        "[tool.deptry] per_rule_ignores.DEP002."
    )
    if guessed:
        description += (
            f" Of these, {', '.join(guessed[:8])} {'is' if len(guessed) == 1 else 'are'} not "
            "installed where terragon runs, so deptry assumed the module of the package's own "
            "name; map another in [tool.deptry] package_module_name_map."
        )
    return f"{len(names)} dependencies in {lead.path} are declared but never imported", description


def _whole(finding: Finding, name: str, default: int) -> int:
    """A whole-number measurement of `finding` (a complexity, a threshold), else `default`."""
    value = finding.data.get(name, default)
    return int(value) if isinstance(value, int | float | str) else default


def _complexity(
    lead: Finding, members: list[Finding], occurrences: list[Occurrence], common: GroupFields
) -> Finding:
    threshold = _whole(lead, "threshold", 10)
    worst = sorted(members, key=lambda f: -_whole(f, "cc", 0))
    excess = sum(_whole(f, "cc", 0) - threshold for f in members)
    hours = round(min(MOST_HOURS, 1.0 + 0.25 * excess), 2)
    name = PurePosixPath(str(lead.path)).name
    scores = ", ".join(str(f.data.get("cc")) for f in worst[:4]) + (
        ", ..." if len(worst) > 4 else ""
    )
    count = len(occurrences)
    if count == 1:
        title, description = lead.title, lead.description
    else:
        names = ", ".join(str(f.symbol) for f in worst[:6]) + (", ..." if len(worst) > 6 else "")
        title = f"Reduce the complexity of {count} functions in {name} (CC {scores})"
        language = str(lead.data.get("language", "Python"))
        tool = "radon" if language == "Python" else f"{language}, lizard"
        description = (
            f"{count} functions in {lead.path} are over the cyclomatic-complexity threshold "
            f"of {threshold} ({tool}), {excess} points over in total: {names}. Split them into "
            "smaller functions or simplify their branching, the most complex first."
        )
    data = dict(common["data"])
    data.update(
        functions=[
            [str(f.symbol), _whole(f, "cc", 0), str(f.data.get("rank")), f.line] for f in worst
        ],
        total_excess=excess,
    )
    fields: GroupFields = {**common, "data": data}
    return replace(
        lead,
        title=title + _where(common["role"]),
        description=description,
        estimated_hours=hours,
        debt_hours=hours,
        **fields,
    )
