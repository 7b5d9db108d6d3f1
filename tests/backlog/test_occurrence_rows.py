"""What the TUI reads of grouped items: their counts, and one group's places as light rows."""

from __future__ import annotations

from sqlalchemy import insert

from terragon_tui.backlog.occurrences import grouped_counts, occurrence_rows, place_data
from terragon_tui.store.models import Occurrence

from ..conftest import suggest


def places(ws, item, spots):
    rows = [
        dict(item_id=item.id, path=path, line=line, fingerprint=f"{item.id}-{n}", data={"cc": n})
        for n, (path, line) in enumerate(spots)
    ]
    with ws.session() as session:
        session.execute(insert(Occurrence), rows)


def test_only_groups_have_a_count_and_a_groups_places_come_in_file_and_line_order(ws):
    group = suggest(ws, "Complex functions in src/", "technical-debt")
    single = suggest(ws, "One complex function", "technical-debt")
    suggest(ws, "No place at all", "feature")
    places(ws, group, [("b.py", 3), ("a.py", 9), ("a.py", 2)])
    places(ws, single, [("c.py", 1)])
    with ws.reading() as session:
        assert grouped_counts(session, ws.repo_id) == {group.id: 3}
        rows = occurrence_rows(session, group.id)
    assert [(row.path, row.line) for row in rows] == [("a.py", 2), ("a.py", 9), ("b.py", 3)]
    assert [place_data(row.data) for row in rows] == [{"cc": 2}, {"cc": 1}, {"cc": 0}]
