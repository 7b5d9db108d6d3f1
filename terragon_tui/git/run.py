"""The one way the product runs git on a scanned repository, so that nothing the repository
configures runs: a repository can arrive with its `.git` (an archive, a copied directory)
and name programs in its config that git would start on its own.

Every command takes `-c` overrides that turn those programs off: clean, smudge and process
filters and diff drivers (by name, as the repository's config declares them), fsmonitor,
hooks, signature checks, pagers, editors, external diff, ssh, askpass, credential helpers
and transports. `run` runs a command as a subprocess; `open_repo` gives a GitPython
`Repo` whose commands take the same overrides.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import git

#: Settings naming a program, set to one that does nothing (or to none).
_OFF = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.editor=false",
    "sequence.editor=false",
    "core.askPass=",
    "core.sshCommand=false",
    "core.gitProxy=",
    "core.alternateRefsCommand=",
    "credential.helper=",
    "diff.external=",
    "log.showSignature=false",
    "gpg.program=false",
    "gpg.openpgp.program=false",
    "gpg.x509.program=false",
    "gpg.ssh.program=false",
    "gpg.ssh.defaultKeyCommand=",
    "protocol.allow=never",
    "core.quotepath=off",
)
#: Per-name settings that name a program (`filter.<name>.clean` and the like), and what
#: each becomes: git skips an empty filter, but would try to run an empty textconv, so that
#: one becomes `cat`, which hands the content over as it is. An empty diff or merge command
#: fails the command that would run it (and `--no-ext-diff` skips it).
_NAMED = {
    "filter": {"clean": "", "smudge": "", "process": "", "required": "false"},
    "diff": {"textconv": "cat", "command": ""},
    "merge": {"driver": ""},
}
#: The environment git runs with: no prompts, no optional locks, no pager.
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}


def _environment() -> dict[str, str]:
    return {**os.environ, **_ENV}


class GitUnusable(OSError):
    """git cannot be run safely in this repository: its config cannot be read in time."""


#: How long reading a repository's config may take: a config that includes a FIFO makes
#: every git command wait forever.
CONFIG_SECONDS = 10
#: Roots whose config could not be read, with why: git is not run there again.
_unusable: dict[str, str] = {}


def _named_drivers(root: Path) -> list[str]:
    """Overrides emptying each filter, diff and merge driver the config at `root` names.

    Reading the config runs nothing; a name can hold dots (`filter.a.b.clean`), so the
    driver's name is what lies between the section and the last dot. A config that cannot
    be read in `CONFIG_SECONDS` makes git unusable in `root` (GitUnusable), for the rest of
    the process: without its overrides, no git command may run there.
    """
    key = os.fspath(root)
    if key in _unusable:
        raise GitUnusable(_unusable[key])
    try:
        done = subprocess.run(
            ["git", "--no-pager", "-c", "core.fsmonitor=false", "config", "--null",
             "--name-only", "--get-regexp", r"^(filter|diff|merge)\..*\."],
            cwd=root, capture_output=True, env=_environment(), check=False,
            timeout=CONFIG_SECONDS,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        why = f"its git config could not be read in {CONFIG_SECONDS} s"
        why += " (an include that never ends?)"
        _unusable[key] = why
        raise GitUnusable(why) from exc
    overrides: list[str] = []
    for key in sorted(set(done.stdout.decode("utf-8", "surrogateescape").split("\0"))):
        section, _, rest = key.partition(".")
        name, _, setting = rest.rpartition(".")
        value = _NAMED.get(section.lower(), {}).get(setting.lower())
        if name and value is not None:
            overrides.append(f"{section}.{name}.{setting}={value}")
    return overrides


def overrides(root: Path) -> tuple[str, ...]:
    """The `-c` settings for a command in `root` that turn every configured program off.

    The per-name ones are read from the repository's config for each command (a few
    milliseconds), so a config changed since the last command is never missed.
    """
    return (*_OFF, *_named_drivers(root))


def options(root: Path) -> tuple[str, ...]:
    """git's global options for a command in `root`: no pager, and the `overrides`."""
    return ("--no-pager", *(part for item in overrides(root) for part in ("-c", item)))


def run(
    root: Path, *args: str, stdin: bytes | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[bytes]:
    """git `args` in `root`, output captured, with nothing the repository configures run."""
    return subprocess.run(
        ["git", *options(root), *args], cwd=root, input=stdin, capture_output=True,
        env=_environment(), check=False, timeout=timeout,
    )  # fmt: skip


def open_repo(root: Path, *, search_parent_directories: bool = False) -> git.Repo:
    """A GitPython `Repo` at `root` whose every git command takes `options`."""
    import git

    settings = overrides(root)  # first: GitPython reads the config too, includes and all
    repo = git.Repo(root, search_parent_directories=search_parent_directories)
    repo.git.set_persistent_git_options(no_pager=True, c=list(settings))
    repo.git.update_environment(**_ENV)
    return repo
