"""terragon export issues: drafts as JSON and a gh script, bodies escaped, links kept so a
second export edits the issues the first one filed."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from terragon_tui.backlog.items import link_issue, suggest_item
from terragon_tui.reports.issues import export_issues, issue_drafts, markdown_text

HOSTILE = "Fix <img src=x onerror=alert(1)> [click](http://evil) @everyone #1 '; rm -rf ~ $(id)"

FAKE_GH = """#!/bin/sh
printf '%s\\n' "$*" >> "$GH_LOG"
if [ "$1 $2" = "issue create" ]; then
  n=$(($(wc -l < "$GH_LOG")))
  echo "https://github.com/o/r/issues/$n"
fi
"""


def test_drafts_carry_title_breakdown_places_and_labels(ws):
    suggest_item(
        ws, category="security", title="Rotate the key", impact=9, file_path="app.py", line=3
    )
    suggest_item(ws, category="feature", title="A smaller thing", impact=2)
    drafts = issue_drafts(ws, label="terragon-value", limit=1)
    assert len(drafts) == 1
    draft = drafts[0]
    assert draft.title.endswith(": Rotate the key")
    assert draft.labels == ["terragon-value", "security"]
    assert "### Score breakdown" in draft.body and "composite" in draft.body
    assert "### Location\n\n- app.py:3" in draft.body


def test_bodies_are_escaped_for_markdown():
    text = markdown_text(HOSTILE + "\n- a list\n1. one")
    assert "\\<img" in text and "\\[click\\]\\(http://evil\\)" in text
    assert "\\@everyone" in text and "\\#1" in text
    assert "\n\\- a list\n1\\. one" in text


def test_the_script_quotes_every_argument_and_passes_bodies_by_file(ws, tmp_path):
    suggest_item(ws, category="security", title=HOSTILE, impact=9)
    folder = tmp_path / "out dir"
    [draft] = export_issues(ws, folder, limit=5)
    script = (folder / "issues.sh").read_text()
    create = next(line for line in script.splitlines() if "gh issue create" in line)
    words = shlex.split(create.removeprefix("url=$(").removesuffix(")"))
    assert words[words.index("--title") + 1] == draft.title
    assert words[words.index("--body-file") + 1] == str(folder / "bodies" / f"{draft.id}.md")
    assert "--body " not in script
    assert (folder / "bodies" / f"{draft.id}.md").read_text() == draft.body
    [record] = json.loads((folder / "issues.json").read_text())["issues"]
    assert record["id"] == draft.id and record["issue_url"] is None
    assert subprocess.run(["sh", "-n", str(folder / "issues.sh")], check=False).returncode == 0


def test_running_the_script_links_the_issues_and_a_second_export_edits_them(
    ws, tmp_path, db_url, monkeypatch
):
    key = suggest_item(ws, category="security", title="Rotate the key", impact=9).key
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    log = tmp_path / "gh.log"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}"
        + os.environ["PATH"],
        "GH_LOG": str(log),
        # The script names a SQLite store itself; a server's only through TERRAGON_DB.
        "TERRAGON_DB": str(tmp_path / "elsewhere.db") if db_url.startswith("sqlite") else db_url,
    }
    folder = tmp_path / "issues"
    export_issues(ws, folder)
    subprocess.run([str(folder / "issues.sh")], env=env, check=True, capture_output=True)
    created = [line for line in log.read_text().splitlines() if line.startswith("issue create")]
    assert len(created) == 1

    log.unlink()
    [draft] = export_issues(ws, folder)
    assert (draft.id, draft.issue_url) == (key, "https://github.com/o/r/issues/3")
    subprocess.run([str(folder / "issues.sh")], env=env, check=True, capture_output=True)
    calls = [line for line in log.read_text().splitlines() if line.startswith("issue ")]
    assert calls == [
        f"issue edit https://github.com/o/r/issues/3 --title {draft.title} --body-file "
        f"{folder / draft.body_file} --add-label terragon-value --add-label security"
    ]


def test_a_link_recorded_by_hand_makes_the_draft_an_edit(ws, tmp_path):
    key = suggest_item(ws, category="feature", title="Dark mode").key
    link_issue(ws, key, "https://github.com/o/r/issues/7")
    export_issues(ws, tmp_path / "out", limit=1)
    script = (tmp_path / "out" / "issues.sh").read_text()
    assert "gh issue edit https://github.com/o/r/issues/7 --title" in script
    assert "gh issue create" not in script
