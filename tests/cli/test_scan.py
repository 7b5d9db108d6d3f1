"""`terragon scan`: discovery from the command line, summary or JSON, exit codes."""

from __future__ import annotations

import json

import pytest

from ..conftest import git

CODE = """
import subprocess


def run(command):
    # FIXME: never pass shell=True with user input
    return subprocess.call(command, shell=True)
"""


def commit_code(repo, text=CODE, name="tool.py"):
    (repo / name).write_text(text)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", f"change {name}")


def test_scan_finds_items_and_a_rescan_updates_instead_of_duplicating(cli, repo):
    commit_code(repo)
    first = json.loads(cli("scan", "--json", "-j", "1").out)
    assert first["kind"] == "full" and first["new"]
    assert first["files_total"] >= 2
    listed = json.loads(cli("list", "--json").out)["items"]
    assert {"todos", "security"} <= {item["source"] for item in listed}
    again = json.loads(cli("scan", "--json", "-j", "1").out)
    assert again["new"] == [] and again["resolved"] == []
    assert again["files_cached"] >= 1


def test_fixing_the_code_resolves_its_items(cli, repo):
    commit_code(repo)
    cli("scan", "--json", "-j", "1")
    commit_code(repo, "def run():\n    return 0\n")
    result = json.loads(cli("scan", "--json", "-j", "1").out)
    assert result["resolved"]
    statuses = {
        i["id"]: i["status"] for i in json.loads(cli("list", "--all", "--json").out)["items"]
    }
    assert {statuses[key] for key in result["resolved"]} == {"resolved-by-scan"}


def test_security_scan_only_touches_security_sources(cli, repo):
    commit_code(repo)
    result = json.loads(cli("scan", "--kind", "security", "--json", "-j", "1").out)
    sources = {i["source"] for i in json.loads(cli("list", "--json").out)["items"]}
    assert sources <= {"security", "secrets"}
    assert result["kind"] == "security"


def test_the_summary_line_on_a_terminal_less_run(cli, repo):
    commit_code(repo)
    result = cli("scan", "-j", "1")
    assert result.code == 0
    assert "new," in result.out and "resolved" in result.out


def test_scan_path_argument_and_bad_input(cli, repo, tmp_path):
    commit_code(repo)
    assert cli("scan", str(repo), "--json", "-j", "1").code == 0
    bad_kind = cli("scan", "--kind", "deep")
    assert bad_kind.code == 2 and "unknown scan kind" in bad_kind.err
    missing = cli("scan", str(tmp_path / "nowhere"))
    assert missing.code == 2 and "not a directory" in missing.err
    assert cli("scan", "-j", "0").code == 2


def test_a_directory_that_is_not_a_git_repository_still_scans(cli, tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "tool.py").write_text(CODE)
    result = cli("scan", "--json", "-j", "1", repo_path=plain)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["new"]
    assert any("git" in note for note in data["notes"])


def test_scan_settings_come_from_pyproject(cli, repo):
    commit_code(repo)
    commit_code(repo, CODE, name="vendored.py")
    (repo / "pyproject.toml").write_text('[tool.terragon.scan]\nexclude = ["vendored.py"]\n')
    json.loads(cli("scan", "--json", "-j", "1").out)
    files = {i["file"] for i in json.loads(cli("list", "--json").out)["items"]}
    assert "tool.py" in files and "vendored.py" not in files


def test_bad_scan_settings_are_one_clear_line(cli, repo):
    (repo / "pyproject.toml").write_text('[tool.terragon.scan]\ncomplexity_rank = "Z"\n')
    result = cli("scan", "-j", "1")
    assert result.code == 1
    assert result.err.count("\n") == 1 and "complexity_rank" in result.err


def _analysis_breaks(monkeypatch):
    """Every file's analysis raises an error nobody foresaw, as a missing module would."""
    from terragon_tui.discovery import runner

    def broken(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'packaging'")

    monkeypatch.setattr(runner, "analyse_files", broken)


def test_a_failing_scan_is_one_line_recorded_and_changes_nothing(cli, repo, monkeypatch):
    from terragon_tui.backlog.history import scan_history
    from terragon_tui.backlog.workspace import open_workspace

    commit_code(repo)
    cli("scan", "--json", "-j", "1")
    before = json.loads(cli("list", "--all", "--json").out)["items"]
    _analysis_breaks(monkeypatch)
    result = cli("scan", "-j", "1", "--no-cache")  # analyse again: nothing is remembered
    assert result.code == 1
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "ModuleNotFoundError: No module named 'packaging'" in result.err
    assert "TERRAGON_DEBUG=1" in result.err
    assert json.loads(cli("list", "--all", "--json").out)["items"] == before
    ws = open_workspace(repo, cli.db_url)
    try:
        runs = scan_history(ws)
    finally:
        ws.close()
    assert [run.status for run in runs] == ["failed", "done"]
    assert runs[0].counts["error"] == "ModuleNotFoundError: No module named 'packaging'"
    assert runs[0].new == runs[0].resolved == 0


def test_terragon_debug_shows_the_traceback_of_an_unforeseen_error(cli, repo, monkeypatch):
    commit_code(repo)
    _analysis_breaks(monkeypatch)
    monkeypatch.setenv("TERRAGON_DEBUG", "1")
    with pytest.raises(ModuleNotFoundError):
        cli("scan", "-j", "1")


def test_suppressed_secrets_are_listed_with_reasons_in_the_json(cli, repo):
    commit_code(repo, 'password = "changeme"\naws_key = "AKIAQWKRTZHNBVXCLPDM"\n', "settings.py")
    result = json.loads(cli("scan", "--kind", "security", "--json", "-j", "1").out)
    assert result["suppressed"]["by_reason"] == {"placeholder value": 1}
    assert result["suppressed"]["items"] == [
        {
            "source": "secrets",
            "rule": "secret-keyword",
            "path": "settings.py",
            "line": 1,
            "reason": "placeholder value",
        }
    ]
    assert result["suppressed"]["count"] == 1
    rules = {
        i["rule"]
        for i in json.loads(cli("list", "--json").out)["items"]
        if i["source"] == "secrets"
    }
    assert rules == {"aws-access-key"}
    said = cli("scan", "--kind", "security", "-j", "1").out
    assert "suppressed 1 finding (1 placeholder value);" in said


def test_a_scan_run_keeps_what_it_left_out_by_reason(cli, repo):
    from terragon_tui.backlog.history import scan_history
    from terragon_tui.backlog.workspace import open_workspace

    commit_code(repo, 'password = "changeme"\n', "settings.py")
    cli("scan", "-j", "1")
    ws = open_workspace(repo, cli.db_url)
    try:
        [run] = scan_history(ws)
    finally:
        ws.close()
    assert run.counts["suppressed"] == {"placeholder value": 1}
    assert "secrets" not in run.counts["occurrences"]  # its one hit was left out


def test_a_repository_wide_item_shows_no_empty_occurrence(cli, repo):
    assert cli("scan").code == 0
    rows = json.loads(cli("list", "--json", "-n", "1000").out)["items"]
    wide = next(row for row in rows if row["title"].startswith("Add a SECURITY.md"))
    shown = cli("show", wide["id"]).out
    assert "Occurrences" not in shown and "None" not in shown
