"""Pushing a fix's branch and opening its pull request with the `gh` CLI, or saying how."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...core.text import printable
from ...git import run as git_run

#: The transports a push may use: not `ext::`, which runs a command named in the URL.
_PROTOCOLS = ("https", "http", "ssh", "git", "file")
_GITHUB = re.compile(r"github\.com[:/]+([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?$")


@dataclass
class Delivery:
    """What happened to a branch after its commit: pushed or not, its pull request, and the
    commands still to run."""

    pushed: bool = False
    pr_url: str | None = None
    said: list[str] = field(default_factory=list)
    to_run: list[str] = field(default_factory=list)


def _user_settings(name: str) -> list[str]:
    """The user's own (global and system) values of a git setting, never the repository's."""
    done = subprocess.run(
        ["git", "config", "--includes", "--get-all", name], cwd=tempfile.gettempdir(),
        capture_output=True, check=False, timeout=30,
    )  # fmt: skip
    return [v for v in done.stdout.decode("utf-8", "replace").splitlines() if v]


def _push_overrides() -> list[str]:
    """`-c` settings that let a push reach the remote with the user's ssh and credentials,
    on top of the ones that turn the repository's programs off."""
    settings = [f"protocol.{name}.allow=always" for name in _PROTOCOLS]
    settings.append(f"core.sshCommand={(_user_settings('core.sshCommand') or ['ssh'])[0]}")
    settings += [f"credential.helper={helper}" for helper in _user_settings("credential.helper")]
    return [part for setting in settings for part in ("-c", setting)]


def remote_of(root: Path) -> str | None:
    """The remote to push to: the current branch's upstream remote, origin, or the only one."""
    upstream = git_run.run(root, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}")
    remotes = git_run.run(root, "remote").stdout.decode("utf-8", "replace").split()
    if upstream.returncode == 0:
        name = upstream.stdout.decode().strip().split("/", 1)[0]
        if name in remotes:
            return name
    if "origin" in remotes:
        return "origin"
    return remotes[0] if len(remotes) == 1 else None


def github_repo(root: Path, remote: str) -> str | None:
    """`owner/name` of the remote when it is on GitHub, else None."""
    done = git_run.run(root, "remote", "get-url", remote)
    found = _GITHUB.search(done.stdout.decode("utf-8", "replace").strip())
    return f"{found[1]}/{found[2]}" if found else None


def _gh_ready() -> str | None:
    """The gh executable when it is installed and logged in."""
    gh = shutil.which("gh")
    if gh is None:
        return None
    done = subprocess.run(
        [gh, "auth", "status"], cwd=tempfile.gettempdir(), capture_output=True, check=False,
        env={**os.environ, "GH_PROMPT_DISABLED": "1"}, timeout=60,
    )  # fmt: skip
    return gh if done.returncode == 0 else None


def _pr_command(branch: str, title: str, body: Path, repo: str | None) -> list[str]:
    command = ["gh", "pr", "create", "--head", branch, "--title", title, "--body-file", str(body)]
    return [*command, "--repo", repo] if repo else command


def deliver(root: Path, branch: str, title: str, body: Path, *, push: bool) -> Delivery:
    """Push `branch` and open its pull request when asked and possible; say what to run for
    whatever is left."""
    result = Delivery()
    remote = remote_of(root)
    repo = github_repo(root, remote) if remote else None
    push_command = ["git", "push", remote or "REMOTE", branch]
    pr_command = _pr_command(branch, title, body, repo)
    if not push:
        result.to_run = [shlex.join(push_command), shlex.join(pr_command)]
        return result
    if remote is None:
        result.said.append("the repository has no remote to push to (or several, none origin)")
        result.to_run = [shlex.join(push_command), shlex.join(pr_command)]
        return result
    done = git_run.run(
        root, *_push_overrides(), "push", "--no-verify", "--receive-pack=git-receive-pack",
        "--", remote, f"refs/heads/{branch}:refs/heads/{branch}",
    )  # fmt: skip
    if done.returncode != 0:
        reason = printable(done.stderr.decode("utf-8", "replace"), single_line=True)
        result.said.append(f"git push to {remote} failed: {reason[:300]}")
        result.to_run = [shlex.join(push_command), shlex.join(pr_command)]
        return result
    result.pushed = True
    result.said.append(f"pushed {branch} to {remote}")
    gh = _gh_ready()
    if gh is None or repo is None:
        why = "gh is not installed or not logged in" if repo else "the remote is not on GitHub"
        result.said.append(f"no pull request opened: {why}")
        result.to_run = [shlex.join(pr_command)]
        return result
    opened = subprocess.run(
        [gh, *pr_command[1:]], cwd=tempfile.gettempdir(), capture_output=True, check=False,
        env={**os.environ, "GH_PROMPT_DISABLED": "1"}, timeout=120,
    )  # fmt: skip
    output = printable(opened.stdout.decode("utf-8", "replace"), single_line=False).split()
    if opened.returncode == 0 and output:
        result.pr_url = output[-1]
        result.said.append(f"opened {result.pr_url}")
    else:
        reason = printable(opened.stderr.decode("utf-8", "replace"), single_line=True)
        result.said.append(f"gh pr create failed: {reason[:300]}")
        result.to_run = [shlex.join(pr_command)]
    return result
