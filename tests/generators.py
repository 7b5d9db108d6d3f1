"""Generated repositories shaped like the real ones the product meets, for tests and CI smoke runs.

Standard library and git only, so `.ci/run` can call it from a venv that has nothing but the
project installed: `python tests/generators.py project DIR [--files N]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

AUTHOR = ("Ann Example", "ann@example.com")

PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "0.3.0"
requires-python = ">=3.10"
dependencies = [
    "requests>=2.31",
    "click",
    "pyyaml==6.0.1",
    "rich>=13; python_version >= '3.10'",
]

[project.optional-dependencies]
test = ["pytest>=8"]
"""

REQUIREMENTS = """\
# runtime pins for the deployment image
requests==2.31.0
click
pyyaml==6.0.1
rich>=13 ; python_version >= "3.10"
-e .
"""

MODULE = '''\
"""Module {n} of the generated package."""

import subprocess


def handle_{n}(kind, value):
    # TODO: split this dispatcher into one function per kind
    if kind == "a":
        return value + 1
    elif kind == "b":
        return value - 1
    elif kind == "c":
        return value * 2
    elif kind == "d":
        return value // 2
    elif kind == "e":
        return -value
    elif kind == "f":
        return value ** 2
    elif kind == "g":
        return abs(value)
    elif kind == "h":
        return value % 7
    elif kind == "i":
        return value << 1
    elif kind == "j":
        return value >> 1
    elif kind == "k":
        return value & 3
    return value


def run_{n}(command):
    return subprocess.call(command, shell=True)
'''


def git(path: Path, *args: str) -> str:
    """Run git in `path` as the generator's author, with the user's own config out of the way."""
    name, email = AUTHOR
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(
        ["git", *args], cwd=path, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def write(root: Path, files: dict[str, str]) -> None:
    """Write text files under `root`, creating directories."""
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def project(root: Path, files: int = 120, name: str = "sampleapp") -> Path:
    """A committed Python project: `[project].dependencies`, a requirements.txt, `files` modules.

    Every module has a TODO, a function over the complexity threshold and a bandit finding,
    so a scan of it has work for every per-file source.
    """
    root.mkdir(parents=True, exist_ok=True)
    content = {
        "pyproject.toml": PYPROJECT.format(name=name),
        "requirements.txt": REQUIREMENTS,
        f"src/{name}/__init__.py": '"""The generated package."""\n',
    }
    for n in range(files):
        content[f"src/{name}/module_{n:03}.py"] = MODULE.format(n=n)
    write(root, content)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "generated project")
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("shape", choices=["project"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--files", type=int, default=120)
    args = parser.parse_args(argv)
    project(args.directory, files=args.files)
    print(args.directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
