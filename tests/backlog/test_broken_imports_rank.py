"""A broken internal import is a defect that fails at import time: with the default weights
it ranks at the top of a noisy application's backlog, above all of the debt around it."""

from __future__ import annotations

import time

from terragon_tui.backlog.listing import list_items
from terragon_tui.backlog.scanning import scan_workspace
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.reports.records import item_record

from ..generators import git, write
from ..noisy_repos import noisy_application


def test_a_broken_import_ranks_above_ordinary_debt(tmp_path) -> None:
    root = noisy_application(tmp_path / "shop")
    write(root, {"shopapp/__init__.py": '"""The shop."""\nfrom .catalogue import Catalogue\n'})
    git(root, "add", "-A")
    # a day after the application's last commit, so its churn window stays where it was
    git(root, "commit", "-q", "-m", "export", date=int(time.time()) - 249 * 86400)
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    scan_workspace(ws, "full", workers=1, use_cache=False)
    records = [item_record(entry) for entry in list_items(ws)]
    ws.close()
    ranks = {(r["source"], r["file"]): n for n, r in enumerate(records, 1)}
    broken = ranks[("imports", "shopapp/__init__.py")]
    # only security findings the product boosts (the real token, the shell command, pickle
    # and urlopen of the network) may come first; every kind of debt comes after
    assert broken <= 5
    ahead = {r["source"] for r in records[: broken - 1]}
    assert ahead <= {"security", "secrets"}, ahead
    assert broken < ranks[("hotspots", "shopapp/core.py")]
    assert broken < min(n for (source, _), n in ranks.items() if source in ("complexity", "todos"))
    item = records[broken - 1]
    assert item["severity"] == "high" and item["category"] == "technical-debt"
    assert [r for r in records if r["source"] == "imports"] == [item]  # nothing else is broken
