"""What a repository has already decided: its bandit settings and inline `terragon: ignore`.

A project that skips a bandit check, or excludes a directory from it, has decided; showing
those findings again is noise. Read, in bandit's own terms: `[tool.bandit]` in
pyproject.toml (`skips`, `tests`, `exclude_dirs`, `assert_used.skips`), `.bandit` and
`setup.cfg`'s `[bandit]` section (`skips`, `tests`, `exclude`). A comment
`terragon: ignore[RULE]` (or `terragon: ignore[RULE, OTHER]`, or `terragon: ignore` for every
rule) on a finding's line drops that finding, in any language's comment syntax. Every finding
dropped this way is counted with its reason.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.nesting import toml_loads
from .finding import Finding, Suppressed
from .safe_read import RepoReader, Unreadable

#: A file larger than this is not searched for inline ignores (the scan skips it anyway).
_MAX_READ = 1 << 20
_IGNORE = re.compile(r"terragon:\s*ignore(?:\[([^\]]*)\])?")


@dataclass
class BanditSettings:
    """bandit's own settings from one of the repository's files."""

    where: str = ""
    skips: frozenset[str] = frozenset()
    tests: frozenset[str] = frozenset()
    excludes: tuple[str, ...] = ()
    assert_skips: tuple[str, ...] = ()

    def reason(self, finding: Finding) -> str | None:
        """Why bandit, configured so, would not report `finding`; None if it would."""
        if finding.source != "security" or not self.where:
            return None
        if finding.rule in self.skips:
            return f"skipped by {self.where} (skips)"
        if self.tests and finding.rule not in self.tests:
            return f"not among the tests {self.where} runs"
        path = f"./{finding.path}"
        if self.excludes and _bandit_excludes(path, self.excludes):
            return f"excluded by {self.where}"
        if finding.rule == "B101" and any(fnmatch.fnmatch(path, g) for g in self.assert_skips):
            return f"skipped by {self.where} (assert_used.skips)"
        return None


def _bandit_excludes(path: str, excludes: tuple[str, ...]) -> bool:
    """bandit's own rule (as `bandit -r .` applies it): a glob match or a substring."""
    try:
        from bandit.core.manager import _is_file_included
    except ImportError:  # a bandit without it: the same rule, as bandit documents it
        return any(fnmatch.fnmatch(path, g) or g in path for g in excludes)
    return not _is_file_included(path, ["*"], list(excludes))


def _words(value: object) -> tuple[str, ...]:
    """A list option as bandit takes it: a TOML list, or a comma-separated INI string."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list):
        return tuple(str(part).strip() for part in value if str(part).strip())
    return ()


def _ini_section(path: Path) -> dict[str, str] | None:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, configparser.Error):
        return None
    return dict(parser["bandit"]) if parser.has_section("bandit") else None


def bandit_settings(root: Path) -> BanditSettings:
    """The repository's bandit settings: pyproject.toml, else .bandit, else setup.cfg."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and not pyproject.is_symlink():
        try:
            table = toml_loads(pyproject.read_text(encoding="utf-8", errors="replace"))
        except (OSError, tomllib.TOMLDecodeError):
            table = {}
        tool = table.get("tool")
        bandit = tool.get("bandit") if isinstance(tool, dict) else None
        if isinstance(bandit, dict):
            asserts = bandit.get("assert_used")
            return BanditSettings(
                where="pyproject.toml [tool.bandit]",
                skips=frozenset(_words(bandit.get("skips"))),
                tests=frozenset(_words(bandit.get("tests"))),
                excludes=_words(bandit.get("exclude_dirs")),
                assert_skips=_words(asserts.get("skips")) if isinstance(asserts, dict) else (),
            )
    for name in (".bandit", "setup.cfg"):
        path = root / name
        if not path.is_file() or path.is_symlink():
            continue
        section = _ini_section(path)
        if section is not None:
            return BanditSettings(
                where=f"{name} [bandit]",
                skips=frozenset(_words(section.get("skips", ""))),
                tests=frozenset(_words(section.get("tests", ""))),
                excludes=tuple(e.strip("/") or e for e in _words(section.get("exclude", ""))),
            )
    return BanditSettings()


def _ignored_rules(line: str) -> set[str] | None:
    """The rules a `terragon: ignore[...]` on `line` names ({"*"}: all); None without one."""
    match = _IGNORE.search(line)
    if match is None:
        return None
    if match.group(1) is None:
        return {"*"}
    return {part.strip().lower() for part in match.group(1).split(",") if part.strip()}


@dataclass
class Decisions:
    """The repository's decisions, applied to a scan's findings."""

    root: Path
    bandit: BanditSettings = field(default_factory=BanditSettings)
    #: The repository's `ignore_rules` setting: "B311" everywhere, "B311:tests/**" under a glob.
    ignore_rules: tuple[str, ...] = ()

    def apply(self, findings: Iterable[Finding]) -> tuple[list[Finding], list[Suppressed]]:
        """The findings the repository has not decided against, and those it has."""
        kept: list[Finding] = []
        dropped: list[Suppressed] = []
        lines = _LineReader(self.root)
        for finding in findings:
            reason = (
                self.bandit.reason(finding)
                or self._inline(finding, lines)
                or self._ignored(finding)
            )
            if reason is None:
                kept.append(finding)
            else:
                dropped.append(
                    Suppressed(finding.source, finding.rule, finding.path, finding.line, reason)
                )
        return kept, dropped

    def _ignored(self, finding: Finding) -> str | None:
        """`ignore_rules: ENTRY` when an entry of the setting drops this finding."""
        for entry in self.ignore_rules:
            rule, _, glob = entry.partition(":")
            if rule.lower() != finding.rule.lower():
                continue
            if not glob or (finding.path is not None and fnmatch.fnmatchcase(finding.path, glob)):
                return f"ignore_rules: {entry}"
        return None

    @staticmethod
    def _inline(finding: Finding, lines: _LineReader) -> str | None:
        if finding.path is None or finding.line is None:
            return None
        rules = _ignored_rules(lines.line(finding.path, finding.line))
        if rules is None:
            return None
        names = {finding.rule.lower(), finding.source.lower()}
        if "*" in rules or names & rules:
            return "terragon: ignore on its line"
        return None


class _LineReader:
    """Lines of repository files, each file read once and only if it has an ignore at all."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._reader = RepoReader(root)
        self._files: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str:
        if path not in self._files:
            self._files[path] = self._read(path)
        lines = self._files[path]
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def _read(self, path: str) -> list[str]:
        try:
            data = self._reader.head(path, _MAX_READ)
        except Unreadable:
            return []
        if b"terragon:" not in data:
            return []
        return data.decode("utf-8", errors="replace").splitlines()


def read_decisions(root: Path, ignore_rules: tuple[str, ...] = ()) -> Decisions:
    """What the repository at `root` has decided (its `ignore_rules` setting among it)."""
    return Decisions(root, bandit_settings(root), ignore_rules)
