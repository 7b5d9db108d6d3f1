"""Suggesting, editing, completing, deferring, rejecting and undoing items."""

from __future__ import annotations

import pytest
from sqlmodel import select

from terragon_tui.backlog.items import (
    complete_item,
    defer_item,
    edit_item,
    edit_items,
    reject_item,
    suggest_item,
    undo,
)
from terragon_tui.backlog.listing import list_items, next_item, show_item
from terragon_tui.core.errors import NotFoundError, UsageError
from terragon_tui.store.models import Completion, Item

from ..conftest import suggest


def test_ids_use_the_category_prefix_and_a_sequence_per_repository(ws):
    assert suggest(ws, "Scan deps", "security").key == "SEC-001"
    assert suggest(ws, "Rotate keys", "security").key == "SEC-002"
    assert suggest(ws, "Add CI", "infrastructure").key == "INFRA-001"
    assert suggest(ws, "Activate CI", "infrastructure", prefix="cicd").key == "CICD-001"


def test_an_id_is_never_reused_after_undo(ws):
    suggest(ws, "First", "testing")
    undo(ws)
    assert suggest(ws, "Second", "testing").key == "TEST-002"


def test_suggestions_derive_wsjf_inputs_and_boost_flags_from_what_was_given(ws):
    item = suggest(ws, "Fix injection", "security", impact=9)
    assert item.priority == "critical"
    assert item.business_value == 20  # nearest Fibonacci step to 9 × 2
    assert item.time_criticality == 13  # critical
    assert item.is_security and not item.is_compliance
    assert item.source == "user" and item.status == "open"


def test_every_field_is_validated_with_a_clear_message(ws):
    with pytest.raises(UsageError, match="impact"):
        suggest(ws, "x", impact=11)
    with pytest.raises(UsageError, match="risk"):
        suggest(ws, "x", risk=1.5)
    with pytest.raises(UsageError, match="estimated_hours"):
        suggest(ws, "x", estimated_hours=0)
    with pytest.raises(UsageError, match="estimated_hours"):
        suggest(ws, "x", estimated_hours=float("nan"))
    with pytest.raises(UsageError, match="title must not be empty"):
        suggest(ws, "   ")
    with pytest.raises(UsageError, match="unknown category 'bogus'"):
        suggest(ws, "x", "bogus")
    with pytest.raises(UsageError, match="ID prefix"):
        suggest(ws, "x", prefix="C1")
    assert list_items(ws) == []


def test_complete_records_hours_notes_and_the_score_counted(ws):
    item = suggest(ws, "Add tests", "testing", estimated_hours=4)
    score = next_item(ws).score
    result = complete_item(ws, "test-001", hours=6, impact="Caught two regressions")
    assert result.item.status == "done"
    assert result.completion.actual_hours == 6
    assert result.completion.estimated_hours == 4
    assert result.completion.score == pytest.approx(score)
    detail = show_item(ws, item.key)
    assert detail.completions[0].impact_notes == "Caught two regressions"
    assert detail.ranked.rank is None
    assert list_items(ws) == []


def test_only_open_items_can_be_completed_deferred_or_rejected(ws):
    suggest(ws, "Once")
    complete_item(ws, "FEAT-001", hours=1)
    with pytest.raises(UsageError, match="FEAT-001 is done"):
        complete_item(ws, "FEAT-001", hours=1)
    with pytest.raises(UsageError, match="FEAT-001 is done"):
        defer_item(ws, "FEAT-001", reason="later")


def test_complete_rejects_bad_hours_and_outcomes(ws):
    suggest(ws, "Once")
    with pytest.raises(UsageError, match="estimated_hours|hours"):
        complete_item(ws, "FEAT-001", hours=-2)
    with pytest.raises(UsageError, match="outcome"):
        complete_item(ws, "FEAT-001", hours=1, outcome="meh")
    assert next_item(ws).item.status == "open"


def test_unknown_ids_are_not_found(ws):
    with pytest.raises(NotFoundError, match="no item 'NOPE-404'"):
        complete_item(ws, "NOPE-404", hours=1)


def test_defer_and_reject_keep_the_reason_and_leave_the_open_list(ws):
    suggest(ws, "A")
    suggest(ws, "B")
    assert defer_item(ws, "FEAT-001", reason="after release").status_reason == "after release"
    assert reject_item(ws, "FEAT-002", reason="not worth it").status == "rejected"
    assert list_items(ws) == []
    assert {e.item.status for e in list_items(ws, include_closed=True)} == {"deferred", "rejected"}
    with pytest.raises(UsageError, match="give a reason"):
        suggest(ws, "C") and defer_item(ws, "FEAT-003", reason="  ")


def test_edit_changes_fields_and_marks_them_as_a_persons(ws):
    suggest(ws, "Old title", estimated_hours=2)
    item = edit_item(ws, "FEAT-001", title="New title", estimated_hours=5, priority="high")
    assert (item.title, item.estimated_hours, item.priority) == ("New title", 5, "high")
    assert set(item.edited_fields) == {"title", "estimated_hours", "priority"}
    with pytest.raises(UsageError, match="nothing to change"):
        edit_item(ws, "FEAT-001")
    with pytest.raises(UsageError, match="unknown status"):
        edit_item(ws, "FEAT-001", status="finished")


def test_edit_items_gives_several_items_the_same_fields_as_one_change_undo_reverts(ws):
    suggest(ws, "First", estimated_hours=2, priority="low")
    suggest(ws, "Second", estimated_hours=3, priority="medium")
    suggest(ws, "Untouched", estimated_hours=4)
    edited = edit_items(ws, ["FEAT-001", "FEAT-002", "FEAT-001"], priority="high", ease=9)
    assert [item.key for item in edited] == ["FEAT-001", "FEAT-002"]
    for key, hours, title in (("FEAT-001", 2, "First"), ("FEAT-002", 3, "Second")):
        item = show_item(ws, key).ranked.item
        assert (item.priority, item.ease, item.estimated_hours, item.title) == (
            "high",
            9,
            hours,
            title,
        )  # the fields not named keep each item's own value
        assert item.edited_fields == ["ease", "priority"]
    assert show_item(ws, "FEAT-003").ranked.item.edited_fields == []
    result = undo(ws)
    assert (result.action, result.keys) == ("edit", ("FEAT-001", "FEAT-002"))
    assert result.message == "Undid the edit of 2 items (FEAT-001, FEAT-002)"
    assert [show_item(ws, k).ranked.item.priority for k in ("FEAT-001", "FEAT-002")] == [
        "low",
        "medium",
    ]
    assert undo(ws).action == "suggest"  # the bulk edit was one change, undone whole


def test_edit_items_changes_nothing_when_one_value_or_one_id_is_bad(ws):
    suggest(ws, "First")
    suggest(ws, "Second")
    with pytest.raises(NotFoundError):
        edit_items(ws, ["FEAT-001", "FEAT-404"], priority="high")
    with pytest.raises(UsageError, match="risk"):
        edit_items(ws, ["FEAT-001", "FEAT-002"], risk=3)
    with pytest.raises(UsageError, match="nothing to change"):
        edit_items(ws, ["FEAT-001", "FEAT-002"])
    assert [show_item(ws, k).ranked.item.edited_fields for k in ("FEAT-001", "FEAT-002")] == [
        [],
        [],
    ]


def test_undo_reverts_the_last_change_one_at_a_time(ws):
    suggest(ws, "Title", estimated_hours=2)
    edit_item(ws, "FEAT-001", title="Renamed")
    complete_item(ws, "FEAT-001", hours=3, impact="done")
    assert undo(ws).action == "complete"
    detail = show_item(ws, "FEAT-001")
    assert detail.ranked.item.status == "open" and detail.completions == []
    assert detail.ranked.item.closed_at is None
    assert undo(ws).action == "edit"
    assert show_item(ws, "FEAT-001").ranked.item.title == "Title"
    assert show_item(ws, "FEAT-001").ranked.item.edited_fields == []
    assert undo(ws).action == "suggest"
    with pytest.raises(NotFoundError):
        show_item(ws, "FEAT-001")
    with pytest.raises(UsageError, match="nothing to undo"):
        undo(ws)


def test_undo_of_a_completion_removes_the_completion_row(ws):
    suggest(ws, "T")
    complete_item(ws, "FEAT-001", hours=1)
    undo(ws)
    with ws.session() as session:
        assert session.exec(select(Completion)).all() == []
        assert session.exec(select(Item)).one().status == "open"


def test_one_store_holds_many_repositories_apart(tmp_path, db_url):
    from terragon_tui.backlog.workspace import open_workspace

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = open_workspace(tmp_path / "a", db_url), open_workspace(tmp_path / "b", db_url)
    suggest_item(first, category="feature", title="Only in A")
    assert suggest_item(second, category="feature", title="Only in B").key == "FEAT-001"
    assert [e.item.title for e in list_items(first)] == ["Only in A"]
    assert [e.item.title for e in list_items(second)] == ["Only in B"]
    first.close()
    second.close()


def as_person(monkeypatch, name: str) -> None:
    monkeypatch.setenv("LOGNAME", name)  # what getpass.getuser() reads first


def test_undo_reverts_your_own_last_change_not_someone_elses(ws, monkeypatch):
    as_person(monkeypatch, "alice")
    suggest(ws, "Add tests", "testing")
    complete_item(ws, "TEST-001", hours=2, impact="alice's")
    as_person(monkeypatch, "bob")
    suggest(ws, "Write docs", "documentation")
    as_person(monkeypatch, "alice")
    assert undo(ws).key == "TEST-001"  # bob's newer suggestion stays
    assert show_item(ws, "TEST-001").ranked.item.status == "open"
    assert show_item(ws, "DOCS-001").ranked.item.title == "Write docs"
    assert [c.actor for c in show_item(ws, "DOCS-001").changes] == ["bob"]


def test_undo_refuses_to_overwrite_a_later_change_by_someone_else(ws, monkeypatch):
    as_person(monkeypatch, "alice")
    suggest(ws, "Add tests", "testing", estimated_hours=4)
    edit_item(ws, "TEST-001", impact=9)
    as_person(monkeypatch, "bob")
    edit_item(ws, "TEST-001", estimated_hours=8)
    as_person(monkeypatch, "alice")
    changed = r"TEST-001 was changed \(an edit\) by bob after your edit"
    with pytest.raises(UsageError, match=changed):
        undo(ws)
    item = show_item(ws, "TEST-001").ranked.item
    assert (item.impact, item.estimated_hours) == (9, 8)  # both edits kept
    as_person(monkeypatch, "bob")
    undo(ws)  # bob takes his back; then alice's undo goes through
    as_person(monkeypatch, "alice")
    undo(ws)
    item = show_item(ws, "TEST-001").ranked.item
    assert (item.impact, item.estimated_hours) == (5, 4)
