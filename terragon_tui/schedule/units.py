"""systemd user units and crontab lines that run the cadence on one repository, and
installing or removing those units under the user's systemd directory (never root's)."""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from ..core.cadence import Cadence
from ..core.errors import UsageError
from ..core.text import printable

#: The first line of every unit terragon writes: `--remove` deletes only files that start so.
MARKER = "# Written by terragon schedule --install"
LOG_APP = "terragon-tui"


@dataclass(frozen=True)
class Target:
    """What scheduled jobs work on: a repository and the store its backlog lives in."""

    root: Path
    db_url: str

    @property
    def slug(self) -> str:
        """The repository's name in unit names: readable, and unique by its path."""
        name = re.sub(r"[^a-z0-9]+", "-", self.root.name.lower()).strip("-")[:40] or "repo"
        digest = hashlib.sha256(str(self.root).encode("utf-8", "surrogateescape")).hexdigest()
        return f"{name}-{digest[:8]}"

    def unit(self, kind: str) -> str:
        """The unit name (without suffix) of one job: `terragon-security-click-1a2b3c4d`."""
        return f"terragon-{kind}-{self.slug}"

    def command(self, kind: str) -> list[str]:
        """The command a job runs: this terragon, on this store and repository."""
        if "\n" in str(self.root) or "\n" in self.db_url:
            raise UsageError("a repository path or store URL with a newline cannot be scheduled")
        return [
            sys.executable,
            "-m",
            "terragon_tui",
            "--db",
            self.db_url,
            "--repo",
            str(self.root),
            "schedule",
            "run",
            "--kind",
            kind,
        ]


def log_dir() -> Path:
    """Where scheduled runs write their logs: the platform's user log directory."""
    from platformdirs import user_log_path

    return user_log_path(LOG_APP, appauthor=False)


def log_file(target: Target, kind: str) -> Path:
    """The log one job appends to."""
    return log_dir() / f"{target.unit(kind)}.log"


def systemd_user_dir() -> Path:
    """`$XDG_CONFIG_HOME/systemd/user` (`~/.config/systemd/user` by default)."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    config = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return config / "systemd" / "user"


def _systemd_word(text: str) -> str:
    """One command-line word for ExecStart: quoted, with `%` specifiers and `$` kept literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("%", "%%").replace("$", "$$") + '"'


def _description(cadence: Cadence, target: Target) -> str:
    name = printable(target.root.name, single_line=True).replace("%", "%%")
    return f"terragon {cadence.job.what} of {name}"


def service_text(cadence: Cadence, target: Target) -> str:
    """The oneshot service that runs one job."""
    command = " ".join(_systemd_word(word) for word in target.command(cadence.job.kind))
    return (
        f"{MARKER} for {printable(str(target.root), single_line=True)}\n"
        "[Unit]\n"
        f"Description={_description(cadence, target)}\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"ExecStart={command}\n"
        "Nice=10\n"
        "IOSchedulingClass=idle\n"
    )


def timer_text(cadence: Cadence, target: Target) -> str:
    """The timer that starts the job's service on its cadence, catching up a missed run."""
    return (
        f"{MARKER} for {printable(str(target.root), single_line=True)}\n"
        "[Unit]\n"
        f"Description={_description(cadence, target)} ({cadence.job.key}: {cadence.cron})\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar={cadence.on_calendar}\n"
        "Persistent=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def crontab_lines(cadences: list[Cadence], target: Target) -> list[str]:
    """One crontab line per job that is on, each tagged with its unit name."""
    lines = []
    for cadence in cadences:
        if cadence.cron is None:
            continue
        command = " ".join(shlex.quote(word) for word in target.command(cadence.job.kind))
        command = command.replace("%", "\\%")  # cron turns a bare % into a newline
        lines.append(f"{cadence.cron} {command} # {target.unit(cadence.job.kind)}")
    return lines


@dataclass(frozen=True)
class UnitChange:
    """One unit file `--install` or `--remove` looked at, and what it did: written,
    unchanged or removed."""

    path: Path
    action: str


def _ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return file.readline().startswith(MARKER)
    except OSError:
        return False


def _write(path: Path, text: str) -> UnitChange:
    if path.is_file() and not path.is_symlink():
        if path.read_text(encoding="utf-8", errors="replace") == text:
            return UnitChange(path, "unchanged")
        if not _ours(path):
            raise UsageError(f"{path} exists and was not written by terragon; not replacing it")
    elif path.exists() or path.is_symlink():
        raise UsageError(f"{path} exists and is not a regular file; not replacing it")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.chmod(0o600)  # it holds the store's URL
    partial.replace(path)
    return UnitChange(path, "written")


def _remove(path: Path) -> list[UnitChange]:
    """Remove one of our units, and the link `systemctl enable` made to it."""
    if not path.is_file() or path.is_symlink() or not _ours(path):
        return []
    changes = []
    for wants in path.parent.glob(f"*.wants/{path.name}"):
        if wants.is_symlink():
            wants.unlink()
            changes.append(UnitChange(wants, "removed"))
    path.unlink()
    return [*changes, UnitChange(path, "removed")]


def install_units(cadences: list[Cadence], target: Target) -> list[UnitChange]:
    """Write a service and a timer per job that is on; remove ours of a job turned off.

    Running it again with the same settings writes nothing.
    """
    folder = systemd_user_dir()
    changes: list[UnitChange] = []
    for cadence in cadences:
        unit = target.unit(cadence.job.kind)
        if cadence.cron is None:
            for suffix in (".timer", ".service"):
                changes += _remove(folder / f"{unit}{suffix}")
            continue
        changes.append(_write(folder / f"{unit}.service", service_text(cadence, target)))
        changes.append(_write(folder / f"{unit}.timer", timer_text(cadence, target)))
    return changes


def installed_units(target: Target) -> list[Path]:
    """The unit files terragon wrote for this repository."""
    folder = systemd_user_dir()
    if not folder.is_dir():
        return []
    found = [
        path
        for suffix in ("timer", "service")
        for path in sorted(folder.glob(f"terragon-*-{target.slug}.{suffix}"))
        if path.is_file() and not path.is_symlink() and _ours(path)
    ]
    return found


def remove_units(target: Target) -> list[UnitChange]:
    """Remove every unit terragon wrote for this repository, and nothing else."""
    changes: list[UnitChange] = []
    for path in installed_units(target):
        changes += _remove(path)
    return changes
