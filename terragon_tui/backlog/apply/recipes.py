"""The mechanical fixes `terragon apply` knows: each says which items it fixes and makes
the change in a worktree of the repository (never in the user's own)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ...core.errors import TerragonError, UsageError
from ...core.text import markdown_inline, printable
from ...discovery import ci_templates
from ...store.models import Item
from .locks import lock_versions, pin_requirements
from .worktree import maintainers


@dataclass(frozen=True)
class FixContext:
    """What a recipe knows besides the item: the places it stands for and the repository."""

    item: Item
    places: tuple[str, ...]
    repo_name: str


@dataclass(frozen=True)
class Recipe:
    """One kind of mechanical fix: the items it fixes, how, and what to watch in review."""

    name: str
    applies: Callable[[Item], bool]
    #: Changes the worktree for the item and says in one line what it did.
    make: Callable[[Path, FixContext], str]
    risk: str


def inside(tree: Path, relative: str) -> Path:
    """`relative` in `tree`, refused when it (or a link on the way) leads out of the tree."""
    path = tree / relative
    top = tree.resolve()
    if PurePosixPath(relative).is_absolute() or not path.resolve().is_relative_to(top):
        raise TerragonError(f"{printable(relative, single_line=True)} lies outside the repository")
    return path


def _activate_templates(tree: Path, context: FixContext) -> str:
    templates = [str(p) for p in context.item.data.get("templates", [])]
    moved: list[str] = []
    for source in templates:
        path = inside(tree, source)
        if not path.is_file() and not path.is_symlink():
            continue  # gone since the scan
        kind = ci_templates.workflow_kind(ci_templates.parse(path.read_text(errors="replace")))
        target_name = f".github/workflows/{path.name}" if kind != "gitlab" else ".gitlab-ci.yml"
        target = inside(tree, target_name)
        if target.exists() or target.is_symlink():
            continue  # never overwrite a live workflow
        target.parent.mkdir(parents=True, exist_ok=True)
        inside(tree, target_name)  # the folders made may not lead elsewhere either
        path.rename(target)
        moved.append(f"{source} → {target_name}")
    if not moved:
        raise TerragonError(
            "no workflow template is left to move (moved or deleted since the scan)"
        )
    return "moved " + "; ".join(moved)


def _people_lines(tree: Path) -> list[str]:
    people = maintainers(tree)
    return [f"- {markdown_inline(name)} <{markdown_inline(email)}>" for name, email in people] or [
        "- the maintainers (see the repository's commit history)"
    ]


SECURITY_TEMPLATE = """\
# Security policy

## Reporting a vulnerability

Please do not report a vulnerability of {name} in a public issue. Write to the maintainers
instead:

{people}

Say what you found, how to reproduce it and which versions it affects. You will hear back
within a week; the fix is released as soon as it is ready, and you are credited unless you
prefer not to be.

## Supported versions

Security fixes go into the latest release of {name}.
"""

CONTRIBUTING_TEMPLATE = """\
# Contributing to {name}

Thank you for helping. Before you start:

1. Open an issue to discuss a change larger than a small fix.
2. Fork the repository and make your change on a branch of its own.
3. Add tests for what you change, and run the test suite before you push.
4. Open a pull request that says what the change does and why.

## Maintainers

{people}

Be kind and patient in issues and reviews: everyone here gives their time.
"""


def _add_policy(file_name: str, template: str) -> Callable[[Path, FixContext], str]:
    def make(tree: Path, context: FixContext) -> str:
        target = inside(tree, file_name)
        if target.exists() or target.is_symlink():
            raise TerragonError(f"the repository has a {file_name} already (added since the scan)")
        people = "\n".join(_people_lines(tree))
        target.write_text(template.format(name=markdown_inline(context.repo_name), people=people))
        return f"added {file_name} for {context.repo_name}"

    return make


_RUFF_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{1,4}$")


def _is_ruff_fixable(item: Item) -> bool:
    data = item.data or {}
    return (
        item.source == "lint"
        and bool(item.rule and _RUFF_CODE.match(item.rule))
        and int(data.get("fixable", 0) or 0) > 0
    )


def _ruff_fix(tree: Path, context: FixContext) -> str:
    from ...discovery import ruff_run
    from ...discovery.lint import DEFAULT_CONFIG

    item = context.item
    assert item.rule is not None
    files = sorted({p for p in context.places if p.endswith((".py", ".pyi"))})
    files = [p for p in files if inside(tree, p).is_file()]
    if not files:
        raise TerragonError(f"the files of {item.key} are gone since the scan")
    configured = (item.data or {}).get("config", DEFAULT_CONFIG) != DEFAULT_CONFIG
    own = ruff_run.own_config(tree)
    try:
        if configured and own:
            ruff_run.config_reads(tree, [own])
        binary, _version = ruff_run.ruff_binary()
    except ruff_run.LintUnavailable as exc:
        raise TerragonError(str(exc)) from None
    args = [binary, "check", "--fix", "--no-unsafe-fixes", "--select", item.rule, "--no-cache",
            "--exit-zero", "--force-exclude", "--quiet"]  # fmt: skip
    if not (configured and own):
        args.append("--isolated")
    env = {name: value for name, value in os.environ.items() if not name.startswith("RUFF_")}
    done = subprocess.run(
        [*args, "--", *files], cwd=tree, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        reason = printable(done.stderr.decode("utf-8", "replace"), single_line=True)
        raise TerragonError(f"ruff --fix failed: {reason[:300]}")
    return f"ran ruff check --fix --select {item.rule} on {len(files)} file(s)"


def _pin(tree: Path, context: FixContext) -> str:
    item = context.item
    path = item.file_path or ""
    target = inside(tree, path)
    if not target.is_file():
        raise TerragonError(f"{printable(path, single_line=True)} is gone since the scan")
    versions, lock = lock_versions(tree, PurePosixPath(path).parent.as_posix())
    if lock is None:
        raise TerragonError(
            f"no lock file (uv.lock, poetry.lock, pdm.lock, Pipfile.lock) says which versions "
            f"to pin {printable(path, single_line=True)} to"
        )
    text = target.read_bytes().decode("utf-8", "surrogateescape")
    pinned, left = pin_requirements(text, versions)
    if pinned == text:
        raise TerragonError(f"{lock} has none of the unpinned requirements of {path}")
    target.write_bytes(pinned.encode("utf-8", "surrogateescape"))
    said = f"pinned {path} to the versions of {lock}"
    if left:
        said += f" (left unpinned, the lock has no one version of: {', '.join(left[:10])})"
    return said


RECIPES: tuple[Recipe, ...] = (
    Recipe(
        "activate-ci-templates",
        lambda item: item.rule == ci_templates.RULE,
        _activate_templates,
        "A workflow runs with the repository's secrets: check each moved one before merging, "
        "above all one that deploys or publishes.",
    ),
    Recipe(
        "add-security-policy",
        lambda item: item.rule == "missing-security-policy",
        _add_policy("SECURITY.md", SECURITY_TEMPLATE),
        "None for the code; check that the contacts listed want to receive reports.",
    ),
    Recipe(
        "add-contributing",
        lambda item: item.rule == "missing-contributing",
        _add_policy("CONTRIBUTING.md", CONTRIBUTING_TEMPLATE),
        "None for the code; adapt the steps to how the project works.",
    ),
    Recipe(
        "ruff-fix",
        _is_ruff_fixable,
        _ruff_fix,
        "ruff's safe fixes keep behaviour; read the diff, and run the tests.",
    ),
    Recipe(
        "pin-requirements",
        lambda item: item.source == "dependencies" and item.rule == "unpinned-requirements",
        _pin,
        "Installs get the locked versions instead of the newest: run the tests with them.",
    ),
)


def recipe_for(item: Item, recipes: Sequence[Recipe] = RECIPES) -> Recipe:
    """The recipe that fixes `item`, or a UsageError when its fix is not mechanical."""
    for recipe in recipes:
        if recipe.applies(item):
            return recipe
    rule = f", rule {printable(item.rule, single_line=True)}" if item.rule else ""
    raise UsageError(f"no mechanical fix for {item.key} (category {item.category}{rule})")
