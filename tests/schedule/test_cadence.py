"""The cadence: cron expressions from [tool.terragon.schedule], checked and turned into
systemd OnCalendar values that mean the same times."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from terragon_tui.config.project import load_project_config
from terragon_tui.core.cadence import JOBS, cadences, on_calendar, parse_cron
from terragon_tui.core.errors import ConfigError


@pytest.mark.parametrize(
    ("cron", "calendar"),
    [
        ("5 * * * *", "*-*-* *:05:00"),
        ("30 2 * * *", "*-*-* 02:30:00"),
        ("45 3 * * 1", "Mon *-*-* 03:45:00"),
        ("15 4 1 * *", "*-*-01 04:15:00"),
        ("*/20 9-11 * * mon-fri", "Mon,Tue,Wed,Thu,Fri *-*-* 09,10,11:00,20,40:00"),
        ("0 0 * jan,jul 7", "Sun *-01,07-* 00:00:00"),
        ("@monthly", "*-*-01 00:00:00"),
    ],
)
def test_cron_expressions_become_the_same_calendar_times(cron, calendar):
    assert on_calendar(cron) == calendar


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_reads_every_default_calendar_value():
    for job in JOBS:
        done = subprocess.run(
            ["systemd-analyze", "calendar", on_calendar(job.default)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("cron", "why"),
    [
        ("61 * * * *", "minute 61 is outside 0-59"),
        ("* * *", "five fields"),
        ("0 0 1 * 1", "not both"),
        ("0 0 * * funday", "is not a number"),
        ("*/0 * * * *", "above 0"),
        ("5-1 * * * *", "runs backwards"),
    ],
)
def test_a_wrong_expression_says_what_is_wrong(cron, why):
    with pytest.raises(ValueError, match=why):
        parse_cron(cron)


def test_the_seed_cadence_is_the_default_and_a_job_can_be_turned_off():
    by_key = {c.job.key: c for c in cadences({"weekly": False, "daily": "0 6 * * *"})}
    assert [job.kind for job in JOBS] == ["security", "full", "architecture", "calibrate"]
    assert by_key["hourly"].cron == "5 * * * *"
    assert by_key["daily"].cron == "0 6 * * *"
    assert by_key["weekly"].cron is None


def test_pyproject_schedule_is_read_and_checked_with_the_file_and_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.terragon.schedule]\nhourly = "0 * * * *"\nmonthly = false\n'
    )
    assert load_project_config(tmp_path).schedule == {"hourly": "0 * * * *", "monthly": False}
    for body, message in (
        (
            'hourly = "0 25 * * *"',
            r"pyproject.toml: tool.terragon.schedule.hourly = '0 25 \* \* \*'",
        ),
        ("yearly = true", "unknown key 'yearly'; known keys: hourly, daily, weekly, monthly"),
        ("daily = 3", "tool.terragon.schedule.daily must be a cron expression"),
    ):
        (tmp_path / "pyproject.toml").write_text(f"[tool.terragon.schedule]\n{body}\n")
        with pytest.raises(ConfigError, match=message) as caught:
            load_project_config(tmp_path)
        assert "\n" not in str(caught.value)
