"""The light rows a live view reads carry every field the ItemRow protocol names, as stored."""

from __future__ import annotations

import pytest

from terragon_tui.backlog.listing import get_item, load_rows
from terragon_tui.backlog.ranked import rank_items
from terragon_tui.store.models import Item, Repository, stored_id, table_of
from terragon_tui.store.rows import ItemFields, ItemRow

from ..conftest import suggest


def protocol_fields(protocol: type) -> list[str]:
    """The names a protocol declares, its bases' included (each is a read-only property)."""
    return [
        name
        for klass in protocol.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, property)
    ]


def test_a_loaded_row_has_every_field_of_itemrow_with_the_stored_value(ws):
    suggest(ws, "Cache the parsed config", category="performance", impact=8.0, file_path="a.py")
    (row,), _settings = load_rows(ws)
    with ws.reading() as session:
        item = get_item(ws, session, row.key)
    names = protocol_fields(ItemRow)
    assert {"id", "role", "key", "risk", "closed_at"} <= set(names)
    for name in names:
        expected = None if name == "role" else getattr(item, name)
        assert getattr(row, name) == expected, name
    assert row._asdict()["key"] == item.key


def test_an_item_has_every_field_of_itemfields_and_ranks_like_its_row(ws):
    for title, impact in (("Low", 2.0), ("High", 9.0), ("Middle", 5.0)):
        suggest(ws, title, impact=impact)
    rows, settings = load_rows(ws)
    with ws.reading() as session:
        items = [get_item(ws, session, row.key) for row in rows]
    for name in protocol_fields(ItemFields):
        assert all(hasattr(item, name) for item in items), name
    by_row = rank_items(rows, settings)
    by_item = rank_items(items, settings)
    assert [r.item.key for r in by_row] == [r.item.key for r in by_item]
    assert [r.score for r in by_row] == pytest.approx([r.score for r in by_item])
    assert [r.rank for r in by_row] == [1, 2, 3]


def test_table_of_is_the_models_table_and_stored_id_refuses_an_unsaved_row(ws):
    assert table_of(Item) is Item.__table__
    assert table_of(Repository).name == "repository"
    with pytest.raises(ValueError, match="Item not stored yet"):
        stored_id(Item(key="FEAT-001", title="t", category="feature", repo_id=1))
    with ws.reading() as session:
        assert stored_id(ws.repository(session)) == ws.repo_id
