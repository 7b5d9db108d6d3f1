"""`terragon export backlog`: the seed's layout, filled from the store, with text escaped."""

from __future__ import annotations

import csv
import io
import json

import pytest

from terragon_tui.backlog.items import complete_item, defer_item
from terragon_tui.backlog.scoring_settings import focus_weights
from terragon_tui.core.errors import UsageError
from terragon_tui.reports.backlog import export_backlog

from ..conftest import suggest

SEED_SECTIONS = [
    "# 📊 Terragon Value Backlog",
    "**Repository**: demo-repo",
    "**Maturity Level**: Advanced",
    "**Last Updated**: ",
    "## 🎯 Executive Summary",
    "### 🎯 Next Best Value Item (Composite Score: ",
    "## 📋 Top 10 Value-Ranked Backlog Items",
    "| Rank | ID | Title | Score | Category | Priority | Est. Hours | Impact |",
    "## 📈 Value Delivery Metrics",
    "## 🔄 Continuous Discovery Stats",
    "### 📊 Discovery Sources Active",
    "### 🎯 Value Categories Distribution",
    "### 📈 Scoring Methodology",
    "**Boost Factors**:",
    "## 🚦 Autonomous Decision Framework",
    "**Repository Health Score**",
]


@pytest.fixture
def seed_like(ws):
    suggest(
        ws,
        "Activate GitHub Actions CI/CD pipeline",
        "infrastructure",
        prefix="CICD",
        impact=10,
        estimated_hours=8,
        risk=0.2,
        time_criticality=13,
        business_value=20,
        description="Move workflow templates from docs/workflows/ to .github/workflows/",
        business_value_text="Enables continuous delivery and quality gates",
    )
    suggest(
        ws,
        "Integrate security scanning in CI pipeline",
        "security",
        impact=9,
        estimated_hours=4,
        security_severity=6,
    )
    suggest(
        ws,
        "Establish performance baseline measurements",
        "performance",
        impact=7,
        estimated_hours=4,
    )
    for n in range(12):
        suggest(ws, f"Document module {n}", "documentation", impact=3, estimated_hours=2)
    return ws


def test_markdown_follows_the_seed_layout_in_order(seed_like):
    text = export_backlog(seed_like, "md")
    positions = [text.index(section) for section in SEED_SECTIONS]
    assert positions == sorted(positions)


def test_top_table_holds_the_ten_best_in_rank_order(seed_like):
    text = export_backlog(seed_like, "md")
    table = text.split("## 📋 Top 10 Value-Ranked Backlog Items")[1].split("\n---\n")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "Rank" not in line]
    assert len(rows) == 10
    assert [int(row.split("|")[1]) for row in rows] == list(range(1, 11))
    scores = [float(row.split("|")[4]) for row in rows]
    assert scores == sorted(scores, reverse=True)


def test_next_best_item_and_weights_in_force(seed_like):
    text = export_backlog(seed_like, "md")
    summary = text.split("### 🎯 Next Best Value Item")[1].split("\n---\n")[0]
    assert "**[SEC-001] Integrate security scanning in CI pipeline**" in summary
    assert "- WSJF (Weighted Shortest Job First): 50%" in text
    assert "- Technical Debt Impact: 30%" in text
    assert "- Security Issues: 2.5× multiplier" in text
    focus_weights(seed_like, "debt")
    assert "- Technical Debt Impact: 60%" in export_backlog(seed_like, "md")


def test_value_metrics_count_completions(seed_like):
    complete_item(seed_like, "CICD-001", hours=6, impact="CI runs on every push")
    defer_item(seed_like, "DOCS-001", reason="later")
    text = export_backlog(seed_like, "md")
    assert "| Items completed | 1 |" in text
    assert "| Hours spent (actual / estimated) | 6 / 8 (0.75× of estimate) |" in text
    assert "| Deferred / rejected | 1 / 0 |" in text
    assert "CI runs on every push" in text


def test_category_distribution_and_sources(seed_like):
    text = export_backlog(seed_like, "md")
    assert "Documentation (80%): DOCS-001, DOCS-002, DOCS-003 and 9 more" in text
    assert "- **User Suggestions**: 100% of items discovered" in text


def test_hostile_text_is_escaped_in_markdown(ws):
    suggest(
        ws,
        "<script>alert(1)</script> | [click](javascript:x) \x1b]0;pwned\x07",
        description="line1\nline2 | `code`",
    )
    text = export_backlog(ws, "md")
    assert "<script>" not in text
    assert "\x1b" not in text and "\x07" not in text
    assert "\\<script\\>" in text
    assert "\\[click\\]\\(javascript:x\\)" in text
    row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert row.count(" | ") == 7  # the title's pipe did not add a column


def test_empty_backlog_exports_cleanly(ws):
    text = export_backlog(ws, "md")
    assert "no open work items" in text
    assert "| – | – | No open items |" in text


def test_json_and_csv_hold_every_item(seed_like):
    complete_item(seed_like, "CICD-001", hours=6, impact="done")
    data = json.loads(export_backlog(seed_like, "json"))
    assert len(data["items"]) == 15
    assert data["scoring"]["weights"]["wsjf"] == 0.5
    done = next(i for i in data["items"] if i["id"] == "CICD-001")
    assert done["completions"][0]["actual_hours"] == 6
    rows = list(csv.DictReader(io.StringIO(export_backlog(seed_like, "csv"))))
    assert len(rows) == 15 and rows[0]["rank"] == "1"


def test_csv_defuses_formula_looking_cells(ws):
    suggest(ws, '=HYPERLINK("http://x")', description='  =cmd|" /C calc"!A0')
    suggest(ws, "- a list, not a sum", "documentation", description="safe = plain text")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(export_backlog(ws, "csv")))}
    assert rows["FEAT-001"]["title"].startswith("'=")
    assert rows["FEAT-001"]["description"].startswith("'  =")  # blanks first do not hide it
    assert rows["DOCS-001"]["title"].startswith("'-")
    assert rows["DOCS-001"]["description"] == "safe = plain text"


def test_unknown_format_is_refused(ws):
    with pytest.raises(UsageError, match="unknown format"):
        export_backlog(ws, "pdf")


def test_exported_files_follow_the_umask_not_owner_only(cli, tmp_path):
    import os
    import stat

    target = tmp_path / "BACKLOG.md"
    old = os.umask(0o022)
    try:
        assert cli("export", "backlog", "-o", str(target)).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
