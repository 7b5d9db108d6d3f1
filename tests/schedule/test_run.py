"""`terragon schedule run`: a scheduled job logs what it did, and a failure is recorded as a
failed scan run that doctor and the TUI's history show."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.schedule.units import Target, log_file
from terragon_tui.tui.screens.history import scans_table

from ..conftest import make_repo


@pytest.fixture(autouse=True)
def logs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def history(repo, db_url) -> str:
    ws = open_workspace(repo, db_url)
    try:
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(scans_table(ws))
        return console.export_text()
    finally:
        ws.close()


def test_a_scheduled_scan_logs_its_start_and_what_it_found(cli, repo):
    done = cli("schedule", "run", "--kind", "security")
    assert done.code == 0, done.err
    assert done.out.startswith("done: ")
    log = log_file(Target(repo, cli.db_url), "security").read_text().splitlines()
    assert log[0].endswith(f"start security on {repo}")
    assert " done: " in log[1] and "files analysed" in log[1]
    assert "security" in history(repo, cli.db_url) and "done" in history(repo, cli.db_url)


def test_a_scan_that_crashes_is_a_failed_run_doctor_and_the_tui_show(cli, repo, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr("terragon_tui.backlog.scanning._scan_and_apply", crash)
    done = cli("schedule", "run", "--kind", "full")
    assert done.code == 1
    assert done.out.strip() == "failed: RuntimeError: the disk went away"
    assert "failed: RuntimeError" in log_file(Target(repo, cli.db_url), "full").read_text()
    assert "failed: RuntimeError: the disk went away" in history(repo, cli.db_url)
    report = json.loads(cli("doctor", "--json").out)
    [scans] = [c for c in report["checks"] if c["name"] == "scans"]
    assert scans["status"] == "warning"
    assert "the full scan of demo-repo failed at " in scans["detail"]
    assert scans["detail"].endswith("RuntimeError: the disk went away")
    assert report["ok"] is True  # a warning: the store itself is fine


def test_a_broken_repository_config_still_records_the_failed_run(cli, tmp_path):
    bad = make_repo(tmp_path / "bad", {"pyproject.toml": "[tool.terragon]\nmaturity = 3\n"})
    done = cli("schedule", "run", "--kind", "calibrate", repo_path=bad)
    assert done.code == 1
    assert "tool.terragon.maturity must be a string" in done.out
    doctor = cli("doctor")
    assert "warn    scans: the calibrate scan of bad failed at" in doctor.out


def test_a_later_success_clears_the_warning(cli, repo, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(
            "terragon_tui.backlog.scanning._scan_and_apply",
            lambda *a, **k: (_ for _ in ()).throw(RuntimeError("once")),
        )
        assert cli("schedule", "run", "--kind", "security").code == 1
    assert cli("schedule", "run", "--kind", "security").code == 0
    assert "ok      scans: the latest scan of each kind did not fail" in cli("doctor").out


def test_an_unknown_kind_is_refused_in_one_line(cli):
    done = cli("schedule", "run", "--kind", "weekly")
    assert done.code != 0
    assert (
        "unknown kind 'weekly'; choose one of: security, full, architecture, calibrate" in done.err
    )


def test_a_recalibration_that_works_is_a_run_too_and_clears_an_earlier_failure(cli, repo):
    (repo / "pyproject.toml").write_text("[tool.terragon]\nmaturity = 3\n")
    assert cli("schedule", "run", "--kind", "calibrate").code == 1
    (repo / "pyproject.toml").unlink()
    done = cli("schedule", "run", "--kind", "calibrate")
    assert done.code == 0 and done.out.strip() == "done: recalibrated 0 estimates"
    assert "ok      scans:" in cli("doctor").out
    shown = history(repo, cli.db_url)
    assert "calibrate" in shown and "done" in shown and "failed: " in shown
