"""The repository's mypy configuration, found as mypy finds it and made safe to run with.

mypy reads the first of mypy.ini, .mypy.ini, pyproject.toml ([tool.mypy]) and setup.cfg
([mypy]) that has a mypy section. What in it would run or write something is left out of
the copy the scan hands to mypy: plugins (mypy imports them), the interpreter to ask for
site-packages, report and JUnit files, the cache directory, stub installation and worker
processes. The rest (strictness, per-module overrides, `files`, `mypy_path`...) is kept.
"""

from __future__ import annotations

import configparser
import json
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.nesting import toml_loads
from .small_files import read_text

#: Where mypy looks, in its order; the first with a mypy section is the configuration.
CONFIG_FILES = ("mypy.ini", ".mypy.ini", "pyproject.toml", "setup.cfg")
#: Options that import code, run a program or write files: never passed on.
UNSAFE = frozenset(
    {
        "plugins",
        "python_executable",
        "cache_dir",
        "junit_xml",
        "junit_format",
        "install_types",
        "non_interactive",
        "num_workers",
        "quickstart_file",
    }
)
#: Options naming what to check; when one is set, mypy checks that instead of our file list.
TARGETS = ("files", "packages", "modules")
_CONFIG_DIR = re.compile(r"\$\{?MYPY_CONFIG_FILE_DIR\}?")


@dataclass(frozen=True, slots=True)
class MypyConfig:
    """The repository's mypy configuration: where it is, its safe copy, and what was left out."""

    path: str | None  # repository-relative; None: the repository configures no mypy
    text: str  # the configuration as handed to mypy
    suffix: str  # ".ini" or ".toml": how mypy reads `text`
    dropped: tuple[str, ...] = ()  # the unsafe options that were left out
    plugins: tuple[str, ...] = ()  # the plugins the repository asks for (never loaded)
    targets: bool = False  # the configuration names what to check (files, packages...)
    exclude: tuple[str, ...] = ()  # its `exclude` regular expressions

    @property
    def configured(self) -> bool:
        """Whether the repository configures mypy at all."""
        return self.path is not None


def _read(root: Path, path: str) -> str | None:
    """The file's text, or None when it is no regular file of a sane size."""
    full = root / path
    return read_text(root, path) if full.is_file() and not full.is_symlink() else None


def find(root: Path, paths: Iterable[str]) -> MypyConfig:
    """The mypy configuration of the repository at `root` whose tracked files are `paths`
    (an empty one when it has none)."""
    present = set(paths)
    for name in CONFIG_FILES:
        text = _read(root, name) if name in present else None
        if text is None:
            continue
        found = (
            _from_toml(name, text, root) if name.endswith(".toml") else _from_ini(name, text, root)
        )
        if found is not None:
            return found
    return MypyConfig(None, "[mypy]\n", ".ini")


def _expand(value: Any, root: Path) -> Any:
    """`value` with $MYPY_CONFIG_FILE_DIR meaning the repository root (the copy mypy reads
    lives elsewhere, and mypy expands the variable to the directory of the file it read)."""
    if isinstance(value, str):
        return _CONFIG_DIR.sub(lambda _: str(root), value)
    if isinstance(value, list):
        return [_expand(v, root) for v in value]
    return value


def _unsafe(key: str) -> bool:
    return key in UNSAFE or key.endswith("_report")


def _plugin_names(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(str(p).strip() for p in items if str(p).strip())


def _from_ini(name: str, text: str, root: Path) -> MypyConfig | None:
    parser = configparser.RawConfigParser()  # as mypy reads it: no interpolation
    try:
        parser.read_string(text, source=name)
    except configparser.Error:
        return None
    if not parser.has_section("mypy"):
        return None
    safe = configparser.RawConfigParser()
    dropped: set[str] = set()
    plugins: tuple[str, ...] = ()
    for section in parser.sections():
        if section != "mypy" and not section.startswith("mypy-"):
            continue  # other tools' sections, and plugin settings ([mypy.plugins.*])
        safe.add_section(section)
        for key, value in parser.items(section):
            if _unsafe(key):
                dropped.add(key)
                if key == "plugins":
                    plugins = _plugin_names(value)
                continue
            safe.set(section, key, _expand(value, root))
    main = dict(safe.items("mypy"))
    exclude = (main["exclude"].strip(),) if main.get("exclude", "").strip() else ()
    return MypyConfig(
        name,
        _ini_text(safe),
        ".ini",
        tuple(sorted(dropped)),
        plugins,
        targets=any(main.get(key, "").strip() for key in TARGETS),
        exclude=exclude,
    )


def _ini_text(parser: configparser.RawConfigParser) -> str:
    from io import StringIO

    out = StringIO()
    parser.write(out)
    return out.getvalue()


def _from_toml(name: str, text: str, root: Path) -> MypyConfig | None:
    try:
        tool = toml_loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return None
    table = tool.get("mypy") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return None
    dropped: set[str] = set()
    main = _safe_table(table, root, dropped)
    overrides = [
        _safe_table(entry, root, dropped)
        for entry in table.get("overrides", [])
        if isinstance(entry, dict)
    ]
    lines = ["[tool.mypy]", *_toml_pairs(main)]
    for entry in overrides:
        lines += ["", "[[tool.mypy.overrides]]", *_toml_pairs(entry)]
    exclude = main.get("exclude") or []
    return MypyConfig(
        name,
        "\n".join(lines) + "\n",
        ".toml",
        tuple(sorted(dropped)),
        _plugin_names(table["plugins"]) if "plugins" in table else (),
        targets=any(main.get(key) for key in TARGETS),
        exclude=tuple(map(str, exclude)) if isinstance(exclude, list) else (str(exclude),),
    )


def _safe_table(table: Mapping[str, Any], root: Path, dropped: set[str]) -> dict[str, Any]:
    """The options of one table that are safe and plain values (tables of other shapes,
    such as dates or nested tables, are no mypy option)."""
    kept = {}
    for key, value in table.items():
        if _unsafe(key):
            dropped.add(key)
        elif _plain(value):
            kept[key] = _expand(value, root)
    return kept


def _plain(value: Any) -> bool:
    if isinstance(value, list):
        return all(_plain(v) and not isinstance(v, list) for v in value)
    return isinstance(value, str | bool | int) or (
        isinstance(value, float) and math.isfinite(value)
    )


def _toml_pairs(table: Mapping[str, Any]) -> list[str]:
    """`key = value` lines: a JSON string, number, boolean or array is valid TOML, once
    DEL (which JSON leaves as it is and TOML forbids in strings) is escaped."""
    return [
        f"{json.dumps(key)} = {json.dumps(value, ensure_ascii=False)}".replace("\x7f", "\\u007f")
        for key, value in table.items()
    ]


_PIN = re.compile(r"""(?im)^\s*["']?mypy\s*==\s*([0-9][0-9A-Za-z.]*)""")
_HOOK = re.compile(r"""mirrors-mypy["']?\s*\n\s*rev:\s*["']?v?([0-9][0-9A-Za-z.]*)""")


def pinned_version(root: Path, paths: Iterable[str]) -> str | None:
    """The mypy version the repository pins for itself (`mypy==X` in a requirements file or
    pyproject.toml, the mirrors-mypy pre-commit hook's rev), or None."""
    for path in sorted(paths):
        name = PurePosixPath(path).name
        if name == ".pre-commit-config.yaml":
            pattern = _HOOK
        elif name == "pyproject.toml" or (name.endswith(".txt") and "requirements" in path):
            pattern = _PIN
        else:
            continue
        match = pattern.search(_read(root, path) or "")
        if match:
            return match.group(1)
    return None
