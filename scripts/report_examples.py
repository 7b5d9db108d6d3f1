"""Regenerate the report examples in screenshots/ from a demo store with twelve weeks of history.

Run: python scripts/report_examples.py
Writes value-report.md/.svg, calibrate.svg, delivery.svg, stakeholder-report.md/.html/.pdf,
and, when the tools are installed, stakeholder-report-html.png (headless Chromium) and
stakeholder-report-pdf.png (pdftoppm from poppler-utils).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from sqlmodel import select

from terragon_tui.backlog.calibration import calibrate
from terragon_tui.backlog.delivery import delivery_metrics
from terragon_tui.backlog.demo import fill_demo
from terragon_tui.backlog.items import complete_item, suggest_item
from terragon_tui.backlog.workspace import Workspace, open_workspace
from terragon_tui.reports.backlog import backlog_markdown, backlog_snapshot
from terragon_tui.reports.calibration_render import calibration_tables
from terragon_tui.reports.delivery_render import delivery_tables
from terragon_tui.reports.stakeholder import stakeholder_markdown, stakeholder_report
from terragon_tui.reports.stakeholder_html import stakeholder_html
from terragon_tui.reports.stakeholder_pdf import stakeholder_pdf
from terragon_tui.reports.value import value_report
from terragon_tui.reports.value_render import value_markdown, value_tables
from terragon_tui.store.models import Completion, Item

OUT = Path(__file__).resolve().parent.parent / "screenshots"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
#: (category, title, estimated h, actual h, days ago done, impact notes, source)
DONE = (
    (
        "infrastructure",
        "Add pre-commit hooks",
        2,
        3,
        76,
        "Formatting fixes never reach review",
        "config",
    ),
    (
        "security",
        "Fix SQL injection in search endpoint",
        4,
        5,
        68,
        "CVE-class bug closed",
        "security",
    ),
    ("performance", "Cache dependency resolution in CI", 3, 2, 55, "CI 4 min faster", "user"),
    (
        "technical-debt",
        "Remove dead code in legacy importer",
        6,
        9,
        47,
        "1,200 lines gone",
        "complexity",
    ),
    ("infrastructure", "Pin base images by digest", 2, 3, 33, "Reproducible builds", "config"),
    (
        "documentation",
        "Write architecture decision records",
        3,
        3,
        26,
        "Onboarding questions halved",
        "user",
    ),
    (
        "technical-debt",
        "Split the 900-line config loader",
        8,
        12,
        12,
        "Loader testable in isolation",
        "complexity",
    ),
    (
        "dependencies",
        "Replace the unmaintained YAML parser",
        3,
        4,
        5,
        "No known CVEs left",
        "dependencies",
    ),
)
#: Sources given to some of the demo's open items, as if scans had found them.
SOURCES = {"DEBT-001": "hotspots", "SEC-001": "security", "DEPS-001": "dependencies"}
#: (subject, days ago) of the demo repository's commits, and tags on (tag, days ago).
COMMITS = [(f"Work on the mesh runtime, part {n}", 84 - n * 3) for n in range(27)] + [
    ('Revert "Work on the mesh runtime, part 20"', 20),
    ("Hotfix: node discovery crash", 17),
]
TAGS = {"v0.1.0": 70, "v0.2.0": 49, "v0.3.0": 30, "v0.3.1": 16}


#: The demo's capacity and success indicators, as a team would set them.
PYPROJECT = """[tool.terragon.roadmap]
hours_per_week = 24
weeks_per_phase = 2

[tool.terragon.targets]
open_security = 0
lead_time_days = 14
change_failure_rate = 0.25
"""


def _git(repo: Path, *args: str, days_ago: float | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Demo", "GIT_AUTHOR_EMAIL": "demo@example.com"}
    env |= {"GIT_COMMITTER_NAME": "Demo", "GIT_COMMITTER_EMAIL": "demo@example.com"}
    if days_ago is not None:
        stamp = (NOW - timedelta(days=days_ago)).isoformat()
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def demo_repository(repo: Path) -> None:
    """A git history over twelve weeks with four tagged releases, a revert and a hotfix."""
    _git(repo, "init", "-q", "-b", "main")
    tags = sorted(TAGS.items(), key=lambda tag: -tag[1])
    for subject, days_ago in sorted(COMMITS, key=lambda commit: -commit[1]):
        while tags and tags[0][1] > days_ago:
            name, tag_days = tags.pop(0)
            _git(repo, "tag", "-a", name, "-m", name, days_ago=tag_days)
        _git(repo, "commit", "-q", "--allow-empty", "-m", subject, days_ago=days_ago)


def _move(ws: Workspace, key: str, *, created: datetime, done: datetime | None = None) -> None:
    with ws.session() as session:
        item = session.exec(select(Item).where(Item.key == key)).one()
        item.created_at = created
        if done is not None:
            completion = session.exec(select(Completion).where(Completion.item_id == item.id)).one()
            completion.completed_at = item.closed_at = done
            session.add(completion)
        session.add(item)


def demo_history(ws: Workspace) -> None:
    """The demo backlog, spread over twelve weeks, with eight more completed items."""
    fill_demo(ws, now=NOW)
    with ws.session() as session:
        items = session.exec(select(Item).order_by(Item.id)).all()
        for index, item in enumerate(items):
            item.created_at = NOW - timedelta(days=80 - index * 5)
            item.source = SOURCES.get(item.key, item.source)
            session.add(item)
    for category, title, estimate, actual, days_ago, notes, source in DONE:
        item = suggest_item(ws, category=category, title=title, estimated_hours=estimate)
        complete_item(ws, item.key, hours=actual, impact=notes)
        with ws.session() as session:
            stored = session.exec(select(Item).where(Item.key == item.key)).one()
            stored.source = source
            session.add(stored)
        done = NOW - timedelta(days=days_ago)
        _move(ws, item.key, created=done - timedelta(days=6), done=done)


def _svg(renderable: object, name: str, title: str) -> None:
    console = Console(
        record=True, width=112, force_terminal=True, color_system="truecolor", file=io.StringIO()
    )
    console.print(renderable)
    (OUT / name).write_text(console.export_svg(title=title), encoding="utf-8")
    print(f"wrote screenshots/{name}")


def _write(name: str, data: str | bytes) -> Path:
    path = OUT / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    print(f"wrote screenshots/{name}")
    return path


def _png_of_html(html: Path, name: str) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("skipped the HTML screenshot: install chromium (apt-get install chromium)")
        return
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={OUT / name}",
            "--window-size=1080,2300",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    print(f"wrote screenshots/{name}")


def _png_of_pdf(pdf: Path, name: str) -> None:
    if shutil.which("pdftoppm") is None:
        print("skipped the PDF screenshot: install poppler-utils (apt-get install poppler-utils)")
        return
    stem = OUT / Path(name).stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    print(f"wrote screenshots/{name}")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "agent-mesh-federated-runtime"
        repo.mkdir()
        demo_repository(repo)
        (repo / "pyproject.toml").write_text(PYPROJECT)
        ws = open_workspace(repo, f"sqlite:///{tmp}/demo.db")
        demo_history(ws)
        weekly = value_report(ws, "week", now=NOW)
        _write("value-report.md", value_markdown(weekly))
        _svg(value_tables(weekly), "value-report.svg", "terragon report value --period week")
        _svg(
            calibration_tables(calibrate(ws, dry_run=True)),
            "calibrate.svg",
            "terragon calibrate --dry-run",
        )
        _svg(
            delivery_tables(delivery_metrics(repo, now=NOW)),
            "delivery.svg",
            "terragon report delivery",
        )
        _write("backlog-export.md", backlog_markdown(backlog_snapshot(ws, planning=True, now=NOW)))
        report = stakeholder_report(ws, "month", now=NOW)
        _write("stakeholder-report.md", stakeholder_markdown(report))
        html = _write("stakeholder-report.html", stakeholder_html(report))
        pdf = _write("stakeholder-report.pdf", stakeholder_pdf(report))
        _png_of_html(html, "stakeholder-report-html.png")
        _png_of_pdf(pdf, "stakeholder-report-pdf.png")
        ws.close()


if __name__ == "__main__":
    main()
