"""The backlog screen driven by keys: navigation, detail, search, filters, sorting."""

from __future__ import annotations

from textual.widgets import Input, Static

from terragon_tui.tui.screens.backlog import BacklogScreen
from terragon_tui.tui.widgets.detail import DetailPane
from terragon_tui.tui.widgets.ranked_table import RankedTable

from ..conftest import suggest
from .pilots import said, shown


def screen_of(app) -> BacklogScreen:
    assert isinstance(app.screen, BacklogScreen)
    return app.screen


def detail_text(app) -> str:
    body = app.screen.query_one(DetailPane).query_one("#detail-body", Static)
    return _render(app, body)


def _render(app, widget) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(widget.visual if hasattr(widget, "visual") else widget.render())
    return console.export_text()


def _render_content(widget) -> str:
    from rich.console import Console

    console = Console(width=120, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(widget.content)
    return console.export_text()


def row_keys(app) -> list[str]:
    screen = screen_of(app)
    return [screen.model.item_at(i).key for i in range(len(screen.model))]


async def test_opens_on_the_ranked_backlog_with_the_best_item_highlighted(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert row_keys(app)[0] == "SEC-001"
        assert screen.current().key == "SEC-001"
        assert app.focused is screen.query_one(RankedTable)


async def test_j_and_k_move_the_cursor_and_the_detail_follows(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("j")
        screen = screen_of(app)
        second = row_keys(app)[1]
        assert screen.current().key == second
        assert screen.query_one(DetailPane).border_title == second
        await pilot.press("k")
        assert screen.current().key == row_keys(app)[0]
        await pilot.press("G")
        assert screen.current().key == row_keys(app)[-1]
        await pilot.press("g")
        assert screen.table.cursor == 0


async def test_slash_searches_and_escape_clears(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"parser")
        assert row_keys(app) == ["DEBT-001"]
        await pilot.press("enter")
        assert isinstance(app.focused, RankedTable)
        await pilot.press("escape")
        assert len(row_keys(app)) == 4


async def test_sorting_by_column_and_reversing(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = screen_of(app)
        await pilot.press("greater_than_sign")  # score -> key
        assert screen.model.sort_key == "key"
        assert row_keys(app) == sorted(row_keys(app), key=str.casefold)
        await pilot.press("r")
        assert row_keys(app) == sorted(row_keys(app), key=str.casefold, reverse=True)


async def test_t_shows_and_hides_done_items(app, filled_ws):
    from terragon_tui.backlog.items import complete_item

    complete_item(filled_ws, "DOCS-001", hours=1)
    async with app.run_test(size=(140, 40)) as pilot:
        assert "DOCS-001" not in row_keys(app)
        await pilot.press("t")
        assert "DOCS-001" in row_keys(app)
        await pilot.press("t")
        assert "DOCS-001" not in row_keys(app)


async def test_hostile_titles_show_literally(ws):
    from terragon_tui.tui.app import TerragonApp

    suggest(ws, "[bold red]boom[/] [link=http://x]y[/link] \x1b[31mred\x1b[0m")
    app = TerragonApp(ws)
    async with app.run_test(size=(220, 40)) as pilot:
        await pilot.pause()
        title = screen_of(app).model.cells(0)[3]
        assert title.startswith("[bold red]boom[/]")
        assert "\x1b" not in title and "\\x1b[31m" in title
        lines = [app.screen.query_one(RankedTable).render_line(1).text]
        assert "[bold red]boom[/]" in lines[0]


async def test_small_terminal_collapses_the_side_pane(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert screen.has_class("-narrow")
        assert not screen.query_one("#side").display or screen.query_one("#side").size.width == 0
        header = screen.query_one(RankedTable).render_line(0).text
        assert "Title" in header and "Score" in header
        await pilot.press("j")
        assert screen.current().key == row_keys(app)[1]


async def test_question_mark_shows_every_key(app):
    from terragon_tui.tui.help import HelpScreen

    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, BacklogScreen)


async def test_keys_are_remapped_by_binding_id(filled_ws):
    from terragon_tui.backlog.user_config import UserConfig
    from terragon_tui.tui.app import TerragonApp

    app = TerragonApp(filled_ws, UserConfig(keymap={"backlog.weights": "W"}))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("W")
        assert screen_of(app).query_one("#weights").has_class("-open")


async def test_f_filters_by_category_status_and_source(app, filled_ws):
    from textual.widgets import Select

    from terragon_tui.backlog.items import complete_item
    from terragon_tui.tui.filter_form import FilterForm

    complete_item(filled_ws, "DOCS-001", hours=1)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, FilterForm)
        app.screen.query_one("#category", Select).value = "security"
        await pilot.press("ctrl+s")
        assert row_keys(app) == ["SEC-001"]
        assert "category=security" in str(app.screen.query_one("#status").render())
        await pilot.press("f")
        app.screen.query_one("#category", Select).value = Select.NULL
        app.screen.query_one("#status", Select).value = "done"
        await pilot.press("ctrl+s")
        assert row_keys(app) == ["DOCS-001"]
        await pilot.press("f")
        app.screen.query_one("#status", Select).value = Select.NULL
        app.screen.query_one("#source", Select).value = "todos"
        await pilot.press("ctrl+s")
        assert row_keys(app) == []
        await pilot.press("escape")
        assert len(row_keys(app)) == 3


def test_the_editor_command_opens_the_file_at_its_line_inside_the_repo(ws, repo):
    import pytest

    from terragon_tui.core.errors import TerragonError
    from terragon_tui.tui.screens.backlog import editor_command

    inside = suggest(ws, "Fix main", file_path="app.py", line=2)
    outside = suggest(ws, "Escape", file_path="../../etc/passwd", line=1)
    nofile = suggest(ws, "No file")
    env = {"EDITOR": "code --wait"}
    assert editor_command(repo, inside, env) == ["code", "--wait", "+2", str(repo / "app.py")]
    assert editor_command(repo, inside, {"VISUAL": "vim", "EDITOR": "nano"})[0] == "vim"
    with pytest.raises(TerragonError, match="not inside the repository"):
        editor_command(repo, outside, env)
    with pytest.raises(TerragonError, match="has no file"):
        editor_command(repo, nofile, env)
    with pytest.raises(TerragonError, match="EDITOR"):
        editor_command(repo, inside, {})


async def test_o_without_a_file_says_so(app):
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert said(app, "has no file")


async def test_2_opens_the_dashboard_and_escape_returns(app):
    from terragon_tui.tui.screens.dashboard import DashboardScreen

    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("2")
        assert isinstance(app.screen, DashboardScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = " ".join(_render_content(p) for p in app.screen.query(".panel"))
        assert "[SEC-001] Integrate security scanning in CI" in text  # next best value item
        assert "infrastructure" in text and "User Suggestions" in text
        assert "No tags" in text  # the demo repository has commits but no tags
        assert "Success indicators" in text or "No targets set" in text
        assert "add [tool.terragon.targets] to pyproject.toml" in text  # shown, not markup
        await pilot.press("escape")
        assert isinstance(app.screen, BacklogScreen)
        await pilot.press("3", "1")
        assert isinstance(app.screen, BacklogScreen)


async def test_mouse_click_selects_a_row_and_a_header_sorts(app):
    async with app.run_test(size=(140, 40)) as pilot:
        screen = screen_of(app)
        table = screen.query_one(RankedTable)
        third = row_keys(app)[2]
        await pilot.click(RankedTable, offset=(20, 3))  # line 0 is the header
        assert screen.current().key == third
        id_column = table.render_line(0).text.index("ID")
        await pilot.click(RankedTable, offset=(id_column + 1, 0))
        await pilot.pause()
        assert screen.model.sort_key == "key"
        await pilot.click(RankedTable, offset=(id_column + 1, 0))
        await pilot.pause()
        assert screen.model.sort_reverse


async def test_the_dashboard_scrolls_by_keyboard_to_the_success_indicators_at_80x24(app):
    from terragon_tui.tui.screens.dashboard import DashboardScreen

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        assert isinstance(app.screen, DashboardScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Success indicators" not in shown(app)  # below the fold
        await pilot.press("G")
        await pilot.pause()
        assert "Success indicators" in shown(app)
        await pilot.press("g")
        await pilot.pause()
        assert "Repository health" in shown(app)
