"""The ranked table's columns: each as wide as its text, the title taking the rest."""

from __future__ import annotations

import pytest

from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.widgets.ranked_table import COLUMNS, TITLE, RankedTable, layout

from ..conftest import suggest

LONG_TITLE = (
    "Possible secret (Secret Keyword) in settings.py, "
    "the same value in 3 places of the deployment templates and fixtures"
)


def title_cell(app) -> str:
    """The title cell of the first row, as the terminal shows it."""
    table = app.screen.query_one(RankedTable)
    columns = layout(table.scrollable_content_region.width, table.model.widths, "score")
    start = 0
    for index, width in columns:
        if index == TITLE:
            return table.render_line(1).text[start : start + width]
        start += width + 1
    raise AssertionError("no title column")


async def title_at(ws, size: tuple[int, int]) -> str:
    app = TerragonApp(ws)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return title_cell(app)


@pytest.fixture
def long_titles(filled_ws):
    suggest(filled_ws, LONG_TITLE, "security", impact=10, estimated_hours=1, security_severity=9)
    return filled_ws


async def test_the_title_takes_the_free_width_and_grows_with_the_terminal(long_titles):
    narrow = await title_at(long_titles, (100, 30))
    wide = await title_at(long_titles, (160, 45))
    wider = await title_at(long_titles, (260, 45))
    for cell in (narrow, wide, wider):
        shown = cell.rstrip().rstrip("…")
        assert LONG_TITLE.startswith(shown)
    assert len(wide.rstrip("… ")) >= 60  # beside the side pane, not cut at 28
    assert len(narrow.rstrip("… ")) >= 45
    assert wider.rstrip() == LONG_TITLE  # room for it whole, no ellipsis
    assert len(narrow) < len(wide) < len(wider)


def test_columns_are_as_wide_as_their_text_and_empty_ones_are_left_out():
    # Rank, Move, ID, Title, Score, Category, Priority, Est.h, Impact, Lane, Status
    content = (2, 0, 7, 30, 4, 8, 4, 2, 1, 7, 4)  # nothing moved
    columns = dict(layout(200, content, "score"))
    headers = {COLUMNS[index].header: width for index, width in columns.items()}
    assert "Move" not in headers  # nothing moved yet
    assert headers["ID"] == 7 and headers["Category"] == 8
    assert headers["Rank"] == len("Rank") and headers["Score"] == len("Score ▼")
    assert sum(width + 1 for width in columns.values()) == 200  # the title has the rest


def test_optional_columns_give_way_to_a_long_title_on_narrow_tables():
    content = (2, 3, 8, 90, 5, 14, 8, 5, 2, 13, 11)
    headers = [COLUMNS[index].header for index, _ in layout(78, content, "score")]
    assert headers[:5] == ["Rank", "Move", "ID", "Title", "Score"]
    assert "Lane" not in headers and "Status" not in headers
    short = (2, 3, 8, 20, 5, 14, 8, 5, 2, 13, 11)
    assert "Category" in [COLUMNS[i].header for i, _ in layout(78, short, "score")]


def test_the_move_column_stays_while_items_moved():
    moved = (2, 3, 8, 90, 5, 14, 8, 5, 2, 13, 11)
    for width in (38, 78, 102):
        headers = [COLUMNS[index].header for index, _ in layout(width, moved, "score")]
        assert headers[:2] == ["Rank", "Move"]
