"""The filter screen: choices with counts, narrowing the table, saved views and `v`."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Select, Static

from terragon_tui.backlog.user_config import UserConfig, load_user_config
from terragon_tui.tui.app import TerragonApp
from terragon_tui.tui.filter_form import FilterForm, ViewPicker
from terragon_tui.tui.screens.backlog import BacklogScreen

from ..filtered_backlog import fill_filtered
from .pilots import loaded, said


def backlog_of(app) -> BacklogScreen:
    return next(s for s in app.screen_stack if isinstance(s, BacklogScreen))


def titles(app, *, in_order: bool = False) -> list[str]:
    """The titles of the rows the table shows, sorted unless `in_order`."""
    model = backlog_of(app).model
    shown = [model.item_at(i).title for i in range(len(model))]
    return shown if in_order else sorted(shown)


def choices(form: FilterForm, key: str) -> list[str]:
    """The options of one choice as the form lists them."""
    return [str(prompt) for prompt, _value in form.query_one(f"#{key}", Select)._options[1:]]


def status_line(app) -> str:
    return str(backlog_of(app).query_one("#status", Static).render())


CONFIG = '# my settings\ntheme = "nord"  # the dark one\n\n[limits]\nfile_budget = 120\n'


def user_at(tmp_path, text=CONFIG):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_each_choice_lists_its_values_with_counts_under_the_other_filters(ws):
    fill_filtered(ws)
    app = TerragonApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        form = app.screen
        assert isinstance(form, FilterForm)
        assert choices(form, "rule") == ["B311 (5)", "todo (2)", "B105 (1)", "cc-rank-d (1)"]
        assert choices(form, "role")[:3] == ["production (5)", "test (3)", "docs (1)"]
        form.query_one("#role", Select).value = "test"
        await pilot.pause()
        assert choices(form, "rule") == ["B311 (2)", "todo (1)", "B105 (0)", "cc-rank-d (0)"]
        assert choices(form, "category")[:2] == ["security (2)", "technical-debt (1)"]
        assert "3 of 9 items match" in str(form.query_one("#matching", Static).render())
        form.query_one("#rule", Select).value = "B311"
        await pilot.press("ctrl+s")
        assert titles(app) == ["B311 in tests/test_models.py", "B311 in tests/test_views.py"]
        assert "rule=B311  role=test" in status_line(app)


async def test_a_path_glob_narrows_the_table_to_items_with_a_place_under_it(ws):
    fill_filtered(ws)
    app = TerragonApp(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        app.screen.query_one("#path", Input).value = "lib/**"
        await pilot.press("ctrl+s")
        assert titles(app) == ["cc-rank-d in several files"]
        assert "path=lib/**" in status_line(app)
        await pilot.press("escape")  # clears every filter
        assert len(titles(app)) == 9


async def test_saving_a_view_writes_it_keeping_the_files_comments(ws, tmp_path):
    fill_filtered(ws)
    path = user_at(tmp_path)
    app = TerragonApp(ws, load_user_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        app.screen.query_one("#rule", Select).value = "B311"
        app.screen.query_one("#path", Input).value = "src/**"
        app.screen.query_one("#view", Input).value = "b311-in-src"
        await pilot.press("ctrl+s")
        assert said(app, "View b311-in-src saved")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(CONFIG)  # comments, order and the other tables as they were
    assert '[views.b311-in-src]\nrule = "B311"\npath = "src/**"\n' in text
    saved = load_user_config(path).views["b311-in-src"]
    assert (saved.filters.rule, saved.filters.path) == ("B311", "src/**")


async def test_a_bad_view_name_is_shown_on_the_form(ws, tmp_path):
    fill_filtered(ws)
    path = user_at(tmp_path)
    app = TerragonApp(ws, load_user_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")
        app.screen.query_one("#view", Input).value = "my view"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, FilterForm)
        assert "letters, digits" in str(app.screen.query_one("#error", Static).render())
    assert path.read_text(encoding="utf-8") == CONFIG


async def test_v_applies_a_saved_view_and_escape_cancels(ws, tmp_path):
    fill_filtered(ws)
    path = user_at(
        tmp_path,
        '[views.docs]\nrole = "docs"\n[views.tests-by-title]\nrole = "test"\nsort = "-title"\n',
    )
    app = TerragonApp(ws, load_user_config(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        assert isinstance(app.screen, ViewPicker)
        await pilot.press("escape")
        assert len(titles(app)) == 9
        await pilot.press("v", "down", "enter")
        assert not isinstance(app.screen, ViewPicker)
        assert titles(app, in_order=True) == [
            "todo in tests/test_jobs.py",
            "B311 in tests/test_views.py",
            "B311 in tests/test_models.py",
        ]
        assert "role=test" in status_line(app) and "sorted by Title ▲" in status_line(app)


async def test_v_without_views_says_how_to_save_one(ws):
    fill_filtered(ws)
    app = TerragonApp(ws, UserConfig())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        assert not isinstance(app.screen, ViewPicker)
        assert said(app, "No saved views yet")
        assert not app.screen.query(OptionList)


def test_filter_screen_at_80x24(snap_compare, ws):
    """The filter screen with the rule choice open: every rule with its count, most first."""
    fill_filtered(ws)
    app = TerragonApp(ws, UserConfig())

    async def open_rule_choice(pilot):
        await loaded(pilot)  # the backlog reads in a worker: the filter counts what it read
        await pilot.press("f")
        app.screen.query_one("#role", Select).value = "production"
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_rule_choice)
