"""The backlog document's planning half, on a generated repository with history: every
section of the seed in its order, filled from real data, with figures worked out by hand."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from terragon_tui.backlog.items import set_after
from terragon_tui.backlog.listing import list_items
from terragon_tui.backlog.planning import workspace_planning
from terragon_tui.backlog.scanning import scan_workspace
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.config.project import load_project_config
from terragon_tui.core.errors import ConfigError
from terragon_tui.reports.backlog import export_backlog
from terragon_tui.reports.planning_render import indicators_table

from ..conftest import suggest

#: The seed document's sections, in its order (the planning ones included).
ORDER = [
    "# 📊 Terragon Value Backlog",
    "## 🎯 Executive Summary",
    "### 🏆 Key Achievements Already in Place",
    "### 🎯 Next Best Value Item",
    "## 📋 Top 10 Value-Ranked Backlog Items",
    "## 📈 Value Delivery Metrics",
    "### 🚀 DORA Metrics (from git",
    "### 📊 Current State vs. Target State",
    "## 🔄 Continuous Discovery Stats",
    "### 📈 Scoring Methodology",
    "## 🎯 Implementation Roadmap",
    "## 🎯 Autonomous Execution Protocol",
    "## 🚦 Autonomous Decision Framework",
    "## 📚 Knowledge Base & Learning",
    "### 🔍 Technical Debt Assessment",
    "### 🚀 Success Indicators",
    "## 🤝 Contributing to Value Discovery",
    "## 🎯 Next Actions",
    "### Immediate (Next 24 Hours)",
    "### This Week",
    "### This Month",
    "**Repository Health Score**",
]
BRANCHY = "def route(x):\n" + "".join(
    f"    if x == {n}:\n        return {n}\n" for n in range(14)
) + "    return -1\n"  # fmt: skip
PYPROJECT = """[project]
name = "planned"

[tool.ruff]
line-length = 100

[tool.mypy]
strict = true

[tool.terragon.roadmap]
hours_per_week = 10
weeks_per_phase = 1

[tool.terragon.targets]
open_security = 0
debt_rating = "A"
maturity = 90
change_failure_rate = 0.2
"""


def _git(repo: Path, *args: str, when: datetime | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    """Every audited practice in place, one complex module, and four releases: v1.0.0 30
    days ago, its patch v1.0.1 two days later, v1.1.0 20 days ago, v1.2.0 10 days ago."""
    repo = tmp_path / "planned"
    repo.mkdir()
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": "# planned\n",
        "LICENSE": "MIT\n",
        "SECURITY.md": "Report to security@example.com\n",
        "CONTRIBUTING.md": "Send patches.\n",
        "uv.lock": "version = 1\n",
        ".pre-commit-config.yaml": "repos: []\n",
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: ruff check . && mypy . && pytest\n",
        "tests/test_route.py": "from route import route\n\n\ndef test_route():\n"
        "    assert route(1) == 1\n",
        "route.py": BRANCHY,
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    now = datetime.now(UTC).replace(microsecond=0)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    for days, subject, tag in (
        (31, "Start", "v1.0.0"),
        (29, "Correct the parser", "v1.0.1"),
        (21, "Add routes", "v1.1.0"),
        (11, "Add more routes", "v1.2.0"),
    ):
        at = now - timedelta(days=days)
        _git(repo, "commit", "-q", "--allow-empty", "-m", subject, when=at)
        _git(repo, "tag", tag, when=at + timedelta(days=1))  # a lightweight tag: the commit's date
    return repo


def test_the_export_has_every_seed_section_in_order_with_figures_from_the_data(planned, db_url):
    ws = open_workspace(planned, db_url)
    scan_workspace(ws, "full", workers=1, use_cache=False)
    first = suggest(ws, "Activate the release pipeline", "infrastructure", impact=10,
                    estimated_hours=6, time_criticality=13, business_value=20)  # fmt: skip
    after = suggest(ws, "Publish release notes", "documentation", impact=2, estimated_hours=3)
    set_after(ws, after.key, [first.key])
    text = export_backlog(ws, "md")

    positions = [text.find(heading) for heading in ORDER]
    assert -1 not in positions, [h for h, p in zip(ORDER, positions, strict=True) if p < 0]
    assert positions == sorted(positions)

    # every practice is in place: ten achievements, no gap
    assert "- ✅ **CI/CD automation**" in text and "- ✅ **Security policy**" in text
    assert "| Licence | in place | in place | 0% |" in text
    # DORA: v1.0.1 is a patch of v1.0.0 two days later, so 1 of the 3 judged releases failed
    # (v1.2.0, 10 days old, is not judged yet) and restoring took 2 days
    assert "- **Change Failure Rate**: 33% (1 of 3 releases needed a fix release)" in text
    assert "- **Time to Restore Service**: 2.0 days" in text
    # the roadmap at the configured 10 hours a week, with every open hour in it
    open_items = list_items(ws)
    hours = sum(entry.item.estimated_hours for entry in open_items)
    shown = f"{hours:.1f}".rstrip("0").rstrip(".")
    assert f"*Capacity: 10 hours a week, 1-week phases (configured); {shown} hours" in text
    assert f"**[{after.key}]** Publish release notes — 3 h (after {first.key})" in text
    # debt: the complex function's remediation over route.py's 30 lines of code
    debt = [e.item for e in open_items if e.item.category == "technical-debt"]
    assert debt, "the branchy function should be a debt item"
    remediation = sum(item.estimated_hours for item in debt)
    ratio = remediation * 60 / (30 * (30 + 3)) * 100  # route.py 30 lines, the test 3
    rating = next(r for limit, r in ((5, "A"), (10, "B"), (20, "C"), (50, "D"), (1e9, "E"))
                  if ratio <= limit)  # fmt: skip
    assert f"**Debt Rating**: **{rating}** (debt ratio {ratio:.1f}%" in text
    # success indicators, met or not
    assert "Open security items at most 0 (now: 0; met)" in text
    assert "Maturity score at least 90 (now: 100; met)" in text
    assert "Change failure rate at most 20% (now: 33%; not met)" in text
    assert f"Technical debt rating rated A or better (now: {rating};" in text
    # the cadence that `terragon schedule` installs, by default
    assert "5 * * * * terragon schedule run --kind security" in text
    assert "15 4 1 * * terragon schedule run --kind calibrate" in text
    # next actions start with the best item
    immediate = text.split("### Immediate (Next 24 Hours)")[1].split("###")[0]
    assert f"[{open_items[0].item.key}]" in immediate

    # the same indicators as a table for the terminal and the dashboard
    plan = workspace_planning(ws)
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(indicators_table(plan))
    table = console.export_text()
    assert "Change failure rate" in table and "NOT MET" in table
    assert f"rating {rating}" in table
    assert [i.met for i in plan.indicators] == [True, rating == "A", True, False]


def test_roadmap_and_target_settings_are_checked_with_the_file_and_key(tmp_path):
    cases = {
        "[tool.terragon.roadmap]\nhours_per_week = 0\n": "tool.terragon.roadmap.hours_per_week",
        "[tool.terragon.roadmap]\nweeks_per_phase = 1.5\n": "must be a whole number",
        "[tool.terragon.roadmap]\nteam = 3\n": "unknown key 'team'",
        '[tool.terragon.targets]\ndebt_rating = "F"\n': "must be one of A, B, C, D, E",
        "[tool.terragon.targets]\nchange_failure_rate = 2\n": "from 0 to 1",
        '[tool.terragon.targets]\nopen_security = "none"\n': "must be a number",
    }
    for number, (text, message) in enumerate(cases.items()):
        root = tmp_path / f"r{number}"
        root.mkdir()
        (root / "pyproject.toml").write_text(text)
        with pytest.raises(ConfigError, match=message) as caught:
            load_project_config(root)
        assert "pyproject.toml" in str(caught.value)


def test_check_fails_on_a_target_not_met_and_refuses_one_not_set(planned, db_url, capsys):
    from terragon_tui.cli import main

    ws = open_workspace(planned, db_url)
    scan_workspace(ws, "full", workers=1, use_cache=False)
    ws.close()

    def check(*conditions: str) -> tuple[int, str, str]:
        capsys.readouterr()
        args = ["--db", db_url, "-C", str(planned), "check"]
        for condition in conditions:
            args += ["--fail-on", condition]
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    # change_failure_rate = 0.2 is missed (1 of 3 releases failed); maturity = 90 is met
    code, out, _ = check("target:all")
    assert code == 1
    assert "target:change_failure_rate: Change failure rate should be at most 20%, is 33%" in out
    assert "target:maturity" not in out
    assert check("target:maturity")[0] == 0
    code, _, err = check("target:lead_time_days")
    assert code == 2 and "no such target is set" in err
    code, _, err = check("target:bogus")
    assert code == 2 and "target is all or one of" in err
