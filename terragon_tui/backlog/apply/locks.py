"""The versions a Python lock file fixes, and requirement lines pinned to them."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

#: Lock files read, in the order looked for: TOML ones with `[[package]]` name and version,
#: and Pipfile.lock (JSON, `default` and `develop`).
LOCK_NAMES = ("uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock")
_MAX_BYTES = 20 * 1024 * 1024
_COMMENT = re.compile(r"(^|\s)#")
_OPTION_TAIL = re.compile(r"\s+--?[A-Za-z]")


def _canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


def _read(path: Path) -> dict[str, str]:
    """name -> version of one lock file; a name locked at two versions (per platform or
    Python) is left out, as no one pin is right for it."""
    text = path.read_text(encoding="utf-8", errors="replace")
    found: dict[str, set[str]] = {}
    if path.name == "Pipfile.lock":
        data = json.loads(text)
        for section in ("default", "develop"):
            for name, entry in (data.get(section) or {}).items():
                version = str((entry or {}).get("version", "")).removeprefix("==")
                if version:
                    found.setdefault(_canonical(name), set()).add(version)
    else:
        for package in tomllib.loads(text).get("package", []):
            if isinstance(package, dict) and package.get("name") and package.get("version"):
                found.setdefault(_canonical(str(package["name"])), set()).add(
                    str(package["version"])
                )
    return {name: next(iter(versions)) for name, versions in found.items() if len(versions) == 1}


def lock_versions(tree: Path, folder: str) -> tuple[dict[str, str], str | None]:
    """The versions of the first lock file beside `folder` or at the root of `tree`, and
    its path ("" and None when there is none that can be read)."""
    folders = [folder] if folder in ("", ".") else [folder, "."]
    for where in folders:
        for name in LOCK_NAMES:
            path = tree / where / name
            if path.is_symlink() or not path.is_file() or path.stat().st_size > _MAX_BYTES:
                continue
            try:
                return _read(path), (Path(where) / name).as_posix().removeprefix("./")
            except (ValueError, tomllib.TOMLDecodeError, AttributeError):
                continue
    return {}, None


def _pinned_line(line: str, versions: dict[str, str], left: list[str]) -> str:
    from packaging.requirements import InvalidRequirement, Requirement

    comment = _COMMENT.search(line)
    cut = comment.start() if comment else len(line)
    option = _OPTION_TAIL.search(line[:cut])
    cut = option.start() if option else cut
    head, rest = line[:cut], line[cut:]
    spec = head.strip()
    if not spec or spec.startswith(("-", ".", "/", "~")) or "://" in spec:
        return line
    try:
        parsed = Requirement(spec)
    except InvalidRequirement:
        return line
    if parsed.url or any(s.operator in ("==", "===") and "*" not in s.version
                         for s in parsed.specifier):  # fmt: skip
        return line
    name = _canonical(parsed.name)
    version = versions.get(name)
    if version is None:
        left.append(name)
        return line
    pinned = parsed.name
    if parsed.extras:
        pinned += f"[{','.join(sorted(parsed.extras))}]"
    pinned += f"=={version}"
    if parsed.marker:
        pinned += f"; {parsed.marker}"
    indent = head[: len(head) - len(head.lstrip())]
    trailing = head[len(head.rstrip()) :]
    return indent + pinned + trailing + rest


def pin_requirements(text: str, versions: dict[str, str]) -> tuple[str, list[str]]:
    """`text` (a requirements file) with each unpinned requirement the lock has pinned to
    its version (`==`), extras, markers, options and comments kept; and the names the lock
    does not have. Lines continued with a backslash are left as they are."""
    out: list[str] = []
    left: list[str] = []
    continued = False
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        ending = raw[len(body) :]
        if continued or body.rstrip().endswith("\\"):
            continued = body.rstrip().endswith("\\")
            out.append(raw)
            continue
        out.append(_pinned_line(body, versions, left) + ending)
    return "".join(out), sorted(set(left))
