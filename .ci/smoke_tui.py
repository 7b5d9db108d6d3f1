"""CI smoke: the TUI's first-visit scan of REPO, headless, in a real process pool under Textual.

Run with the installed package only (no test extras), from outside the checkout:
    python .ci/smoke_tui.py REPO STORE_URL
Exits 0 when the scan landed items, 1 (with what the TUI said) otherwise.
"""

from __future__ import annotations

import asyncio
import sys


async def first_visit(repo: str, store: str) -> int:
    from terragon_tui.backlog.history import scan_history
    from terragon_tui.backlog.workspace import open_workspace
    from terragon_tui.tui.app import TerragonApp

    ws = open_workspace(repo, store)
    app = TerragonApp(ws, scan_workers=2, first_scan=True)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            for _ in range(1200):  # up to 60 s
                scanned = scan_history(ws) and getattr(screen, "scan_cancel", True) is None
                # the rows after a scan are read in a worker: wait for that read to land too
                if scanned and getattr(screen, "backlog_read", True) is None and len(screen.model):
                    break
                await pilot.pause(0.05)
            said = [n.message for n in app._notifications]
            runs = scan_history(ws)
            shown = len(screen.model)
    finally:
        ws.close()
    if not runs or runs[0].status != "done" or shown == 0:
        status = runs[0].status if runs else "no scan recorded"
        print(f"TUI first-visit scan: {status}, {shown} items shown; it said: {said}")
        return 1
    print(f"TUI first-visit scan: {runs[0].new} new items over {runs[0].files} files")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(first_visit(sys.argv[1], sys.argv[2])))
