"""Real git repositories with history, built in tmp_path, for the discovery tests."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


@dataclass
class GitRepo:
    """A git repository in tmp_path that tests write files into and commit, with dates."""

    path: Path
    clock: int = field(default_factory=lambda: int(time.time()) - 30 * 86400)
    zone: str = "+0000"  # the time zone commits are dated in

    def git(self, *args: str, author: str = "Ann Example <ann@example.com>") -> str:
        """Run git here as `author`, one minute after the previous call."""
        self.clock += 60
        name, email = author.rsplit(" <", 1)
        stamp = f"{self.clock} {self.zone}"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email.rstrip(">"),
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email.rstrip(">"),
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
        }
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=env, check=True, capture_output=True, text=True
        )
        return done.stdout

    def write(self, files: dict[str, str | bytes]) -> None:
        """Write files (text or bytes), creating directories."""
        for name, content in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")

    def commit(
        self,
        files: dict[str, str | bytes],
        message: str = "change",
        author: str = "Ann Example <ann@example.com>",
    ) -> None:
        """Write `files` and commit everything as `author`."""
        self.write(files)
        self.git("add", "-A", author=author)
        self.git("commit", "-q", "-m", message, author=author)


@pytest.fixture
def git_repo(tmp_path: Path) -> GitRepo:
    """An empty git repository on branch main with a fixed identity."""
    path = tmp_path / "repo"
    path.mkdir()
    repo = GitRepo(path)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.name", "Ann Example")
    repo.git("config", "user.email", "ann@example.com")
    return repo


def complex_function(name: str, branches: int) -> str:
    """Source of a function with cyclomatic complexity 1 + `branches`."""
    lines = [f"def {name}(x):"]
    for n in range(branches):
        lines.append(f"    if x == {n}:")
        lines.append(f"        return {n}")
    lines.append("    return -1")
    return "\n".join(lines) + "\n"


def audit_files(tmp_path: Path, files: dict[str, str]) -> Any:
    """Write `files` under `tmp_path` and run the configuration audit over them."""
    from terragon_tui.discovery import config_audit

    for name, content in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    return config_audit.audit(tmp_path, list(files))
