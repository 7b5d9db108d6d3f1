"""Every command, as a user runs it: output, --json, exit codes."""

from __future__ import annotations

import json


def add(cli, title="Add CI", category="infrastructure", *extra):
    result = cli("suggest", "--category", category, "--title", title, *extra)
    assert result.code == 0, result.err
    return result


def test_no_subcommand_prints_help(cli):
    result = cli()
    assert result.code == 0
    assert "suggest" in result.out and "export" in result.out


def test_help_teaches_each_command(cli):
    result = cli("complete", "--help")
    assert result.code == 0
    assert "--hours" in result.out and "Impact notes" in result.out


def test_suggest_then_list_and_next(cli):
    assert "Added INFRA-001" in add(cli).out
    add(cli, "Rotate leaked key", "security", "--impact", "9", "--severity", "8")
    listed = cli("list")
    assert listed.code == 0
    assert listed.out.index("SEC-001") < listed.out.index("INFRA-001")
    records = json.loads(cli("list", "--json").out)["items"]
    assert [r["id"] for r in records] == ["SEC-001", "INFRA-001"]
    assert records[0]["rank"] == 1 and records[0]["lane"] == "auto-pr"
    nxt = json.loads(cli("next", "--json").out)["item"]
    assert nxt["id"] == "SEC-001"
    assert "Score breakdown" in cli("next").out


def test_list_filters_and_limit(cli):
    add(cli)
    add(cli, "Docs site", "documentation")
    assert [
        r["id"] for r in json.loads(cli("list", "-c", "documentation", "--json").out)["items"]
    ] == ["DOCS-001"]
    assert len(json.loads(cli("list", "--limit", "1", "--json").out)["items"]) == 1
    assert json.loads(cli("list", "--search", "docs", "--json").out)["items"][0]["id"] == "DOCS-001"
    assert "No items match" in cli("list", "--status", "done").out


def test_show_complete_and_impact_notes(cli):
    add(cli, "Add CI", "infrastructure", "--hours", "8")
    done = cli("complete", "infra-001", "--hours", "6", "--impact", "Deploys are automatic")
    assert done.code == 0 and "Completed INFRA-001" in done.out
    shown = cli("show", "INFRA-001")
    assert "Deploys are automatic" in shown.out and "6 actual / 8 estimated" in shown.out
    record = json.loads(cli("show", "INFRA-001", "--json").out)
    assert record["status"] == "done"
    assert record["completions"][0]["impact_notes"] == "Deploys are automatic"
    assert record["breakdown"]["composite"] == record["score"]


def test_edit_defer_reject_undo(cli):
    add(cli)
    add(cli, "Two")
    assert (
        json.loads(cli("edit", "INFRA-001", "--hours", "3", "--json").out)["estimated_hours"] == 3
    )
    assert cli("defer", "INFRA-001", "--reason", "after launch").code == 0
    assert cli("reject", "INFRA-002", "-r", "duplicate").code == 0
    assert json.loads(cli("list", "--json").out)["items"] == []
    undone = json.loads(cli("undo", "--json").out)
    assert undone == {
        "schema": "terragon.undo/1",
        "undone": "rejected",
        "id": "INFRA-002",
        "title": "Two",
    }
    assert [r["id"] for r in json.loads(cli("list", "--json").out)["items"]] == ["INFRA-002"]
    assert cli("undo").out.strip() == "Undid the deferral of INFRA-001: Add CI"


def test_weights_show_focus_set_reset(cli):
    shown = json.loads(cli("weights", "--json").out)
    assert shown["weights"] == {"wsjf": 0.5, "debt": 0.3, "ice": 0.1, "security": 0.1}
    assert json.loads(cli("weights", "--focus", "security", "--json").out)["focus"] == "security"
    changed = json.loads(cli("weights", "--set", "wsjf=1,debt=1,ice=1,security=1", "--json").out)
    assert changed["normalised"] == {"wsjf": 0.25, "debt": 0.25, "ice": 0.25, "security": 0.25}
    assert "From: saved profile" in cli("weights").out
    assert json.loads(cli("weights", "--reset", "--json").out)["origin"].startswith("advanced")


def test_export_backlog_to_file_and_stdout(cli, tmp_path):
    add(cli)
    target = tmp_path / "BACKLOG.md"
    assert cli("export", "backlog", "-o", str(target)).code == 0
    assert "## 📋 Top 10 Value-Ranked Backlog Items" in target.read_text()
    csv_out = cli("export", "backlog", "--format", "csv").out
    assert csv_out.splitlines()[0].startswith("rank,id,title,score")
    assert json.loads(cli("export", "backlog", "-f", "json").out)["items"][0]["id"] == "INFRA-001"


def test_version(cli):
    result = cli("--version")
    assert result.code == 0 and result.out.startswith("terragon ")


def test_suggest_and_edit_pass_every_option_through(cli):
    created = json.loads(
        cli(
            "suggest",
            "-c",
            "feature",
            "-t",
            "Flags",
            "--security",
            "--hours",
            "3",
            "--file",
            "a.py",
            "--line",
            "4",
            "--priority",
            "high",
            "--value-text",
            "Saves time",
            "--json",
        ).out
    )
    assert created["flags"]["security"] is True
    assert (created["estimated_hours"], created["file"], created["line"]) == (3, "a.py", 4)
    assert (created["priority"], created["business_value_text"]) == ("high", "Saves time")
    edited = json.loads(
        cli("edit", "FEAT-001", "--no-security", "-t", "Renamed", "--severity", "7", "--json").out
    )
    assert edited["flags"]["security"] is False and edited["security_severity"] == 7
    assert edited["edited_fields"] == ["is_security", "security_severity", "title"]
