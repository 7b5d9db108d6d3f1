"""The top of a default backlog on a generated application full of the noise real
repositories have (tests/noisy_repos.py): real work first, LOW findings and fixtures below,
few items for many hits, every score on the 0-100 scale."""

from __future__ import annotations

import re

import pytest

from terragon_tui.backlog.listing import list_items
from terragon_tui.backlog.scanning import scan_workspace
from terragon_tui.backlog.workspace import open_workspace
from terragon_tui.reports.records import item_record

from ..generators import templates_only
from ..noisy_repos import TOKEN, noisy_application

#: What judge-backlog counts as not shipped: tests, examples, docs, text files.
FIXTURE = re.compile(r"(^|/)(tests?|testing|examples?|docs?|demo)/|\.(md|rst|txt)$")


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    root = noisy_application(tmp_path_factory.mktemp("noisy") / "shop")
    ws = open_workspace(root, f"sqlite:///{tmp_path_factory.mktemp('store') / 'store.db'}")
    report = scan_workspace(ws, "full", workers=1, use_cache=False)
    records = [item_record(entry) for entry in list_items(ws)]
    ws.close()
    return report, records


def test_hundreds_of_hits_make_few_items(ranked):
    report, records = ranked
    assert report.result.occurrences["security"] >= 500
    assert len(records) <= 60


def test_the_top_ten_has_no_low_finding_no_fixture_and_no_duplicate(ranked):
    _, records = ranked
    top = records[:10]
    for item in top:
        if item["source"] in ("security", "secrets"):
            assert item["security_severity"] >= 6, item["title"]
            assert not (FIXTURE.search(item["file"] or "") and item["security_severity"] < 9)
            assert item["role"] == "production", item["title"]
    places = [(i["source"], i["rule"], i["file"], i["line"]) for i in records if i["file"]]
    assert len(places) == len(set(places))


def test_real_work_is_on_top(ranked):
    _, records = ranked
    top = [(i["source"], i["rule"], i["file"]) for i in records[:10]]
    assert ("secrets", "github-token", "shopapp/settings.py") in top  # the real token
    assert ("security", "B602", "shopapp/shell.py") in top  # a shell command from input
    assert ("security", "B301", "shopapp/storage.py") in top  # pickle from the network
    assert ("hotspots", "hotspot", "shopapp/core.py") in top  # the hot, complex core
    assert ("complexity", "cyclomatic-complexity", "shopapp/core.py") in top


def test_noise_is_grouped_below_and_says_where_it_is(ranked):
    _, records = ranked
    low = {i["rule"]: i for i in records if i["source"] == "security" and i["role"] == "test"}
    assert low["B311"]["occurrence_count"] == 40 and low["B311"]["severity"] == "low"
    production_random = next(
        i for i in records if i["rule"] == "B311" and i["role"] == "production"
    )
    assert production_random["occurrence_count"] == 320  # 8 calls in each of 40 modules
    assert production_random["file_count"] == 40
    ranks = {i["id"]: r for r, i in enumerate(records, 1)}
    assert ranks[production_random["id"]] > 10
    script = next(i for i in records if i["file"] == "validate_release.py")
    assert script["role"] == "tooling" and script["severity"] == "low"


def test_no_score_is_above_100(ranked):
    _, records = ranked
    assert all(0 <= i["score"] <= 100 for i in records)


def test_what_was_left_out_is_counted_with_its_reason(ranked):
    report, _ = ranked
    reasons = {s.reason for s in report.result.suppressed}
    assert {
        "value is its own key name",
        "placeholder value",
        "pinned revision or content hash",
        "hash in a lock file",
    } <= reasons
    assert report.result.excluded == {
        "vendored files (path role)": 1,
        "generated files (path role)": 1,
    }
    assert not [s for s in report.result.suppressed if TOKEN[:12] in s.reason]  # no value


def test_a_history_older_than_the_window_still_has_hotspots(ranked):
    report, records = ranked
    assert any(i["source"] == "hotspots" for i in records)
    assert any("counts back from it, not from today" in n for n in report.result.notes)


def test_ci_that_exists_only_as_templates_is_in_the_top_five(tmp_path):
    root = templates_only(tmp_path / "orchestrator")
    ws = open_workspace(root, f"sqlite:///{tmp_path / 'store.db'}")
    scan_workspace(ws, "full", workers=1, use_cache=False)
    top = [entry.item.rule for entry in list_items(ws, limit=5)]
    ws.close()
    assert "workflow-templates-inactive" in top
