"""Regenerate the screenshots in screenshots/ from a demo backlog, headless: the TUI's screens
as SVG, and the TUI served to headless Chromium by `terragon serve` as serve.png.

Run: python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from terragon_tui.backlog.demo import fill_demo
from terragon_tui.backlog.items import suggest_item
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.tui.app import TerragonApp

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
SIZE = (140, 40)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
#: (file name, keys pressed after the backlog shows)
SHOTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("backlog", ()),
    ("weights-panel", ("w", "j", "l", "l", "l", "l", "l", "l")),
    ("weights-panel-80x24", ("w", "j", "l", "l", "l", "l", "l", "l")),
    ("complete-form", ("c",)),
    ("suggest-form", ("n",)),
    ("help", ("question_mark",)),
    ("dashboard", ("2",)),
    ("history", ("3",)),
    ("backlog-80x24", ()),
    ("detail-80x24", ("j", "j", "j", "enter")),
    ("repositories", ("4",)),
    ("roadmap", ("5",)),
)


async def shoot(ws, name: str, keys: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Start the app, press `keys`, and save the screen as `name`.svg."""
    app = TerragonApp(ws, now=NOW)
    size = (80, 24) if name.endswith("80x24") else SIZE
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.save_screenshot(filename=f"{name}.svg", path=str(OUT))


def shoot_served(repo: Path, db: str) -> None:
    """Serve the TUI on `repo` with `terragon serve`, open it in headless Chromium, and save
    the page as serve.png; without chromium it says so and saves nothing."""
    sys.path.insert(0, str(ROOT))
    from tests.browser import Page, free_port, mark_scanned, missing_browser, served

    if reason := missing_browser():
        print(f"skipped screenshots/serve.png: {reason}")
        return
    mark_scanned(repo, db, NOW)
    page = Page(size=(1280, 720))
    with served(repo, db, free_port()) as url:
        try:
            page.open(url)
            page.wait_for_text("Activate GitHub Actions CI/CD pipeline")
            page.wait_until_still()
            page.save_screenshot(OUT / "serve.png")
        finally:
            page.close()
    print("wrote screenshots/serve.png")


#: Where the demo repositories live while they are shot: always the same place, so the
#: repositories screen shows the same paths and the SVGs only change when the screens do.
DEMO_ROOT = Path(tempfile.gettempdir()) / "terragon-demo"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    shutil.rmtree(DEMO_ROOT, ignore_errors=True)
    DEMO_ROOT.mkdir()
    try:
        shoot_all(str(DEMO_ROOT))
    finally:
        shutil.rmtree(DEMO_ROOT, ignore_errors=True)


def shoot_all(tmp: str) -> None:
    """Every screenshot, of a demo store and its two repositories under `tmp`."""
    repo = Path(tmp) / "agent-mesh-federated-runtime"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    ws = open_workspace(repo, f"sqlite:///{tmp}/demo.db")
    fill_demo(ws, now=NOW)
    # a second repository of the same store, for the repositories screen (4)
    other = Path(tmp) / "payments-gateway"
    other.mkdir()
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    other_ws = open_workspace(other, f"sqlite:///{tmp}/demo.db")
    suggest_item(
        other_ws,
        category="security",
        title="Rotate the webhook signing secret",
        impact=8,
        estimated_hours=2,
        security_severity=7,
    )
    other_ws.close()
    for name, keys in SHOTS:
        asyncio.run(shoot(ws, name, keys))
        print(f"wrote screenshots/{name}.svg")
    ws.close()
    shoot_served(repo, f"sqlite:///{tmp}/demo.db")


if __name__ == "__main__":
    main()
