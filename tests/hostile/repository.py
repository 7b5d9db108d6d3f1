"""A hostile repository: every trick a scanned repository can play on the product, built in
one place so that the tests and a manual run (`python -m tests.hostile.repository DIR`) meet
the same one.

Each vector is a function that adds its trick to the work tree (and to the repository's own
`.git/config`); `build` applies the chosen ones. A vector that configures a program points it
at one script outside the repository, which appends what it was run as to a marker file and
passes its input through: after any command, an empty marker proves nothing ran.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Hostile",
    "GIT_AUTHOR_EMAIL": "hostile@example.com",
    "GIT_COMMITTER_NAME": "Hostile",
    "GIT_COMMITTER_EMAIL": "hostile@example.com",
}


@dataclass
class Hostile:
    """The repository built, where its configured program writes, and what each vector did."""

    root: Path
    marker: Path
    program: Path
    outside: Path
    vectors: list[str] = field(default_factory=list)

    def ran(self) -> list[str]:
        """What the configured program was run as, one line per run (empty: nothing ran)."""
        return self.marker.read_text().splitlines() if self.marker.exists() else []


def git(root: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> str:
    """git in `root` with no hook or fsmonitor (the builder's own tool); the vectors'
    filters and drivers do run here, once they are configured."""
    safe = ("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false")
    done = subprocess.run(
        ["git", *safe, *args], cwd=root, env=ENV, input=stdin, capture_output=True, check=check
    )
    return done.stdout.decode()


def _config(repo: Hostile, key: str, value: str) -> None:
    git(repo.root, "config", key, value)


def git_filters(repo: Hostile) -> None:
    """`filter.<x>.clean` and `.process` on every file: git runs them whenever it re-reads a
    stat-dirty file (`git ls-files -m`, `git status`, `git diff`)."""
    with (repo.root / ".gitattributes").open("a") as handle:
        handle.write("* filter=evil\n*.cfg filter=evilproc\n")
    git(repo.root, "add", ".gitattributes")
    git(repo.root, "commit", "-q", "--no-verify", "-m", "attributes")
    _config(repo, "filter.evil.clean", f"{repo.program} filter-clean")
    _config(repo, "filter.evil.smudge", f"{repo.program} filter-smudge")
    _config(repo, "filter.evilproc.process", f"{repo.program} filter-process")
    _config(repo, "filter.evilproc.required", "true")
    # make every file stat-dirty: same content, new times, so git must re-read it
    for path in git(repo.root, "ls-files", "-z").split("\0"):
        if path and (repo.root / path).is_file() and not (repo.root / path).is_symlink():
            os.utime(repo.root / path)


def signed_commit(repo: Hostile) -> None:
    """`log.showSignature` with `gpg.program`, and a commit carrying a signature: any `git log`
    without `--no-show-signature` runs the program to verify it."""
    tree = git(repo.root, "write-tree").strip()
    parent = git(repo.root, "rev-parse", "HEAD").strip()
    body = (
        f"tree {tree}\nparent {parent}\nauthor Hostile <hostile@example.com> 1700000000 +0000\n"
        "committer Hostile <hostile@example.com> 1700000000 +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n AAAA\n -----END PGP SIGNATURE-----\n"
        "\nsigned\n"
    )
    sha = git(repo.root, "hash-object", "-t", "commit", "-w", "--stdin", stdin=body.encode())
    git(repo.root, "update-ref", "HEAD", sha.strip())
    _config(repo, "log.showSignature", "true")
    for key in ("gpg.program", "gpg.openpgp.program", "gpg.x509.program", "gpg.ssh.program"):
        named = repo.outside / key  # git runs this one without a shell: a name, no arguments
        if not named.exists():
            named.symlink_to(repo.program)
        _config(repo, key, os.fspath(named))


def diff_programs(repo: Hostile) -> None:
    """A textconv driver and an external diff: `git log -p`, `--numstat` or `git diff` run them."""
    _config(repo, "diff.external", f"{repo.program} diff-external")
    _config(repo, "diff.evil.textconv", f"{repo.program} textconv")
    _config(repo, "diff.evil.command", f"{repo.program} diff-command")
    with (repo.root / ".gitattributes").open("a") as handle:
        handle.write("*.py diff=evil\n")
    (repo.root / "app.py").write_text((repo.root / "app.py").read_text() + "# more\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "--no-verify", "-m", "diff drivers")


def other_programs(repo: Hostile) -> None:
    """Hooks, fsmonitor, pagers, ssh and askpass: git must run none for reading."""
    hooks = repo.root / ".git" / "evil-hooks"
    hooks.mkdir(exist_ok=True)
    for hook in ("post-index-change", "post-checkout", "reference-transaction", "pre-commit"):
        (hooks / hook).write_text(f"#!/bin/sh\n{repo.program} hook-{hook}\n")
        (hooks / hook).chmod(0o755)
    _config(repo, "core.hooksPath", os.fspath(hooks))
    _config(repo, "core.fsmonitor", f"{repo.program} fsmonitor")
    _config(repo, "core.pager", f"{repo.program} pager")
    _config(repo, "pager.log", f"{repo.program} pager-log")
    _config(repo, "core.sshCommand", f"{repo.program} ssh")
    _config(repo, "core.askPass", f"{repo.program} askpass")
    _config(repo, "credential.helper", f"!{repo.program} credential")
    _config(repo, "core.alternateRefsCommand", f"{repo.program} alternate-refs")


#: A name that reads `notesyp.txt` on screen (U+202E shows what follows right to left), and
#: TODO text with an override and a zero-width space in it.
BIDI_NAME = "notes\u202etxt.py"
BIDI_TODO = "pay \u202eevil\u200b now"


def bidi_text(repo: Hostile) -> None:
    """A file name and a TODO carrying bidi overrides and zero-width characters: shown raw,
    the name displays reversed and the text hides a character."""
    (repo.root / BIDI_NAME).write_text(f"# TODO: {BIDI_TODO}\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "--no-verify", "-m", "bidi names")


#: What the files outside the repository hold: a scan that stores any of it read them.
OUTSIDE_TODO = "TODO: outside the repository"
OUTSIDE_SECRET = 'AWS_SECRET = "AKIAIOSFODNN7EXAMPLF"\n'


def _outside_folder(repo: Hostile) -> Path:
    folder = repo.outside / "folder"
    folder.mkdir(exist_ok=True)
    (folder / "x.py").write_text(f"# {OUTSIDE_TODO}\n{OUTSIDE_SECRET}")
    return folder


def special_files(repo: Hostile) -> None:
    """FIFOs where files should be: an untracked one, a tracked file replaced by one, and a
    committed symlink to one; reading any of them waits forever."""
    os.mkfifo(repo.root / "notes.txt")
    (repo.root / "queue.py").write_text("QUEUE = []\n")
    (repo.root / "pipe-link.txt").symlink_to("pipe.fifo")
    os.mkfifo(repo.root / "pipe.fifo")
    git(repo.root, "add", "queue.py", "pipe-link.txt")
    git(repo.root, "commit", "-q", "--no-verify", "-m", "a queue and a link")
    (repo.root / "queue.py").unlink()
    os.mkfifo(repo.root / "queue.py")


def device(repo: Hostile) -> None:
    """A tracked file replaced by a character device that never ends (as /dev/zero), where
    the system lets us make one (as root); elsewhere, nothing."""
    (repo.root / "zero.py").write_text("ZERO = 0\n")
    git(repo.root, "add", "zero.py")
    git(repo.root, "commit", "-q", "--no-verify", "-m", "zero")
    try:
        (repo.root / "zero.py").unlink()
        os.mknod(repo.root / "zero.py", 0o644 | stat.S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        (repo.root / "zero.py").write_text("ZERO = 0\n")


def links_out(repo: Hostile) -> None:
    """Ways out of the repository: tracked `sub/x.py` whose folder became a symlink to a
    folder outside, and a committed symlink to a file outside."""
    outside = _outside_folder(repo)
    (repo.root / "sub").mkdir()
    (repo.root / "sub" / "x.py").write_text("X = 1\n")
    (repo.root / "leak.py").symlink_to(outside / "x.py")
    git(repo.root, "add", "sub/x.py", "leak.py")
    git(repo.root, "commit", "-q", "--no-verify", "-m", "sub and a link")
    (repo.root / "sub" / "x.py").unlink()
    (repo.root / "sub").rmdir()
    (repo.root / "sub").symlink_to(outside, target_is_directory=True)


def deep_nesting(repo: Hostile) -> None:
    """A package.json nested 100,000 arrays deep: a recursive parser stops with a
    RecursionError (a pyproject.toml so nested makes every command refuse the repository's
    config, so it is built in the tests that look at that, not here)."""
    depth = 100_000
    (repo.root / "package.json").write_text('{"scripts": ' + "[" * depth + "]" * depth + "}\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "--no-verify", "-m", "deep manifest")


#: Every vector, in the order `build` applies them.
VECTORS: dict[str, Callable[[Hostile], None]] = {
    "diff-programs": diff_programs,
    "signed-commit": signed_commit,
    "other-programs": other_programs,
    "bidi-text": bidi_text,  # before the FIFOs: these two commit with `git add -A`
    "deep-nesting": deep_nesting,
    "special-files": special_files,
    "device": device,
    "links-out": links_out,
    "git-filters": git_filters,  # last: it leaves the work tree stat-dirty
}


#: The vectors that configure programs for git to run (the others are files).
GIT_VECTORS = ("diff-programs", "signed-commit", "other-programs", "git-filters")


def build(root: Path, *, vectors: Iterable[str] = VECTORS) -> Hostile:
    """A git repository at `root` (a few ordinary files, two commits) with the `vectors`.

    The marker, the program and a folder outside the repository are made beside `root`.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    base = root.parent / f"{root.name}-outside"
    base.mkdir(exist_ok=True)
    marker = base / "ran.log"
    program = base / "program.sh"
    program.write_text(f'#!/bin/sh\necho "$(basename "$0") $*" >> "{marker}"\ncat\n')
    program.chmod(0o755)
    repo = Hostile(root=root, marker=marker, program=program, outside=base)
    git(root, "init", "-q", "-b", "main")
    (root / "app.py").write_text("def main():\n    # TODO: handle the empty case\n    return 1\n")
    (root / "settings.cfg").write_text("[app]\nname = demo\n")
    (root / "README.md").write_text("# demo\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", "first")
    for name in vectors:
        VECTORS[name](repo)
        repo.vectors.append(name)
    marker.unlink(missing_ok=True)  # what building ran is not the product's doing
    return repo


if __name__ == "__main__":  # a hostile repository for a manual run
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.hostile.repository DIR")
    made = build(Path(sys.argv[1]))
    print(f"{made.root}: {', '.join(made.vectors)}; a configured program writes to {made.marker}")
