"""Complete, suggest, edit, defer, reject and undo from the TUI, through the same services."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from terragon_tui.backlog.listing import list_items, show_item
from terragon_tui.tui.forms import CompleteForm, ReasonForm
from terragon_tui.tui.item_form import ItemForm
from terragon_tui.tui.screens.backlog import BacklogScreen

from .pilots import said, settle


def backlog(app) -> BacklogScreen:
    return app.screen_stack[1] if not isinstance(app.screen, BacklogScreen) else app.screen


async def test_c_completes_the_highlighted_item_with_hours_and_notes(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        first = backlog(app).current().key
        await pilot.press("c")
        assert isinstance(app.screen, CompleteForm)
        hours = app.screen.query_one("#hours", Input)
        assert hours.value == "4"  # prefilled from the estimate
        hours.value = "5.5"
        app.screen.query_one("#impact", TextArea).text = "Scanner runs on every PR"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BacklogScreen)
        assert first not in [app.screen.model.item_at(i).key for i in range(len(app.screen.model))]
    detail = show_item(filled_ws, first)
    assert detail.ranked.item.status == "done"
    assert detail.completions[0].actual_hours == 5.5
    assert detail.completions[0].impact_notes == "Scanner runs on every PR"


async def test_the_complete_form_refuses_bad_hours_inline(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("c")
        app.screen.query_one("#hours", Input).value = "-3"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CompleteForm)
        assert "estimated_hours" in str(
            app.screen.query_one("#error", Static).render()
        ) or "from" in str(app.screen.query_one("#error", Static).render())
        await pilot.press("escape", "y")  # the hours were changed: discarding asks first
        assert isinstance(app.screen, BacklogScreen)
    assert len(list_items(filled_ws)) == 4


async def test_n_suggests_a_new_item_that_appears_ranked(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, ItemForm)
        form.query_one("#category", Select).value = "security"
        form.query_one("#title", Input).value = "Rotate the leaked API key"
        form.query_one("#impact", Input).value = "10"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = backlog(app)
        assert isinstance(app.screen, BacklogScreen)
        assert screen.current().key == "SEC-002"
    assert show_item(filled_ws, "SEC-002").ranked.item.title == "Rotate the leaked API key"


async def test_the_suggest_form_validates_inline(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("n")
        form = app.screen
        form.query_one("#title", Input).value = ""
        await pilot.press("ctrl+s")
        assert "title must not be empty" in str(form.query_one("#error", Static).render())
        form.query_one("#title", Input).value = "Ok"
        form.query_one("#risk", Input).value = "7"
        await pilot.press("ctrl+s")
        assert "risk" in str(form.query_one("#error", Static).render())
        assert isinstance(app.screen, ItemForm)
    assert len(list_items(filled_ws)) == 4


async def test_e_edits_and_marks_only_changed_fields(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        key = backlog(app).current().key
        await pilot.press("e")
        app.screen.query_one("#title", Input).value = "Renamed item"
        await pilot.press("ctrl+s")
        await settle(pilot)
    item = show_item(filled_ws, key).ranked.item
    assert item.title == "Renamed item"
    assert item.edited_fields == ["title"]


async def test_d_defers_x_rejects_and_u_undoes(app, filled_ws):
    async with app.run_test(size=(140, 40)) as pilot:
        key = backlog(app).current().key
        await pilot.press("d")
        assert isinstance(app.screen, ReasonForm)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ReasonForm)  # a reason is required
        app.screen.query_one("#reason", Input).value = "after the release"
        await pilot.press("enter")
        await settle(pilot)
        assert show_item(filled_ws, key).ranked.item.status == "deferred"
        second = backlog(app).current().key
        await pilot.press("x")
        app.screen.query_one("#reason", Input).value = "duplicate"
        await pilot.press("enter")
        await settle(pilot)
        assert show_item(filled_ws, second).ranked.item.status == "rejected"
        await pilot.press("u")
        await settle(pilot)
        assert show_item(filled_ws, second).ranked.item.status == "open"
        assert backlog(app).current().key == second
        assert f"Undid the rejection of {second}." in [n.message for n in app._notifications]


async def test_a_service_error_is_shown_not_raised(app, filled_ws):
    from terragon_tui.backlog.items import complete_item

    async with app.run_test(size=(140, 40)) as pilot:
        key = backlog(app).current().key
        complete_item(filled_ws, key, hours=1)  # someone else completed it meanwhile
        await pilot.press("c")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BacklogScreen)
        assert said(app, "only open items")


async def test_y_and_shift_y_copy_the_id_and_the_file_and_line(ws):
    from terragon_tui.tui.app import TerragonApp

    from ..conftest import suggest

    suggest(
        ws, "Fix the parser", "technical-debt", impact=9, file_path="src/pa\u202ers.py", line=12
    )
    suggest(ws, "Write the guide", "documentation", impact=1)
    app = TerragonApp(ws)
    async with app.run_test(size=(140, 40)) as pilot:
        first = backlog(app).current()
        assert first.title == "Fix the parser"
        await pilot.press("y")
        assert app.clipboard == first.key
        await pilot.press("Y")
        assert app.clipboard == "src/pa\\u202ers.py:12"  # escaped as shown, never raw
        assert said(app, "Copied src/pa\\u202ers.py:12")
        await pilot.press("down", "Y")
        assert app.clipboard == "src/pa\\u202ers.py:12"  # unchanged: that item has no file
        assert said(app, "has no file")


async def test_a_theme_picked_is_saved_to_the_user_config_keeping_its_comments(ws, tmp_path):
    from terragon_tui.backlog.user_config import load_user_config
    from terragon_tui.tui.app import TerragonApp

    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text('# my settings\ntheme = "nord"  # cold\n\n[keymap]\n"backlog.complete" = "C"\n')
    app = TerragonApp(ws, user=load_user_config(path))
    async with app.run_test(size=(140, 40)) as pilot:
        assert app.theme == "nord"
        app.theme = "gruvbox"  # what the palette's theme switcher does
        await pilot.pause()
        assert said(app, "Theme gruvbox saved")
    text = path.read_text()
    assert text.startswith('# my settings\ntheme = "gruvbox"')
    assert '"backlog.complete" = "C"' in text
    assert load_user_config(path).theme == "gruvbox"


async def test_a_user_config_that_is_not_toml_is_left_alone_and_said(ws, tmp_path):
    from terragon_tui.backlog.user_config import UserConfig
    from terragon_tui.tui.app import TerragonApp

    path = tmp_path / "config.toml"
    path.write_text("theme = \n")  # broken since it was read
    app = TerragonApp(ws, user=UserConfig(path=path))
    async with app.run_test(size=(140, 40)) as pilot:
        app.theme = "gruvbox"
        await pilot.pause()
        assert said(app, "invalid TOML, so theme was not saved")
    assert path.read_text() == "theme = \n"


async def test_i_ignores_the_rule_under_a_path_in_the_repository_config(ws, repo):
    import tomllib

    from terragon_tui.backlog.scanning import scan_workspace
    from terragon_tui.tui.app import TerragonApp
    from terragon_tui.tui.forms import IgnoreForm

    from ..conftest import git

    (repo / "tests").mkdir(exist_ok=True)
    (repo / "tests" / "test_dice.py").write_text("import random\n\nX = random.random()\n")
    (repo / "pyproject.toml").write_text('[project]\nname = "demo"  # ours\n')
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "dice")
    scan_workspace(ws, "full", workers=1)
    app = TerragonApp(ws)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = backlog(app)
        for _ in range(len(screen.model)):
            if screen.current().rule == "B311":
                break
            await pilot.press("down")
        item = screen.current()
        assert item.rule == "B311"
        await pilot.press("i")
        assert isinstance(app.screen, IgnoreForm)
        assert app.screen.query_one("#rule", Input).value == "B311"
        assert app.screen.query_one("#path", Input).value == "tests/**"
        app.screen.query_one("#reason", Input).value = "random is fine in tests"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert said(app, "Added 'B311:tests/**' to ignore_rules in pyproject.toml")
        assert show_item(ws, item.key).ranked.item.status == "rejected"
    text = (repo / "pyproject.toml").read_text()
    assert text.startswith('[project]\nname = "demo"  # ours\n')
    assert tomllib.loads(text)["tool"]["terragon"]["scan"]["ignore_rules"] == ["B311:tests/**"]
    rescan = scan_workspace(ws, "full", workers=1)
    assert not rescan.outcome.new
    reasons = {s.reason for s in rescan.result.suppressed}
    assert "ignore_rules: B311:tests/**" in reasons, (reasons, rescan.result.notes)


async def test_t_shows_closed_items_after_the_open_ones_with_their_status(app, filled_ws):
    from terragon_tui.backlog.items import defer_item

    from .pilots import shown

    top = list_items(filled_ws)[0].item.key  # the best item, deferred: first among closed
    defer_item(filled_ws, top, reason="after the release")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = backlog(app)
        await pilot.press("t")
        await pilot.pause()
        keys = [screen.model.item_at(i).key for i in range(len(screen.model))]
        assert keys[-1] == top and top not in keys[:-1]  # after every open one
        header = next(line for line in shown(app).splitlines() if "Rank" in line)
        assert "Status" in header  # kept at 80 columns while closed items show
        row = next(line for line in shown(app).splitlines() if top in line)
        assert "deferred" in row
        await pilot.press("t")
        await pilot.pause()
        assert top not in [screen.model.item_at(i).key for i in range(len(screen.model))]
