"""Applying a scan: new findings become items, known ones update, vanished ones resolve."""

from __future__ import annotations

from sqlmodel import select

from terragon_tui.backlog.items import complete_item, edit_item
from terragon_tui.backlog.listing import list_items, show_item
from terragon_tui.backlog.scan_merge import apply_findings
from terragon_tui.discovery.finding import Finding
from terragon_tui.store.models import Repository, ScanRun


def todo(path: str, text: str, line: int = 1) -> Finding:
    return Finding(
        source="todos",
        rule="todo",
        title=f"TODO: {text}",
        description=text,
        category="technical-debt",
        path=path,
        line=line,
        symbol=f"TODO {text}",
    )


def scan(ws, findings, sources=("todos",), **kw):
    return apply_findings(ws, kind="full", sources=sources, findings=findings, **kw)


def test_new_findings_become_open_items_with_ids(ws):
    outcome = scan(ws, [todo("a.py", "fix a"), todo("b.py", "fix b")])
    assert outcome.new == ["DEBT-001", "DEBT-002"]
    items = list_items(ws)
    assert {e.item.file_path for e in items} == {"a.py", "b.py"}
    assert {e.item.source for e in items} == {"todos"}


def test_a_rescan_updates_instead_of_duplicating_even_when_code_moves(ws):
    scan(ws, [todo("a.py", "fix a", line=3)])
    outcome = scan(ws, [todo("a.py", "fix a", line=30)])
    assert outcome.new == [] and outcome.updated == ["DEBT-001"]
    assert show_item(ws, "DEBT-001").ranked.item.line == 30
    assert scan(ws, [todo("a.py", "fix a", line=30)]).updated == []


def test_vanished_findings_are_resolved_and_come_back_if_seen_again(ws):
    scan(ws, [todo("a.py", "fix a"), todo("b.py", "fix b")])
    outcome = scan(ws, [todo("a.py", "fix a")])
    assert outcome.resolved == ["DEBT-002"]
    assert show_item(ws, "DEBT-002").ranked.item.status == "resolved-by-scan"
    again = scan(ws, [todo("a.py", "fix a"), todo("b.py", "fix b")])
    assert again.reopened == ["DEBT-002"] and again.new == []
    assert show_item(ws, "DEBT-002").ranked.item.status == "open"


def test_a_scan_only_resolves_items_of_the_sources_it_ran(ws):
    scan(ws, [todo("a.py", "fix a")])
    assert scan(ws, [], sources=("security", "secrets")).resolved == []
    assert show_item(ws, "DEBT-001").ranked.item.status == "open"


def test_what_a_person_changed_is_never_overwritten(ws):
    scan(ws, [todo("a.py", "fix a")])
    edit_item(ws, "DEBT-001", title="Fix the cache invalidation", estimated_hours=6)
    changed = todo("a.py", "fix a", line=9)
    changed.estimated_hours = 2
    scan(ws, [changed])
    item = show_item(ws, "DEBT-001").ranked.item
    assert (item.title, item.estimated_hours, item.line) == ("Fix the cache invalidation", 6, 9)


def test_items_a_person_closed_stay_closed(ws):
    scan(ws, [todo("a.py", "fix a")])
    complete_item(ws, "DEBT-001", hours=1)
    scan(ws, [])
    assert show_item(ws, "DEBT-001").ranked.item.status == "done"
    scan(ws, [todo("a.py", "fix a")])
    assert show_item(ws, "DEBT-001").ranked.item.status == "done"


def test_the_scan_run_and_repository_record_what_happened(ws):
    scan(
        ws,
        [todo("a.py", "fix a"), todo("a.py", "fix a")],
        files=12,
        seconds=0.5,
        counts={"per_source": {"todos": 1}},
        maturity=(62.0, "maturing"),
    )
    with ws.session() as session:
        run = session.exec(select(ScanRun)).one()
        repo = session.exec(select(Repository)).one()
    assert (run.new, run.updated, run.resolved, run.files, run.status) == (1, 0, 0, 12, "done")
    assert run.counts["per_source"] == {"todos": 1}
    assert (repo.maturity_score, repo.maturity_level) == (62.0, "maturing")
    assert repo.last_scan_at is not None
