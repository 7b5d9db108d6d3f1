"""`terragon schedule`: systemd user units installed into the user's own directory (checked
by systemd itself where it is installed), crontab lines, and removing only our own units."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from terragon_tui.core.cadence import cadences
from terragon_tui.core.errors import UsageError
from terragon_tui.schedule.units import (
    Target,
    crontab_lines,
    install_units,
    remove_units,
    systemd_user_dir,
)

from ..conftest import make_repo


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A home of its own, so nothing is written into the real user's."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "home" / "state"))
    return tmp_path / "home"


def units(home: Path) -> list[str]:
    folder = home / "config" / "systemd" / "user"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def verify(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_install_writes_a_service_and_timer_per_job_under_xdg_config_home(home, tmp_path):
    target = Target(tmp_path / "click", "sqlite:////tmp/store.db")
    changes = install_units(cadences({}), target)
    assert systemd_user_dir() == home / "config" / "systemd" / "user"
    assert {c.action for c in changes} == {"written"}
    slug = target.slug
    assert slug.startswith("click-")
    assert units(home) == sorted(
        f"terragon-{kind}-{slug}.{suffix}"
        for kind in ("security", "full", "architecture", "calibrate")
        for suffix in ("service", "timer")
    )
    timer = (systemd_user_dir() / f"terragon-security-{slug}.timer").read_text()
    assert "OnCalendar=*-*-* *:05:00\n" in timer and "WantedBy=timers.target" in timer
    service = (systemd_user_dir() / f"terragon-security-{slug}.service").read_text()
    assert '"schedule" "run" "--kind" "security"' in service
    assert '"--db" "sqlite:////tmp/store.db"' in service
    assert {c.action for c in install_units(cadences({}), target)} == {"unchanged"}


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_accepts_the_units_even_for_a_hostile_repository_path(home, tmp_path):
    root = tmp_path / 'odd "100%" $HOME repo'
    target = Target(root, f"sqlite:///{root}/store.db")
    install_units(cadences({"weekly": "*/30 8-18 * * mon-fri"}), target)
    written = sorted(systemd_user_dir().iterdir())
    done = verify(written)
    assert done.returncode == 0, done.stderr
    service = next(p for p in written if p.name.startswith("terragon-full")).read_text()
    assert "100%%" in service and "$$HOME" in service and '\\"100' in service


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_verify_would_catch_a_broken_unit(home, tmp_path):
    install_units(cadences({}), Target(tmp_path / "r", "sqlite:////tmp/s.db"))
    timer = next(systemd_user_dir().glob("terragon-security-*.timer"))
    timer.write_text(timer.read_text().replace("OnCalendar=", "OnCalendar=soon-ish "))
    assert verify([timer]).returncode != 0


def test_turning_a_job_off_removes_its_units_on_the_next_install(home, tmp_path):
    target = Target(tmp_path / "r", "sqlite:////tmp/s.db")
    install_units(cadences({}), target)
    changes = install_units(cadences({"monthly": False}), target)
    assert {c.path.name for c in changes if c.action == "removed"} == {
        f"terragon-calibrate-{target.slug}.service",
        f"terragon-calibrate-{target.slug}.timer",
    }
    assert not any("calibrate" in name for name in units(home))


def test_remove_takes_only_our_units_of_this_repository(home, tmp_path):
    ours, other = (
        Target(tmp_path / "a", "sqlite:////s.db"),
        Target(tmp_path / "b", "sqlite:////s.db"),
    )
    install_units(cadences({}), ours)
    install_units(cadences({}), other)
    folder = systemd_user_dir()
    wants = folder / "timers.target.wants"
    wants.mkdir()
    (wants / f"{ours.unit('security')}.timer").symlink_to(folder / f"{ours.unit('security')}.timer")
    hand_made = folder / f"terragon-nightly-{ours.slug}.timer"
    hand_made.write_text("[Timer]\nOnCalendar=daily\n")
    removed = remove_units(ours)
    assert len(removed) == 9  # 8 units and the link `systemctl enable` made
    left = units(home)
    assert hand_made.name in left
    assert sum(name.endswith(f"{other.slug}.timer") for name in left) == 4
    assert not any(wants.iterdir())
    assert remove_units(ours) == []


def test_install_never_replaces_a_file_it_did_not_write(home, tmp_path):
    target = Target(tmp_path / "r", "sqlite:////s.db")
    folder = systemd_user_dir()
    folder.mkdir(parents=True)
    (folder / f"{target.unit('security')}.service").write_text("[Service]\nExecStart=/bin/true\n")
    with pytest.raises(UsageError, match="was not written by terragon"):
        install_units(cadences({}), target)


def test_cli_prints_crontab_lines_and_units(cli, repo):
    lines = cli("schedule", "--print", "--cron").out.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("5 * * * * ")
    assert "-m terragon_tui --db" in lines[0] and "schedule run --kind security" in lines[0]
    assert lines[0].endswith(f"# {Target(repo, '').unit('security')}")
    units_text = cli("schedule", "--print").out
    assert units_text.count("[Timer]") == 4 and "OnCalendar=Mon *-*-* 03:45:00" in units_text


def test_cli_install_then_remove(cli, home):
    done = cli("schedule", "--install")
    assert done.code == 0, done.err
    assert done.out.count("written ") == 8
    assert "systemctl --user daemon-reload && systemctl --user enable --now" in done.out
    assert "each run logs to" in done.out and str(home / "state") in done.out
    assert "unchanged" in cli("schedule", "--install").out
    gone = cli("schedule", "--remove")
    assert gone.code == 0 and gone.out.count("removed ") == 8
    assert units(home) == []


@pytest.mark.parametrize(
    "args",
    [(), ("--print", "--install"), ("--install", "--cron"), ("--print", "--systemctl")],
)
def test_cli_refuses_a_wrong_combination_in_one_line(cli, home, args):
    done = cli("schedule", *args)
    assert done.code != 0
    assert len(done.err.strip().splitlines()) == 1 and done.err.startswith("terragon: error:")


def test_a_wrong_cadence_in_the_repository_stops_schedule_in_one_line(cli, tmp_path, home):
    repo = make_repo(
        tmp_path / "bad", {"pyproject.toml": '[tool.terragon.schedule]\ndaily = "0 0 * *"\n'}
    )
    done = cli("schedule", "--print", repo_path=repo)
    assert done.code != 0
    assert "pyproject.toml: tool.terragon.schedule.daily = '0 0 * *': a cron expression" in done.err


@pytest.fixture
def systemctl(tmp_path, monkeypatch) -> Path:
    """A systemctl on PATH that only writes down how it was called."""
    calls = tmp_path / "calls"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "systemctl"
    fake.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    return calls


def test_with_systemctl_the_timers_are_enabled_and_disabled_before_their_files_go(
    cli, home, systemctl
):
    assert cli("schedule", "--install", "--systemctl").code == 0
    calls = systemctl.read_text().splitlines()
    assert calls[0] == "--user daemon-reload"
    assert calls[1].startswith("--user enable --now terragon-security-")
    assert calls[1].count(".timer") == 4
    systemctl.write_text("")
    assert cli("schedule", "--remove", "--systemctl").code == 0
    calls = systemctl.read_text().splitlines()
    assert calls[0].startswith("--user disable --now ") and calls[0].count(".timer") == 4
    assert calls[1] == "--user daemon-reload"


def test_without_systemctl_remove_says_to_stop_the_timers(cli, home):
    cli("schedule", "--install")
    out = cli("schedule", "--remove").out
    assert "now run: systemctl --user stop terragon-" in out
    assert out.rstrip().endswith("&& systemctl --user daemon-reload")


def test_a_failing_systemctl_is_one_line(cli, home, tmp_path, monkeypatch):
    bin_dir = tmp_path / "failing"
    bin_dir.mkdir()
    (bin_dir / "systemctl").write_text("#!/bin/sh\necho 'Failed to connect to bus' >&2\nexit 1\n")
    (bin_dir / "systemctl").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    done = cli("schedule", "--install", "--systemctl")
    assert done.code != 0
    assert done.err.strip() == (
        "terragon: error: systemctl --user daemon-reload failed: Failed to connect to bus"
    )


def test_crontab_lines_quote_the_path_for_the_shell_and_keep_percent_literal(tmp_path):
    target = Target(tmp_path / "100% $(rm -rf ~) repo", "sqlite:////s.db")
    lines = crontab_lines(cadences({"daily": False}), target)
    assert len(lines) == 3
    assert f"'{tmp_path}/100\\% $(rm -rf ~) repo'" in lines[0]
    with pytest.raises(UsageError, match="newline"):
        crontab_lines(cadences({}), Target(tmp_path / "a\nb", "sqlite:////s.db"))
