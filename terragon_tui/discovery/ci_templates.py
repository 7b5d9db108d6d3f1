"""CI workflow templates: workflows kept in docs/ or a templates folder, where nothing runs them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from ..core.text import printable
from .finding import Finding

RULE = "workflow-templates-inactive"
#: Where a repository keeps workflows it means to use but does not run: anywhere under docs/
#: (or doc/), or in any folder named like templates/, workflow-templates/,
#: .github/workflow-templates/, github-workflows-template/.
_DOCS = frozenset({"docs", "doc"})
_TEMPLATE_FOLDER = re.compile(r"template", re.IGNORECASE)
_LIVE = ".github/workflows/"
#: A workflow is a few kilobytes; a bigger YAML file under docs/ is something else.
_MAX_BYTES = 256 * 1024
#: docs/ may hold any number of YAML files (OpenAPI, examples); read at most this many.
_MAX_FILES = 200
# Cheap before parsing: a GitHub workflow has `jobs:` at the top, a GitLab one `stages:` at
# the top or a job with an indented `script:`.
_LOOKS_LIKE_CI = re.compile(r"^(jobs|stages)\s*:|^\s+script\s*:", re.MULTILINE)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The check most worth turning on first is the one run on every change, usually ci.yml.
_FIRST = re.compile(r"(^|[-_.])ci($|[-_.])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Template:
    """One workflow file kept where no CI service reads it, and which service it is for."""

    path: str
    kind: str  # "github" (GitHub Actions) or "gitlab" (GitLab CI)

    @property
    def folder(self) -> str:
        """The folder the template lies in."""
        return str(PurePosixPath(self.path).parent)

    @property
    def name(self) -> str:
        """The template's file name."""
        return PurePosixPath(self.path).name


def is_template_place(path: str) -> bool:
    """Whether `path` is a YAML file where workflow templates are kept (not .github/workflows/)."""
    if not path.lower().endswith((".yml", ".yaml")):
        return False
    pure = PurePosixPath(path)
    folders = pure.parts[:-1]
    if pure.suffix.lower() not in (".yml", ".yaml") or not folders or path.startswith(_LIVE):
        return False
    return folders[0].lower() in _DOCS or any(_TEMPLATE_FOLDER.search(f) for f in folders)


def workflow_kind(document: object) -> str | None:
    """The CI a parsed YAML document is a workflow of: "github", "gitlab", or None."""
    if not isinstance(document, dict):
        return None
    # YAML 1.1 reads the key `on` as the boolean True, as PyYAML does.
    if ("on" in document or True in document) and isinstance(document.get("jobs"), dict):
        return "github"
    jobs = [value for value in document.values() if isinstance(value, dict) and "script" in value]
    if isinstance(document.get("stages"), list) or jobs:
        return "gitlab"
    return None


def load(text: str) -> tuple[Any, str | None]:
    """A YAML document's data (PyYAML's safe loader: data only, nothing constructed), and
    why it could not be read (None when it could)."""
    try:
        return yaml.load(text, Loader=_LOADER), None
    except yaml.MarkedYAMLError as exc:
        where = f"line {exc.problem_mark.line + 1}: " if exc.problem_mark else ""
        return None, printable(f"{where}{exc.problem or exc.context}", single_line=True)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        return None, printable(type(exc).__name__, single_line=True)


def parse(text: str) -> Any:
    """A YAML document's data, or None when it is not YAML (see `load`)."""
    return load(text)[0]


def _kind_of(path: Path) -> str | None:
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_BYTES:
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if not _LOOKS_LIKE_CI.search(text):
        return None
    return workflow_kind(parse(text))


def find(root: Path, paths: Iterable[str]) -> list[Template]:
    """The CI workflow templates among `paths`, in the order they are best turned on."""
    places = sorted(p for p in paths if is_template_place(p))[:_MAX_FILES]
    found = [Template(p, kind) for p in places if (kind := _kind_of(root / p)) is not None]
    return sorted(
        found, key=lambda t: (t.folder, not _FIRST.search(PurePosixPath(t.path).stem), t.name)
    )


def _by_folder(templates: Sequence[Template]) -> list[tuple[str, list[Template]]]:
    """Templates grouped by folder, the folder with the most first."""
    groups: dict[str, list[Template]] = {}
    for template in templates:
        groups.setdefault(template.folder, []).append(template)
    return sorted(groups.items(), key=lambda group: (-len(group[1]), group[0]))


def _names(templates: Sequence[Template], shown: int | None = None) -> str:
    names = [t.name for t in templates]
    if shown is None or len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown]) + f", +{len(names) - shown}"


def finding(templates: Sequence[Template]) -> Finding:
    """The finding for templates that are the repository's only CI, named in title and text."""
    groups = _by_folder(templates)
    folder, first_group = groups[0]
    first = first_group[0]
    plural = "s" if len(templates) > 1 else ""
    title = f"Activate the CI workflow template{plural} in {folder} ({_names(first_group, 2)})"
    if len(groups) > 1:
        others = len(groups) - 1
        title += f" and {others} other folder{'s' if others > 1 else ''}"
    where = " and ".join(f"{f} ({_names(group)})" for f, group in groups)
    target = ".github/workflows/" if first.kind == "github" else ".gitlab-ci.yml"
    description = (
        f"{len(templates)} CI workflow template{plural} {'lie' if plural else 'lies'} in "
        f"{where}, but no CI runs: "
        ".github/workflows/ has none, so tests, linters and security checks run on no push "
        f"and no pull request. The work is written already: copy {first.path} to {target}, "
        "see it pass, then add the others it needs (a deployment needs its secrets first)."
    )
    return Finding(
        source="config",
        rule=RULE,
        title=title,
        description=description,
        category="infrastructure",
        path=folder,
        # About an hour: the files exist and need copying, a first run, maybe a secret.
        estimated_hours=1.0,
        # Every later change gets checked; the gain is large, certain, and a copy away.
        impact=9.0,
        confidence=9.0,
        ease=9.0,
        # Reviewed as a pull request, not applied unattended: a workflow runs with the
        # repository's secrets, and a deployment template publishes.
        risk=0.4,
        # WSJF on the 1-20 scale: the project decided what to check and wrote it down
        # (value 13); each push without it lets failures pile up for whoever turns it on, and
        # templates drift from the code (criticality 13); regressions and vulnerabilities are
        # caught before merge rather than after release (risk reduction 13).
        business_value=13.0,
        time_criticality=13.0,
        risk_reduction=13.0,
        # Without the checks running, every change merged adds to what nobody verified:
        # a day's work of catching up (8 h), growing with each push (interest 3).
        debt_hours=8.0,
        debt_interest=3.0,
        # The quality gates the project chose (tests, lint, security scans) are enforced on
        # nothing: a compliance matter, as an unchecked change-control process is.
        is_compliance=True,
        business_value_text="Every change is checked by the CI the project already wrote.",
        data={
            "templates": [t.path for t in templates],
            "folders": [f for f, _group in groups],
            "kinds": sorted({t.kind for t in templates}),
        },
    )
