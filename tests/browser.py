"""A served TUI seen through headless Chromium: `terragon serve` started, a page read as text."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

#: Runs in the page before textual-serve's script: the xterm.js Terminal it keeps as
#: `this.terminal` is noted as window.__terminal, so the test reads the screen's text from the
#: terminal's buffer (the page draws it on a canvas, which has no text to read).
_CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true});
    if (value && value.buffer) window.__terminal = value;
  },
});
"""
_SCREEN_TEXT = """
const terminal = window.__terminal;
if (!terminal) return "";
const buffer = terminal.buffer.active, rows = [];
for (let y = 0; y < terminal.rows; y++) {
  const line = buffer.getLine(y);
  rows.push(line ? line.translateToString(true) : "");
}
return rows.join("\\n");
"""


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "chromium and chromedriver are not installed (Debian: chromium chromium-driver)"
    return None


def mark_scanned(repo: Path, db: str, when: datetime) -> None:
    """Record `repo` as scanned at `when`, so a served TUI opens on its backlog as it is
    instead of starting its first-visit scan."""
    from terragon_tui.backlog.workspace import open_workspace

    ws = open_workspace(repo, db)
    with ws.session() as session:
        repository = ws.repository(session)
        repository.last_scan_at = when
        session.add(repository)
    ws.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check: Callable[[], object], what: str, timeout: float = 15.0) -> object:
    """Poll `check` until it returns something true, failing with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


@contextmanager
def served(repo: Path, db: str, port: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """`terragon serve` on `repo` and `db` at 127.0.0.1:`port` until the block ends (then
    ctrl+c); yields its URL once it says it is serving."""
    log = repo.parent / f"serve-{port}.log"
    command = [sys.executable, "-m", "terragon_tui", "-C", str(repo), "--db", db]
    with log.open("w") as out:
        server = subprocess.Popen(
            [*command, "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until(
            lambda: f"serving the TUI on {url}" in log.read_text() or server.poll() is not None,
            "the server to start",
        )
        assert server.poll() is None, log.read_text()
        yield url
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


class Page:
    """A page of a served TUI in headless Chromium, read as the terminal's text."""

    def __init__(self, size: tuple[int, int] = (1400, 800)) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM or ""
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
            options.add_argument(argument)
        options.add_argument(f"--window-size={size[0]},{size[1]}")
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": _CATCH_TERMINAL}
        )

    def open(self, url: str) -> None:
        """Load the served page at `url`."""
        self.driver.get(url)

    def screen(self) -> str:
        """The text the terminal shows now, one line per row."""
        return self.driver.execute_script(_SCREEN_TEXT)

    def wait_for_text(self, text: str, timeout: float = 15.0) -> str:
        """The screen once it shows `text`."""
        return str(wait_until(lambda: text in self.screen() and self.screen(), repr(text), timeout))

    def wait_until_still(self, settle: float = 0.6, timeout: float = 15.0) -> str:
        """The screen once its text has not changed for `settle` seconds."""
        seen = {"text": self.screen(), "since": time.monotonic()}

        def still() -> bool:
            text = self.screen()
            if text != seen["text"]:
                seen.update(text=text, since=time.monotonic())
            return time.monotonic() - seen["since"] >= settle

        wait_until(still, "the screen to settle", timeout)
        return str(seen["text"])

    def press(self, keys: str) -> None:
        """Type `keys` into the terminal, as a user's key presses."""
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)

    def save_screenshot(self, path: Path) -> None:
        """Save what the page shows as a PNG."""
        self.driver.save_screenshot(str(path))

    def close(self) -> None:
        """Close the browser."""
        self.driver.quit()
